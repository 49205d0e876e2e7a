/**
 * The cs-did stage on the shared staggered panel (test/fixtures/staggered): ATT(g,t) and the
 * aggregations through a `did` model against the R reference (test/fixtures/cs-did/make.R),
 * the multiplier bootstrap against the analytic standard errors, the outputs and the
 * event-study contract, and the errors of the list.
 */
import { describe, expect, test } from 'vitest'
import { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageResult } from '../../src/stage.ts'
import did from '../../stages/did/stage.ts'
import csDid from '../../stages/cs-did/stage.ts'
import type { CsDidParams } from '../../stages/cs-did/params.ts'
import fixture from '../fixtures/cs-did/cs-did.json' with { type: 'json' }
import { makeTestContext } from '../helpers/context.ts'
import { readCsvFrame } from '../unit/stats/helpers.ts'

const panel = { unit: 'unit', time: 'year' }
const base = readCsvFrame('test/fixtures/staggered/panel.csv')
const EST = 1e-8, SE = 1e-6

type Up = { kind: string; frame?: Frame; model?: StageResult['model'] }

async function model(frame: Frame, params: Record<string, unknown> = {}): Promise<Up> {
  const ctx = makeTestContext({
    params: { from: 'data', outcome: 'y', treatment: { adoption: 'adopt' }, cluster: 'unit', small_sample: 'nested', stepwise: false, digits: 3, ...params },
    inputs: { data: frame }, panel, stage: 'baseline', kind: 'did',
  })
  const r = await did.run(ctx as never)
  return { frame: r.frame, model: r.model, kind: 'did' }
}

const DEFAULTS: CsDidParams = {
  model: 'baseline', control: 'never', base: 'varying', anticipation: 0, method: 'dr', aggregate: ['simple', 'dynamic', 'group'],
  bootstrap: 999, multiplier: 'mammen', uniform: true, level: 0.95,
}

async function run(up: Up, params: Partial<CsDidParams> = {}, seed = 1) {
  const ctx = makeTestContext<CsDidParams>({ params: { ...DEFAULTS, ...params }, inputs: { baseline: up }, panel, stage: 'cs', kind: 'cs-did', seed })
  const result = await csDid.run(ctx)
  return { result, ctx }
}

