/** C, T, D, the ten classes with their interval ends, and the lagging subsystem. */
import { describe, expect, test } from 'vitest'
import { CCD_CLASSES, ccdLevel, coordinate, couplingDegree } from '../../../../src/stats/coupling/ccd.ts'

describe('the coupling degree C', () => {
  test('two subsystems: 2√(u₁u₂)/(u₁ + u₂)', () => {
    expect(couplingDegree([0.2, 0.8])).toBeCloseTo(0.8, 15)
    expect(couplingDegree([0.3, 0.5])).toBeCloseTo((2 * Math.sqrt(0.15)) / 0.8, 15)
  })
  test('n subsystems: n·[Π u / (Σ u)ⁿ]^(1/n), 1 when all are equal, in [0, 1]', () => {
    const u = [0.1, 0.4, 0.7, 0.25]
    const direct = 4 * Math.pow((0.1 * 0.4 * 0.7 * 0.25) / Math.pow(1.45, 4), 1 / 4)
    expect(Math.abs(couplingDegree(u) - direct)).toBeLessThan(1e-15)
    expect(couplingDegree([0.3, 0.3, 0.3])).toBeCloseTo(1, 15)
    expect(couplingDegree([1e-9, 1])).toBeGreaterThan(0)
  })
  test('a zero index gives C = 0; all zero gives C = 0 (not 0/0); a missing or negative index NaN', () => {
    expect(couplingDegree([0, 0.5, 0.4])).toBe(0)
    expect(couplingDegree([0, 0, 0])).toBe(0)
    expect(couplingDegree([NaN, 0.5])).toBeNaN()
    expect(couplingDegree([-0.1, 0.5])).toBeNaN()
  })
})

describe('the classes', () => {
  test('ten levels, each [k/10, (k+1)/10), the last closed', () => {
    expect(CCD_CLASSES.map((c) => c.label)).toEqual(['extreme disorder', 'serious disorder', 'moderate disorder', 'mild disorder', 'on the verge of disorder', 'barely coordinated', 'primary coordination', 'intermediate coordination', 'good coordination', 'quality coordination'])
    expect(CCD_CLASSES[3]).toEqual({ level: 4, from: 0.3, to: 0.4, label: 'mild disorder' })
    expect(ccdLevel(0)!.level).toBe(1)
    expect(ccdLevel(0.09999999999999999)!.level).toBe(1)
    expect(ccdLevel(0.1)!.level).toBe(2)
    expect(ccdLevel(0.3)!.level).toBe(4)
    expect(ccdLevel(0.8999999999999999)!.level).toBe(9) // floor(10 D) would say 10: 10 × D rounds to 9
    expect(ccdLevel(0.6)!.level).toBe(7)
    expect(ccdLevel(0.9)!.label).toBe('quality coordination')
    expect(ccdLevel(1)!.level).toBe(10)
    expect(ccdLevel(1.00005)!.level).toBe(10)
    expect(ccdLevel(NaN)).toBeUndefined()
    expect(ccdLevel(-0.1)).toBeUndefined()
  })
})

describe('coordinate', () => {
  test('C, T (equal and unequal α), D = √(C T), class and lagging subsystem', () => {
    const r = coordinate([0.2, 0.8], [0.5, 0.5], 0.1)
    expect(r.C).toBeCloseTo(0.8, 15)
    expect(r.T).toBeCloseTo(0.5, 15)
    expect(r.D).toBeCloseTo(Math.sqrt(0.4), 15)
    expect([r.level, r.label, r.lagging]).toEqual([7, 'primary coordination', 0])
    const w = coordinate([0.2, 0.8], [0.25, 0.75], 0.1)
    expect(w.T).toBeCloseTo(0.65, 15)
    expect(w.D).toBeCloseTo(Math.sqrt(0.8 * 0.65), 15)
  })
  test('synchronous when max − min ≤ tolerance (the end included); the first of tied lowest lags', () => {
    expect(coordinate([0.25, 0.5], [0.5, 0.5], 0.25).lagging).toBe(-1)
    expect(coordinate([0.25, 0.5], [0.5, 0.5], 0.2).lagging).toBe(0)
    expect(coordinate([0.6, 0.2, 0.2], [1 / 3, 1 / 3, 1 / 3], 0.1).lagging).toBe(1)
  })
  test('all zero: C = T = D = 0, the lowest class, synchronous; a missing u: NaN and no class', () => {
    expect(coordinate([0, 0, 0], [1 / 3, 1 / 3, 1 / 3], 0.1)).toEqual({ C: 0, T: 0, D: 0, level: 1, label: 'extreme disorder', lagging: -1 })
    expect(coordinate([NaN, 0.4], [0.5, 0.5], 0.1)).toMatchObject({ D: NaN, level: 0, label: '' })
  })
})
