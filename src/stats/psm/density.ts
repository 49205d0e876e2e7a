/**
 * Weighted Gaussian kernel density of propensity scores for the figures, on [0, 1]:
 *   f(x) = Σ w_i φ((x − p_i)/h) / (h Σ w_i),   h = R's bw.nrd0 of the scores (unweighted).
 * The scores are first binned on 2,000 bins of [0, 1] (an error below 1/4,000 in position, invisible
 * at the figure's size), so the cost does not grow with the rows. Drawing only.
 */
import { bwNrd0 } from '../placebo/summary.ts'

export function weightedDensity(p: Float64Array, w: Float64Array | null, points = 201): { x: Float64Array; y: Float64Array } {
  const h = p.length > 1 ? bwNrd0(p) : 0.05
  const x = Float64Array.from({ length: points }, (_, k) => k / (points - 1))
  const y = new Float64Array(points)
  const B = 2000
  const bins = new Float64Array(B)
  let W = 0
  for (let i = 0; i < p.length; i++) {
    const wi = w ? w[i] : 1
    bins[Math.min(B - 1, Math.max(0, Math.floor(p[i] * B)))] += wi
    W += wi
  }
  const c = 1 / (h * Math.sqrt(2 * Math.PI) * W)
  for (let k = 0; k < points; k++) {
    let s = 0
    for (let b = 0; b < B; b++) {
      if (bins[b] === 0) continue
      const u = (x[k] - (b + 0.5) / B) / h
      if (u > -8 && u < 8) s += bins[b] * Math.exp(-0.5 * u * u)
    }
    y[k] = s * c
  }
  return { x, y }
}