async function quasiError(p: Promise<unknown>): Promise<QuasiError> {
  try { await p } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

function attgtRows(r: StageResult) {
  const lines = (r.files!['attgt.csv'] as string).trim().split('\n')
  expect(lines[0]).toBe('group,time,base,att,se,low,high,se_analytic,treated,controls')
  return lines.slice(1).map((l) => l.split(',').map((v) => (v === '' ? NaN : Number(v))))
}

describe('against the R reference', () => {
  test('no covariates, not-yet treated, varying base: ATT(g,t), all four aggregations (analytic)', async () => {
    const ref = fixture.notyet_varying
    const { result } = await run(await model(base, { controls: ['x1'] }), { covariates: [], control: 'not-yet', bootstrap: 0, aggregate: ['simple', 'dynamic', 'group', 'calendar'] })
    const rows = attgtRows(result)
    expect(rows.length).toBe(ref.attgt.length)
    rows.forEach((r, k) => {
      expect([r[0], r[1]]).toEqual([ref.attgt[k].group, ref.attgt[k].time])
      expect(Math.abs(r[3] - ref.attgt[k].att)).toBeLessThan(EST)
      expect(Math.abs(r[4] - ref.attgt[k].se!)).toBeLessThan(SE)
      expect(r[9]).toBe(ref.attgt[k].controls)
      expect(r[7]).toBe(r[4]) // without the bootstrap se is the analytic se
    })
    const f = result.facts!
    expect(Math.abs(f.att - ref.agg.simple.att)).toBeLessThan(EST)
    expect(Math.abs(f.se - ref.agg.simple.se)).toBeLessThan(SE)
    expect(f.p).toBeLessThan(1e-6)
    for (const pt of ref.agg.dynamic.points) {
      expect(Math.abs(f[`att(e=${pt.e})`] - pt.att)).toBeLessThan(EST)
      expect(Math.abs(f[`se(e=${pt.e})`] - pt.se)).toBeLessThan(SE)
    }
    for (const pt of ref.agg.group.points) expect(Math.abs(f[`att(g=${pt.g})`] - pt.att)).toBeLessThan(EST)
    for (const pt of ref.agg.calendar.points) expect(Math.abs(f[`att(t=${pt.t})`] - pt.att)).toBeLessThan(EST)
    expect(Math.abs(f['att(dynamic)'] - ref.agg.dynamic.att)).toBeLessThan(EST)
    expect(Math.abs(f['att(group)'] - ref.agg.group.att)).toBeLessThan(EST)
    expect(Math.abs(f['att(calendar)'] - ref.agg.calendar.att)).toBeLessThan(EST)
    const data = result.data as any
    expect(Math.abs(data.aggregations.group.se - ref.agg.group.se)).toBeLessThan(SE)
    expect(data.aggregations.group.se_analytic).toBe(data.aggregations.group.se)
    expect(Math.abs(data.aggregations.calendar.se - ref.agg.calendar.se)).toBeLessThan(SE)
    expect(data.event_study.band).toBe('pointwise')
  })

  test('covariates default to the model\'s controls: dr with x1 and x2 (not-yet treated)', async () => {
    const ref = fixture.dr_notyet
    const { result } = await run(await model(base, { controls: ['x1', 'x2'] }), { control: 'not-yet', bootstrap: 0 })
    const rows = attgtRows(result)
    rows.forEach((r, k) => {
      expect(Math.abs(r[3] - ref.attgt[k].att)).toBeLessThan(EST)
      expect(Math.abs(r[4] - ref.attgt[k].se!)).toBeLessThan(SE)
    })
    expect(Math.abs(result.facts!.att - ref.agg.simple.att)).toBeLessThan(EST)
    expect(Math.abs(result.facts!.se - ref.agg.simple.se)).toBeLessThan(SE)
  })

  test.each([['ipw_never_x1', 'ipw'], ['reg_never_x1', 'reg']] as const)('%s through `covariates:`', async (name, method) => {
    const ref = fixture[name]
    const { result } = await run(await model(base), { covariates: ['x1'], method, bootstrap: 0 })
    expect(Math.abs(result.facts!.att - ref.agg.simple.att)).toBeLessThan(EST)
    expect(Math.abs(result.facts!.se - ref.agg.simple.se)).toBeLessThan(SE)
    for (const pt of ref.agg.group.points) expect(Math.abs(result.facts![`att(g=${pt.g})`] - pt.att)).toBeLessThan(EST)
  })

  test('universal base: the reference period is drawn at 0 without an interval', async () => {
    const ref = fixture.never_universal
    const { result } = await run(await model(base), { covariates: [], base: 'universal', bootstrap: 0 })
    const es = (result.data as any).event_study
    const r = es.periods.find((x: any) => x.k === -1)
    expect(r).toEqual({ k: -1, estimate: 0, std_error: null, low: 0, high: 0, reference: true })
    for (const pt of ref.agg.dynamic.points.filter((x) => x.e !== -1)) {
      const got = es.periods.find((x: any) => x.k === pt.e)
      expect(Math.abs(got.estimate - pt.att)).toBeLessThan(EST)
      expect(Math.abs(got.std_error - pt.se)).toBeLessThan(SE)
    }
  })
})

describe('clustered by the model\'s cluster variable', () => {
  // 30 "states" of 20 units in unit order, as in make.R.
  const state = Float64Array.from(base.column('unit')!.data as string[], (u) => Math.floor((Number(u.slice(1)) - 1) / 20))
  const withState = base.withColumn('state', { type: 'number', data: state })

  test('analytic se of every ATT(g,t) and aggregation against R (influence functions summed by cluster)', async () => {
    const ref = fixture.clustered
    const { result, ctx } = await run(await model(withState, { cluster: 'state' }), { covariates: [], control: 'not-yet', bootstrap: 0, aggregate: ['simple', 'dynamic', 'group', 'calendar'] })
    expect(ctx.logs.some((l) => /clustered by `state` \(30 clusters\)/.test(l.message))).toBe(true)
    expect(result.files!['simple.md']).toContain('clustered by state (30 clusters)')
    const rows = attgtRows(result)
    rows.forEach((r, k) => expect(Math.abs(r[4] - ref.attgt_se[k])).toBeLessThan(SE))
    const f = result.facts!
    expect(Math.abs(f.se - ref.agg.simple.se)).toBeLessThan(SE)
    for (const pt of ref.agg.dynamic.points) expect(Math.abs(f[`se(e=${pt.e})`] - pt.se)).toBeLessThan(SE)
    const data = result.data as any
    for (const t of ['group', 'calendar', 'dynamic'] as const) expect(Math.abs(data.aggregations[t].se - ref.agg[t].se)).toBeLessThan(SE)
    data.aggregations.group.points.forEach((p: any, k: number) => expect(Math.abs(p.se - ref.agg.group.points[k].se)).toBeLessThan(SE))
    // Clustering changes the se (it would not if it were ignored).
    expect(Math.abs(f.se - fixture.notyet_varying.agg.simple.se)).toBeGreaterThan(1e-3)
  })

  test('the clustered bootstrap agrees with the clustered analytic se', async () => {
    const { result } = await run(await model(withState, { cluster: 'state' }), { covariates: [], control: 'not-yet' })
    const rows = attgtRows(result)
    const rel = rows.map((r) => Math.abs(r[4] / r[7] - 1))
    expect(rel.reduce((a, b) => a + b, 0) / rel.length).toBeLessThan(0.05)
    expect(Math.abs(result.facts!.se / fixture.clustered.agg.simple.se - 1)).toBeLessThan(0.15)
  })

  test('a cluster variable that changes within a unit is refused', async () => {
    const bad = withState.withColumn('state', { type: 'number', data: Float64Array.from(state, (v, i) => (i === 3 ? v + 1 : v)) })
    const e = await quasiError(run(await model(bad, { cluster: 'state' }), { covariates: [], bootstrap: 0 }))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['model'])
    expect(e.message).toMatch(/changes within 1 unit \(first: `u001`\)/)
  })
})

