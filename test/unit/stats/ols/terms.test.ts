/** Interaction terms (src/stats/ols/terms.ts): R's expansion of `a*b`, product columns, factor interactions and their errors. */
import { describe, expect, test } from 'vitest'
import { Frame } from '../../../../src/artifacts/frame.ts'
import { QuasiError } from '../../../../src/errors.ts'
import { regress, term } from '../../../../src/stats/ols/regress.ts'
import { expandRegressors, interactionParts, withInteractionColumns } from '../../../../src/stats/ols/terms.ts'
import { Rng } from '../../../../src/stats/rng.ts'
import { expectClose } from '../helpers.ts'

function quasiError(fn: () => unknown): QuasiError {
  try { fn() } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

describe('expandRegressors (R: attr(terms(~ …), "term.labels"); more cases against R in fatalities.test.ts)', () => {
  test.each([
    [['x'], ['x']],
    [['a*b'], ['a', 'b', 'a:b']],
    [['a * b'], ['a', 'b', 'a:b']],
    [['a*b*c'], ['a', 'b', 'c', 'a:b', 'a:c', 'b:c', 'a:b:c']],
    [['a:b:c'], ['a:b:c']],
    [['b:a', 'a'], ['a', 'b:a']],
    [['x1', 'x2:x1'], ['x1', 'x1:x2']],
    [['a*b', 'a:b', 'b:a', 'a'], ['a', 'b', 'a:b']],
    [['a', 'a:a'], ['a']],
    [['a*b:c'], ['a', 'b:c', 'a:b:c']],
    [['did*post', 'x'], ['did', 'post', 'x', 'did:post']],
  ] as const)('%j', (specs, want) => {
    expect(expandRegressors(specs), `expandRegressors(${JSON.stringify(specs)})`).toEqual(want)
  })

  test('a specification that is a column is taken whole', () => {
    expect(expandRegressors(['x*z', 'a:b*c'], ['x*z', 'a:b', 'c'])).toEqual(['x*z', 'a:b', 'c', 'a:b:c'])
  })

  test.each([
    ['a*', 2, 'end of text'],
    ['*a', 0, '`*`'],
    ['a::b', 2, '`:`'],
    ['a* :b', 3, '`:`'],
  ] as const)('%j is an error at offset %i', (spec, offset, found) => {
    const e = quasiError(() => expandRegressors(['x', spec]))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.offset).toBe(offset)
    expect(e.found).toBe(found)
    expect(e.role).toEqual({ role: 'regressor', column: spec, index: 1 })
  })
})

describe('interactionParts: columns win, longest names first', () => {
  const cols = new Set(['a', 'b', 'c', 'a:b', 'x:y:z'])
  const has = (c: string) => cols.has(c)
  test.each([
    ['a', ['a']],
    ['a:b', ['a:b']],
    ['b:a', ['b', 'a']],
    ['a:b:c', ['a:b', 'c']],
    ['c:a:b', ['c', 'a:b']],
    ['x:y:z', ['x:y:z']],
    ['a : c', ['a', 'c']],
    ['a:q', undefined],
    ['q', undefined],
  ] as const)('%s', (name, want) => {
    expect(interactionParts(name, has)).toEqual(want)
  })
})

