/**
 * Distribution functions for inference, through stdlib-js (Apache-2.0), whose
 * implementations follow Boost.Math and are tested against it to a few ulps.
 *
 * Two-sided p-values take the lower tail of −|t| rather than 1 − F(|t|), so small
 * p-values keep their relative precision (1 − F loses every digit below ~1e-16).
 *
 * ## References
 * stdlib-js, https://github.com/stdlib-js/stdlib (stats/base/dists/{t,f,normal,chisquare}).
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf'
import tQuantileStd from '@stdlib/stats-base-dists-t-quantile'
import fCdf from '@stdlib/stats-base-dists-f-cdf'
import chisqCdf from '@stdlib/stats-base-dists-chisquare-cdf'
import normalCdf from '@stdlib/stats-base-dists-normal-cdf'
import normalQuantileStd from '@stdlib/stats-base-dists-normal-quantile'

/** Two-sided p-value of a t statistic with `df` degrees of freedom: 2 P(T ≤ −|t|). */
export function tPValue(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN
  return Math.min(1, 2 * tCdf(-Math.abs(t), df))
}

/** Quantile of Student's t: the q-th quantile with `df` degrees of freedom. */
export function tQuantile(q: number, df: number): number {
  if (!(df > 0)) return NaN
  return tQuantileStd(q, df)
}

/** Upper-tail p-value of an F statistic: P(F(df1, df2) ≥ f). Precision floor ~1e-16. */
export function fPValue(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f) || !(df1 > 0) || !(df2 > 0)) return NaN
  if (f <= 0) return 1
  return Math.max(0, 1 - fCdf(f, df1, df2))
}

/** Upper-tail p-value of a chi-square statistic: P(χ²(df) ≥ x). Precision floor ~1e-16. */
export function chisqPValue(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN
  if (x <= 0) return 1
  return Math.max(0, 1 - chisqCdf(x, df))
}

/** Two-sided p-value of a standard normal statistic: 2 Φ(−|z|). */
export function zPValue(z: number): number {
  if (Number.isNaN(z)) return NaN
  return Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1))
}

/** Quantile of the standard normal. */
export function normalQuantile(q: number): number {
  return normalQuantileStd(q, 0, 1)
}