describe('multiplier bootstrap', () => {
  test('bootstrap se within 5 % of the analytic se (999 draws), uniform band wider than pointwise, byte-identical reruns', async () => {
    const up = await model(base, { controls: ['x1'] })
    const analytic = (await run(up, { bootstrap: 0 })).result
    const { result } = await run(up)
    const again = (await run(up)).result
    for (const f of Object.keys(result.files!)) expect(again.files![f]).toBe(result.files![f])
    expect(again.facts).toEqual(result.facts)
    const keys = Object.keys(analytic.facts!).filter((k) => k === 'se' || k.startsWith('se('))
    expect(keys.length).toBeGreaterThan(10)
    // data keeps the analytic se beside the bootstrap one
    const g = (result.data as any).aggregations.group
    expect(g.se_analytic).toBe((analytic.data as any).aggregations.group.se)
    expect(g.se).not.toBe(g.se_analytic)
    // The bootstrap se is an interquartile range over 999 draws (as did's mboot): its relative
    // sampling sd is about 3.7 %, so single columns may stray further than 5 %; their mean may not.
    const rel = keys.map((k) => Math.abs(result.facts![k] / analytic.facts![k] - 1))
    // (test/unit/stats/csdid/bootstrap.test.ts checks the simple ATT's over ten seeds.)
    expect(rel.reduce((s, x) => s + x, 0) / rel.length).toBeLessThan(0.05)
    expect(Math.max(...rel)).toBeLessThan(0.15)
    // ATT(g,t): bootstrap se beside the analytic one, a uniform band over all cells.
    const cells = attgtRows(result)
    const relCell = cells.map((c) => Math.abs(c[4] / c[7] - 1))
    expect(relCell.reduce((a, b) => a + b, 0) / relCell.length).toBeLessThan(0.05)
    expect(Math.max(...relCell)).toBeLessThan(0.15)
    expect(result.facts!['crit(attgt)']).toBeGreaterThan(result.facts!.crit)
    cells.forEach((c) => expect(c[6] - c[5]).toBeCloseTo(2 * result.facts!['crit(attgt)'] * c[4], 10))
    expect((result.data as any).attgt_band).toBe('uniform')
    const es = (result.data as any).event_study
    expect(es.band).toBe('uniform')
    expect(result.facts!.crit).toBeGreaterThan(2.2)
    expect(result.facts!.crit).toBeLessThan(4)
    const p = es.periods.find((x: any) => x.k === 0)
    expect(p.high - p.low).toBeCloseTo(2 * result.facts!.crit * p.std_error, 10)
    // Another seed: other draws.
    const other = (await run(up, {}, 2)).result
    expect(other.facts!.se).not.toBe(result.facts!.se)
    // Rademacher weights work too and agree as well.
    const rad = (await run(up, { multiplier: 'rademacher' })).result
    expect(Math.abs(rad.facts!.se / analytic.facts!.se - 1)).toBeLessThan(0.15)
    expect(rad.facts!.se).not.toBe(result.facts!.se)
  })
})

