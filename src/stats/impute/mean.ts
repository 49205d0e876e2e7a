/**
 * Group-mean imputation: every missing value takes the mean of the observed values of its
 * group (a unit for unit-mean; a time period, or period × `by` cell, for time-mean).
 *
 *   ȳ_g = (1/n_g) Σ_{i ∈ g, y_i observed} y_i ,   y*_i = ȳ_{g(i)} where y_i is missing
 *
 * A group with no observed value has no mean and its values stay missing.
 *
 * ## Method
 * Two passes per group, as R's `mean.default` (summary.c): m = Σy/n, then m += Σ(y − m)/n,
 * which removes most of the rounding error of the first sum (R does the sums in long
 * double; here in double, so agreement with R is to a few ulps).
 *
 * ## References
 * R Core Team, `?mean` (base), R 4.2; Little & Rubin (2019), Statistical Analysis with
 * Missing Data, 3rd ed., §4.2 (mean imputation and its variance understatement).
 */

/**
 * Means of `y` per group. `group[i]` is the group id of row i in [0, ngroups), or −1 for a
 * row that belongs to no group. Groups with no observed value get NaN.
 */
export function groupMeans(y: ArrayLike<number>, group: ArrayLike<number>, ngroups: number): Float64Array {
  const sum = new Float64Array(ngroups)
  const count = new Float64Array(ngroups)
  for (let i = 0; i < y.length; i++) {
    const g = group[i]
    if (g >= 0 && !Number.isNaN(y[i])) {
      sum[g] += y[i]
      count[g]++
    }
  }
  const mean = new Float64Array(ngroups)
  for (let g = 0; g < ngroups; g++) mean[g] = count[g] > 0 ? sum[g] / count[g] : NaN
  const corr = new Float64Array(ngroups)
  for (let i = 0; i < y.length; i++) {
    const g = group[i]
    if (g >= 0 && !Number.isNaN(y[i])) corr[g] += y[i] - mean[g]
  }
  for (let g = 0; g < ngroups; g++) if (count[g] > 0) mean[g] += corr[g] / count[g]
  return mean
}

/** `y` with each missing value replaced by its group's mean (NaN where the group has none). */
export function fillGroupMean(y: ArrayLike<number>, group: ArrayLike<number>, ngroups: number): Float64Array {
  const mean = groupMeans(y, group, ngroups)
  const out = Float64Array.from(y)
  for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i]) && group[i] >= 0) out[i] = mean[group[i]]
  return out
}
