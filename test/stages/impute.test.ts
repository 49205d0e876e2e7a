/**
 * impute: the linear kernel and the stage against R (test/fixtures/impute/make.R: stats::approx,
 * zoo::na.locf, ave), then hand-made cases, reports and every user error.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { stageRng } from '../../src/stats/rng.ts'
import { ThreadBudget } from '../../src/scheduler/threads.ts'
import { carrySeries } from '../../src/stats/impute/carry.ts'
import { approxLinear } from '../../src/stats/impute/linear.ts'
import { groupMeans } from '../../src/stats/impute/mean.ts'
import impute from '../../stages/impute/stage.ts'
import type { ImputeParams } from '../../stages/impute/params.ts'
import { memoryOutput } from '../../src/artifacts/output.ts'

/** Same expression as R's approx1() in double precision, fixture written with 17 digits: any difference is a bug. */
const APPROX_REL = 0
/** R's mean() accumulates in long double; ours in double with R's second correction pass: a few ulps. */
const MEAN_REL = 1e-14

type Num = number | null
interface ApproxCase { name: string; rule: 1 | 2; t: number[]; y: Num[]; out?: Num[]; error?: string }
const ref = JSON.parse(readFileSync(new URL('../fixtures/impute/reference.json', import.meta.url), 'utf8')) as {
  approx: ApproxCase[]
  panel: {
    rows: { unit: string[]; year: number[]; region: string[]; x: Num[]; z: Num[] }
    expected: Record<'x' | 'z', Record<string, Num[]>>
  }
}
const nan = (a: Num[]) => Float64Array.from(a, (v) => (v === null ? NaN : v))

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rel: number, label: string): void {
  expect(got.length, `${label}: length`).toBe(want.length)
  for (let i = 0; i < want.length; i++) {
    const g = got[i]
    const w = want[i]
    if (Number.isNaN(w) || Number.isNaN(g)) {
      expect(Number.isNaN(g) ? 'missing' : g, `${label}[${i}]: want ${w}`).toBe(Number.isNaN(w) ? 'missing' : w)
      continue
    }
    const d = Math.abs(g - w)
    const tol = rel * Math.max(Math.abs(w), Number.MIN_VALUE)
    if (d > tol) expect.fail(`${label}[${i}]: got ${g}, expected ${w}, Δ ${d}, tol ${tol}`)
  }
}

/** Minimal stand-in for the core's StageContext (test/helpers/context.ts is not there yet). */
function run(params: Partial<ImputeParams> & { method: ImputeParams['method'] }, frame: Frame, panel: { unit: string; time: string } | null = { unit: 'unit', time: 'year' }) {
  const logs: { level: 'info' | 'warn'; message: string }[] = []
  const ctx: StageContext<ImputeParams> = {
    stage: 'filled',
    kind: 'impute',
    params: { from: 'panel', ends: 'keep-missing', report: 'totals', flag: false, ...params },
    panel: panel ?? undefined,
    input: (stage) => memoryOutput(stage, 'ingest', { frame }),
    files: {},
    rng: stageRng(1, 'filled'),
    log: { info: (m) => logs.push({ level: 'info', message: m }), warn: (m) => logs.push({ level: 'warn', message: m }) },
    progress: () => {},
    signal: new AbortController().signal,
    jobs: 1,
    threads: new ThreadBudget(1),
  }
  return impute.run(ctx).then((result: StageResult) => ({ result, frame: result.frame!, logs, text: logs.map((l) => l.message).join('\n') }))
}

async function userError(p: Promise<unknown>): Promise<QuasiError> {
  const e = await p.then(() => undefined, (err: unknown) => err)
  expect(e).toBeInstanceOf(QuasiError)
  return e as QuasiError
}