describe('withInteractionColumns', () => {
  const f = Frame.from({ a: [1, 2, NaN, 4], b: [10, 20, 30, NaN], c: [2, 2, 2, 2], s: ['u', 'v', 'u', 'v'] })
  test('products of numeric columns, missing where a factor is', () => {
    const g = withInteractionColumns(f, ['a', 'a:b', 'a:b:c'])
    expect(Array.from(g.numbers('a:b'))).toEqual([10, 40, NaN, NaN])
    expect(Array.from(g.numbers('a:b:c'))).toEqual([20, 80, NaN, NaN])
    expect(g.names).toEqual(['a', 'b', 'c', 's', 'a:b', 'a:b:c'])
  })
  test('an existing column `a:b` is left alone', () => {
    const h = f.withColumn('a:b', { type: 'number', data: Float64Array.from([7, 7, 7, 7]) })
    expect(Array.from(withInteractionColumns(h, ['a:b']).numbers('a:b'))).toEqual([7, 7, 7, 7])
  })
  test('a text column is a BAD_DATA error with its role', () => {
    const e = quasiError(() => withInteractionColumns(f, ['a', 'a:s']))
    expect(e.code).toBe('BAD_DATA')
    expect(e.message).toBe('regressor `a:s`: `s` is a text column; interactions multiply numeric columns')
    expect(e.role).toEqual({ role: 'regressor', column: 'a:s', index: 1 })
  })
  test('a missing part is MISSING_COLUMN with a did-you-mean for that part', () => {
    const e = quasiError(() => withInteractionColumns(f, ['a:bb']))
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.message).toBe('regressor `a:bb`: `bb` is not a column of the data; did you mean `b`?')
    expect(e.role).toEqual({ role: 'regressor', column: 'a:bb', index: 0 })
  })
})

describe('fixed-effect interactions in regress()', () => {
  // region × year effects absorb a shock common to each region and year
  const rng = new Rng(['terms'])
  const units = 30, years = 5
  const n = units * years
  const unit = Array.from({ length: n }, (_, i) => `u${Math.floor(i / years)}`)
  const year = Float64Array.from({ length: n }, (_, i) => 2000 + (i % years))
  const region = unit.map((u) => `r${Number(u.slice(1)) % 3}`)
  const x = Float64Array.from({ length: n }, () => rng.normal())
  const y = Float64Array.from({ length: n }, (_, i) => 0.5 * x[i] + (Number(region[i].slice(1)) + 1) * (year[i] - 2000) + rng.normal())
  const f = Frame.from({ unit, year, region, x, y })
  const cell = f.withColumn('region_year', { type: 'string', data: region.map((r, i) => `${r}/${year[i]}`) })

  test('`region:year` equals a column of the combinations', () => {
    const a = regress(f, { outcome: 'y', regressors: ['x'], fixedEffects: ['unit', 'region:year'], cluster: ['unit'] })
    const b = regress(cell, { outcome: 'y', regressors: ['x'], fixedEffects: ['unit', 'region_year'], cluster: ['unit'] })
    expect(a.fixedEffects).toEqual([{ name: 'unit', levels: 30, nested: true }, { name: 'region:year', levels: 15, nested: false }])
    expect(a.feRank).toBe(b.feRank)
    expect(a.kNested).toBe(1 + 15)
    expectClose(term(a, 'x')!.estimate, term(b, 'x')!.estimate, { rel: 1e-12 }, 'coef')
    expectClose(term(a, 'x')!.stdError, term(b, 'x')!.stdError, { rel: 1e-12 }, 'se')
  })
  test('clusters may be interactions too', () => {
    const a = regress(f, { outcome: 'y', regressors: ['x'], fixedEffects: ['unit'], cluster: ['region:year'] })
    expect(a.nClusters).toEqual([15])
  })
  test('a column whose name contains `:` takes precedence', () => {
    const g = f.withColumn('region:year', { type: 'string', data: region })
    const a = regress(g, { outcome: 'y', regressors: ['x'], fixedEffects: ['unit', 'region:year'] })
    expect(a.fixedEffects[1]).toEqual({ name: 'region:year', levels: 3, nested: false })
  })
  test('a missing part: MISSING_COLUMN with role fixed_effect', () => {
    const e = quasiError(() => regress(f, { outcome: 'y', regressors: ['x'], fixedEffects: ['unit', 'regoin:year'] }))
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.message).toBe('fixed effect `regoin:year`: `regoin` is not a column of the data; did you mean `region`?')
    expect(e.role).toEqual({ role: 'fixed_effect', column: 'regoin:year', index: 1 })
  })
})
