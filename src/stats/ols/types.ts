/**
 * The regression kernel's contract: what a caller asks for (RegressionSpec) and what it
 * gets back (RegressionResult). Conventions are in docs/methods.md.
 */
import type { AbsorbOptions } from '../fe/absorb.ts'
import type { ClusterDf, SmallSample, SmallSampleConvention, VcovType } from '../vcov/vcov.ts'

export type { ClusterDf, SmallSample, SmallSampleConvention, VcovType } from '../vcov/vcov.ts'

export interface RegressionSpec {
  /** Dependent variable (numeric column). */
  readonly outcome: string
  /**
   * Regressors (numeric columns), in the order they are reported. May be empty only with
   * fixed effects. `a:b` that is not a column is the product of `a` and `b` (./terms.ts).
   */
  readonly regressors: readonly string[]
  /**
   * Columns whose levels are absorbed as fixed effects (any type). `a:b` that is not a
   * column is the interaction of the two factors (one level per observed combination).
   * @default []
   */
  readonly fixedEffects?: readonly string[]
  /** One or two columns to cluster on (`a:b` as for fixed effects). @default [] */
  readonly cluster?: readonly string[]
  /** Column of positive analytic weights (rows with weight 0 or missing are dropped). */
  readonly weights?: string
  /** @default 'cluster' when `cluster` is given, else 'iid' */
  readonly vcov?: VcovType
  /**
   * What counts in K for the finite-sample factor: 'nested', 'full', 'slopes' or 'cr0' (no
   * factor); 'none' is the deprecated name of 'cr0'. See ../vcov/vcov.ts. @default 'nested'
   */
  readonly smallSample?: SmallSample
  /** Two-way clustering: one G_min/(G_min − 1) for all terms, or each term its own. @default 'min' */
  readonly clusterDf?: ClusterDf
  /** Drop observations alone in a fixed-effect level (iteratively), or keep them. @default 'drop' */
  readonly singletons?: 'drop' | 'keep'
  /** Add an intercept when there are no fixed effects. @default true */
  readonly intercept?: boolean
  /** Confidence level of conf.low/conf.high. @default 0.95 */
  readonly level?: number
  readonly absorb?: AbsorbOptions
}

/** One estimated coefficient: the model vocabulary lives in src/artifacts/model.ts. */
export type { Term } from '../../artifacts/model.ts'
import type { Term } from '../../artifacts/model.ts'

export interface FixedEffectInfo {
  readonly name: string
  /** Levels on the estimation sample. */
  readonly levels: number
  /** Nested in (one of) the cluster variables; then left out of K under `nested`. */
  readonly nested: boolean
}

export interface RegressionResult {
  /** Kept regressors ('(Intercept)' first when there are no fixed effects). */
  readonly terms: readonly Term[]
  /** Regressors dropped as collinear (with each other or with the fixed effects), in input order. */
  readonly collinear: readonly string[]
  /** Covariance of the kept coefficients, row-major, same order as `terms`. */
  readonly vcov: Float64Array
  readonly nobs: number
  /** Frame rows of the estimation sample, ascending. */
  readonly rows: Int32Array
  /** Rows dropped for a missing or non-finite value in any variable used. */
  readonly droppedMissing: number
  /** Rows dropped as fixed-effect singletons (0 when `singletons: keep`). */
  readonly droppedSingletons: number
  readonly fixedEffects: readonly FixedEffectInfo[]
  /** Rank of the absorbed dummies (levels net of redundant ones), and whether it is exact. */
  readonly feRank: number
  readonly feRankExact: boolean
  /** Regressors kept + feRank: the K of `full`. */
  readonly kFull: number
  /** The K of `nested`. */
  readonly kNested: number
  /** The K in the finite-sample factor of the chosen variance (kNested, kFull or the kept regressors; NaN under `cr0`). */
  readonly vcovK: number
  /** N − kFull. */
  readonly dfResidual: number
  /** Degrees of freedom of t tests and of the F denominator. */
  readonly dfT: number
  readonly nClusters: readonly number[]
  readonly vcovType: VcovType
  /** The convention used (`'none'` in the spec is reported as `'cr0'`). */
  readonly smallSample: SmallSampleConvention
  readonly vcovLabel: string
  /** Σ w û², and total sums of squares about the (weighted) mean and within the fixed effects. */
  readonly rss: number
  readonly tss: number
  readonly tssWithin: number
  readonly r2: number
  readonly adjR2: number
  /** 1 − RSS / TSS_within; NaN without fixed effects. */
  readonly withinR2: number
  /** Residual standard error √(RSS / (N − K_full)). */
  readonly sigma: number
  /** Wald F of all slopes (intercept excluded) under the chosen covariance, its df and p. */
  readonly fStat: number
  readonly fDf1: number
  readonly fDf2: number
  readonly fPValue: number
  /** Gaussian log-likelihood (lm convention, weights included), AIC and BIC with K_full + 1 parameters. */
  readonly logLik: number
  readonly aic: number
  readonly bic: number
  readonly absorb: { readonly method: string; readonly iterations: number; readonly converged: boolean }
  /** Residuals û on the estimation rows (unweighted). */
  readonly residuals: Float64Array
  /** What was dropped, adjusted or doubtful, in plain words, for the stage log. */
  readonly messages: readonly string[]
}
