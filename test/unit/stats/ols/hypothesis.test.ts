/** The text form of linear hypotheses (src/stats/ols/hypothesis.ts): what parses to which R and r, and what fails where. */
import { describe, expect, test } from 'vitest'
import { QuasiError } from '../../../../src/errors.ts'
import { parseHypothesis, wald } from '../../../../src/stats/ols/hypothesis.ts'
import { expectClose } from '../helpers.ts'

const terms = ['(Intercept)', 'x1', 'x2', 'x10', 'beertax:south', 'log income', 'f[a].b']

function quasiError(fn: () => unknown): QuasiError {
  try { fn() } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

/** A row of R from term → coefficient. */
const row = (c: Record<string, number>): number[] => terms.map((t) => c[t] ?? 0)

describe('good inputs', () => {
  test.each([
    ['x1 = 0', [row({ x1: 1 })], [0]],
    ['x1', [row({ x1: 1 })], [0]],
    ['x1 + x2 = 0', [row({ x1: 1, x2: 1 })], [0]],
    ['x1 = x2', [row({ x1: 1, x2: -1 })], [0]],
    ['2*x1 - 0.5*x2 = 1', [row({ x1: 2, x2: -0.5 })], [1]],
    ['x1*2 + x2/4 = -3', [row({ x1: 2, x2: 0.25 })], [-3]],
    ['-x1 = 1e-3', [row({ x1: -1 })], [0.001]],
    ['x1 - 3 = x2 + 1', [row({ x1: 1, x2: -1 })], [4]],
    ['x1 + x1 = 2', [row({ x1: 2 })], [2]],
    ['x10 = x1', [row({ x10: 1, x1: -1 })], [0]],
    ['(Intercept) = 1', [row({ '(Intercept)': 1 })], [1]],
    ['beertax:south = 0', [row({ 'beertax:south': 1 })], [0]],
    ['south:beertax = 0', [row({ 'beertax:south': 1 })], [0]],
    ['log income = 0.5', [row({ 'log income': 1 })], [0.5]],
    ['f[a].b + x1 = 0', [row({ 'f[a].b': 1, x1: 1 })], [0]],
    ['x1 = 0; x2 = 0', [row({ x1: 1 }), row({ x2: 1 })], [0, 0]],
    ['  x1 = 0 ;x2=1; ', [row({ x1: 1 }), row({ x2: 1 })], [0, 1]],
    ['x1 = 0; x1 + x2 = 1; x10 = x2', [row({ x1: 1 }), row({ x1: 1, x2: 1 }), row({ x10: 1, x2: -1 })], [0, 1, 0]],
  ] as const)('%s', (text, R, r) => {
    const h = parseHypothesis(text, terms)
    expect(h.R, `${text}: R`).toEqual(R)
    expect(h.r, `${text}: r`).toEqual(r)
    expect(h.terms).toEqual(terms)
  })

  test('a list is a joint hypothesis, one restriction per element (or more, joined by `;`)', () => {
    const h = parseHypothesis(['x1 = 0', 'x2 = 1; x10 = 0'], terms)
    expect(h.R).toEqual([row({ x1: 1 }), row({ x2: 1 }), row({ x10: 1 })])
    expect(h.r).toEqual([0, 1, 0])
    expect(h.labels).toEqual(['x1 = 0', 'x2 = 1', 'x10 = 0'])
  })
})

describe('bad inputs: code INVALID_VALUE, offset of the culprit (0-based), expected and found', () => {
  test.each([
    // text, offset, found, message fragment
    ['', 0, 'an empty text', 'the hypothesis is empty'],
    ['   ', 0, 'an empty text', 'the hypothesis is empty'],
    ['x1 +', 4, 'end of text', 'expected a term of the model or a number at the end'],
    ['x1 x2', 3, '`x2`', 'expected an operator'],
    ['x1 = 0;; x2 = 0', 7, '`;`', 'expected a restriction'],
    ['x1 = 0 = 1', 7, '`=`', 'one `=` per restriction'],
    ['x1*x2 = 0', 3, '`x2`', 'a product of two terms is not linear'],
    ['x1/x2 = 0', 3, '`x2`', 'a number to divide by'],
    ['x1/0 = 0', 3, '`0`', 'a nonzero divisor'],
    ['x1 = 1e999', 5, '`1e999`', 'a finite number'],
    ['x1 = )', 5, '`)`', 'is not a term of the model'],
    ['1 = 2', 0, '`1 = 2`', 'involves no coefficient'],
    ['x1 - x1 = 0', 0, '`x1 - x1 = 0`', 'its terms cancel'],
    ['x2 = 0; x1 = 0; x1 + 0 = 0', 16, '`x1 + 0 = 0`', 'restriction 3 (`x1 + 0 = 0`) repeats'],
    ['x1 + x2 = 0; x1 = 1; x2 = 0', 21, '`x2 = 0`', 'restriction 3 (`x2 = 0`) contradicts'],
    ['x1 = 0; 2*x1 = 0', 8, '`2*x1 = 0`', 'repeats'],
  ] as const)('%j', (text, offset, found, fragment) => {
    const e = quasiError(() => parseHypothesis(text, terms))
    expect(e.code, `${JSON.stringify(text)}: code`).toBe('INVALID_VALUE')
    expect(e.offset, `${JSON.stringify(text)}: offset`).toBe(offset)
    expect(e.found, `${JSON.stringify(text)}: found`).toBe(found)
    expect(e.expected, `${JSON.stringify(text)}: expected`).toBeTruthy()
    expect(e.message, `${JSON.stringify(text)}: message`).toContain(fragment)
    expect(e.role?.role, `${JSON.stringify(text)}: role`).toBe('design')
  })

  test('an unknown term: offset, the term as `column`, and a did-you-mean', () => {
    const e = quasiError(() => parseHypothesis('x1 + x3 = 0', terms))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.offset).toBe(5)
    expect(e.found).toBe('`x3`')
    expect(e.message).toBe('`x3` is not a term of the model; did you mean `x1`?')
    expect(e.hint).toBe('did you mean `x1`?')
    expect(e.role).toEqual({ role: 'design', column: 'x3' })
  })

  test('a prefix of a term is not that term (`x1` inside `x1z`, `x1:z`)', () => {
    expect(quasiError(() => parseHypothesis('x1z = 0', terms)).found).toBe('`x1z`')
    expect(quasiError(() => parseHypothesis('x1:z = 0', terms)).found).toBe('`x1:z`')
  })

  test('a term dropped as collinear is named as such', () => {
    const e = quasiError(() => parseHypothesis('x1 = 0; z = 0', terms, { dropped: ['z'] }))
    expect(e.offset).toBe(8)
    expect(e.message).toBe('`z` was dropped from the model as collinear; it has no coefficient to test')
  })

  test('in a list, the offset is inside the element named by role.index', () => {
    const e = quasiError(() => parseHypothesis(['x1 = 0', 'x2 = = 0'], terms))
    expect(e.offset).toBe(5)
    expect(e.role).toEqual({ role: 'design', index: 1 })
    const r = quasiError(() => parseHypothesis(['x1 = 0', 'x2 = 0', '2*x1 = 0'], terms))
    expect(r.message).toContain('restriction 3')
    expect(r.offset).toBe(0)
    expect(r.role).toEqual({ role: 'design', index: 2 })
    expect(quasiError(() => parseHypothesis([], terms)).found).toBe('an empty list')
  })
})

