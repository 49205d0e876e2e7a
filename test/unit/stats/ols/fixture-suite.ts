/**
 * One suite for every model of a fixture written by test/fixtures/ols/make.R: sample,
 * coefficients and fit statistics, then each variance option, under each absorption method.
 */
import { describe, expect, test } from 'vitest'
import type { Frame } from '../../../../src/artifacts/frame.ts'
import { regress, term } from '../../../../src/stats/ols/regress.ts'
import type { RegressionSpec } from '../../../../src/stats/ols/types.ts'
import { expectClose } from '../helpers.ts'

/** The acceptance tolerances: coefficients 1e-8, standard errors 1e-6 (relative). */
export const COEF_REL = 1e-8
export const SE_REL = 1e-6
/** Fit statistics are sums of squares: as exact as the coefficients. */
export const STAT_REL = 1e-8
/** p-values inherit the SE tolerance, amplified by |t| in the tail; tiny p compared absolutely. */
export const P_TOL = { rel: 1e-5, abs: 1e-14 }

/** The shape make.R writes (one entry of `models`). */
export interface Model {
  id: string
  note: string | null
  spec: {
    outcome: string; regressors: string[]; fixed_effects: string[]; weights: string | null
    intercept: boolean; singletons: string; exclude_rows: number[]
  }
  nobs: number; dropped_missing: number; dropped_singletons: number
  coef: Record<string, number>; collinear: string[]
  fe_rank: number; k_full: number; df_residual: number
  rss: number; tss: number; r2: number; adj_r2: number; within_r2: number | null
  loglik: number; aic: number; bic: number
  vcov: VcovCase[]
  plm: { r_squared: number; se_vcovHC_arellano_HC0: Record<string, number>; se_vcovHC_arellano_HC1: Record<string, number> } | null
}
export interface VcovCase {
  vcov: string; cluster: string[]; small_sample: string; cluster_df: string
  K: number | null; df_t: number; n_clusters: number[]
  se: Record<string, number>; p: Record<string, number>; f: number | null; f_p: number | null
}
export interface FixtureFile { header: Record<string, string | null>; models: Model[] }

export function specOf(m: Model, v: VcovCase, method: 'auto' | 'cg'): RegressionSpec {
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

export function fixtureSuite(title: string, models: readonly Model[], sample: (m: Model) => Frame): void {
describe.each(models.map((m) => [m.id, m] as const))(`${title} model %s`, (_id, m) => {
  const methods = m.spec.fixed_effects.length > 1 ? (['auto', 'cg'] as const) : (['auto'] as const)
  for (const method of methods) {
    test(`coefficients, sample and fit statistics (absorb: ${method})`, () => {
      const res = regress(sample(m), specOf(m, m.vcov[0], method))
      expect(res.nobs).toBe(m.nobs)
      expect(res.droppedMissing).toBe(m.dropped_missing)
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
}
