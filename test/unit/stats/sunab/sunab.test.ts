/** The Sun–Abraham kernels on hand-sized inputs: cohorts from adoption years, and the weighting. */
import { describe, expect, test } from 'vitest'
import { adoptedIndicator } from '../../../../src/stats/treatment.ts'
import { unitCohorts } from '../../../../src/stats/sunab/cohorts.ts'
import { interactionWeights } from '../../../../src/stats/sunab/interact.ts'

describe('unitCohorts', () => {
  test('cohort = first panel period at or after adoption; 0, missing or after the panel = never', () => {
    const unit = ['a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c', 'd', 'd', 'd', 'e', 'e', 'e']
    const time = Float64Array.from([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3])
    const adopt = Float64Array.from([1.5, 1.5, 1.5, 0, 0, 0, NaN, NaN, NaN, 9, 9, 9, -4, -4, -4])
    const { cohort, times } = unitCohorts({ unit, unitName: 'id', time, treated: adoptedIndicator(time, adopt), treatmentName: 'adopt', adoption: adopt })
    expect(times).toEqual([1, 2, 3])
    expect(Array.from(cohort)).toEqual([2, 2, 2, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, 1, 1, 1])
  })

  test('a 0/1 path: the first treated period, rows in any order; a path that ends is an error', () => {
    const unit = ['a', 'a', 'a', 'b', 'b', 'b']
    const time = Float64Array.from([3, 1, 2, 2, 3, 1])
    expect(Array.from(unitCohorts({ unit, unitName: 'id', time, treated: Float64Array.from([1, 0, 1, 0, 0, 0]), treatmentName: 'D' }).cohort)).toEqual([2, 2, 2, Infinity, Infinity, Infinity])
    expect(() => unitCohorts({ unit, unitName: 'id', time, treated: Float64Array.from([0, 0, 1, 0, 0, 0]), treatmentName: 'D' })).toThrow('the treatment switches off in 1 unit: `a`')
  })
})

describe('interactionWeights', () => {
  // two periods, two cohorts; period 0: cohort 0 three observations, cohort 1 one; period 1: cohort 0 only
  const cell = Int32Array.from([0, 0, 0, 1, 2, 2, -1])
  const delta = Float64Array.from([1, 3, 5, NaN])
  const vcovDelta = new Float64Array(16)
  vcovDelta[0] = 0.04; vcovDelta[5] = 0.09; vcovDelta[10] = 0.01; vcovDelta[1] = vcovDelta[4] = 0.01; vcovDelta[2] = vcovDelta[8] = 0.005

  test('shares, estimates and W V W′', () => {
    const r = interactionWeights({ periods: 2, cohorts: 2, cell, delta, vcovDelta, shareVariance: false })
    expect(Array.from(r.weights)).toEqual([0.75, 0.25, 1, 0])
    expect(r.estimate[0]).toBeCloseTo(0.75 * 1 + 0.25 * 3, 14)
    expect(r.estimate[1]).toBe(5)
    expect(r.vcov[0]).toBeCloseTo(0.75 ** 2 * 0.04 + 0.25 ** 2 * 0.09 + 2 * 0.75 * 0.25 * 0.01, 14)
    expect(r.vcov[1]).toBeCloseTo(0.75 * 0.005, 14)
    expect(Array.from(r.vcovShares)).toEqual([0, 0, 0, 0])
  })

  test('share variance: Σ_c φ_c φ_c′ with φ = (δ − ν)/N per observation, summed in clusters', () => {
    const own = interactionWeights({ periods: 2, cohorts: 2, cell, delta, vcovDelta, shareVariance: true })
    // period 0: ν = 1.5, N = 4; scores −0.125 (×3) and 0.375: Σ φ² = 3·0.015625 + 0.140625
    expect(own.vcovShares[0]).toBeCloseTo(3 * 0.125 ** 2 + 0.375 ** 2, 14)
    expect(own.vcovShares[3]).toBe(0) // one cohort: no share variance
    // clusters {0, 3}, {1, 2}, rest alone: (−0.125 + 0.375)² + (−0.25)²
    const cl = interactionWeights({ periods: 2, cohorts: 2, cell, delta, vcovDelta, shareVariance: true, cluster: Int32Array.from([0, 1, 1, 0, 2, 3, 4]) })
    expect(cl.vcovShares[0]).toBeCloseTo(0.25 ** 2 + 0.25 ** 2, 14)
    expect(cl.vcov[0]).toBeCloseTo(own.vcovDelta[0] + 0.125, 14)
  })
})
