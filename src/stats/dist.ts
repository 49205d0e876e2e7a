/**
 * Distribution functions for inference, through stdlib-js (Apache-2.0), whose
 * implementations follow Boost.Math and are tested against it to a few ulps.
 *
 * Two-sided p-values take the lower tail of −|t| rather than 1 − F(|t|), so small
 * p-values keep their relative precision (1 − F loses every digit below ~1e-16). Upper
 * tails are computed directly for the same reason:
 *   F:   P(F(d₁, d₂) ≥ f) = P(F(d₂, d₁) ≤ 1/f)   (1/F has the F distribution with the
 *        degrees of freedom swapped; both are I_{d₂/(d₂+d₁f)}(d₂/2, d₁/2))
 *   χ²:  for integer df k (Abramowitz & Stegun 26.4.4–26.4.5), with y = x/2,
 *        k even:  Q = e^{−y} Σ_{j=0}^{k/2−1} y^j / j!
 *        k odd:   Q = 2Φ(−√x) + e^{−y} Σ_{j=1}^{(k−1)/2} y^{j−1/2} / Γ(j + 1/2)
 *        (positive terms only, summed in log space: no cancellation, no underflow before
 *        the result itself underflows); other df (or df > 1000): 1 − F(x), precision
 *        floor ~1e-16.
 *
 * ## References
 * stdlib-js, https://github.com/stdlib-js/stdlib (stats/base/dists/{t,f,normal,chisquare}).
 * M. Abramowitz, I. A. Stegun (1964), Handbook of Mathematical Functions, NBS AMS 55, §26.4, §26.6.
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

/** Upper-tail p-value of an F statistic: P(F(df1, df2) ≥ f), as the lower tail of 1/f (full relative precision). */
export function fPValue(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f) || !(df1 > 0) || !(df2 > 0)) return NaN
  if (f <= 0) return 1
  if (f === Infinity) return 0
  return Math.min(1, fCdf(1 / f, df2, df1))
}

/** Upper-tail p-value of a chi-square statistic: P(χ²(df) ≥ x); full relative precision for integer df. */
export function chisqPValue(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN
  if (x <= 0) return 1
  if (x === Infinity) return 0
  // The series has df/2 terms; beyond 1000 rounding in the running log would add up.
  if (!Number.isInteger(df) || df > 1000) return Math.max(0, 1 - chisqCdf(x, df))
  const y = x / 2, ly = Math.log(y)
  let sum = 0
  if (df % 2 === 0) {
    let lt = -y // log of y^j e^{−y} / j!
    for (let j = 0; j < df / 2; j++) {
      if (j > 0) lt += ly - Math.log(j)
      sum += Math.exp(lt)
    }
  } else {
    sum = 2 * normalCdf(-Math.sqrt(x), 0, 1)
    let lg = 0.5 * Math.log(Math.PI) // log Γ(j + 1/2), from Γ(1/2) = √π
    for (let j = 1; j <= (df - 1) / 2; j++) {
      lg += Math.log(j - 0.5)
      sum += Math.exp(-y + (j - 0.5) * ly - lg)
    }
  }
  return Math.min(1, sum)
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

/** Φ(x), the standard normal distribution function. */
export function normalProbability(x: number): number {
  return normalCdf(x, 0, 1)
}
