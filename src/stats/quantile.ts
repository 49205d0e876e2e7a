/**
 * Sample quantiles, R's type 7 (the default of R's `quantile`): x[h] interpolated linearly,
 * h = (n − 1)q on the sorted sample (0-based).
 *
 * ## References
 * R. J. Hyndman, Y. Fan (1996), "Sample quantiles in statistical packages", The American
 *   Statistician 50(4), 361–365.
 */

/** Quantile of sorted x at probability q, R type 7. */
export function quantile7(sorted: Float64Array, q: number): number {
  const n = sorted.length
  if (n === 0) return NaN
  const h = (n - 1) * q
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, n - 1)
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo])
}
