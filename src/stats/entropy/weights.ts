/**
 * The entropy weight method: a composite index of m indicators over n observations, each
 * indicator weighted by how unevenly it is spread (the less even, the more information).
 *
 * ## Method (on the rows where every indicator is observed)
 *   1. normalise, by direction (positive: more is better; negative: more is worse):
 *        min-max   positive z_ij = (x_ij − min_j)/(max_j − min_j) + s
 *                  negative z_ij = (max_j − x_ij)/(max_j − min_j) + s      (s = shift, default 0)
 *        ratio     positive z_ij = x_ij / max_j,  negative z_ij = min_j / x_ij   (needs x ≥ 0, and x > 0 for negative)
 *   2. shares     p_ij = z_ij / Σ_i z_ij
 *   3. entropy    e_j  = −(1/ln n) Σ_i p_ij ln p_ij,  with 0·ln 0 = 0 (its limit)
 *   4. divergence d_j  = 1 − e_j
 *   5. weight     w_j  = d_j / Σ_k d_k
 *   6. index      y_i  = Σ_j w_j z_ij
 * A constant indicator (max_j = min_j) carries no information: e_j = 1, d_j = 0, w_j = 0, and
 * it is flagged `constant`; min-max gives it z = s (0/0 has no value), ratio gives z = 1.
 * When every indicator is constant there is nothing to weight: EntropyInputError 'all-constant'.
 *
 * ## References
 * C.-L. Hwang, K. Yoon (1981), Multiple Attribute Decision Making, Lecture Notes in Economics
 *   and Mathematical Systems 186, Springer, §3 (entropy method), doi:10.1007/978-3-642-48318-9.
 * Z. Zou, Y. Yun, J. Sun (2006), Journal of Environmental Sciences 18(5), 1020–1023,
 *   doi:10.1016/S1001-0742(06)60032-6.
 */

export type Direction = 'positive' | 'negative'
export type Normalization = 'min-max' | 'ratio'

export interface IndicatorInput {
  readonly column: string
  readonly direction: Direction
  /** Values by row of the frame; NaN is missing. */
  readonly values: Float64Array
}

export interface IndicatorWeight {
  readonly column: string
  readonly direction: Direction
  readonly entropy: number
  readonly divergence: number
  readonly weight: number
  /** max = min on the rows used: weight 0. */
  readonly constant: boolean
}

export interface EntropyResult {
  /** The index of each row in `rows` (NaN where an indicator is missing). */
  readonly index: Float64Array
  /** Rows in `rows` with every indicator observed: those that enter the weights. */
  readonly n: number
  readonly indicators: readonly IndicatorWeight[]
}

export interface EntropyOptions {
  readonly normalization?: Normalization
  /** Added to min-max normalised values (the literature's 0.0001); default 0. */
  readonly shift?: number
}

/** What went wrong, as data: the stage words the message and names the parameter. */
export type EntropyProblem =
  | { readonly reason: 'all-constant'; readonly columns: readonly string[] }
  | { readonly reason: 'too-few-rows'; readonly n: number }
  /** Ratio normalisation of a value it cannot take: negative, or 0 in a negative indicator. */
  | { readonly reason: 'non-positive'; readonly column: string; readonly direction: Direction; readonly row: number; readonly value: number }

export class EntropyInputError extends Error {
  readonly problem: EntropyProblem
  constructor(problem: EntropyProblem) {
    super(`entropy weights: ${problem.reason}`)
    this.problem = problem
  }
}

/**
 * The entropy-weighted index of `indicators` over the frame rows `rows` (all rows when
 * omitted). Weights use the rows where every indicator is observed; at least 2 are needed.
 */
export function entropyIndex(indicators: readonly IndicatorInput[], rows?: ArrayLike<number>, options: EntropyOptions = {}): EntropyResult {
  const normalization = options.normalization ?? 'min-max'
  const shift = options.shift ?? 0
  const all = rows ?? Array.from({ length: indicators[0]?.values.length ?? 0 }, (_, i) => i)
  const m = indicators.length
  const complete: number[] = []
  const cols = indicators.map((ind) => ind.values)
  for (let r = 0; r < all.length; r++) {
    const i = all[r]
    let ok = true
    for (let j = 0; j < m && ok; j++) ok = cols[j][i] === cols[j][i]
    if (ok) complete.push(r)
  }
  const k = complete.length
  if (k < 2) throw new EntropyInputError({ reason: 'too-few-rows', n: k })
  const z = indicators.map(() => new Float64Array(k))
  const e = new Float64Array(m)
  const constant = indicators.map(() => false)
  for (let j = 0; j < m; j++) {
    const x = indicators[j].values
    const negative = indicators[j].direction === 'negative'
    let lo = Infinity
    let hi = -Infinity
    for (const r of complete) {
      const v = x[all[r]]
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    if (normalization === 'ratio') {
      // x/max and min/x are shares of a positive scale: a negative value (or 0 under min/x) has none.
      for (const r of complete) {
        const v = x[all[r]]
        if (v < 0 || (negative && v === 0)) throw new EntropyInputError({ reason: 'non-positive', column: indicators[j].column, direction: indicators[j].direction, row: all[r], value: v })
      }
    }
    const range = hi - lo
    if (!(range > 0)) {
      constant[j] = true
      e[j] = 1
      z[j].fill(normalization === 'ratio' ? 1 : shift)
      continue
    }
    let total = 0
    for (let r = 0; r < k; r++) {
      const v = x[all[complete[r]]]
      z[j][r] = normalization === 'ratio' ? (negative ? lo / v : v / hi) : (negative ? hi - v : v - lo) / range + shift
      total += z[j][r]
    }
    let h = 0
    for (let r = 0; r < k; r++) {
      const p = z[j][r] / total
      if (p > 0) h -= p * Math.log(p)
    }
    e[j] = h / Math.log(k)
  }
  let dsum = 0
  for (let j = 0; j < m; j++) dsum += 1 - e[j]
  // Every indicator constant: nothing to weight (and so if rounding left no divergence at all).
  if (!(dsum > 0)) throw new EntropyInputError({ reason: 'all-constant', columns: indicators.map((i) => i.column) })
  const w = Array.from(e, (ej) => (1 - ej) / dsum)
  const index = new Float64Array(all.length).fill(NaN)
  for (let r = 0; r < k; r++) {
    let y = 0
    for (let j = 0; j < m; j++) y += w[j] * z[j][r]
    index[complete[r]] = y
  }
  return {
    index,
    n: k,
    indicators: indicators.map((ind, j) => ({ column: ind.column, direction: ind.direction, entropy: e[j], divergence: 1 - e[j], weight: w[j], constant: constant[j] })),
  }
}
