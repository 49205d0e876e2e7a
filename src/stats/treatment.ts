/**
 * Staggered-adoption treatment timing, one convention for every stage and the expression
 * language: a unit whose adoption year is missing or 0 is never treated (shared data code
 * never-treated units both ways), D_it = 1{t ≥ A_i} otherwise, and e_it = t − A_i is the
 * relative period. A missing time gives a missing result.
 */

export function isNeverTreated(adoption: number): boolean {
  return adoption !== adoption || adoption === 0
}

/** D_it: 1 from the adoption year on, 0 before it and for never-treated units. */
export function adoptedIndicator(time: ArrayLike<number>, adoption: ArrayLike<number>): Float64Array {
  const out = new Float64Array(time.length)
  for (let i = 0; i < out.length; i++) {
    const t = time[i], a = adoption[i]
    out[i] = t !== t ? NaN : isNeverTreated(a) ? 0 : t >= a ? 1 : 0
  }
  return out
}

/** e_it = t − A_i; missing for never-treated units. */
export function eventTime(time: ArrayLike<number>, adoption: ArrayLike<number>): Float64Array {
  const out = new Float64Array(time.length)
  for (let i = 0; i < out.length; i++) out[i] = isNeverTreated(adoption[i]) ? NaN : time[i] - adoption[i]
  return out
}
