/**
 * The balanced panel a spatial model needs, stacked time-major (row t·N + i, unit i in the
 * weights' order), the fixed-effects demeaning of such a panel, and the panel lag
 * (I_T ⊗ W)v. Balanced only: the likelihood has T copies of ln|I − ρW|, one per complete
 * cross-section; balancing (dropping units or years) is the user's decision.
 */
import { QuasiError } from '../../errors.ts'
import { spatialLag, type SparseMatrix } from '../../artifacts/weights.ts'

export type SpatialEffects = 'unit' | 'time' | 'twoways' | 'none'

export interface PanelLayout {
  readonly n: number
  readonly t: number
  /** The periods, ascending. */
  readonly times: Float64Array
  /** row[t·N + i]: the frame row of unit i (weights order) in period t. */
  readonly row: Int32Array
}

/**
 * Rows of the frame in stacked order. Throws WEIGHTS_MISMATCH (role `weights`) when the
 * frame's units and the weights' units differ (naming both sides' extras), UNBALANCED_PANEL
 * (role `panel`) when a unit lacks a period, DUPLICATE_PANEL_KEY for a repeated (unit, time).
 */
export function panelLayout(units: readonly (string | null)[], times: Float64Array, weightUnits: readonly string[]): PanelLayout {
  const n = weightUnits.length
  const index = new Map(weightUnits.map((u, i) => [u, i]))
  const seen = new Set<string>()
  const extraData: string[] = []
  for (const u of units) {
    const key = u ?? ''
    if (!index.has(key) && !seen.has(key)) extraData.push(key)
    seen.add(key)
  }
  const extraWeights = weightUnits.filter((u) => !seen.has(u))
  if (extraData.length || extraWeights.length) {
    const list = (xs: string[]) => xs.slice(0, 5).map((x) => `\`${x}\``).join(', ') + (xs.length > 5 ? ` and ${xs.length - 5} more` : '')
    const parts = [
      extraData.length ? `${extraData.length} unit${extraData.length > 1 ? 's' : ''} of the data not in the weights (${list(extraData)})` : '',
      extraWeights.length ? `${extraWeights.length} unit${extraWeights.length > 1 ? 's' : ''} of the weights not in the data (${list(extraWeights)})` : '',
    ].filter(Boolean)
    throw new QuasiError('WEIGHTS_MISMATCH', `the units of the data and of the weights differ: ${parts.join('; ')}`, {
      expected: `the same ${n} units on both sides`, found: parts.join('; '),
      hint: 'build the weights over the units of the estimation table, or filter the table to the units of the weights',
      role: { role: 'weights' },
    })
  }
  const tset = [...new Set(Array.from(times))].sort((a, b) => a - b)
  if (tset.some((v) => Number.isNaN(v))) throw new QuasiError('BAD_PANEL_TIME', 'the panel time column has missing values', {})
  const T = tset.length
  const tIndex = new Map(tset.map((v, k) => [v, k]))
  const row = new Int32Array(n * T).fill(-1)
  for (let r = 0; r < units.length; r++) {
    const i = index.get(units[r] ?? '')!, k = tIndex.get(times[r])!
    if (row[k * n + i] !== -1) {
      throw new QuasiError('DUPLICATE_PANEL_KEY', `unit \`${units[r]}\` appears twice in period ${times[r]}`, { found: `rows ${row[k * n + i] + 1} and ${r + 1}` })
    }
    row[k * n + i] = r
  }
  if (units.length !== n * T) {
    const gap = row.indexOf(-1)
    const u = weightUnits[gap % n], p = tset[Math.floor(gap / n)]
    throw new QuasiError('UNBALANCED_PANEL', `the panel is unbalanced: ${units.length} rows for ${n} units × ${T} periods (unit \`${u}\` has no row for period ${p})`, {
      expected: `${n * T} rows, one per unit and period`, found: `${units.length} rows`,
      hint: 'spatial panel models need a balanced panel: filter to the units (or years) observed throughout, or fill the gaps (impute) first',
    })
  }
  return { n, t: T, times: Float64Array.from(tset), row }
}

