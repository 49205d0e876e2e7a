/**
 * Great-circle distances between points given by latitude and longitude in degrees.
 *
 * ## Method
 * Haversine formula on a sphere of radius R (default 6371 km, the mean Earth radius):
 *   h = sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2),   d = 2R · asin(min(1, √h)).
 * It is well conditioned for small distances (unlike the spherical law of cosines); the
 * min guards the rounding of antipodal points.
 * ## References
 * R. W. Sinnott (1984), "Virtues of the haversine", Sky and Telescope 68(2), 159.
 */
import { SpatialInputError } from './errors.ts'

export const EARTH_RADIUS_KM = 6371

const RAD = Math.PI / 180

/** Great-circle distance in the units of `radius` (km by default). */
export function haversine(lat1: number, lon1: number, lat2: number, lon2: number, radius = EARTH_RADIUS_KM): number {
  const p1 = lat1 * RAD, p2 = lat2 * RAD
  const dp = (lat2 - lat1) * RAD, dl = (lon2 - lon1) * RAD
  const s1 = Math.sin(dp / 2), s2 = Math.sin(dl / 2)
  const h = s1 * s1 + Math.cos(p1) * Math.cos(p2) * s2 * s2
  return 2 * radius * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Points prepared once for many distance evaluations (radians and cosines). */
export interface Points {
  readonly n: number
  readonly lat: Float64Array
  readonly lon: Float64Array
  readonly phi: Float64Array
  readonly cosPhi: Float64Array
  readonly radius: number
}

/** Checks the coordinates (finite, |lat| ≤ 90, |lon| ≤ 180) and prepares them. */
export function points(lat: ArrayLike<number>, lon: ArrayLike<number>, radius = EARTH_RADIUS_KM): Points {
  const n = lat.length
  const phi = new Float64Array(n), cosPhi = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    if (!(Math.abs(lat[i]) <= 90)) throw new SpatialInputError({ reason: 'bad-coordinate', role: 'lat', unit: i, value: lat[i] })
    if (!(Math.abs(lon[i]) <= 180)) throw new SpatialInputError({ reason: 'bad-coordinate', role: 'lon', unit: i, value: lon[i] })
    phi[i] = lat[i] * RAD
    cosPhi[i] = Math.cos(phi[i])
  }
  return { n, lat: Float64Array.from(lat), lon: Float64Array.from(lon), phi, cosPhi, radius }
}

/** Distance between points i and j of `p`: the haversine above, with the cosines reused. */
export function pointDistance(p: Points, i: number, j: number): number {
  const s1 = Math.sin((p.lat[j] - p.lat[i]) * RAD / 2), s2 = Math.sin((p.lon[j] - p.lon[i]) * RAD / 2)
  const h = s1 * s1 + p.cosPhi[i] * p.cosPhi[j] * s2 * s2
  return 2 * p.radius * Math.asin(Math.min(1, Math.sqrt(h)))
}