describe('approxLinear against R approx()', () => {
  const worked = ref.approx.filter((c) => c.out)
  test('the fixture covers the cases it claims', () => {
    expect(ref.approx.length).toBeGreaterThanOrEqual(90)
    expect(worked.length).toBeGreaterThan(60)
    for (const name of ['unequal gaps', 'leading and trailing NA', 'unsorted rows', 'all NA', 'one observation']) {
      expect(ref.approx.filter((c) => c.name === name).map((c) => c.rule)).toEqual([1, 2])
    }
  })
  test.each(worked.map((c) => [`${c.name}, rule ${c.rule}`, c] as const))('%s', (label, c) => {
    const t = nan(c.t)
    expectClose(approxLinear(t, nan(c.y), t, c.rule), nan(c.out!), APPROX_REL, label)
  })
  test('where R stops (fewer than two observations) the documented convention holds', () => {
    const stopped = ref.approx.filter((c) => c.error)
    expect(stopped.length).toBeGreaterThanOrEqual(6)
    for (const c of stopped) {
      expect(c.error).toBe('need at least two non-NA values to interpolate')
      const y = nan(c.y)
      const obs = [...y].filter((v) => !Number.isNaN(v))
      const got = approxLinear(nan(c.t), y, nan(c.t), c.rule)
      const want = obs.length === 0 ? y.map(() => NaN) : c.rule === 2 ? y.map(() => obs[0]) : y
      expectClose(got, want, 0, `${c.name}, rule ${c.rule}`)
    }
  })
  test('tied times are refused rather than averaged', () => {
    expect(() => approxLinear([1, 1, 2], [1, 2, 3], [1.5], 1)).toThrow(/tied x/)
  })
})

describe('kernels on hand-made series', () => {
  test('carrySeries follows time, not row order', () => {
    const t = [2012, 2007, 2010, 2008, 2015, 2009]
    const y = [8, NaN, NaN, 1, NaN, 3.3]
    // by time: 2007 NaN, 2008 1, 2009 3.3, 2010 NaN, 2012 8, 2015 NaN
    expect([...carrySeries(t, y, 'forward', false)]).toEqual([8, NaN, 3.3, 1, 8, 3.3])
    expect([...carrySeries(t, y, 'backward', false)]).toEqual([8, 1, 8, 1, NaN, 3.3])
    expect([...carrySeries(t, y, 'forward', true)]).toEqual([8, 1, 3.3, 1, 8, 3.3])
    expect([...carrySeries(t, y, 'backward', true)]).toEqual([8, 1, 8, 1, 8, 3.3])
    expect([...carrySeries([1, 2], [NaN, NaN], 'forward', true)]).toEqual([NaN, NaN])
  })
  test('groupMeans: rows in no group are ignored, empty groups are NaN', () => {
    expect([...groupMeans([1, 2, NaN, 10, 7], [0, 0, 1, -1, 0], 3)]).toEqual([10 / 3, NaN, NaN])
  })
})

describe('the stage against the R panel', () => {
  const r = ref.panel.rows
  const frame = Frame.from({ unit: r.unit, year: nan(r.year), region: r.region, x: nan(r.x), z: nan(r.z) })
  const cases: [string, Partial<ImputeParams> & { method: ImputeParams['method'] }, number][] = [
    ['locf', { method: 'locf' }, 0],
    ['nocb', { method: 'nocb' }, 0],
    ['locf_nearest', { method: 'locf', ends: 'nearest' }, 0],
    ['nocb_nearest', { method: 'nocb', ends: 'nearest' }, 0],
    ['unit_mean', { method: 'unit-mean' }, MEAN_REL],
    ['time_mean', { method: 'time-mean', columns: ['x', 'z'] }, MEAN_REL],
    ['time_mean_by_region', { method: 'time-mean', columns: ['x', 'z'], by: ['region'] }, MEAN_REL],
    ['linear_rule1', { method: 'linear' }, APPROX_REL],
  ]
  test.each(cases)('%s', async (key, params, rel) => {
    const { frame: out } = await run(params, frame)
    for (const col of ['x', 'z'] as const) expectClose(out.numbers(col), nan(ref.panel.expected[col][key]), rel, `${key}/${col}`)
    expect(out.names).toEqual(frame.names)
    expect(out.strings('unit')).toEqual(r.unit)
  })
  test('linear_rule2 (ends: nearest): R where it ran; a one-observation unit is constant', async () => {
    const { frame: out } = await run({ method: 'linear', ends: 'nearest' }, frame)
    const want = nan(ref.panel.expected.x.linear_rule2)
    // R's approx stopped for D (one observation) and C (none): the fixture holds NaN there.
    for (let i = 0; i < frame.nrows; i++) if (r.unit[i] === 'D') want[i] = 12.5
    expectClose(out.numbers('x'), want, APPROX_REL, 'linear_rule2/x')
    expectClose(out.numbers('z'), nan(ref.panel.expected.z.linear_rule2), APPROX_REL, 'linear_rule2/z')
  })
})

