/**
 * The coupling coordination degree (CCD) of n subsystems with development indices u_i ∈ [0, 1]:
 *
 *   coupling      C = n · [Π u_i / (Σ u_i)ⁿ]^(1/n)   (the geometric over the arithmetic mean, in [0, 1])
 *   development   T = Σ α_i u_i                       (Σ α_i = 1; equal α_i = 1/n by default)
 *   coordination  D = √(C · T)
 *
 * With every u_i = 0 the ratio is 0/0; C = 0 there (no development, nothing coupled), so D = 0.
 * D is classified into ten levels (Liao 1999), each interval closed below and open above,
 * [0, 0.1) … [0.8, 0.9), and the last closed at both ends, [0.9, 1]; a D above 1 (possible
 * only when a shift pushed some u_i above 1) falls in the last level too.
 *
 * The relative development type names the lagging subsystem: the one with the lowest u_i
 * (the first in order on a tie), or `synchronous` when max u − min u ≤ tolerance (0.1 in the
 * literature's two-subsystem rule: |u₁ − u₂| ≤ 0.1 is synchronous development).
 *
 * ## References
 * S. Wang, Y. Kong, L. Ren, Y. Zhi, D. Dai (2021), "Research on misuses and modification of
 *   coupling coordination degree model in China", Journal of Natural Resources 36(3),
 *   793–810, doi:10.31497/zrzyxb.20210319.
 * C. Liao (1999), Tropical Geography 19(2), 171–177 (the ten-level classification).
 */

export interface CcdClass {
  readonly level: number
  /** Lower bound, included. */
  readonly from: number
  /** Upper bound, excluded (included for the last level). */
  readonly to: number
  readonly label: string
}

export const CCD_CLASSES: readonly CcdClass[] = [
  'extreme disorder',
  'serious disorder',
  'moderate disorder',
  'mild disorder',
  'on the verge of disorder',
  'barely coordinated',
  'primary coordination',
  'intermediate coordination',
  'good coordination',
  'quality coordination',
].map((label, k) => ({ level: k + 1, from: k / 10, to: (k + 1) / 10, label }))

/** The word for rows where no subsystem lags (max − min ≤ tolerance). */
export const SYNCHRONOUS = 'synchronous'

/** The class of D (undefined when D is missing or negative). */
export function ccdLevel(d: number): CcdClass | undefined {
  if (!(d >= 0)) return undefined
  // Compared against the stored bounds, not floor(10·D): 10 × 0.8999999999999999 rounds to 9, which would be level 10.
  for (let k = CCD_CLASSES.length - 1; k > 0; k--) if (d >= CCD_CLASSES[k].from) return CCD_CLASSES[k]
  return CCD_CLASSES[0]
}

/** C = n · [Π u_i / (Σ u_i)ⁿ]^(1/n), computed as (Π u_i)^(1/n) / mean(u); 0 when Σ u_i = 0. */
export function couplingDegree(u: ArrayLike<number>): number {
  const n = u.length
  let sum = 0
  let logProd = 0
  let zero = false
  for (let i = 0; i < n; i++) {
    if (!(u[i] >= 0)) return NaN
    sum += u[i]
    if (u[i] === 0) zero = true
    else logProd += Math.log(u[i])
  }
  if (sum === 0 || zero) return 0
  return Math.exp(logProd / n) / (sum / n)
}

export interface Coordination {
  readonly C: number
  readonly T: number
  readonly D: number
  readonly level: number
  readonly label: string
  /** Index of the lagging subsystem, or -1 when synchronous. */
  readonly lagging: number
}

/**
 * C, T, D, the class of D and the lagging subsystem of one unit-year. `alpha` sums to 1;
 * a missing or negative u gives NaN everywhere and level 0.
 */
export function coordinate(u: ArrayLike<number>, alpha: ArrayLike<number>, tolerance: number): Coordination {
  const C = couplingDegree(u)
  if (!(C === C)) return { C: NaN, T: NaN, D: NaN, level: 0, label: '', lagging: -1 }
  let T = 0
  let lo = 0
  let hi = 0
  for (let i = 0; i < u.length; i++) {
    T += alpha[i] * u[i]
    if (u[i] < u[lo]) lo = i
    if (u[i] > u[hi]) hi = i
  }
  const D = Math.sqrt(C * T)
  const cls = ccdLevel(D)!
  return { C, T, D, level: cls.level, label: cls.label, lagging: u[hi] - u[lo] <= tolerance ? -1 : lo }
}
