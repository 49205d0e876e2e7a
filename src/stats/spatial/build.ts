/**
 * Raw (unstyled) spatial weights from coordinates or a unit-level value, as sparse rows over
 * the units in the order given. Styling (row-standardising, binary) and the island check are
 * the stage's: see src/artifacts/weights.ts. Formulas: docs/methods.md, "Spatial weights".
 *
 *   inverse distance   w_ij = d_ij^(−p)            (i ≠ j, and d_ij ≤ cutoff when given)
 *   distance band      w_ij = 1                     (i ≠ j, d_ij ≤ cutoff)
 *   k nearest          w_ij = 1 for the k smallest d_ij, j ≠ i (ties: the lower index first)
 *   economic           w_ij = 1 / |ȳ_i − ȳ_j|       (i ≠ j)
 *
 * Every pass is over all pairs (N² distances, none stored): 3,000 points are 9·10⁶ haversines,
 * well under a second; a spatial index would pay only far beyond the panels this serves.
 */
import type { SparseMatrix } from '../../artifacts/weights.ts'
import { pointDistance, type Points } from './distance.ts'
import { MAX_PAIRS, SpatialInputError } from './errors.ts'

/** CSR assembled row by row (columns ascending within a row by construction). */
class RowBuilder {
  readonly rowStart: Int32Array
  cols: Int32Array
  values: Float64Array
  k = 0
  constructor(readonly n: number, guess: number) {
    this.rowStart = new Int32Array(n + 1)
    this.cols = new Int32Array(Math.max(16, guess))
    this.values = new Float64Array(Math.max(16, guess))
  }
  push(j: number, v: number): void {
    if (this.k === this.cols.length) {
      const c = new Int32Array(this.cols.length * 2); c.set(this.cols); this.cols = c
      const w = new Float64Array(this.values.length * 2); w.set(this.values); this.values = w
    }
    this.cols[this.k] = j
    this.values[this.k++] = v
  }
  endRow(i: number): void { this.rowStart[i + 1] = this.k }
  done(): SparseMatrix {
    return { n: this.n, rowStart: this.rowStart, cols: this.cols.slice(0, this.k), values: this.values.slice(0, this.k) }
  }
}

export interface DistanceOptions {
  /** Exponent p of 1/d^p. Default 1. */
  readonly power?: number
  /** Links only within this distance (same units as the points' radius). */
  readonly cutoff?: number
}

/** w_ij = d_ij^(−power), i ≠ j, within `cutoff` when given. Coincident points are an error. */
export function inverseDistance(p: Points, opts: DistanceOptions = {}): SparseMatrix {
  const power = opts.power ?? 1
  const cutoff = opts.cutoff ?? Infinity
  const b = new RowBuilder(p.n, Number.isFinite(cutoff) ? p.n * 8 : p.n * p.n)
  const coincident: [number, number][] = []
  for (let i = 0; i < p.n; i++) {
    for (let j = 0; j < p.n; j++) {
      if (j === i) continue
      const d = pointDistance(p, i, j)
      if (d === 0) {
        if (i < j && coincident.length < MAX_PAIRS) coincident.push([i, j])
        continue
      }
      if (d <= cutoff) b.push(j, power === 1 ? 1 / d : d ** -power)
    }
    b.endRow(i)
  }
  if (coincident.length) throw new SpatialInputError({ reason: 'coincident', pairs: coincident })
  return b.done()
}

/** w_ij = 1 for i ≠ j within `cutoff` (coincident points are neighbours). */
export function distanceBand(p: Points, cutoff: number): SparseMatrix {
  const b = new RowBuilder(p.n, p.n * 8)
  for (let i = 0; i < p.n; i++) {
    for (let j = 0; j < p.n; j++) if (j !== i && pointDistance(p, i, j) <= cutoff) b.push(j, 1)
    b.endRow(i)
  }
  return b.done()
}

/**
 * w_ij = 1 for the k units nearest to i (j ≠ i). Ties at the k-th distance go to the lower
 * index, as R's stable `order()` gives them. Rows are not symmetric in general.
 */
export function kNearest(p: Points, k: number): SparseMatrix {
  if (!(k >= 1 && k < p.n)) throw new SpatialInputError({ reason: 'k-too-large', k, n: p.n })
  const b = new RowBuilder(p.n, p.n * k)
  const bestD = new Float64Array(k), bestJ = new Int32Array(k)
  for (let i = 0; i < p.n; i++) {
    let m = 0 // filled slots, sorted by distance ascending
    for (let j = 0; j < p.n; j++) {
      if (j === i) continue
      const d = pointDistance(p, i, j)
      if (m === k && !(d < bestD[k - 1])) continue
      // Insert after every equal distance, so earlier indices stay ahead on ties.
      let at = m === k ? k - 1 : m++
      while (at > 0 && bestD[at - 1] > d) { bestD[at] = bestD[at - 1]; bestJ[at] = bestJ[at - 1]; at-- }
      bestD[at] = d
      bestJ[at] = j
    }
    const js = Array.from(bestJ.subarray(0, k)).sort((a, c) => a - c)
    for (const j of js) b.push(j, 1)
    b.endRow(i)
  }
  return b.done()
}

/** w_ij = 1 / |y_i − y_j|, i ≠ j (the economic-distance weights). Equal values are an error. */
export function economic(y: ArrayLike<number>): SparseMatrix {
  const n = y.length
  const b = new RowBuilder(n, n * n)
  const equal: [number, number][] = []
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue
      const d = Math.abs(y[i] - y[j])
      if (d === 0) {
        if (i < j && equal.length < MAX_PAIRS) equal.push([i, j])
        continue
      }
      b.push(j, 1 / d)
    }
    b.endRow(i)
  }
  if (equal.length) throw new SpatialInputError({ reason: 'equal-values', pairs: equal })
  return b.done()
}
