/**
 * Summaries of placebo draws: quantiles (R type 7), randomization p-values and the kernel
 * density the figure draws.
 *
 *   p (two-sided) = #{|b_d| ≥ |b|} / R,  p_left = #{b_d ≤ b} / R,  p_right = #{b_d ≥ b} / R,
 * over the R draws with an estimate (a collinear draw has none); the one-sided p is the one
 * in the direction of the actual estimate b (p_left when b < 0). No +1 correction: the
 * share is what placebo figures in the literature report.
 *
 * Kernel density: Gaussian kernel, bandwidth R's bw.nrd0 (Silverman 1986, eq. 3.31):
 *   h = 0.9 · min(sd, IQR/1.34) · R^(−1/5)
 * (with R's fallbacks when the spread is 0), on 512 points from min − 3h to max + 3h as
 * R's density(cut = 3).
 *
 * ## References
 * R. J. Hyndman, Y. Fan (1996), "Sample quantiles in statistical packages", The American
 *   Statistician 50(4), 361–365 (type 7).
 * B. W. Silverman (1986), Density Estimation for Statistics and Data Analysis, §3.4.2.
 */

import { quantile7 } from '../quantile.ts'

export { quantile7 }

export interface PlaceboSummary {
  readonly draws: number
  readonly used: number
  readonly actual: number
  readonly mean: number
  readonly sd: number
  readonly quantiles: readonly { readonly q: number; readonly value: number }[]
  readonly p: number
  readonly pLeft: number
  readonly pRight: number
  readonly pOneSided: number
}

export const QUANTILES = [0.01, 0.05, 0.5, 0.95, 0.99] as const

export function summarize(estimates: Float64Array, actual: number): PlaceboSummary {
  const b = estimates.filter((v) => Number.isFinite(v))
  const n = b.length
  let s = 0
  for (const v of b) s += v
  const mean = s / n
  let ss = 0
  for (const v of b) ss += (v - mean) * (v - mean)
  const sd = Math.sqrt(ss / (n - 1))
  const sorted = b.slice().sort()
  let two = 0, left = 0, right = 0
  const abs = Math.abs(actual)
  for (const v of b) {
    if (Math.abs(v) >= abs) two++
    if (v <= actual) left++
    if (v >= actual) right++
  }
  const pLeft = left / n, pRight = right / n
  return {
    draws: estimates.length, used: n, actual, mean, sd,
    quantiles: QUANTILES.map((q) => ({ q, value: quantile7(sorted, q) })),
    p: two / n, pLeft, pRight, pOneSided: actual < 0 ? pLeft : pRight,
  }
}

/** R's bw.nrd0. */
export function bwNrd0(x: Float64Array): number {
  const n = x.length
  const sorted = x.slice().sort()
  let m = 0
  for (const v of x) m += v
  m /= n
  let ss = 0
  for (const v of x) ss += (v - m) * (v - m)
  const hi = Math.sqrt(ss / (n - 1))
  let lo = Math.min(hi, (quantile7(sorted, 0.75) - quantile7(sorted, 0.25)) / 1.34)
  if (!(lo > 0)) lo = hi || Math.abs(sorted[0]) || 1
  return 0.9 * lo * n ** -0.2
}

/** Gaussian kernel density of x on `points` equally spaced points (cut = 3 bandwidths). */
export function kernelDensity(x: Float64Array, points = 512): { x: Float64Array; y: Float64Array; bw: number } {
  const h = bwNrd0(x)
  let min = Infinity, max = -Infinity
  for (const v of x) { if (v < min) min = v; if (v > max) max = v }
  const from = min - 3 * h, to = max + 3 * h
  const gx = new Float64Array(points), gy = new Float64Array(points)
  const c = 1 / (x.length * h * Math.sqrt(2 * Math.PI))
  for (let k = 0; k < points; k++) {
    const at = from + ((to - from) * k) / (points - 1)
    let s = 0
    for (const v of x) { const z = (at - v) / h; s += Math.exp(-0.5 * z * z) }
    gx[k] = at
    gy[k] = s * c
  }
  return { x: gx, y: gy, bw: h }
}
