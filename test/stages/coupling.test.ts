/**
 * coupling against a hand computation in R (test/fixtures/coupling/make.R) on the bundled US
 * states panel: u, C, T, D, entropy, divergence and weights to 1e-10, the classes and the
 * lagging subsystem exactly, in six cases (min–max with and without shift and a constant
 * indicator, ratio, weights per period, a given index column, unequal α); then the files,
 * facts, the frame later stages read, and the errors.
 */
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, test } from 'vitest'
import { Frame, numberColumn } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import { factDeclared } from '../../src/pipeline/facts.ts'
import coupling from '../../stages/coupling/stage.ts'
import type { CouplingParams } from '../../stages/coupling/params.ts'
import { csvRecords } from '../helpers/csv.ts'
import { makeTestContext } from '../helpers/context.ts'
import { readCsvFrame } from '../unit/stats/helpers.ts'

interface RCase {
  name: string
  weights: { subsystem: string[]; indicator: string[]; direction: string[]; period: string[]; entropy: number[]; divergence: number[]; weight: number[] }
  u: Record<string, number[]>
  C: number[]; T: number[]; D: number[]; level: number[]; class: string[]; lagging: string[]
}
const ref: { cases: RCase[] } = JSON.parse(readFileSync(new URL('../fixtures/coupling/reference.json', import.meta.url), 'utf8'))
const refCase = (name: string) => ref.cases.find((c) => c.name === name)!

const base = readCsvFrame('pipelines/data/produc.csv')
const pcap = base.numbers('pcap')
const maxPcap = pcap.reduce((a, b) => Math.max(a, b), -Infinity)
const frame = base
  .withColumn('flat', numberColumn(new Float64Array(base.nrows).fill(5)))
  .withColumn('given', numberColumn(Float64Array.from(pcap, (v) => v / maxPcap)))
const panel = { unit: 'state', time: 'year' }

const three = { infra: ['hwy', 'water', 'util'], economy: { positive: ['gsp', 'pc'] }, labour: { positive: ['emp'], negative: ['unemp'] } }
const cases: Record<string, Partial<CouplingParams>> = {
  'min-max': { subsystems: three },
  shift: { subsystems: { ...three, economy: { positive: ['gsp', 'pc', 'flat'] } }, shift: 0.0001 },
  ratio: { subsystems: three, normalization: 'ratio' },
  period: { subsystems: three, pool: 'period' },
  given: { subsystems: { infra: ['hwy', 'water', 'util'], capital: 'given' } },
  alpha: { subsystems: three, alpha: [0.5, 0.3, 0.2], tolerance: 0.05 },
}

/** The formulas are a few sums and logs in each tool; the fixture holds 15 significant digits. */
const TOL = 1e-10

async function run(params: Partial<CouplingParams>, input: Frame = frame, opts: { panel?: typeof panel | null } = {}) {
  const ctx = makeTestContext<CouplingParams>({
    params: { from: 'vars', normalization: 'min-max', shift: 0, pool: 'panel', tolerance: 0.1, ...params } as CouplingParams,
    inputs: { vars: input }, ...(opts.panel === null ? {} : { panel: opts.panel ?? panel }), stage: 'ccd', kind: 'coupling',
  })
  const r = await coupling.run(ctx)
  return { frame: r.frame!, files: r.files as Record<string, string>, facts: r.facts!, logs: ctx.logs }
}

const worst = new Map<string, { abs: number; rel: number }>()
function close(got: number, want: number, quantity: string, label: string) {
  const abs = Math.abs(got - want)
  const rel = want === 0 ? abs : abs / Math.abs(want)
  const w = worst.get(quantity) ?? { abs: 0, rel: 0 }
  worst.set(quantity, { abs: Math.max(w.abs, abs), rel: Math.max(w.rel, rel) })
  expect(Math.min(abs, rel), `${label}: got ${got}, expected ${want}, Δ ${abs.toExponential(2)}, tol ${TOL}`).toBeLessThanOrEqual(TOL)
}
afterAll(() => {
  if (process.env.QUASI_REPORT_WORST) console.log([...worst].map(([k, v]) => `${k}: abs ${v.abs.toExponential(1)}, rel ${v.rel.toExponential(1)}`).join('\n'))
})

