/**
 * The numbers DEA works on: n decision-making units (DMUs), each with m inputs x,
 * s1 desirable outputs yᵍ and s2 undesirable outputs yᵇ, stored DMU-major so that one
 * unit's d = m + s1 + s2 values are contiguous (the pricing loop reads them in order).
 */

export interface DeaData {
  /** Number of DMUs. */
  readonly n: number
  /** Inputs, desirable outputs, undesirable outputs. */
  readonly m: number
  readonly s1: number
  readonly s2: number
  /** m + s1 + s2. */
  readonly d: number
  /** n × d: DMU j holds [x_1..x_m, yᵍ_1..yᵍ_s1, yᵇ_1..yᵇ_s2] at [j·d, (j+1)·d). All > 0. */
  readonly values: Float64Array
}

/** Build DeaData from per-DMU rows (tests, examples). `bad` may be omitted. */
export function deaData(x: readonly (readonly number[])[], good: readonly (readonly number[])[], bad?: readonly (readonly number[])[]): DeaData {
  const n = x.length
  if (good.length !== n || (bad && bad.length !== n)) throw new RangeError('deaData: inputs and outputs need one row per DMU')
  const m = n > 0 ? x[0].length : 0
  const s1 = n > 0 ? good[0].length : 0
  const s2 = bad && n > 0 ? bad[0].length : 0
  const d = m + s1 + s2
  const values = new Float64Array(n * d)
  for (let j = 0; j < n; j++) {
    const row = [...x[j], ...good[j], ...(bad ? bad[j] : [])]
    if (row.length !== d) throw new RangeError(`deaData: DMU ${j} has ${row.length} values, expected ${d}`)
    values.set(row, j * d)
  }
  return { n, m, s1, s2, d, values }
}

/** The subset of DMUs `rows`, in that order. */
export function subsetData(data: DeaData, rows: ArrayLike<number>): DeaData {
  const { d } = data
  const values = new Float64Array(rows.length * d)
  for (let k = 0; k < rows.length; k++) values.set(data.values.subarray(rows[k] * d, rows[k] * d + d), k * d)
  return { ...data, n: rows.length, values }
}