test('a 0/1 treatment that stays on gives the same ATT(g,t) as the adoption column', async () => {
  const adopt = base.numbers('adopt'), year = base.numbers('year')
  const D = Float64Array.from(adopt, (a, i) => (!Number.isNaN(a) && year[i] >= a ? 1 : 0))
  const a = await run(await model(base), { covariates: ['x1'], bootstrap: 0 })
  const b = await run(await model(base.withColumn('D', { type: 'number', data: D }), { treatment: 'D' }), { covariates: ['x1'], bootstrap: 0 })
  expect(b.result.files!['attgt.csv']).toBe(a.result.files!['attgt.csv'])
  expect(Math.abs(a.result.facts!.att - fixture.dr_never_x1.agg.simple.att)).toBeLessThan(EST)
})

describe('outputs', () => {
  test('tables in four formats per aggregation, the figure, attgt.csv', async () => {
    const { result } = await run(await model(base), { covariates: [], aggregate: ['simple', 'dynamic', 'group', 'calendar'], bootstrap: 99 })
    for (const a of ['simple', 'dynamic', 'group', 'calendar']) for (const ext of ['md', 'tex', 'html', 'csv']) expect(typeof result.files![`${a}.${ext}`]).toBe('string')
    expect(result.files!['event_study.svg']).toMatch(/<svg/)
    expect(result.files!['dynamic.md']).toContain('95 % uniform band')
    expect(result.files!['group.csv']).toMatch(/^Group,ATT,Std. error,95 % uniform band\n2004,/)
    expect(result.facts!['crit(group)']).toBeGreaterThan(1.96)
    expect(result.facts!['crit(calendar)']).toBeGreaterThan(result.facts!['crit(group)'])
    expect(result.facts!.cells).toBe(3 * 12)
  })

  test('without the dynamic aggregation there is no figure and no event_study block', async () => {
    const { result } = await run(await model(base), { covariates: [], aggregate: ['simple'], bootstrap: 0 })
    expect(result.files!['event_study.svg']).toBeUndefined()
    expect((result.data as any).event_study).toBeUndefined()
  })
})

