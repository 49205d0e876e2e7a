/**
 * Linear interpolation over an index, as R's `approx(x, y, xout, method = "linear", rule)`.
 *
 *   y(v) = y_i + (y_j − y_i) · ((v − x_i) / (x_j − x_i))   for consecutive observed x_i ≤ v ≤ x_j
 *
 * Outside [min x, max x]: `rule: 1` gives NaN (no extrapolation), `rule: 2` gives the value
 * observed at the nearest end (constant continuation).
 *
 * ## Method
 * Pairs with a missing x or y are dropped (R's `na.rm = TRUE`), the rest sorted by x, and each
 * v located by bisection. The interpolation expression is written exactly as in R's
 * `approx1()` (src/library/stats/src/approx.c), so results agree with R to the last bit
 * whenever the inputs do.
 *
 * ## Conventions that differ from R
 * - Fewer than two observed points: R stops ("need at least two non-NA values to
 *   interpolate"). Here no points gives NaN everywhere; one point gives that value at its
 *   own x and, with `rule: 2`, everywhere (the nearest observation); with `rule: 1`, NaN
 *   elsewhere.
 * - Tied x: R averages the tied y (`ties = mean`) with a warning. Callers here must pass
 *   unique x (a panel has one row per unit and time); ties throw.
 *
 * ## References
 * R Core Team, `?approx` (stats), R 4.2; Becker, Chambers & Wilks (1988), The New S Language.
 */

export type ApproxRule = 1 | 2

export function approxLinear(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  xout: ArrayLike<number>,
  rule: ApproxRule,
): Float64Array {
  if (x.length !== y.length) throw new Error(`approxLinear: x has ${x.length} values, y ${y.length}`)
  const idx: number[] = []
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]) && !Number.isNaN(y[i])) idx.push(i)
  idx.sort((a, b) => x[a] - x[b])
  const n = idx.length
  const xs = new Float64Array(n)
  const ys = new Float64Array(n)
  for (let k = 0; k < n; k++) {
    xs[k] = x[idx[k]]
    ys[k] = y[idx[k]]
    if (k > 0 && xs[k] === xs[k - 1]) throw new Error(`approxLinear: tied x value ${xs[k]}`)
  }
  const out = new Float64Array(xout.length)
  for (let k = 0; k < xout.length; k++) out[k] = approxAt(xout[k], xs, ys, rule)
  return out
}

/** y(v) from sorted, unique, observed (xs, ys); see approxLinear. */
function approxAt(v: number, xs: Float64Array, ys: Float64Array, rule: ApproxRule): number {
  const n = xs.length
  if (n === 0 || Number.isNaN(v)) return NaN
  let i = 0
  let j = n - 1
  if (v < xs[i]) return rule === 2 ? ys[i] : NaN
  if (v > xs[j]) return rule === 2 ? ys[j] : NaN
  if (n === 1) return ys[0] // v === xs[0]
  while (i < j - 1) {
    // invariant: xs[i] <= v <= xs[j]
    const ij = (i + j) >> 1
    if (v < xs[ij]) j = ij
    else i = ij
  }
  if (v === xs[j]) return ys[j]
  if (v === xs[i]) return ys[i]
  return ys[i] + (ys[j] - ys[i]) * ((v - xs[i]) / (xs[j] - xs[i]))
}

/**
 * Fill the missing values of one unit's series by linear interpolation over its time values
 * (not row positions): observed values are kept as they are. `t` need not be sorted.
 */
export function interpolateSeries(t: ArrayLike<number>, y: ArrayLike<number>, rule: ApproxRule): Float64Array {
  const filled = approxLinear(t, y, t, rule)
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i])) filled[i] = y[i]
  return filled
}