describe('reports', () => {
  // Rows deliberately out of time order; P has an interior gap over an unequal time step,
  // Q a leading and a trailing gap, R no observation at all.
  const frame = Frame.from({
    unit: ['P', 'P', 'Q', 'P', 'Q', 'R', 'Q', 'P', 'R', 'Q'],
    year: [2010, 2007, 2008, 2008, 2007, 2007, 2009, 2012, 2008, 2010],
    gdp: [NaN, 1, 5, NaN, NaN, NaN, NaN, 6, NaN, NaN],
    pop: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  })
  test('linear: interior only by default, counts per column and unit, units without data named', async () => {
    const { result, frame: out, logs, text } = await run({ method: 'linear', columns: ['gdp'], report: 'per-unit', flag: true }, frame)
    // P: 2007→1, 2012→6: 2008 = 2, 2010 = 4 (over years, not rows)
    expect([...out.numbers('gdp')]).toEqual([4, 1, 5, 2, NaN, NaN, NaN, 6, NaN, NaN])
    expect([...out.numbers('gdp_imputed')]).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 0, 0])
    expect(result.facts).toEqual({ 'imputed(gdp)': 2, 'still_missing(gdp)': 5, imputed: 2, still_missing: 5 })
    expect(result.files!['imputed.csv']).toBe('column,imputed,still_missing\ngdp,2,5\n')
    expect(result.files!['imputed_by_unit.csv']).toBe('column,unit,imputed,still_missing\ngdp,P,2,0\ngdp,Q,0,3\ngdp,R,0,2\n')
    expect(logs.find((l) => l.level === 'warn')?.message).toBe('gdp: no observed value in 1 unit of `unit`, left missing: R')
    expect(text).toContain('gdp: 3 values before the first or after the last observation of their unit left missing (ends: keep-missing; no extrapolation)')
    expect(text).toContain('unit P: imputed gdp 2')
    expect(text).toContain('unit Q: still missing gdp 3')
  })
  test('ends: nearest fills the ends, counts them, and still never invents a unit without data', async () => {
    const { result, frame: out, text } = await run({ method: 'linear', columns: ['gdp'], ends: 'nearest' }, frame)
    expect([...out.numbers('gdp')]).toEqual([4, 1, 5, 2, 5, NaN, 5, 6, 5, 5].map((v, i) => (frame.strings('unit')[i] === 'R' ? NaN : v)))
    expect(result.facts!['imputed(gdp)']).toBe(5)
    expect(result.facts!['still_missing(gdp)']).toBe(2)
    expect(text).toContain('gdp: 5 imputed (3 beyond the unit')
    expect(result.files!['imputed_by_unit.csv']).toBeUndefined()
  })
  test('default columns: every numeric non-key column; totals over columns', async () => {
    const { result } = await run({ method: 'locf' }, frame)
    expect(result.files!['imputed.csv']).toBe('column,imputed,still_missing\ngdp,4,3\npop,0,0\n')
    expect(result.data).toMatchObject({ method: 'locf', columns: [{ column: 'gdp', units_without_data: ['R'] }, { column: 'pop' }] })
  })
  test('time-mean by default leaves out unit attributes such as pilot_year', async () => {
    const f = Frame.from({
      unit: ['a', 'a', 'b', 'b', 'c', 'c'],
      year: [1, 2, 1, 2, 1, 2],
      pilot_year: [2013, 2013, NaN, NaN, 2017, 2017],
      y: [1, NaN, 3, 5, NaN, 7],
    })
    const { frame: out, text } = await run({ method: 'time-mean' }, f)
    expect([...out.numbers('pilot_year')]).toEqual([2013, 2013, NaN, NaN, 2017, 2017])
    expect([...out.numbers('y')]).toEqual([1, 6, 3, 5, 2, 7])
    expect(text).toContain('unit attributes): pilot_year')
    const named = await run({ method: 'time-mean', columns: ['pilot_year'] }, f)
    expect([...named.frame.numbers('pilot_year')]).toEqual([2013, 2013, 2015, 2015, 2017, 2017])
  })
  test('time-mean by group: an empty period × group cell and a missing group value stay missing, named', async () => {
    const f = Frame.from({
      unit: ['a', 'b', 'c', 'a', 'b', 'c', 'd'],
      year: [1, 1, 1, 2, 2, 2, 2],
      region: ['E', 'E', 'W', 'E', 'E', 'W', null],
      y: [2, 4, NaN, NaN, 8, 1, NaN],
    })
    const { frame: out, result, text } = await run({ method: 'time-mean', columns: 'y', by: 'region' }, f)
    expect([...out.numbers('y')]).toEqual([2, 4, NaN, 8, 8, 1, NaN])
    expect(result.facts!['still_missing(y)']).toBe(2)
    expect(text).toContain('y: no observed value in 1 period group, left missing: (year=1, region="W")')
    expect(text).toContain('y: 1 value in rows with a missing `by` value left missing')
  })
})

