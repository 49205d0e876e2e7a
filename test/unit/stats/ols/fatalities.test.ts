/**
 * The four variance conventions (nested, full, slopes, cr0), interactions and linear
 * hypotheses against R on the traffic-fatalities panel (AER::Fatalities, 48 states × 7 years).
 * Fixture: test/fixtures/regress/fatalities.json, written by test/fixtures/regress/make.R
 * (lm with dummies, sandwich, plm, car; versions in its header). The data are read from
 * test/fixtures/regress/fatalities.csv by the project's own CSV reader.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { readCsv } from '../../../../src/artifacts/csv.ts'
import type { Frame } from '../../../../src/artifacts/frame.ts'
import { chisqPValue, fPValue } from '../../../../src/stats/dist.ts'
import { parseHypothesis, waldTest } from '../../../../src/stats/ols/hypothesis.ts'
import { regress, term } from '../../../../src/stats/ols/regress.ts'
import { expandRegressors, withInteractionColumns } from '../../../../src/stats/ols/terms.ts'
import type { RegressionResult, RegressionSpec } from '../../../../src/stats/ols/types.ts'
import fixture from '../../../fixtures/regress/fatalities.json' with { type: 'json' }
import { expectClose, root } from '../helpers.ts'

/** The acceptance tolerances (relative): coefficients 1e-8; SEs, Wald statistics and p 1e-6. */
const COEF_REL = 1e-8
const SE_REL = 1e-6
const WALD_REL = 1e-6
/** p of the t tests: as in the Produc suite, tiny p compared absolutely. */
const P_TOL = { rel: 1e-6, abs: 1e-14 }

interface VcovCase {
  vcov: 'iid' | 'hc1' | 'cluster'; small_sample: 'nested' | 'full' | 'slopes' | 'cr0'; cluster: string[]
  K: number | null; df_t: number; n_clusters: number[]; se: Record<string, number>; p: Record<string, number>; routes: string[]
}
interface HypothesisCase {
  text: string; vcov: VcovCase['vcov']; small_sample: VcovCase['small_sample']; q: number; R: number[][]; r: number[]
  estimate: number | null; std_error: number | null; f: number; df_num: number; df_den: number; p_f: number
  chi2: number; p_chi2: number; car_f: number; car_df_den: number; car_p_f: number
}
interface Model {
  id: string; note: string
  spec: { outcome: string; regressors: string[]; fixed_effects: string[]; cluster: string }
  terms: string[]; nobs: number; coef: Record<string, number>
  fe_rank: number; k_full: number; k_nested: number; k_slopes: number; df_residual: number
  n_clusters: number; nested: Record<string, boolean>
  vcov: VcovCase[]; hypotheses: HypothesisCase[]
}
const fx = fixture as unknown as {
  header: Record<string, string | number>
  models: Model[]
  expand: { specs: string[]; terms: string[] }[]
  tails: { fn: string; x: number; df: number; df2?: number; value: number }[]
}

const csvFile = String(fx.header.data)

test('the fixture was made from fatalities.csv as it is now', () => {
  const md5 = createHash('md5').update(readFileSync(root + csvFile)).digest('hex')
  expect(md5, `${csvFile} changed since fatalities.json was written: re-run Rscript test/fixtures/regress/make.R`).toBe(fx.header.md5)
})

function fatalities(): Frame {
  const { frame } = readCsv(readFileSync(root + csvFile, 'utf8'), { file: csvFile })
  const fatal = frame.numbers('fatal'), pop = frame.numbers('pop')
  // frate = fatal / pop * 10000, in R's order of operations
  return frame.withColumn('frate', { type: 'number', data: fatal.map((f, i) => (f / pop[i]) * 10000) })
}
const data = fatalities()

function specOf(m: Model, v: { vcov: VcovCase['vcov']; small_sample: VcovCase['small_sample'] }, terms: readonly string[]): RegressionSpec {
  return {
    outcome: m.spec.outcome,
    regressors: terms,
    fixedEffects: m.spec.fixed_effects,
    cluster: v.vcov === 'cluster' ? [m.spec.cluster] : [],
    vcov: v.vcov,
    smallSample: v.small_sample,
    singletons: 'keep', // no singletons in a balanced panel; lm keeps them anyway
  }
}

