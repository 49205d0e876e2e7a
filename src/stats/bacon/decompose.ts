/**
 * Goodman-Bacon decomposition of the two-way fixed-effects DID coefficient on a balanced
 * panel with staggered adoption and no covariates (with covariates: ./covariates.ts).
 *
 * ## Method
 * Units are grouped by the period they are first treated (timing cohorts k with share n_k
 * of the units; U never treated; A treated from the first period). D̄_k is the share of the
 * T periods in which cohort k is treated. The comparisons (Goodman-Bacon 2021, eq. 10–11):
 *   Treated vs Never Treated, k vs U, all periods:
 *     β̂_kU = (ȳ_k^POST(k) − ȳ_k^PRE(k)) − (ȳ_U^POST(k) − ȳ_U^PRE(k))
 *     s_kU ∝ (n_k + n_U)² · n_kU(1 − n_kU) · D̄_k(1 − D̄_k),          n_kU = n_k/(n_k + n_U)
 *   Earlier vs Later Treated, k before l, periods before l adopts:
 *     β̂_kl^k = (ȳ_k^MID − ȳ_k^PRE(k)) − (ȳ_l^MID − ȳ_l^PRE(k))
 *     s_kl^k ∝ ((n_k + n_l)(1 − D̄_l))² · n_kl(1 − n_kl) · (D̄_k − D̄_l)/(1 − D̄_l) · (1 − D̄_k)/(1 − D̄_l)
 *   Later vs Earlier Treated, l after k (k the control), periods from k's adoption on:
 *     β̂_kl^l = (ȳ_l^POST(l) − ȳ_l^MID) − (ȳ_k^POST(l) − ȳ_k^MID)
 *     s_kl^l ∝ ((n_k + n_l)D̄_k)² · n_kl(1 − n_kl) · (D̄_l/D̄_k) · (D̄_k − D̄_l)/D̄_k
 *   Treated vs Always Treated: the last case with k = A (D̄_A = 1, all periods).
 * MID is [t_k, t_l), n_kl = n_k/(n_k + n_l). The weights are scaled to sum to 1 (their common
 * denominator is the variance of two-way demeaned D); then Σ s·β̂ is the TWFE coefficient.
 * In a balanced panel a window mean is the mean of the cohort's per-period means, so the
 * cost is one pass over the data plus O(C²T) for C cohorts.
 *
 * ## References
 * A. Goodman-Bacon (2021), "Difference-in-differences with variation in treatment timing",
 *   Journal of Econometrics 225(2), 254–277, doi:10.1016/j.jeconom.2021.03.014 (eq. 10–11).
 * The type names follow R's bacondecomp (Flack & Jee), with "Never" and "Always" spelled out.
 */
import { QuasiError } from '../../errors.ts'
import type { BaconPanel } from './panel.ts'

export type ComparisonType =
  | 'Earlier vs Later Treated' | 'Later vs Earlier Treated' | 'Treated vs Never Treated' | 'Treated vs Always Treated'
  // With covariates (./covariates.ts): a pair of timing groups once, and the within-group component.
  | 'Both Treated' | 'Within'

export const COMPARISON_TYPES: readonly ComparisonType[] = ['Earlier vs Later Treated', 'Later vs Earlier Treated', 'Treated vs Never Treated', 'Treated vs Always Treated']

/** The types of the decomposition with covariates, in the order of its summary. */
export const COVARIATE_TYPES: readonly ComparisonType[] = ['Both Treated', 'Treated vs Never Treated', 'Treated vs Always Treated', 'Within']

/** The type as a fact key: `weight(treated_vs_never)`. */
export const TYPE_KEYS: Readonly<Record<ComparisonType, string>> = {
  'Earlier vs Later Treated': 'earlier_vs_later',
  'Later vs Earlier Treated': 'later_vs_earlier',
  'Treated vs Never Treated': 'treated_vs_never',
  'Treated vs Always Treated': 'treated_vs_always',
  'Both Treated': 'both_treated',
  Within: 'within',
}

export interface Cohort {
  /** First treated period index; T for never treated, 0 for always treated. */
  readonly first: number
  /** 'never', 'always' or the first treated period. */
  readonly label: string
  readonly units: number
}

export interface Comparison {
  readonly treated: string
  readonly control: string
  readonly type: ComparisonType
  readonly estimate: number
  readonly weight: number
}

export interface Decomposition {
  readonly cohorts: readonly Cohort[]
  readonly comparisons: readonly Comparison[]
  /** Σ weight · estimate: the TWFE coefficient. */
  readonly total: number
}

/** Timing cohorts of a balanced panel: their first treated periods, unit shares and per-period outcome means. */
export interface CohortLayout {
  readonly cohorts: readonly Cohort[]
  /** First treated period index of each cohort, ascending. */
  readonly firsts: readonly number[]
  /** Cohort index of each first treated period. */
  readonly at: ReadonlyMap<number, number>
  /** Each cohort's share of the units. */
  readonly share: readonly number[]
  /** Each cohort's mean outcome in each period. */
  readonly means: readonly Float64Array[]
}

export function cohortLayout(p: BaconPanel): CohortLayout {
  const N = p.units.length, T = p.times.length
  const count = new Map<number, number>()
  for (const f of p.first) count.set(f, (count.get(f) ?? 0) + 1)
  const firsts = [...count.keys()].sort((a, b) => a - b)
  const cohorts: Cohort[] = firsts.map((f) => ({ first: f, label: f === T ? 'never' : f === 0 ? 'always' : String(p.times[f]), units: count.get(f)! }))
  const at = new Map(firsts.map((f, c) => [f, c]))
  const means = cohortMeans(p, p.y, at, cohorts)
  return { cohorts, firsts, at, share: firsts.map((f) => count.get(f)! / N), means }
}

