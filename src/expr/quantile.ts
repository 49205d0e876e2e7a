/**
 * Sample quantiles of sorted data under two definitions, for `winsor` (and `median`).
 *
 * ## R type 7 (R's default, Hyndman & Fan definition 7; also numpy's "linear")
 *   h = (n − 1)·p + 1,  q(p) = (1 − g)·x₍⌊h⌋₎ + g·x₍⌈h⌉₎,  g = h − ⌊h⌋
 * computed in the same order of operations as R's `quantile.default`, so results agree
 * to the last bit.
 *
 * ## Stata (`_pctile`, `summarize, detail`, `xtile`, and so `winsor2` from SSC)
 *   P = n·p,  i = ⌊P⌋;  q(p) = (x₍ᵢ₎ + x₍ᵢ₊₁₎)/2 if P is an integer, else x₍ᵢ₊₁₎
 * with x₍₀₎ := x₍₁₎ and x₍ₙ₊₁₎ := x₍ₙ₎ at the ends. This is the inverse of the empirical
 * distribution function with averaging at discontinuities, Hyndman & Fan definition 2
 * (R type 2). Stata takes p in percent (P = n·p/100, exact for whole percents); here p is a
 * fraction, so P counts as an integer when within STATA_INTEGER_FUZZ (relative) of one,
 * which gives 0.07·100 = 7 the answer Stata gives for the 7th percentile of 100 values.
 *
 * ## References
 * R. J. Hyndman, Y. Fan (1996), "Sample quantiles in statistical packages",
 *   The American Statistician 50(4), 361–365, doi:10.2307/2684934.
 * StataCorp, Stata Base Reference Manual, `[D] pctile`, Methods and formulas.
 */

export type QuantileDefinition = 'r7' | 'stata'

export const QUANTILE_DEFINITIONS: readonly QuantileDefinition[] = ['r7', 'stata']

/** P within this relative distance of an integer counts as one (binary fractions: 0.07·100). */
export const STATA_INTEGER_FUZZ = 1e-9

/** Quantile p ∈ [0, 1] of ascending `x` (no NaN), NaN if `x` is empty. */
export function quantileSorted(x: ArrayLike<number>, p: number, def: QuantileDefinition): number {
  return def === 'r7' ? quantileType7(x, p) : quantileStata(x, p)
}

export function quantileType7(x: ArrayLike<number>, p: number): number {
  const n = x.length
  if (n === 0) return NaN
  const index = 1 + (n - 1) * p
  const lo = Math.floor(index)
  const hi = Math.ceil(index)
  const qs = x[lo - 1]
  const xhi = x[hi - 1]
  if (index > lo && xhi !== qs) {
    const h = index - lo
    return (1 - h) * qs + h * xhi
  }
  return qs
}

export function quantileStata(x: ArrayLike<number>, p: number): number {
  const n = x.length
  if (n === 0) return NaN
  const P = n * p
  const j = Math.round(P)
  const at = (k: number) => x[Math.min(Math.max(k, 1), n) - 1]
  if (Math.abs(P - j) <= STATA_INTEGER_FUZZ * Math.max(1, P)) {
    const a = at(j)
    const b = at(j + 1)
    return a === b ? a : (a + b) / 2
  }
  return at(Math.floor(P) + 1)
}
