/** A seeded k-nearest-neighbour W (row-standardized) over random points, and an SDM panel generated on it, for the large-W tests and bench. */
import { sparseFromDense, type SparseMatrix } from '../../../../src/artifacts/weights.ts'
import { Rng } from '../../../../src/stats/rng.ts'

export function knnWeights(n: number, k: number, seed: string): SparseMatrix {
  const rng = new Rng(['knn', seed])
  const xy = Array.from({ length: n }, () => [rng.uniform(), rng.uniform()])
  // a grid of cells keeps the neighbour search near linear for large n
  const g = Math.max(1, Math.floor(Math.sqrt(n / 4)))
  const cells = new Map<number, number[]>()
  xy.forEach(([x, y], i) => { const c = Math.min(g - 1, Math.floor(x * g)) * g + Math.min(g - 1, Math.floor(y * g)); (cells.get(c) ?? cells.set(c, []).get(c)!).push(i) })
  const rowStart = new Int32Array(n + 1), cols: number[] = [], values: number[] = []
  for (let i = 0; i < n; i++) {
    const cx = Math.min(g - 1, Math.floor(xy[i][0] * g)), cy = Math.min(g - 1, Math.floor(xy[i][1] * g))
    let cand: number[] = []
    for (let r = 1; cand.length < k + 1 || r <= 2; r++) {
      cand = []
      for (let a = cx - r; a <= cx + r; a++) for (let b = cy - r; b <= cy + r; b++) if (a >= 0 && b >= 0 && a < g && b < g) cand.push(...(cells.get(a * g + b) ?? []))
      if (r > g) break
    }
    const d = (j: number) => Math.hypot(xy[i][0] - xy[j][0], xy[i][1] - xy[j][1])
    const near = cand.filter((j) => j !== i).sort((a, b) => d(a) - d(b) || a - b).slice(0, k).sort((a, b) => a - b)
    for (const j of near) { cols.push(j); values.push(1 / k) }
    rowStart[i + 1] = cols.length
  }
  return { n, rowStart, cols: Int32Array.from(cols), values: Float64Array.from(values) }
}

/** y_t = (I − ρW)⁻¹(Xβ + WXθ + α + τ + ε), stacked time-major; the solve by fixed-point iteration. */
export function sdmPanel(w: SparseMatrix, t: number, rho: number, seed: string): { y: Float64Array; x: Float64Array[] } {
  const { spatialLag } = { spatialLag: (m: SparseMatrix, v: Float64Array) => { const o = new Float64Array(m.n); for (let i = 0; i < m.n; i++) { let s = 0; for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++) s += m.values[k] * v[m.cols[k]]; o[i] = s } return o } }
  const n = w.n, rng = new Rng(['panel', seed])
  const x = [0, 1, 2].map(() => Float64Array.from({ length: n * t }, () => rng.normal()))
  const alpha = Float64Array.from({ length: n }, () => rng.normal()), tau = Float64Array.from({ length: t }, () => rng.normal())
  const y = new Float64Array(n * t)
  for (let p = 0; p < t; p++) {
    const rhs = new Float64Array(n)
    for (let i = 0; i < n; i++) rhs[i] = alpha[i] + tau[p] + rng.normal()
    x.forEach((c) => { const v = c.subarray(p * n, (p + 1) * n), wv = spatialLag(w, v); for (let i = 0; i < n; i++) rhs[i] += 0.5 * v[i] + 0.2 * wv[i] })
    let u = Float64Array.from(rhs)
    for (let it = 0; it < 400; it++) { const wu = spatialLag(w, u); u = rhs.map((r, i) => r + rho * wu[i]) }
    y.set(u, p * n)
  }
  return { y, x }
}
