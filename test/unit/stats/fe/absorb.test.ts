/**
 * Fixed-effect absorption checked against dense least squares on explicit dummies
 * (ml-matrix SVD solve) on random unbalanced panels, for every method and with weights.
 */
import { describe, expect, test } from 'vitest'
import { Matrix, SingularValueDecomposition, solve } from 'ml-matrix'
import { createAbsorber } from '../../../../src/stats/fe/absorb.ts'
import type { Factor } from '../../../../src/stats/fe/factor.ts'
import { factorize, isNested, subsetFactor } from '../../../../src/stats/fe/factor.ts'
import { bipartiteComponents } from '../../../../src/stats/fe/components.ts'
import { dropSingletons } from '../../../../src/stats/fe/singletons.ts'
import { Rng } from '../../../../src/stats/rng.ts'
import { expectClose } from '../helpers.ts'

/** Dense SVD least squares on ≤ 60 dummy columns: accurate to ~1e-12 on these sizes. */
const DENSE_TOL = { rel: 0, abs: 1e-9 }

function randomFactors(rng: Rng, n: number, levels: number[]): Factor[] {
  return levels.map((G) => {
    const codes = Int32Array.from({ length: n }, () => rng.int(G))
    return subsetFactor({ codes, levels: G }, Int32Array.from({ length: n }, (_, i) => i))
  })
}

/** M_D x by dense weighted least squares on [D₁ … D_K]. */
function denseResidual(x: Float64Array, fes: Factor[], w?: Float64Array): Float64Array {
  const n = x.length
  const cols = fes.reduce((s, f) => s + f.levels, 0)
  const D = new Matrix(n, cols)
  const yv = new Matrix(n, 1)
  for (let i = 0; i < n; i++) {
    const sw = Math.sqrt(w ? w[i] : 1)
    let off = 0
    for (const f of fes) { D.set(i, off + f.codes[i], sw); off += f.levels }
    yv.set(i, 0, sw * x[i])
  }
  const coef = solve(D, yv, true)
  const fit = D.mmul(coef)
  return Float64Array.from({ length: n }, (_, i) => (yv.get(i, 0) - fit.get(i, 0)) / Math.sqrt(w ? w[i] : 1))
}

describe.each([
  ['two factors', [25, 12]],
  ['three factors', [20, 12, 6]],
  ['four factors', [15, 10, 6, 4]],
])('absorption with %s', (_label, levels) => {
  const rng = new Rng(['absorb-test', levels.join('x')])
  const n = 300
  const fes = randomFactors(rng, n, levels)
  const x = Float64Array.from({ length: n }, () => rng.normal() * 3 + 10)
  const w = Float64Array.from({ length: n }, () => 0.5 + rng.uniform())
  for (const weights of [undefined, w]) {
    const want = denseResidual(x, fes, weights)
    for (const method of ['direct', 'cg'] as const) {
      test(`${method}${weights ? ', weighted' : ''} matches dense dummies`, () => {
        const ab = createAbsorber(fes, weights, { method })
        expect(ab.method).toBe(method)
        const got = ab.demean(x)
        expect(got.converged).toBe(true)
        for (let i = 0; i < n; i++) expectClose(got.values[i], want[i], DENSE_TOL, `row ${i}`)
      })
    }
  }
  test('rank equals the rank of the dense dummy matrix', () => {
    const cols = levels.reduce((s, g) => s + g, 0)
    const D = new Matrix(n, cols)
    for (let i = 0; i < n; i++) {
      let off = 0
      for (const f of fes) { D.set(i, off + f.codes[i], 1); off += f.levels }
    }
    const sv = new SingularValueDecomposition(D, { autoTranspose: true }).diagonal
    const rank = sv.filter((v) => v > 1e-9 * sv[0]).length
    expect(createAbsorber(fes, undefined, { method: 'direct' }).rank).toBe(rank)
    expect(createAbsorber(fes, undefined, { method: 'cg' }).rank).toBe(rank)
  })
})

test('a balanced two-way panel reproduces the closed form x − x̄ᵢ − x̄ₜ + x̄', () => {
  const units = 30, years = 7, n = units * years
  const rng = new Rng(['balanced'])
  const unit = Int32Array.from({ length: n }, (_, i) => Math.floor(i / years))
  const year = Int32Array.from({ length: n }, (_, i) => i % years)
  const x = Float64Array.from({ length: n }, () => rng.normal())
  const mu = new Float64Array(units), mt = new Float64Array(years)
  let m = 0
  for (let i = 0; i < n; i++) { mu[unit[i]] += x[i] / years; mt[year[i]] += x[i] / units; m += x[i] / n }
  const ab = createAbsorber([{ codes: unit, levels: units }, { codes: year, levels: years }], undefined)
  expect(ab.method).toBe('direct')
  expect(ab.rank).toBe(units + years - 1)
  const got = ab.demean(x).values
  for (let i = 0; i < n; i++) expectClose(got[i], x[i] - mu[unit[i]] - mt[year[i]] + m, { rel: 0, abs: 1e-13 }, `row ${i}`)
})

