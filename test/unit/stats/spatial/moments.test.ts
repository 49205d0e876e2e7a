/**
 * The Monte Carlo route for large sparse W (moments.ts) against the exact eigenvalue route at
 * N = 280 (six nearest neighbours, row-standardized, T = 15): the accuracy docs/methods.md states.
 */
import { describe, expect, test } from 'vitest'
import { fitSpatial, transform } from '../../../../src/stats/spatial/ml.ts'
import { logDet, momentSpectrum, spectrum, traceSum } from '../../../../src/stats/spatial/spectrum.ts'
import { Rng } from '../../../../src/stats/rng.ts'
import { knnWeights, sdmPanel } from './knn.ts'

const w = knnWeights(280, 6, 'a')
const exact = spectrum(w)
const mc = momentSpectrum(w, { rng: new Rng(['moments-test']) })

describe('Monte Carlo log-determinant (Barry–Pace, 100 moments, 100 probes)', () => {
  test('ln|I − ρW| within 2% for |ρ| ≤ 0.6 and 4% at 0.8 of the exact value, for five seeds', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const s = momentSpectrum(w, { rng: new Rng(['seed', seed]) })
      for (const [rho, tol] of [[-0.5, 0.02], [0.3, 0.02], [0.6, 0.02], [0.8, 0.04]] as const) {
        const e = logDet(exact, rho), m = logDet(s, rho)
        expect(Math.abs(m - e) / Math.abs(e), `seed ${seed}, rho ${rho}: ${m} vs ${e}`).toBeLessThan(tol)
      }
    }
    expect(logDet(mc, 0)).toBe(0)
  })

  test('tr(W) and tr(W²) are exact; the same seed gives the same moments', () => {
    expect(traceSum(mc, 0, 1, 1)).toBeCloseTo(traceSum(exact, 0, 1, 1), 10)
    expect(traceSum(mc, 0, 2, 2)).toBeCloseTo(traceSum(exact, 0, 2, 2), 10)
    const again = momentSpectrum(w, { rng: new Rng(['moments-test']) })
    expect(Array.from(again.moments!.t)).toEqual(Array.from(mc.moments!.t))
  })

  test('an SDM fit: rho within 5e-3, coefficients within 5e-3, standard errors within 3% of the exact route', () => {
    const { y, x } = sdmPanel(w, 15, 0.4, 'a')
    const fit = (s: typeof exact) => { const d = { n: 280, t: 15, y, x, names: ['x1', 'x2', 'x3'], w, spectrum: s, effects: 'twoways' as const, convention: 'elhorst' as const }; return fitSpatial('sdm', d, transform(d)) }
    const a = fit(exact), b = fit(mc)
    expect(Math.abs(a.rho - b.rho)).toBeLessThan(5e-3)
    a.beta.forEach((v, j) => expect(Math.abs(v - b.beta[j])).toBeLessThan(5e-3))
    for (let j = 0; j < a.k; j++) {
      const sa = Math.sqrt(a.vcov[j * a.k + j]), sb = Math.sqrt(b.vcov[j * b.k + j])
      expect(Math.abs(sa - sb) / sa).toBeLessThan(0.03)
    }
  })
})