describe.each(fx.models.map((m) => [m.id, m] as const))('Fatalities model %s', (_id, m) => {
  const terms = expandRegressors(m.spec.regressors, data.names)
  const frame = withInteractionColumns(data, terms)
  const fits = new Map<string, RegressionResult>()
  const fit = (v: { vcov: VcovCase['vcov']; small_sample: VcovCase['small_sample'] }): RegressionResult => {
    const key = `${v.vcov} ${v.small_sample}`
    if (!fits.has(key)) fits.set(key, regress(frame, specOf(m, v, terms)))
    return fits.get(key)!
  }

  test('regressors expand as R names and orders them', () => {
    expect(terms, `${m.id}: expandRegressors(${JSON.stringify(m.spec.regressors)})`).toEqual(m.terms)
  })

  test('coefficients, sample, K and fixed effects', () => {
    const res = fit(m.vcov[0])
    expect(res.nobs, `${m.id} nobs`).toBe(m.nobs)
    expect(res.terms.map((t) => t.term), `${m.id} terms`).toEqual(m.terms)
    for (const [name, want] of Object.entries(m.coef)) {
      expectClose(term(res, name)!.estimate, want, { rel: COEF_REL }, `${m.id}/${name} coef`)
    }
    expect(res.feRank, `${m.id} rank of the fixed effects`).toBe(m.fe_rank)
    expect(res.kFull, `${m.id} K_full`).toBe(m.k_full)
    expect(res.dfResidual, `${m.id} N − K_full`).toBe(m.df_residual)
    const clustered = fit({ vcov: 'cluster', small_sample: 'nested' })
    expect(clustered.kNested, `${m.id} K_nested`).toBe(m.k_nested)
    expect(Object.fromEntries(clustered.fixedEffects.map((f) => [f.name, f.nested])), `${m.id} nested flags`).toEqual(m.nested)
    expect(clustered.nClusters, `${m.id} clusters`).toEqual([m.n_clusters])
  })

  test.each(m.vcov.map((v) => [`${v.vcov} ${v.small_sample}`, v] as const))('variance %s', (label, v) => {
    const res = fit(v)
    const where = `${m.id} ${label}`
    expect(res.smallSample, `${where} convention reported`).toBe(v.small_sample)
    expect(res.dfT, `${where} t df`).toBe(v.df_t)
    if (v.K === null) expect(res.vcovK, `${where} K (no factor)`).toBeNaN()
    else expect(res.vcovK, `${where} K`).toBe(v.K)
    for (const [name, want] of Object.entries(v.se)) {
      const t = term(res, name)!
      expectClose(t.stdError, want, { rel: SE_REL }, `${where} ${name} se (R: ${v.routes.join(', ')})`)
      expectClose(t.pValue, v.p[name], P_TOL, `${where} ${name} p`)
    }
  })

  test.each(m.hypotheses.map((h) => [`${h.text} [${h.vcov} ${h.small_sample}]`, h] as const))('hypothesis %s', (label, h) => {
    const res = fit(h)
    const where = `${m.id} ${label}`
    const hyp = parseHypothesis(h.text, res.terms.map((t) => t.term))
    expect(hyp.R, `${where} R`).toEqual(h.R)
    expect(hyp.r, `${where} r`).toEqual(h.r)
    const w = waldTest(res, hyp.R, hyp.r)
    expect(w.q, `${where} q`).toBe(h.q)
    expect(w.dfNum, `${where} F numerator df`).toBe(h.df_num)
    expect(w.dfDen, `${where} F denominator df (model's t df)`).toBe(h.df_den)
    expectClose(w.F, h.f, { rel: WALD_REL }, `${where} F`)
    expectClose(w.pF, h.p_f, { rel: WALD_REL }, `${where} p of F(q, df_T)`)
    expectClose(w.chi2, h.chi2, { rel: WALD_REL }, `${where} chi2 (car Chisq)`)
    expectClose(w.pChi2, h.p_chi2, { rel: WALD_REL }, `${where} p of chi2 (car Chisq)`)
    if (h.q === 1) {
      expectClose(w.estimate, h.estimate!, { rel: COEF_REL }, `${where} R b − r`)
      expectClose(w.stdError, h.std_error!, { rel: SE_REL }, `${where} se of R b − r`)
    } else {
      expect(w.estimate, `${where} estimate is NaN for q > 1`).toBeNaN()
    }
    // car's F: the same statistic on (q, N − K_full) instead of (q, df_T)
    expectClose(w.F, h.car_f, { rel: WALD_REL }, `${where} F = car's F`)
    expect(res.dfResidual, `${where} car's denominator df is N − K_full`).toBe(h.car_df_den)
    expectClose(fPValue(w.F, w.q, res.dfResidual), h.car_p_f, { rel: WALD_REL }, `${where} car's p of F(q, N − K_full)`)
  })
})

describe('interactions inside regress()', () => {
  const m = fx.models.find((x) => x.id === 'b_controls_interaction')!
  test('a regressor `a:b` that is not a column is formed by regress() itself', () => {
    const terms = expandRegressors(m.spec.regressors, data.names)
    const v = { vcov: 'cluster', small_sample: 'nested' } as const
    const a = regress(data, specOf(m, v, terms))
    const b = regress(withInteractionColumns(data, terms), specOf(m, v, terms))
    for (const t of terms) {
      expectClose(term(a, t)!.estimate, term(b, t)!.estimate, { rel: 1e-14 }, `${t} coef`)
      expectClose(term(a, t)!.stdError, term(b, t)!.stdError, { rel: 1e-14 }, `${t} se`)
    }
  })
  test('`region:year` as a fixed effect is the interaction of the two columns', () => {
    const c = fx.models.find((x) => x.id === 'c_region_year')!
    const res = regress(data, specOf(c, { vcov: 'cluster', small_sample: 'nested' }, c.terms))
    expect(res.fixedEffects.map((f) => [f.name, f.levels])).toEqual([['state', 48], ['region:year', 28]])
  })
  test('`none` is read as `cr0` and reported as `cr0`', () => {
    const v = { vcov: 'cluster', small_sample: 'cr0' } as const
    const terms = expandRegressors(m.spec.regressors, data.names)
    const a = regress(data, specOf(m, v, terms))
    const b = regress(data, { ...specOf(m, v, terms), smallSample: 'none' })
    expect(b.smallSample).toBe('cr0')
    expect(Array.from(b.vcov)).toEqual(Array.from(a.vcov))
  })
})

test('R expands these formulas as expandRegressors does', () => {
  for (const c of fx.expand) expect(expandRegressors(c.specs), `~ ${c.specs.join(' + ')}`).toEqual(c.terms)
})

/** Upper tails of F and χ² are computed directly (src/stats/dist.ts): relative precision down to 1e-300. */
test.each(fx.tails.map((c) => [`${c.fn}(${c.x}, ${c.df}${c.df2 === undefined ? '' : `, ${c.df2}`}) = ${c.value}`, c] as const))('upper tail %s', (label, c) => {
  const got = c.fn === 'fPValue' ? fPValue(c.x, c.df, c.df2!) : chisqPValue(c.x, c.df)
  expectClose(got, c.value, { rel: 1e-10 }, label)
})
