/**
 * The model artifact: the shared vocabulary of every estimation stage. Tables, coefficient
 * plots and cross-model tests (Sobel, split-sample differences, placebo p-values) read it;
 * none of them re-estimates. A stage publishes a `ModelSet`: one or more fitted models
 * (a stepwise table has one per column) and which of them is the stage's headline model.
 *
 * Serialized as canonical JSON with non-finite numbers written as null and read back as
 * NaN, so the bytes (and the digest downstream keys use) are stable.
 */
import { canonicalJson } from '../cache/canonical.ts'
import type { Json } from './json.ts'

/** One estimated coefficient, named as broom's tidy() names them. */
export interface Term {
  readonly term: string
  readonly estimate: number
  readonly stdError: number
  readonly statistic: number
  readonly pValue: number
  readonly confLow: number
  readonly confHigh: number
}

/** How the coefficient covariance was computed, in words a table note can print. */
export interface VarianceInfo {
  /** `iid`, `hc1` or `cluster`. */
  readonly type: string
  /** The finite-sample convention (`nested`, `full`, `slopes`, `cr0`). */
  readonly smallSample: string
  readonly cluster: readonly string[]
  /** One line, e.g. "CR1 clustered by city (nested K), t with G − 1 = 279 df". */
  readonly label: string
}

export interface FitStats {
  readonly r2: number
  readonly adjR2: number
  readonly withinR2: number
  readonly logLik: number
  readonly aic: number
  readonly bic: number
}

/** Rows of the estimation sample, by panel keys when the pipeline declares a panel. */
export interface SampleKeys {
  readonly unit?: string
  readonly time?: string
  /** [unit, time] per row when keyed, else the input frame's row numbers (0-based). */
  readonly keys: readonly (readonly [string | number, number])[] | readonly number[]
}

export interface Model {
  /** Column label in the stage's own table, e.g. "(1)". */
  readonly label: string
  /** Stage and kind that estimated it. */
  readonly stage: string
  readonly kind: string
  /** `ols` for every linear model with absorbed fixed effects. */
  readonly estimator: string
  readonly outcome: string
  /** The headline term (the treatment of a DID), when the stage has one. */
  readonly focus?: string
  readonly terms: readonly Term[]
  /** Covariance of the terms, row-major k × k in the order of `terms`. */
  readonly vcov: readonly number[]
  readonly nobs: number
  readonly dfResidual: number
  /** Degrees of freedom of t tests and F denominators (G − 1 when clustered). */
  readonly dfT: number
  readonly nClusters: readonly number[]
  readonly variance: VarianceInfo
  readonly fit: FitStats
  readonly fixedEffects: readonly string[]
  readonly controls: readonly string[]
  readonly sample: SampleKeys
  /** `sample:` condition, when the model was estimated on a subset. */
  readonly subset?: string
  /** The resolved specification (kind-specific JSON), for `model:` reuse. */
  readonly spec: Json
  /** Display names of terms, the outcome and fixed effects. */
  readonly labels: Readonly<Record<string, string>>
  readonly title?: string
  /** Kind-specific notes for tables (e.g. how the treatment was built). */
  readonly notes?: readonly string[]
}

export interface ModelSet {
  readonly models: readonly Model[]
  /** Index of the stage's headline model (a stepwise table's last column). */
  readonly main: number
}

export function mainModel(set: ModelSet): Model {
  return set.models[set.main]
}

export function term(model: Model, name: string): Term | undefined {
  return model.terms.find((t) => t.term === name)
}

/** Covariance entry (i, j) by term names; NaN when either term is absent. */
export function covariance(model: Model, a: string, b: string): number {
  const i = model.terms.findIndex((t) => t.term === a)
  const j = model.terms.findIndex((t) => t.term === b)
  if (i < 0 || j < 0) return NaN
  return model.vcov[i * model.terms.length + j]
}

export function serializeModels(set: ModelSet): string {
  return canonicalJson(set, { nonFinite: 'null' })
}

/** Numeric members that may have been written as null (non-finite). */
const NUMERIC = new Set(['estimate', 'stdError', 'statistic', 'pValue', 'confLow', 'confHigh', 'r2', 'adjR2', 'withinR2', 'logLik', 'aic', 'bic', 'nobs', 'dfResidual', 'dfT'])

export function deserializeModels(bytes: Uint8Array): ModelSet {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  return JSON.parse(text, function (key, value) {
    if (value === null && NUMERIC.has(key)) return NaN
    if (key === 'vcov' && Array.isArray(value)) return value.map((v) => (v === null ? NaN : v))
    return value
  }) as ModelSet
}

export function isModelSet(v: unknown): v is ModelSet {
  const s = v as ModelSet
  return typeof s === 'object' && s !== null && Array.isArray(s.models) && s.models.length > 0 && Number.isInteger(s.main) && s.main >= 0 && s.main < s.models.length
}