describe('user errors', () => {
  const frame = Frame.from({
    unit: ['a', 'a', 'b', 'b'],
    year: [1, 2, 1, 2],
    gdp: [1, NaN, 3, NaN],
    name: ['x', 'y', 'z', 'w'],
  })
  test('no panel declared', async () => {
    const e = await userError(run({ method: 'linear' }, frame, null))
    expect(e.code).toBe('INVALID_SPEC')
    expect(e.hint).toContain('panel: { unit: city, time: year }')
  })
  test('panel column absent, with a suggestion', async () => {
    const e = await userError(run({ method: 'linear' }, frame, { unit: 'unti', time: 'year' }))
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.message).toContain('panel unit column `unti`')
    expect(e.hint).toContain('did you mean `unit`?')
  })
  test('unknown column, with a suggestion and its position in the list', async () => {
    const e = await userError(run({ method: 'linear', columns: ['gdp', 'gpd'] }, frame))
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.param).toEqual(['columns', 1])
    expect(e.hint).toBe('did you mean `gdp`?')
  })
  test('text column', async () => {
    const e = await userError(run({ method: 'unit-mean', columns: 'name' }, frame))
    expect(e.code).toBe('WRONG_TYPE')
    expect(e.param).toEqual(['columns'])
    expect(e.message).toBe('Expected `name` to be a numeric column, got a text column')
  })
  test('a key column named in columns', async () => {
    const e = await userError(run({ method: 'linear', columns: ['year'] }, frame))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.message).toContain('the panel time')
  })
  test('duplicate (unit, time) for a method that follows time', async () => {
    const dup = Frame.from({ unit: ['a', 'a', 'a'], year: [1, 2, 1], gdp: [1, NaN, 2] })
    const e = await userError(run({ method: 'linear' }, dup))
    expect(e.code).toBe('DUPLICATE_PANEL_KEY')
    expect(e.message).toContain('unit=a, year=1 (rows 1, 3)')
    // unit-mean does not need the order and accepts it
    const { frame: out } = await run({ method: 'unit-mean' }, dup)
    expect(out.numbers('gdp')[1]).toBe(1.5)
  })
  test('text time for linear; missing time', async () => {
    const textTime = Frame.from({ unit: ['a', 'a'], year: ['2007', '2008'], gdp: [1, NaN] })
    const e1 = await userError(run({ method: 'linear' }, textTime))
    expect(e1.code).toBe('BAD_PANEL_TIME')
    expect(e1.message).toContain('is text')
    const noTime = Frame.from({ unit: ['a', 'a', 'a'], year: [2007, NaN, 2009], gdp: [1, NaN, 3] })
    const e2 = await userError(run({ method: 'locf' }, noTime))
    expect(e2.code).toBe('BAD_PANEL_TIME')
    expect(e2.message).toContain('row 2')
  })
  test('missing unit', async () => {
    const e = await userError(run({ method: 'locf' }, Frame.from({ unit: ['a', null], year: [1, 2], gdp: [1, NaN] })))
    expect(e.code).toBe('BAD_DATA')
    expect(e.message).toContain('1 row has no panel unit')
  })
  test('options the method would ignore', async () => {
    const e1 = await userError(run({ method: 'linear', by: ['name'] }, frame))
    expect([e1.code, e1.param]).toEqual(['INVALID_VALUE', ['by']])
    const e2 = await userError(run({ method: 'unit-mean', ends: 'nearest' }, frame))
    expect([e2.code, e2.param]).toEqual(['INVALID_VALUE', ['ends']])
  })
  test('flag column that already exists', async () => {
    const f = frame.withColumn('gdp_imputed', { type: 'number', data: new Float64Array(4) })
    const e = await userError(run({ method: 'linear', columns: ['gdp'], flag: true }, f))
    expect([e.code, e.param]).toEqual(['INVALID_VALUE', ['flag']])
  })
  test('no numeric column to impute', async () => {
    const e = await userError(run({ method: 'linear' }, Frame.from({ unit: ['a'], year: [1], name: ['x'] })))
    expect(e.code).toBe('INVALID_SPEC')
  })
})
