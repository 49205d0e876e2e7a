/**
 * Summary statistics of one variable, as the descriptive tables of applied papers print them:
 * N (non-missing values), mean, standard deviation, minimum, quartiles, maximum.
 *
 * ## Method
 * Missing values (NaN) are left out; every statistic is over the n values that remain.
 *   mean  x̄ = Σx/n, refined by one correction pass x̄ ← x̄ + Σ(x − x̄)/n (R's `mean`),
 *   SD    s = √(Σ(x − x̄)²/(n − 1))   (Bessel's correction; R's `sd`, Stata's `summarize`),
 *   quantiles from the sorted values under the definition asked for (../../expr/quantile.ts:
 *   R type 7 by default, Stata's `_pctile` on request), min and max their ends.
 * n = 0 gives NaN for every statistic but n; n = 1 gives SD NaN (as R and Stata do).
 *
 * ## References
 * R Core Team, `?mean`, `?sd`, `?quantile`; R. J. Hyndman, Y. Fan (1996), The American
 * Statistician 50(4), 361–365.
 */
import { quantileSorted, type QuantileDefinition } from '../../expr/quantile.ts'

export interface Summary {
  readonly n: number
  readonly mean: number
  readonly sd: number
  readonly min: number
  readonly p25: number
  readonly median: number
  readonly p75: number
  readonly max: number
}

/** The statistics a `Summary` holds, in the order tables print them. */
export const SUMMARY_STATISTICS = ['n', 'mean', 'sd', 'min', 'p25', 'median', 'p75', 'max'] as const
export type SummaryStatistic = (typeof SUMMARY_STATISTICS)[number]

/** The non-missing values of `x` (optionally only at `rows`), in order. */
export function present(x: ArrayLike<number>, rows?: ArrayLike<number>): Float64Array {
  const n = rows ? rows.length : x.length
  const out = new Float64Array(n)
  let k = 0
  for (let i = 0; i < n; i++) {
    const v = x[rows ? rows[i] : i]
    if (v === v) out[k++] = v
  }
  return out.subarray(0, k)
}

/** Mean with R's correction pass (one more pass over the residuals). */
export function mean(x: ArrayLike<number>): number {
  const n = x.length
  if (n === 0) return NaN
  let s = 0
  for (let i = 0; i < n; i++) s += x[i]
  let m = s / n
  if (Number.isFinite(m)) {
    let t = 0
    for (let i = 0; i < n; i++) t += x[i] - m
    m += t / n
  }
  return m
}

/** Sample variance, two-pass, divisor n − 1. */
export function variance(x: ArrayLike<number>, m = mean(x)): number {
  const n = x.length
  if (n < 2) return NaN
  let ss = 0
  for (let i = 0; i < n; i++) ss += (x[i] - m) * (x[i] - m)
  return ss / (n - 1)
}

/** Summary of the non-missing values of `x`. */
export function summarize(x: ArrayLike<number>, def: QuantileDefinition = 'r7'): Summary {
  const v = present(x)
  const n = v.length
  const sorted = Float64Array.from(v).sort()
  const m = mean(v)
  return {
    n,
    mean: m,
    sd: Math.sqrt(variance(v, m)),
    min: n ? sorted[0] : NaN,
    p25: quantileSorted(sorted, 0.25, def),
    median: quantileSorted(sorted, 0.5, def),
    p75: quantileSorted(sorted, 0.75, def),
    max: n ? sorted[n - 1] : NaN,
  }
}