describe('bad input', () => {
  const unit = base.column('unit')!.data as string[], year = base.numbers('year')
  const adopt = base.numbers('adopt')
  const withAdopt = (f: (i: number) => number) => base.withColumn('adopt', { type: 'number', data: Float64Array.from(adopt, (_, i) => f(i)) })

  test('control: never without never-treated units suggests not-yet', async () => {
    const f = base.filter(Array.from(adopt, (a) => !Number.isNaN(a)))
    const e = await quasiError(run(await model(f), { covariates: [], bootstrap: 0 }))
    expect(e.code).toBe('NO_VARIATION')
    expect(e.param).toEqual(['control'])
    expect(e.hint).toMatch(/control: not-yet/)
    // not-yet works: the last cohort becomes the comparison group.
    const { ctx } = await run(await model(f), { covariates: [], bootstrap: 0, control: 'not-yet' })
    expect(ctx.logs.some((l) => /last group \(2010\) is the comparison group/.test(l.message))).toBe(true)
  })

  test('a cohort treated in the first period is dropped with a warning', async () => {
    const f = withAdopt((i) => (unit[i] === 'u001' || unit[i] === 'u002' ? 2000 : adopt[i]))
    const { result, ctx } = await run(await model(f), { covariates: [], bootstrap: 0 })
    expect(ctx.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([expect.stringMatching(/group 2000 \(2 units\) is treated in the first period 2000: it has no pre-treatment period/)])
    expect((result.data as any).units).toBe(598)
  })

  test('an adoption date that changes within a unit names the units', async () => {
    const f = withAdopt((i) => (unit[i] === 'u005' && year[i] >= 2011 ? 2008 : adopt[i]))
    const e = await quasiError(run(await model(f), { covariates: [], bootstrap: 0 }))
    expect(e.code).toBe('BAD_DATA')
    expect(e.param).toEqual(['model'])
    expect(e.message).toMatch(/adoption period `adopt` is not constant within 1 unit: `u005`/)
  })

  test('a 0/1 treatment that switches off names the units', async () => {
    const D = Float64Array.from(adopt, (a, i) => (!Number.isNaN(a) && year[i] >= a ? 1 : 0))
    const first = unit.findIndex((u, i) => D[i] === 1)
    const u = unit[first]
    for (let i = 0; i < D.length; i++) if (unit[i] === u && year[i] === 2012) D[i] = 0
    const e = await quasiError(run(await model(base.withColumn('D', { type: 'number', data: D }), { treatment: 'D' }), { covariates: [], bootstrap: 0 }))
    expect(e.code).toBe('BAD_DATA')
    expect(e.message).toContain(`switches off in 1 unit: \`${u}\``)
    expect(e.hint).toMatch(/once on, stays on/)
  })

  test('an unbalanced panel', async () => {
    const e = await quasiError(run(await model(base.filter(Array.from(year, (_, i) => i !== 5))), { covariates: [], bootstrap: 0 }))
    expect(e.code).toBe('UNBALANCED_PANEL')
    expect(e.param).toEqual(['model'])
    expect(e.message).toMatch(/unit `u001` has no row for period 2005/)
  })

  test('collinear covariates are SINGULAR_DESIGN at `covariates`', async () => {
    const f = base.withColumn('x1b', { type: 'number', data: Float64Array.from(base.numbers('x1'), (v) => 2 * v) })
    const e = await quasiError(run(await model(f), { covariates: ['x1', 'x1b'], bootstrap: 0 }))
    expect(e.code).toBe('SINGULAR_DESIGN')
    expect(e.param).toEqual(['covariates'])
  })

  test('with anticipation, a group treated by the first period plus anticipation is dropped with a warning', async () => {
    const f = withAdopt((i) => (unit[i] === 'u001' || unit[i] === 'u002' ? 2002 : adopt[i]))
    const { result, ctx } = await run(await model(f), { covariates: [], bootstrap: 0, anticipation: 2 })
    expect(ctx.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([expect.stringMatching(/group 2002 \(2 units\) is treated by period 2002 \(the first period 2000 plus the anticipation 2\): it has no pre-treatment period/)])
    expect((result.data as any).groups).toEqual([2004, 2007, 2010])
    expect((result.data as any).units).toBe(598)
    expect((result.data as any).attgt.some((c: any) => c.group === 2002)).toBe(false)
  })

  test('an event-time window with nothing in it is refused at its parameter', async () => {
    const e = await quasiError(run(await model(base), { covariates: [], bootstrap: 0, min_e: 20 }))
    expect(e.code).toBe('NO_VARIATION')
    expect(e.param).toEqual(['min_e'])
  })

  test('a covariate that is not a column', async () => {
    const e = await quasiError(run(await model(base), { covariates: ['x1', 'nope'], bootstrap: 0 }))
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.param).toEqual(['covariates', 1])
  })
})
