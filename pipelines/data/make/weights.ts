/**
 * The spatial weight matrix through which the pilot's effect spills over in the demo DGP.
 *
 *   d_ij = 2 R asin( sqrt( sin²((φ_j − φ_i)/2) + cos φ_i cos φ_j sin²((λ_j − λ_i)/2) ) )   (haversine)
 *   w*_ij = 1 / d_ij  if i ≠ j and d_ij ≤ CUTOFF_KM, else 0;     w_ij = w*_ij / Σ_k w*_ik  (row-standardised)
 *
 * φ latitude, λ longitude (radians, WGS-84 government seats from cities.csv), R the mean
 * Earth radius. Every panel city has a neighbour within the cut-off (the farthest nearest
 * neighbour is about 374 km, Hulunbuir), so no row is empty.
 * ## References
 * Sinnott (1984), "Virtues of the haversine", Sky & Telescope 68(2):159. IUGG mean radius: Moritz (2000), J. Geodesy 74:128.
 */
import type { City } from './cities.ts'

/** Mean Earth radius R1 of the IUGG (GRS 80), km. */
export const EARTH_RADIUS_KM = 6371.0088
/** Neighbours farther than this get weight 0. */
export const CUTOFF_KM = 500

export function greatCircleKm(a: City, b: City): number {
  const rad = Math.PI / 180
  const p1 = a.lat * rad, p2 = b.lat * rad
  const dp = p2 - p1, dl = (b.lon - a.lon) * rad
  const h = Math.sin(dp / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) ** 2
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Row-standardised inverse-distance weights with cut-off, as a dense n×n array of rows. */
export function inverseDistanceWeights(cities: readonly City[]): Float64Array[] {
  const n = cities.length
  const w: Float64Array[] = []
  for (let i = 0; i < n; i++) {
    const row = new Float64Array(n)
    let sum = 0
    for (let j = 0; j < n; j++) {
      if (j === i) continue
      const d = greatCircleKm(cities[i], cities[j])
      if (d <= CUTOFF_KM) {
        row[j] = 1 / d
        sum += row[j]
      }
    }
    if (sum === 0) throw new Error(`no neighbour within ${CUTOFF_KM} km of ${cities[i].code}`)
    for (let j = 0; j < n; j++) row[j] /= sum
    w.push(row)
  }
  return w
}

/** y = W x. */
export function lag(w: readonly Float64Array[], x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(w.length)
  for (let i = 0; i < w.length; i++) {
    const row = w[i]
    let s = 0
    for (let j = 0; j < row.length; j++) s += row[j] * x[j]
    y[i] = s
  }
  return y
}

/**
 * x = (I − λW)⁻¹ e by the Neumann series x = Σ_k (λW)^k e, summed until the term is below
 * 1e-13 of e (|λ| < 1 and ‖W‖∞ = 1 make it converge geometrically).
 */
export function spatialFilter(w: readonly Float64Array[], lambda: number, e: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(e)
  let term: Float64Array = Float64Array.from(e)
  const scale = Math.max(1e-300, ...Array.from(e, Math.abs))
  for (let k = 0; k < 400; k++) {
    term = lag(w, term)
    let big = 0
    for (let i = 0; i < term.length; i++) {
      term[i] *= lambda
      x[i] += term[i]
      big = Math.max(big, Math.abs(term[i]))
    }
    if (big < 1e-13 * scale) return x
  }
  throw new Error('spatialFilter: no convergence')
}