test('disconnected two-way panels lose one normalisation per component', () => {
  // Units 0-1 only in years 0-1, units 2-3 only in years 2-3: two components.
  const a: Factor = { codes: Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3]), levels: 4 }
  const b: Factor = { codes: Int32Array.from([0, 1, 0, 1, 2, 3, 2, 3]), levels: 4 }
  expect(bipartiteComponents(a, b)).toBe(2)
  expect(createAbsorber([a, b], undefined, { method: 'direct' }).rank).toBe(6)
  expect(createAbsorber([a, b], undefined, { method: 'cg' }).rank).toBe(6)
})

test('too many levels to factor: CG still converges, the rank of 3+ factors is an upper bound', () => {
  const rng = new Rng(['upper-bound'])
  const n = 400
  const fes = randomFactors(rng, n, [30, 20, 5])
  // Make the third factor redundant: it is a function of the second.
  const third: Factor = { codes: fes[1].codes.map((c) => c % 5), levels: 5 }
  const all = [fes[0], fes[1], third]
  const x = Float64Array.from({ length: n }, () => rng.normal())
  const exact = createAbsorber(all, undefined, { method: 'cg' })
  const bound = createAbsorber(all, undefined, { method: 'cg', directMaxLevels: 0 })
  expect(exact.rankExact).toBe(true)
  expect(bound.rankExact).toBe(false)
  expect(bound.rank).toBe(exact.rank + 4) // the 5 redundant levels counted as 4 new ones
  const want = denseResidual(x, all)
  const got = bound.demean(x)
  expect(got.iterations).toBeGreaterThan(0)
  for (let i = 0; i < n; i++) expectClose(got.values[i], want[i], DENSE_TOL, `row ${i}`)
})

test('CG reports non-convergence instead of returning a silently wrong answer', () => {
  const rng = new Rng(['cg-cap'])
  const fes = randomFactors(rng, 300, [40, 30])
  const x = Float64Array.from({ length: 300 }, () => rng.normal())
  const got = createAbsorber(fes, undefined, { method: 'cg', maxIter: 2 }).demean(x)
  expect(got.converged).toBe(false)
  expect(got.iterations).toBe(2)
})

describe('singletons', () => {
  test('removal iterates until no level has a single observation', () => {
    // unit 2 has one row (dropped); that leaves year 2 with one row (unit 1, year 2), dropped next.
    const unit = factorize({ type: 'string', data: ['a', 'a', 'b', 'b', 'b', 'c'] })
    const year = factorize({ type: 'number', data: Float64Array.from([1, 2, 1, 2, 3, 3]) })
    const keep = new Uint8Array(6).fill(1)
    expect(dropSingletons([unit, year], keep)).toBe(2)
    expect(Array.from(keep)).toEqual([1, 1, 1, 1, 0, 0])
  })
  test('rows already excluded do not count', () => {
    const f = factorize({ type: 'string', data: ['a', 'a', 'b', 'b'] })
    const keep = Uint8Array.from([1, 0, 1, 1])
    expect(dropSingletons([f], keep)).toBe(1)
    expect(Array.from(keep)).toEqual([0, 0, 1, 1])
  })
})

describe('factors', () => {
  test('missing values code as −1; levels in order of first appearance', () => {
    expect(Array.from(factorize({ type: 'string', data: ['x', null, 'y', 'x'] }).codes)).toEqual([0, -1, 1, 0])
    expect(Array.from(factorize({ type: 'number', data: Float64Array.from([3, NaN, 3, 1]) }).codes)).toEqual([0, -1, 0, 1])
  })
  test('integer keys (lookup path) and other numbers (hash path) code alike', () => {
    const ints = Float64Array.from([2013, 2011, NaN, 2013, 2012])
    const wide = Float64Array.from([5e9, 1, NaN, 5e9, 3]) // range too wide for a lookup array
    const frac = Float64Array.from([0.5, 1, NaN, 0.5, 2])
    for (const d of [ints, wide, frac]) {
      const f = factorize({ type: 'number', data: d })
      expect(Array.from(f.codes)).toEqual([0, 1, -1, 0, 2])
      expect(f.levels).toBe(3)
    }
  })
  test('nesting: cities in provinces, not years in provinces', () => {
    const city = factorize({ type: 'string', data: ['c1', 'c1', 'c2', 'c2', 'c3', 'c3'] })
    const prov = factorize({ type: 'string', data: ['p1', 'p1', 'p1', 'p1', 'p2', 'p2'] })
    const year = factorize({ type: 'number', data: Float64Array.from([1, 2, 1, 2, 1, 2]) })
    expect(isNested(city, prov)).toBe(true)
    expect(isNested(city, city)).toBe(true)
    expect(isNested(year, prov)).toBe(false)
  })
})