/** Column values in stacked order; a missing value is an error naming the column (role `column`). */
export function stack(values: Float64Array, layout: PanelLayout, column: string): Float64Array {
  const out = new Float64Array(layout.row.length)
  for (let k = 0; k < out.length; k++) {
    const v = values[layout.row[k]]
    if (Number.isNaN(v)) {
      throw new QuasiError('BAD_DATA', `\`${column}\` is missing in row ${layout.row[k] + 1}; a spatial panel model needs every value`, {
        found: 'a missing value', hint: 'fill it (impute) or drop the unit from both the data and the weights',
      })
    }
    out[k] = v
  }
  return out
}

/**
 * v − v̄_i. (unit), v − v̄_.t (time), or v − v̄_i. − v̄_.t + v̄_.. (two-way), for a balanced panel
 * stacked time-major: the within transformation of the fixed-effects model.
 */
export function demean(v: Float64Array, n: number, t: number, fe: SpatialEffects): Float64Array {
  const out = Float64Array.from(v)
  if (fe === 'none') return out
  const unitMean = new Float64Array(n), timeMean = new Float64Array(t)
  let all = 0
  for (let k = 0; k < t; k++) for (let i = 0; i < n; i++) { const x = v[k * n + i]; unitMean[i] += x; timeMean[k] += x; all += x }
  for (let i = 0; i < n; i++) unitMean[i] /= t
  for (let k = 0; k < t; k++) timeMean[k] /= n
  all /= n * t
  for (let k = 0; k < t; k++) for (let i = 0; i < n; i++) {
    const j = k * n + i
    if (fe === 'unit') out[j] -= unitMean[i]
    else if (fe === 'time') out[j] -= timeMean[k]
    else out[j] += all - unitMean[i] - timeMean[k]
  }
  return out
}

/** (I_T ⊗ W)v. */
export function panelLag(w: SparseMatrix, v: Float64Array, t: number): Float64Array {
  const n = w.n, out = new Float64Array(v.length)
  for (let k = 0; k < t; k++) spatialLag(w, v.subarray(k * n, (k + 1) * n), out.subarray(k * n, (k + 1) * n))
  return out
}

/**
 * (I_T ⊗ W)v for several v at once: each row of W is read once per period for all of them
 * (a dense W at N = 280 has 78,400 entries; the index loads and gathers, not the multiplications, cost).
 * Each output is summed in the same order as panelLag's, so the results are identical.
 */
export function panelLags(w: SparseMatrix, vs: readonly Float64Array[], t: number): Float64Array[] {
  const n = w.n, V = vs.length
  const out = vs.map((v) => new Float64Array(v.length))
  const { rowStart, cols, values } = w
  // four vectors at a time, one period's values interleaved (unit-major, zero-padded), so that
  // a W entry reads four neighbours into four running sums
  const buf = new Float64Array(n * 4)
  for (let g = 0; g < V; g += 4) {
    const m = Math.min(4, V - g)
    for (let k = 0; k < t; k++) {
      const off = k * n
      buf.fill(0)
      for (let v = 0; v < m; v++) { const src = vs[g + v]; for (let i = 0; i < n; i++) buf[i * 4 + v] = src[off + i] }
      for (let i = 0; i < n; i++) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0
        for (let p = rowStart[i]; p < rowStart[i + 1]; p++) {
          const c = cols[p] * 4, x = values[p]
          a0 += x * buf[c]; a1 += x * buf[c + 1]; a2 += x * buf[c + 2]; a3 += x * buf[c + 3]
        }
        out[g][off + i] = a0
        if (m > 1) out[g + 1][off + i] = a1
        if (m > 2) out[g + 2][off + i] = a2
        if (m > 3) out[g + 3][off + i] = a3
      }
    }
  }
  return out
}
