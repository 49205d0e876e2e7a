/** Haversine distances and the k-nearest search against the R fixture and by hand. */
import { describe, expect, test } from 'vitest'
import { sparseToDense } from '../../../../src/artifacts/weights.ts'
import { distanceBand, inverseDistance, kNearest } from '../../../../src/stats/spatial/build.ts'
import { haversine, points } from '../../../../src/stats/spatial/distance.ts'
import { SpatialInputError } from '../../../../src/stats/spatial/errors.ts'
import fx from '../../../fixtures/spatial/spatial.json' with { type: 'json' }

describe('haversine', () => {
  test('every distance between the 48 state centroids within 1e-12 of the R haversine (test/fixtures/spatial/make.R)', () => {
    const { lat, lon, distance } = fx.us
    let worst = 0
    for (let i = 0; i < lat.length; i++) for (let j = 0; j < lat.length; j++) {
      const d = haversine(lat[i], lon[i], lat[j], lon[j])
      worst = Math.max(worst, distance[i][j] === 0 ? d : Math.abs(d - distance[i][j]) / distance[i][j])
    }
    expect(worst).toBeLessThan(1e-12)
  })

  test('known values: a quarter meridian is πR/2, a degree of the equator πR/180, antipodes πR', () => {
    expect(haversine(0, 0, 90, 0)).toBeCloseTo((Math.PI * 6371) / 2, 9)
    expect(haversine(0, 10, 0, 11)).toBeCloseTo((Math.PI * 6371) / 180, 9)
    expect(haversine(0, 0, 0, 180)).toBeCloseTo(Math.PI * 6371, 9)
    expect(haversine(10, 20, 10, 20)).toBe(0)
    expect(haversine(0, 0, 90, 0, 1)).toBeCloseTo(Math.PI / 2, 12)
  })

  test('points() rejects a latitude outside [-90, 90] and a missing longitude, naming the unit', () => {
    const err = (f: () => unknown) => { try { f() } catch (e) { return (e as SpatialInputError).problem } throw new Error('no error') }
    expect(err(() => points([0, 91], [0, 0]))).toEqual({ reason: 'bad-coordinate', role: 'lat', unit: 1, value: 91 })
    expect(err(() => points([0, 1], [NaN, 0]))).toMatchObject({ reason: 'bad-coordinate', role: 'lon', unit: 0 })
  })
})

describe('k nearest', () => {
  // Four points on the equator at longitudes 0, 1, 2, 4: distances are proportional to the gaps.
  const p = points([0, 0, 0, 0], [0, 1, 2, 4])

  test('k = 1 and 2 by hand; ties go to the lower index', () => {
    expect(sparseToDense(kNearest(p, 1)).map((r) => Array.from(r))).toEqual([[0, 1, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]])
    // Unit 1 has units 0 and 2 at the same distance: k = 1 takes unit 0.
    expect(sparseToDense(kNearest(p, 2)).map((r) => Array.from(r))).toEqual([[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 0], [0, 1, 1, 0]])
  })

  test('k >= N is reported as data', () => {
    expect(() => kNearest(p, 4)).toThrow(SpatialInputError)
  })

  test('distance band and inverse distance by hand; coincident points are an error for 1/d only', () => {
    const deg = (Math.PI * 6371) / 180
    expect(sparseToDense(distanceBand(p, 1.5 * deg)).map((r) => Array.from(r))).toEqual([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]])
    const w = sparseToDense(inverseDistance(p, { power: 2, cutoff: 2.5 * deg }))
    expect(w[0][1] * deg * deg).toBeCloseTo(1, 9)
    expect(w[0][2] * deg * deg).toBeCloseTo(1 / 4, 9)
    expect(w[0][3]).toBe(0)
    const twin = points([0, 0, 1], [0, 0, 1])
    expect(() => inverseDistance(twin)).toThrow(SpatialInputError)
    expect(Array.from(sparseToDense(distanceBand(twin, 1))[0])).toEqual([0, 1, 0])
  })
})
