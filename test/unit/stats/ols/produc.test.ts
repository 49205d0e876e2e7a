/**
 * The regression kernel against R on the Produc panel (Munnell 1990; pipelines/data/produc.csv).
 * Fixture: test/fixtures/ols/produc.json, written by test/fixtures/ols/make.R (lm with
 * explicit dummies, sandwich, lmtest, plm; versions in its header).
 */
import { describe, expect, test } from 'vitest'
import type { Frame } from '../../../../src/artifacts/frame.ts'
import { regress, term } from '../../../../src/stats/ols/regress.ts'
import type { RegressionSpec } from '../../../../src/stats/ols/types.ts'
import fixture from '../../../fixtures/ols/produc.json' with { type: 'json' }
import { expectClose, readCsvFrame } from '../helpers.ts'

/** The acceptance tolerances: coefficients 1e-8, standard errors 1e-6 (relative). */
const COEF_REL = 1e-8
const SE_REL = 1e-6
/** Fit statistics are sums of squares: as exact as the coefficients. */
const STAT_REL = 1e-8
/** p-values inherit the SE tolerance, amplified by |t| in the tail; tiny p compared absolutely. */
const P_TOL = { rel: 1e-5, abs: 1e-14 }

type Model = (typeof fixture.models)[number]
type VcovCase = Model['vcov'][number]

function producFrame(): Frame {
  let f = readCsvFrame('pipelines/data/produc.csv')
  const col = (name: string, fn: (i: number) => number) =>
    (f = f.withColumn(name, { type: 'number', data: Float64Array.from({ length: f.nrows }, (_, i) => fn(i)) }))
  const gsp = f.numbers('gsp'), pcap = f.numbers('pcap'), pc = f.numbers('pc'), emp = f.numbers('emp')
  const unemp = f.numbers('unemp'), region = f.numbers('region'), year = f.numbers('year')
  col('lgsp', (i) => Math.log(gsp[i]))
  col('lpcap', (i) => Math.log(pcap[i]))
  col('lpc', (i) => Math.log(pc[i]))
  col('lemp', (i) => Math.log(emp[i]))
  col('unemp_shift', (i) => 2 * unemp[i] + 1)
  col('regyear', (i) => region[i] * 10000 + year[i])
  return f
}

const produc = producFrame()

function sample(m: Model): Frame {
  const excl = new Set(m.spec.exclude_rows as number[])
  if (excl.size === 0) return produc
  return produc.filter(Array.from({ length: produc.nrows }, (_, i) => !excl.has(i)))
}

function specOf(m: Model, v: VcovCase, method: 'auto' | 'cg'): RegressionSpec {
  return {
    outcome: m.spec.outcome,
    regressors: m.spec.regressors as string[],
    fixedEffects: m.spec.fixed_effects as string[],
    weights: (m.spec.weights as string | null) ?? undefined,
    singletons: m.spec.singletons as 'drop' | 'keep',
    cluster: v.cluster as string[],
    vcov: v.vcov as RegressionSpec['vcov'],
    smallSample: v.small_sample as RegressionSpec['smallSample'],
    clusterDf: v.cluster_df as 'min' | 'each',
    absorb: { method },
  }
}

describe.each(fixture.models.map((m) => [m.id, m] as const))('Produc model %s', (_id, m) => {
  const methods = m.spec.fixed_effects.length > 1 ? (['auto', 'cg'] as const) : (['auto'] as const)
  for (const method of methods) {
    test(`coefficients, sample and fit statistics (absorb: ${method})`, () => {
      const res = regress(sample(m), specOf(m, m.vcov[0], method))
      expect(res.nobs).toBe(m.nobs)
      expect(res.droppedSingletons).toBe(m.dropped_singletons)
      expect(res.collinear).toEqual(m.collinear)
      expect(res.feRank).toBe(m.fe_rank)
      expect(res.kFull).toBe(m.k_full)
      expect(res.dfResidual).toBe(m.df_residual)
      expect(res.terms.map((t) => t.term)).toEqual(Object.keys(m.coef))
      for (const [name, want] of Object.entries(m.coef)) {
        expectClose(term(res, name)!.estimate, want as number, { rel: COEF_REL }, `${m.id}/${name} coef`)
      }
      expectClose(res.rss, m.rss, { rel: STAT_REL }, `${m.id} rss`)
      expectClose(res.tss, m.tss, { rel: STAT_REL }, `${m.id} tss`)
      expectClose(res.r2, m.r2, { rel: STAT_REL }, `${m.id} r2`)
      expectClose(res.adjR2, m.adj_r2, { rel: STAT_REL }, `${m.id} adj r2`)
      if (m.within_r2 === null) expect(res.withinR2).toBeNaN()
      else expectClose(res.withinR2, m.within_r2, { rel: STAT_REL }, `${m.id} within r2`)
      expectClose(res.logLik, m.loglik, { rel: STAT_REL }, `${m.id} logLik`)
      expectClose(res.aic, m.aic, { rel: STAT_REL }, `${m.id} AIC`)
      expectClose(res.bic, m.bic, { rel: STAT_REL }, `${m.id} BIC`)
      if (m.collinear.length > 0) {
        expect(res.messages.join('\n')).toMatch(/dropped as collinear.*`region`.*`unemp_shift`/)
      }
    })

    test.each(m.vcov.map((v) => [`${v.vcov} ${v.cluster.join('+')} ${v.small_sample} ${v.cluster_df}`, v] as const))(
      `variance %s (absorb: ${method})`,
      (label, v) => {
        const res = regress(sample(m), specOf(m, v, method))
        expect(res.dfT).toBe(v.df_t)
        expect(res.nClusters).toEqual(v.n_clusters)
        if (v.vcov === 'cluster' && v.small_sample !== 'none') {
          expect(v.small_sample === 'full' ? res.kFull : res.kNested).toBe(v.K)
        }
        for (const [name, want] of Object.entries(v.se)) {
          const t = term(res, name)!
          expectClose(t.stdError, want as number, { rel: SE_REL }, `${m.id} ${label} ${name} se`)
          expectClose(t.pValue, (v.p as Record<string, number>)[name], P_TOL, `${m.id} ${label} ${name} p`)
        }
        if (v.f === null) expect(res.fStat).toBeNaN()
        else {
          expectClose(res.fStat, v.f, { rel: SE_REL }, `${m.id} ${label} F`)
          expectClose(res.fPValue, v.f_p!, P_TOL, `${m.id} ${label} F p`)
        }
      },
    )
  }
})

test('plm agrees on the within coefficients; its arellano HC0 is our cluster `none`', () => {
  const m = fixture.models.find((x) => x.id === 'twoway')!
  const res = regress(produc, { ...specOf(m, m.vcov[0], 'auto'), cluster: ['state'], vcov: 'cluster', smallSample: 'none' })
  for (const [name, se] of Object.entries(m.plm!.se_vcovHC_arellano_HC0)) {
    expectClose(term(res, name)!.stdError, se as number, { rel: SE_REL }, `plm arellano HC0 ${name}`)
  }
  expectClose(res.withinR2, m.plm!.r_squared, { rel: STAT_REL }, 'plm within R²')
})