/** Per-cohort mean of a unit-major N × T variable in each period (sums in unit order). */
export function cohortMeans(p: BaconPanel, v: Float64Array, at: ReadonlyMap<number, number>, cohorts: readonly Cohort[]): Float64Array[] {
  const N = p.units.length, T = p.times.length
  const M = cohorts.map(() => new Float64Array(T))
  for (let i = 0; i < N; i++) {
    const m = M[at.get(p.first[i])!]
    for (let t = 0; t < T; t++) m[t] += v[i * T + t]
  }
  cohorts.forEach((c, k) => { for (let t = 0; t < T; t++) M[k][t] /= c.units })
  return M
}

export function baconDecompose(p: BaconPanel): Decomposition {
  const T = p.times.length
  const { cohorts, firsts, at, share, means: M } = cohortLayout(p)
  const win = (c: number, lo: number, hi: number) => { let s = 0; for (let t = lo; t < hi; t++) s += M[c][t]; return s / (hi - lo) }
  const Dbar = firsts.map((f) => (T - f) / T)
  const never = at.get(T)

  const raw: { treated: number; control: number; type: ComparisonType; estimate: number; s: number }[] = []
  for (let k = 0; k < firsts.length; k++) {
    const tk = firsts[k]
    if (tk === 0 || tk === T) continue
    if (never !== undefined) {
      const u = never, n = share[k] / (share[k] + share[u])
      raw.push({
        treated: k, control: u, type: 'Treated vs Never Treated',
        estimate: (win(k, tk, T) - win(k, 0, tk)) - (win(u, tk, T) - win(u, 0, tk)),
        s: (share[k] + share[u]) ** 2 * n * (1 - n) * Dbar[k] * (1 - Dbar[k]),
      })
    }
    for (let l = 0; l < firsts.length; l++) {
      const tl = firsts[l]
      if (l === k || tl === T) continue
      const n = share[k] / (share[k] + share[l])
      if (tk < tl) {
        raw.push({
          treated: k, control: l, type: 'Earlier vs Later Treated',
          estimate: (win(k, tk, tl) - win(k, 0, tk)) - (win(l, tk, tl) - win(l, 0, tk)),
          s: ((share[k] + share[l]) * (1 - Dbar[l])) ** 2 * n * (1 - n) * (Dbar[k] - Dbar[l]) / (1 - Dbar[l]) * (1 - Dbar[k]) / (1 - Dbar[l]),
        })
      } else {
        raw.push({
          treated: k, control: l, type: tl === 0 ? 'Treated vs Always Treated' : 'Later vs Earlier Treated',
          estimate: (win(k, tk, T) - win(k, tl, tk)) - (win(l, tk, T) - win(l, tl, tk)),
          s: ((share[k] + share[l]) * Dbar[l]) ** 2 * n * (1 - n) * Dbar[k] / Dbar[l] * (Dbar[l] - Dbar[k]) / Dbar[l],
        })
      }
    }
  }
  if (raw.length === 0) throw noComparison(cohorts, T)
  let sum = 0
  for (const r of raw) sum += r.s
  let total = 0
  const comparisons = raw.map((r) => {
    const weight = r.s / sum
    total += weight * r.estimate
    return { treated: cohorts[r.treated].label, control: cohorts[r.control].label, type: r.type, estimate: r.estimate, weight }
  })
  return { cohorts, comparisons, total }
}

/** Whether the cohorts give a 2×2 comparison: a group first treated inside the panel, and another group. */
export function hasComparison(cohorts: readonly Cohort[], T: number): boolean {
  return cohorts.some((c) => c.first > 0 && c.first < T) && cohorts.length > 1
}

/** The error when there is nothing to compare (and the TWFE coefficient is not identified). */
export function noComparison(cohorts: readonly Cohort[], T: number): QuasiError {
  const timing = cohorts.filter((c) => c.first > 0 && c.first < T)
  return new QuasiError('NO_VARIATION', timing.length === 0
    ? 'no unit is first treated inside the panel: there is no 2×2 comparison to decompose'
    : `all ${timing[0].units} treated units adopt in period ${timing[0].label} and no unit is never or always treated: there is no 2×2 comparison to decompose (and the TWFE coefficient is not identified)`, {
    role: { role: 'treatment' }, expected: 'two adoption periods, or treated and never-treated units',
  })
}

export interface TypeSummary {
  readonly type: ComparisonType
  readonly comparisons: number
  readonly weight: number
  /** Weighted average of the type's estimates (weights within the type). */
  readonly estimate: number
}

/** Weight sum and weighted average estimate per type, for the types present, in the order of `types`. */
export function summarizeTypes(comparisons: readonly Comparison[], types: readonly ComparisonType[] = COMPARISON_TYPES): TypeSummary[] {
  return types.flatMap((type) => {
    const rows = comparisons.filter((c) => c.type === type)
    if (rows.length === 0) return []
    let w = 0, wb = 0
    for (const r of rows) { w += r.weight; wb += r.weight * r.estimate }
    return [{ type, comparisons: rows.length, weight: w, estimate: wb / w }]
  })
}