describe('wald', () => {
  // b = (1, 2), V = diag(0.25, 1): t(b1) = 2, t(b2) = 2, independent
  const b = [1, 2], V = [0.25, 0, 0, 1]
  test('one restriction: F = t², estimate and standard error of R b − r', () => {
    const w = wald(b, V, 30, [[1, 0]], [0])
    expect(w.q).toBe(1)
    expectClose(w.F, 4, { rel: 1e-15 }, 'F = t²')
    expectClose(w.estimate, 1, { rel: 1e-15 }, 'Rb − r')
    expectClose(w.stdError, 0.5, { rel: 1e-15 }, 'se')
    expect(w.dfDen).toBe(30)
  })
  test('two independent restrictions: W is the sum of the squared t statistics', () => {
    const w = wald(b, V, 30, [[1, 0], [0, 1]], [0, 0])
    expectClose(w.chi2, 8, { rel: 1e-15 }, 'W')
    expectClose(w.F, 4, { rel: 1e-15 }, 'F = W/2')
    expect(w.estimate).toBeNaN()
    expect(w.stdError).toBeNaN()
  })
  test('R V R\' singular: NaN, not an exception', () => {
    const w = wald(b, [0.25, 0, 0, 0], 30, [[0, 1]], [0])
    expect(w.F).toBeNaN()
    expect(w.pF).toBeNaN()
  })
})
