/**
 * The entropy weight kernel on 3 × 2 examples in closed form (min–max and ratio, both
 * directions), the shift, constant indicators, missing rows, row subsets, and its errors.
 */
import { describe, expect, test } from 'vitest'
import { EntropyInputError, entropyIndex, type IndicatorInput } from '../../../../src/stats/entropy/weights.ts'

const ind = (column: string, values: number[], direction: 'positive' | 'negative' = 'positive'): IndicatorInput => ({ column, direction, values: Float64Array.from(values) })
/** A handful of logs and divisions: a few ulps. */
const EPS = 1e-15

function problem(f: () => unknown) {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(EntropyInputError)
    return (e as EntropyInputError).problem
  }
  throw new Error('expected an EntropyInputError')
}

describe('min–max', () => {
  // x1 = 1, 2, 3 (positive): z = 0, ½, 1, p = 0, ⅓, ⅔ → e1 = 1 − (2/3) ln 2 / ln 3
  // x2 = 10, 10, 40 (negative): z = 1, 1, 0, p = ½, ½, 0 → e2 = ln 2 / ln 3
  const r = entropyIndex([ind('x1', [1, 2, 3]), ind('x2', [10, 10, 40], 'negative')])
  const d1 = (2 / 3) * Math.log(2) / Math.log(3)
  const d2 = 1 - Math.log(2) / Math.log(3)
  test('entropy, divergence and weights in closed form', () => {
    const [a, b] = r.indicators
    expect(a.entropy).toBeCloseTo(1 - d1, 15)
    expect(b.entropy).toBeCloseTo(1 - d2, 15)
    expect(Math.abs(a.weight - d1 / (d1 + d2))).toBeLessThan(EPS)
    expect(Math.abs(b.weight - d2 / (d1 + d2))).toBeLessThan(EPS)
    expect(a.weight + b.weight).toBeCloseTo(1, 15)
    expect([a.constant, b.constant]).toEqual([false, false])
    expect(r.n).toBe(3)
  })
  test('the index is Σ w z, in [0, 1]', () => {
    const [a, b] = r.indicators
    const want = [0 * a.weight + 1 * b.weight, 0.5 * a.weight + 1 * b.weight, 1 * a.weight + 0 * b.weight]
    want.forEach((v, i) => expect(Math.abs(r.index[i] - v)).toBeLessThan(EPS))
  })
  test('a shift moves every z by s, and changes the weights', () => {
    const s = entropyIndex([ind('x1', [1, 2, 3]), ind('x2', [10, 10, 40], 'negative')], undefined, { shift: 0.0001 })
    const [a, b] = s.indicators
    expect(Math.abs(s.index[2] - (1.0001 * a.weight + 0.0001 * b.weight))).toBeLessThan(EPS)
    expect(a.weight).not.toBe(r.indicators[0].weight)
  })
  test('a constant indicator: entropy 1, weight 0, flagged; the others carry the index', () => {
    const c = entropyIndex([ind('x1', [1, 2, 3]), ind('k', [7, 7, 7])], undefined, { shift: 0.01 })
    expect(c.indicators[1]).toMatchObject({ column: 'k', entropy: 1, divergence: 0, weight: 0, constant: true })
    expect(c.indicators[0].weight).toBe(1)
    expect(Array.from(c.index)).toEqual([0.01, 0.51, 1.01])
  })
})

describe('ratio', () => {
  test('positive x/max, negative min/x', () => {
    const r = entropyIndex([ind('a', [1, 2, 4]), ind('b', [1, 2, 4], 'negative')], undefined, { normalization: 'ratio' })
    // z_a = ¼, ½, 1 and z_b = 1, ½, ¼ have the same shares in another order: equal entropies and weights
    expect(r.indicators[0].entropy).toBeCloseTo(r.indicators[1].entropy, 15)
    expect(r.indicators[0].weight).toBeCloseTo(0.5, 15)
    expect(Array.from(r.index, (v) => Number(v.toFixed(12)))).toEqual([0.625, 0.5, 0.625])
    const p = [0.25, 0.5, 1].map((z) => z / 1.75)
    expect(r.indicators[0].entropy).toBeCloseTo(-p.reduce((s, x) => s + x * Math.log(x), 0) / Math.log(3), 15)
  })
  test('a constant indicator is z = 1 with weight 0', () => {
    const r = entropyIndex([ind('a', [1, 2, 4]), ind('k', [3, 3, 3])], undefined, { normalization: 'ratio' })
    expect(r.indicators[1]).toMatchObject({ weight: 0, constant: true })
    expect(Array.from(r.index)).toEqual([0.25, 0.5, 1])
  })
  test('a negative value, or 0 in a negative indicator, is refused with its column and row', () => {
    expect(problem(() => entropyIndex([ind('a', [1, -2, 4]), ind('b', [1, 2, 3])], undefined, { normalization: 'ratio' }))).toEqual({ reason: 'non-positive', column: 'a', direction: 'positive', row: 1, value: -2 })
    expect(problem(() => entropyIndex([ind('a', [1, 2, 4]), ind('b', [1, 0, 3], 'negative')], undefined, { normalization: 'ratio' }))).toMatchObject({ column: 'b', direction: 'negative', row: 1, value: 0 })
    // 0 in a positive indicator is a share of 0, and 0·ln 0 = 0
    expect(entropyIndex([ind('a', [0, 2, 4]), ind('b', [1, 2, 3])], undefined, { normalization: 'ratio' }).index[0]).toBeGreaterThan(0)
  })
})

describe('rows and missing values', () => {
  test('a row with a missing indicator gets NaN and does not enter the weights', () => {
    const full = entropyIndex([ind('a', [1, 2, 3]), ind('b', [3, 1, 2])])
    const gap = entropyIndex([ind('a', [1, 2, 3, 9]), ind('b', [3, 1, 2, NaN])])
    expect(gap.n).toBe(3)
    expect(gap.index[3]).toBeNaN()
    expect(Array.from(gap.index.subarray(0, 3))).toEqual(Array.from(full.index))
  })
  test('rows: the index is computed on a subset, in the order given', () => {
    const all = entropyIndex([ind('a', [9, 1, 9, 2, 3]), ind('b', [9, 3, 9, 1, 2])], [1, 3, 4])
    const own = entropyIndex([ind('a', [1, 2, 3]), ind('b', [3, 1, 2])])
    expect(Array.from(all.index)).toEqual(Array.from(own.index))
  })
  test('every indicator constant, or fewer than 2 complete rows', () => {
    expect(problem(() => entropyIndex([ind('a', [1, 1, 1]), ind('b', [2, 2, 2])]))).toEqual({ reason: 'all-constant', columns: ['a', 'b'] })
    expect(problem(() => entropyIndex([ind('a', [1, NaN]), ind('b', [2, 3])]))).toEqual({ reason: 'too-few-rows', n: 1 })
  })
})
