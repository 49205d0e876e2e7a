/**
 * Last observation carried forward (LOCF) and next observation carried backward (NOCB) over
 * a time index, as `zoo::na.locf(y, na.rm = FALSE)` and `zoo::na.locf(y, fromLast = TRUE,
 * na.rm = FALSE)` on the series ordered by time.
 *
 *   LOCF: y*(t) = y(s) with s = max{ s ≤ t : y(s) observed }
 *   NOCB: y*(t) = y(s) with s = min{ s ≥ t : y(s) observed }
 *
 * Values before the first observation (LOCF) or after the last one (NOCB) have nothing to
 * carry and stay missing, unless `nearestEnds` is set: they then take the nearest observed
 * value (the first, resp. the last), i.e. tidyr's `fill(.direction = "downup"/"updown")`.
 * A series with no observed value stays missing.
 *
 * ## References
 * Zeileis & Grothendieck (2005), "zoo: S3 infrastructure for regular and irregular time
 * series", J. Statistical Software 14(6), doi:10.18637/jss.v014.i06.
 */

export type CarryDirection = 'forward' | 'backward'

/** `t` (time values, unique, any row order) and `y` (NaN = missing) of one unit. */
export function carrySeries(
  t: ArrayLike<number>,
  y: ArrayLike<number>,
  direction: CarryDirection,
  nearestEnds: boolean,
): Float64Array {
  const n = y.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => t[a] - t[b])
  if (direction === 'backward') order.reverse()
  const out = Float64Array.from(y)
  let last = NaN
  let firstSeen = -1 // position in `order` of the first observation
  for (let k = 0; k < n; k++) {
    const i = order[k]
    if (!Number.isNaN(y[i])) {
      last = y[i]
      if (firstSeen < 0) firstSeen = k
    } else out[i] = last
  }
  if (nearestEnds && firstSeen > 0) {
    const v = y[order[firstSeen]]
    for (let k = 0; k < firstSeen; k++) out[order[k]] = v
  }
  return out
}