describe('against R', () => {
  for (const [name, params] of Object.entries(cases)) {
    test(name, async () => {
      const want = refCase(name)
      const { frame: out, files } = await run(params)
      for (const [s, u] of Object.entries(want.u)) {
        const got = out.numbers(`u_${s}`)
        u.forEach((v, i) => close(got[i], v, 'u', `${name} u_${s}[${i + 1}]`))
      }
      for (const k of ['C', 'T', 'D'] as const) {
        const got = out.numbers(k)
        want[k].forEach((v, i) => close(got[i], v, k, `${name} ${k}[${i + 1}]`))
      }
      expect(out.strings('D_class')).toEqual(want.class)
      expect(Array.from(out.numbers('D_level'))).toEqual(want.level)
      expect(out.strings('lagging')).toEqual(want.lagging)
      const w = csvRecords(files['weights.csv'])
      expect(w.length).toBe(want.weights.weight.length)
      w.forEach((row, j) => {
        expect([row.subsystem, row.indicator, row.direction, row.period]).toEqual([want.weights.subsystem[j], want.weights.indicator[j], want.weights.direction[j], want.weights.period[j]])
        for (const q of ['entropy', 'divergence', 'weight'] as const) close(Number(row[q]), want.weights[q][j], q, `${name} ${q} ${row.subsystem}/${row.indicator}/${row.period}`)
      })
    })
  }

  test('the classes and the lagging subsystem vary across the panel (the exact comparisons bite)', () => {
    const r = refCase('min-max')
    expect(new Set(r.class).size).toBeGreaterThanOrEqual(8)
    expect(new Set(r.lagging)).toEqual(new Set(['infra', 'economy', 'labour', 'synchronous']))
  })
})

