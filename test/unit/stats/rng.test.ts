import { describe, expect, test } from 'vitest'
import { Rng, stageRng } from '../../../src/stats/rng.ts'

describe('Rng', () => {
  test('the same path gives the same stream; forks are independent of consumption order', () => {
    const a = stageRng(2025, 'placebo')
    const b = stageRng(2025, 'placebo')
    expect(Array.from({ length: 5 }, () => a.uniform())).toEqual(Array.from({ length: 5 }, () => b.uniform()))
    const r = stageRng(2025, 'placebo')
    r.uniform()
    expect(r.fork(3).uniform()).toBe(stageRng(2025, 'placebo').fork(3).uniform())
    expect(stageRng(2025, 'placebo').uniform()).not.toBe(stageRng(2025, 'placebo2').uniform())
  })
  test('uniform draws have mean 1/2 and variance 1/12; normals mean 0, variance 1', () => {
    const r = new Rng(['moments'])
    const n = 200_000
    let s = 0, s2 = 0, z = 0, z2 = 0
    for (let i = 0; i < n; i++) {
      const u = r.uniform()
      s += u
      s2 += u * u
      const g = r.normal()
      z += g
      z2 += g * g
    }
    // 5 standard errors of each moment's estimate
    expect(Math.abs(s / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n))
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / n))
    expect(Math.abs(z / n)).toBeLessThan(5 / Math.sqrt(n))
    expect(Math.abs(z2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n))
  })
  test('int(n) is unbiased over small ranges and shuffle is a permutation', () => {
    const r = new Rng(['int'])
    const counts = new Array(6).fill(0)
    for (let i = 0; i < 60_000; i++) counts[r.int(6)]++
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(5 * Math.sqrt(10_000 * (5 / 6)))
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5])
    expect(() => r.int(0)).toThrow(RangeError)
  })
})
