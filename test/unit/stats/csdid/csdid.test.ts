/**
 * The Callaway–Sant'Anna kernel (src/stats/csdid) on the shared staggered panel against the R
 * reference written out from the papers (test/fixtures/cs-did/make.R): every ATT(g,t) and
 * aggregation within 1e-8, analytic standard errors within 1e-6; and, for the estimators
 * with x1, recovery of the true ATT(g,t) (test/fixtures/staggered/truth.csv).
 */
import { describe, expect, test } from 'vitest'
import { aggregate, type AggregationType } from '../../../../src/stats/csdid/aggregate.ts'
import { attGt, type AttGtOptions } from '../../../../src/stats/csdid/attgt.ts'
import { estimate2x2, type CsMethod } from '../../../../src/stats/csdid/dr.ts'
import { csPanel } from '../../../../src/stats/csdid/panel.ts'
import fixture from '../../../fixtures/cs-did/cs-did.json' with { type: 'json' }
import { readCsvFrame } from '../helpers.ts'

const frame = readCsvFrame('test/fixtures/staggered/panel.csv')
const truth = readCsvFrame('test/fixtures/staggered/truth.csv')
const EST = 1e-8, SE = 1e-6

// The time-varying covariate of make.R: x1 (year − 2000)/10 + x2 sin(year).
const year = frame.numbers('year'), x1 = frame.numbers('x1'), x2 = frame.numbers('x2')
const columns: Record<string, Float64Array> = {
  x1, x2, xt: Float64Array.from(year, (t, i) => x1[i] * (t - 2000) / 10 + x2[i] * Math.sin(t)),
}

function panel(covs: readonly string[]) {
  return csPanel({
    unit: { name: 'unit', values: frame.column('unit')!.data as ArrayLike<unknown> },
    time: { name: 'year', values: frame.numbers('year') },
    outcome: { name: 'y', values: frame.numbers('y') },
    treatment: { name: 'adopt', values: frame.numbers('adopt'), kind: 'adoption' },
    covariates: covs.map((c) => ({ name: c, values: columns[c] })),
  })
}

type Config = { control: string; base: string; anticipation: number; method: string; covariates: string[] | string }
const configs = Object.entries(fixture).filter(([k]) => k !== 'R' && k !== 'balanced' && k !== 'trim_cell' && k !== 'clustered') as [string, Config & { attgt: any[]; agg: any }][]

function run(c: Config) {
  const covs = Array.isArray(c.covariates) ? c.covariates : [c.covariates]
  const opts: AttGtOptions = { control: c.control as AttGtOptions['control'], base: c.base as AttGtOptions['base'], anticipation: c.anticipation, method: c.method as CsMethod }
  return attGt(panel(covs), opts)
}

const diff = (a: number, b: number | null) => (b === null ? (Number.isNaN(a) ? 0 : Infinity) : Math.abs(a - b))

describe.each(configs)('%s against R', (_name, ref) => {
  const r = run(ref)
  test('every ATT(g,t): estimate 1e-8, analytic se 1e-6, comparison counts', () => {
    expect(r.cells.map((c) => `${c.group}/${c.time}`)).toEqual(ref.attgt.map((c) => `${c.group}/${c.time}`))
    let e = 0, s = 0
    r.cells.forEach((c, k) => {
      e = Math.max(e, diff(c.att, ref.attgt[k].att))
      s = Math.max(s, diff(c.se, ref.attgt[k].se))
      expect(c.controls).toBe(ref.attgt[k].controls)
    })
    expect(e).toBeLessThan(EST)
    expect(s).toBeLessThan(SE)
  })
  test.each(['simple', 'dynamic', 'group', 'calendar'] as AggregationType[])('%s aggregation', (type) => {
    const a = aggregate(r, type)
    const want = ref.agg[type]
    expect(diff(a.overall.att, want.att)).toBeLessThan(EST)
    expect(diff(a.overall.se, want.se)).toBeLessThan(SE)
    if (type === 'simple') return
    const key = type === 'dynamic' ? 'e' : type === 'group' ? 'g' : 't'
    expect(a.points.map((p) => p.key)).toEqual(want.points.map((p: any) => p[key]))
    a.points.forEach((p, k) => {
      expect(diff(p.att, want.points[k].att)).toBeLessThan(EST)
      expect(diff(p.se, want.points[k].se)).toBeLessThan(SE)
    })
  })
})

test('dynamic aggregation with balance_e = 2, min_e = -3, max_e = 4', () => {
  const ref = fixture.balanced.dynamic
  const a = aggregate(run(fixture.notyet_varying as unknown as Config), 'dynamic', { balance_e: 2, min_e: -3, max_e: 4 })
  expect(a.points.map((p) => p.key)).toEqual(ref.points.map((p) => p.e))
  a.points.forEach((p, k) => {
    expect(diff(p.att, ref.points[k].att)).toBeLessThan(EST)
    expect(diff(p.se, ref.points[k].se)).toBeLessThan(SE)
  })
  expect(diff(a.overall.att, ref.att)).toBeLessThan(EST)
  expect(diff(a.overall.se, ref.se)).toBeLessThan(SE)
})

describe('recovery of the true ATT(g,t) (trends conditional on x1)', () => {
  const t = new Map<string, number>()
  for (let i = 0; i < truth.nrows; i++) t.set(`${truth.numbers('g')[i]}/${truth.numbers('t')[i]}`, truth.numbers('att')[i])
  /** Mean over post-treatment cells of the squared t-statistic of (estimate − truth). */
  const misfit = (r: ReturnType<typeof run>) => {
    const post = r.cells.filter((c) => c.group <= c.time)
    return post.reduce((s, c) => s + ((c.att - t.get(`${c.group}/${c.time}`)!) / c.se) ** 2, 0) / post.length
  }
  const base = { control: 'never', base: 'varying', anticipation: 0 }
  test.each(['dr', 'ipw', 'reg'])('%s with x1 is centred on the truth; without covariates it is not', (method) => {
    const withX = misfit(run({ ...base, method, covariates: ['x1'] }))
    const without = misfit(run({ ...base, method: 'none', covariates: [] }))
    // Under correct centring E[z²] ≈ 1 (cells are correlated, so allow some room); here 0.76 (dr), 0.82 (ipw), 0.76 (reg) against 4.4 without x1.
    expect(withX).toBeLessThan(1.5)
    expect(without).toBeGreaterThan(3)
  })
})

test.each(['ipw', 'dr'] as const)('%s: comparison units with a propensity score ≥ 0.995 are trimmed as DRDID does', (method) => {
  const c = fixture.trim_cell
  const n = c.dy.length
  const x = new Float64Array(2 * n)
  c.x.forEach((v, i) => { x[2 * i] = 1; x[2 * i + 1] = v })
  const est = estimate2x2({ dy: Float64Array.from(c.dy), d: Uint8Array.from(c.d), x, k: 2 }, method)
  expect(c[method].trimmed).toBe(2)
  expect(Math.abs(est.att - c[method].att)).toBeLessThan(EST)
  expect(Math.abs(Math.sqrt(est.inf.reduce((s, v) => s + v * v, 0)) / n - c[method].se)).toBeLessThan(SE)
})