describe('files and facts', () => {
  test('weights.csv flags the constant indicator with weight 0', async () => {
    const { files } = await run(cases.shift)
    const flat = csvRecords(files['weights.csv']).find((r) => r.indicator === 'flat')!
    expect(flat).toMatchObject({ subsystem: 'economy', direction: 'positive', period: 'all', n: '816', entropy: '1', divergence: '0', weight: '0', constant: 'true' })
  })

  test('facts: means, weights, shares of the levels and of the lagging subsystem', async () => {
    const want = refCase('min-max')
    const { facts } = await run({ ...cases['min-max'], by: 'region' })
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    expect(facts.rows).toBe(816)
    expect(facts.units).toBe(48)
    expect(facts.subsystems).toBe(3)
    close(facts['mean(D)'], mean(want.D), 'mean', 'mean(D)')
    close(facts['mean(u_labour)'], mean(want.u.labour), 'mean', 'mean(u_labour)')
    const y1986 = base.numbers('year').reduce<number[]>((acc, y, i) => (y === 1986 ? [...acc, want.D[i]] : acc), [])
    close(facts['mean(D,1986)'], mean(y1986), 'mean', 'mean(D,1986)')
    close(facts['weight(labour,unemp)'], want.weights.weight[6], 'weight', 'weight(labour,unemp)')
    for (let k = 1; k <= 10; k++) expect(facts[`share(${k})`], `share(${k})`).toBe(want.level.filter((l) => l === k).length / 816)
    for (const s of ['infra', 'economy', 'labour']) expect(facts[`lagging(${s})`]).toBe(want.lagging.filter((l) => l === s).length / 816)
    expect(facts.synchronous).toBe(want.lagging.filter((l) => l === 'synchronous').length / 816)
    const region = base.numbers('region')
    const r5 = want.D.filter((_, i) => region[i] === 5)
    close(facts['mean(D,region5)'], mean(r5), 'mean', 'mean(D,region5)')
    for (const f of Object.keys(facts)) expect(factDeclared(f.replace(/\s+/g, ''), coupling.facts!), f).toBe(true)
  })

  test('per-period weights give weight(<subsystem>, <indicator>, <period>)', async () => {
    const want = refCase('period')
    const { facts } = await run(cases.period)
    const j = want.weights.period.findIndex((p, k) => p === '1975' && want.weights.indicator[k] === 'water')
    close(facts['weight(infra,water,1975)'], want.weights.weight[j], 'weight', 'weight(infra,water,1975)')
    expect(facts['weight(infra,water)']).toBeUndefined()
  })

  test('the means table: one row per year and All, mean D per region; the figure: a line per region', async () => {
    const want = refCase('min-max')
    const { files } = await run({ ...cases['min-max'], by: 'region' })
    const rows = files['means.csv'].trim().split('\n')
    expect(rows[1]).toBe('year,infra,economy,labour,C,T,D,region 1,region 2,region 3,region 4,region 5,region 6,region 7,region 8,region 9')
    expect(rows.length).toBe(2 + 17 + 1)
    const all = rows[rows.length - 1].split(',')
    expect(all[0]).toBe('All')
    expect(all[6]).toBe((want.D.reduce((a, b) => a + b, 0) / 816).toFixed(4))
    for (const ext of ['md', 'tex', 'html']) expect(files[`means.${ext}`]).toContain('Subsystem index u')
    expect(files['means.md']).toContain('Indices u by the entropy weight method (min–max normalisation, weights over all periods); α equal.')
    const given = await run({ ...cases.given, alpha: { infra: 0.4, capital: 0.6 } })
    expect(given.files['means.md']).toContain('weights over all periods); given indices: capital (`given`); α infra 0.4, capital 0.6.')
    const svg = files['ccd.svg']
    expect(svg).toMatch(/^<svg/)
    expect(svg).toContain('Coupling coordination degree by year and region')
    expect(svg).toContain('with 10 values: All, region 1, region 2')
  })

  test('the frame gains the columns a later stage reads (D as an outcome), and keeps the others', async () => {
    const { frame: out } = await run(cases['min-max'])
    expect(out.names).toEqual([...frame.names, 'u_infra', 'u_economy', 'u_labour', 'C', 'T', 'D', 'D_class', 'D_level', 'lagging'])
    expect(out.nrows).toBe(frame.nrows)
    const known = coupling.columns!({ from: 'vars', ...cases['min-max'] } as CouplingParams, { input: () => frame.names, header: () => undefined })
    expect(known.columns).toEqual(out.names)
    expect(known.errors).toEqual([])
  })

  test('text groups are ordered by value and named by it; a column already there is replaced with a warning', async () => {
    const region = base.numbers('region')
    const names = Array.from(region, (r) => (r <= 3 ? 'north' : r <= 6 ? 'central' : 'south'))
    const input = frame.withColumn('area', { type: 'string', data: names }).withColumn('D', numberColumn(new Float64Array(frame.nrows)))
    const { files, facts, logs, frame: out } = await run({ ...cases['min-max'], by: 'area' }, input)
    expect(files['means.csv'].split('\n')[1]).toBe('year,infra,economy,labour,C,T,D,central,north,south')
    const want = refCase('min-max')
    const north = want.D.filter((_, i) => names[i] === 'north')
    close(facts['mean(D,north)'], north.reduce((a, b) => a + b, 0) / north.length, 'mean', 'mean(D,north)')
    expect(logs).toContainEqual({ level: 'warn', message: 'replaced column of `vars`: D' })
    close(out.numbers('D')[0], want.D[0], 'D', 'replaced D[1]')
  })

  test('the same input gives the same bytes', async () => {
    const a = await run({ ...cases.period, by: 'region' })
    const b = await run({ ...cases.period, by: 'region' })
    expect(a.files).toEqual(b.files)
    expect(a.facts).toEqual(b.facts)
  })

  test('a row with a missing indicator gets no u, D or class, and is counted', async () => {
    const gsp = Float64Array.from(frame.numbers('gsp'))
    gsp[3] = NaN
    const { frame: out, facts, logs } = await run(cases['min-max'], frame.withColumn('gsp', numberColumn(gsp)))
    expect(out.numbers('u_economy')[3]).toBeNaN()
    expect(out.numbers('u_infra')[3]).not.toBeNaN()
    expect(out.numbers('D')[3]).toBeNaN()
    expect(out.strings('D_class')[3]).toBeNull()
    expect(out.strings('lagging')[3]).toBeNull()
    expect(facts.rows).toBe(815)
    expect(logs.some((l) => l.level === 'warn' && l.message.includes('1 row without D'))).toBe(true)
  })
})

describe('bad input', () => {
  async function fails(params: Partial<CouplingParams>, input: Frame = frame): Promise<QuasiError> {
    try {
      await run(params, input)
    } catch (e) {
      expect(e).toBeInstanceOf(QuasiError)
      return e as QuasiError
    }
    throw new Error('expected the stage to fail')
  }

  test('a subsystem whose indicators are all constant', async () => {
    const e = await fails({ subsystems: { infra: ['hwy'], still: ['flat'] } })
    expect(e.code).toBe('BAD_DATA')
    expect(e.exitStatus).toBe(2)
    expect(e.message).toContain('subsystem `still`: every indicator is constant (`flat`)')
    expect(e.param).toEqual(['subsystems', 'still'])
  })

  test('constant within a period under pool: period names the period', async () => {
    const year = frame.numbers('year')
    const x = Float64Array.from(year, (y, i) => (y === 1975 ? 1 : i))
    const e = await fails({ subsystems: { infra: ['hwy'], x: ['x'] }, pool: 'period' }, frame.withColumn('x', numberColumn(x)))
    expect(e.message).toContain('every indicator is constant in period 1975')
    expect(e.hint).toContain('pool: panel')
  })

  test('ratio normalisation of a negative value, and of a 0 in a negative indicator', async () => {
    const hwy = Float64Array.from(frame.numbers('hwy'))
    hwy[9] = -1
    const e = await fails({ subsystems: three, normalization: 'ratio' }, frame.withColumn('hwy', numberColumn(hwy)))
    expect(e.code).toBe('BAD_DATA')
    expect(e.message).toBe('subsystem `infra`: `hwy` is -1 in row 10; ratio normalisation of a positive indicator needs values ≥ 0 (x/max)')
    expect(e.param).toEqual(['subsystems', 'infra', 0])
    const unemp = Float64Array.from(frame.numbers('unemp'))
    unemp[0] = 0
    const z = await fails({ subsystems: three, normalization: 'ratio' }, frame.withColumn('unemp', numberColumn(unemp)))
    expect(z.message).toContain('`unemp` is 0 in row 1; ratio normalisation of a negative indicator needs positive values (min/x)')
    expect(z.param).toEqual(['subsystems', 'labour', 'negative', 0])
    // min–max takes the same values
    await expect(run({ subsystems: three }, frame.withColumn('hwy', numberColumn(hwy)))).resolves.toBeDefined()
  })

  test('a given index outside [0, 1]', async () => {
    const e = await fails({ subsystems: { infra: ['hwy'], capital: 'pcap' } })
    expect(e.code).toBe('BAD_DATA')
    expect(e.message).toBe('subsystem `capital`: the given index `pcap` is 15032.67 in row 1, outside [0, 1]')
    expect(e.hint).toContain('[pcap]')
  })

  test('a text indicator, and no time', async () => {
    const e = await fails({ subsystems: { infra: ['hwy'], s: ['state'] } })
    expect(e.message).toContain('`state` is a text column of stage `vars`')
    await expect(run({ subsystems: three }, frame, { panel: null })).rejects.toThrow('coupling needs a time column')
  })

  test('check: α that does not sum to 1, has the wrong length or names, shift with ratio, an indicator twice', () => {
    const check = (p: Partial<CouplingParams>) => coupling.check!({ from: 'vars', normalization: 'min-max', shift: 0, pool: 'panel', tolerance: 0.1, subsystems: three, ...p } as CouplingParams)
    expect(check({})).toEqual([])
    expect(check({ alpha: [0.3, 0.3, 0.4] })).toEqual([])
    const sum = check({ alpha: [0.5, 0.3, 0.3] })
    expect(sum.map((e) => [e.code, e.message, e.param])).toEqual([['INVALID_VALUE', 'the weights in `alpha` sum to 1.1, not 1', ['alpha']]])
    expect(check({ alpha: [0.5, 0.5] })[0].message).toBe('`alpha` has 2 weights for 3 subsystems')
    const named = check({ alpha: { infra: 0.5, economi: 0.3, labour: 0.2 } })
    expect(named.map((e) => e.message)).toEqual(['`alpha` names `economi`, which is not a subsystem; did you mean `economy`?', '`alpha` gives no weight to `economy`'])
    expect(check({ alpha: { infra: 0.5, economy: 0.3, labour: 0.2 } })).toEqual([])
    expect(check({ normalization: 'ratio', shift: 0.0001 })[0].param).toEqual(['shift'])
    const twice = check({ subsystems: { a: { positive: ['x'], negative: ['x'] }, b: ['y'] } })
    expect(twice.map((e) => [e.message, e.param])).toEqual([['indicator `x` appears twice in subsystem `a` (positive and negative)', ['subsystems', 'a', 'negative', 0]]])
    expect(check({ subsystems: { synchronous: ['x'], b: ['y'] } })[0].param).toEqual(['subsystems', 'synchronous'])
    expect(check({ subsystems: { a: ['x'] } }).map((e) => [e.message, e.param])).toEqual([['`subsystems` names only `a`; coupling needs at least 2', ['subsystems']]])
  })

  test('columns: an unknown indicator is named at its place, with a suggestion', () => {
    const r = coupling.columns!({ from: 'vars', subsystems: { infra: ['hwy', 'watr'], economy: { negative: ['unemp', 'gps'] } } } as unknown as CouplingParams, { input: () => frame.names, header: () => undefined })
    expect(r.errors.map((e) => [e.code, e.message, e.param])).toEqual([
      ['MISSING_COLUMN', 'unknown column `watr`; did you mean `water`?', ['subsystems', 'infra', 1]],
      ['MISSING_COLUMN', 'unknown column `gps`; did you mean `gsp`?', ['subsystems', 'economy', 'negative', 1]],
    ])
  })
})
