import { describe, expect, test } from 'vitest'
import { describeFailure, evaluateExpectation, formatSides, parseExpectation } from '../../../src/pipeline/expect.ts'

const facts = { pretrend_p: 0.6902580000000001, 'coef(did)': 0.0412, 'p(did)': 0.003, rows: 4200 }

describe('expectations', () => {
  test('the comparison forms read as before', () => {
    expect(parseExpectation('coef(did) > 0')).toEqual({ text: 'coef(did) > 0', left: { fact: 'coef(did)' }, op: '>', right: { value: 0 } })
    expect(parseExpectation('rows == 4200').op).toBe('==')
    expect(evaluateExpectation(parseExpectation('p(did) < 0.05'), facts).holds).toBe(true)
  })

  test('approx(left, right, tol) holds when |left − right| <= tol', () => {
    const x = parseExpectation('approx(pretrend_p, 0.6903, 1e-4)')
    expect(x).toEqual({ text: 'approx(pretrend_p, 0.6903, 1e-4)', left: { fact: 'pretrend_p' }, op: 'approx', right: { value: 0.6903 }, tol: 1e-4 })
    expect(evaluateExpectation(x, facts)).toMatchObject({ holds: true, tol: 1e-4 })
    expect(evaluateExpectation(parseExpectation('approx(pretrend_p, 0.6903, 1e-5)'), facts).holds).toBe(false)
    expect(evaluateExpectation(parseExpectation(' approx( coef(did) , p(did), 0.04 ) '), facts).holds).toBe(true)
    expect(evaluateExpectation(parseExpectation('approx(rows, 4200, 0)'), facts).holds).toBe(true)
    expect(evaluateExpectation(parseExpectation('approx(rows, 4200, 0)'), { rows: NaN }).holds).toBe(false)
  })

  test('a negative or non-numeric tolerance is BAD_EXPECTATION at the tolerance', () => {
    const at = (text: string) => {
      try {
        parseExpectation(text)
      } catch (e) {
        return e as { code: string; offset: number; message: string }
      }
      throw new Error('no error')
    }
    expect(at('approx(pretrend_p, 0.69, -1e-4)')).toMatchObject({ code: 'BAD_EXPECTATION', offset: 25, message: 'the tolerance of approx must be a number >= 0, got `-1e-4`' })
    expect(at('approx(pretrend_p, 0.69,  tight)')).toMatchObject({ code: 'BAD_EXPECTATION', offset: 26 })
    expect(at('approx(pretrend_p, 0.69)')).toMatchObject({ code: 'BAD_EXPECTATION', message: expect.stringContaining('3 arguments') })
    expect(at('approx(pretrend_p > 1, 0.69, 1)')).toMatchObject({ code: 'BAD_EXPECTATION', offset: 7 })
  })

  test('an unknown fact inside approx is found after the parenthesis', () => {
    expect(() => evaluateExpectation(parseExpectation('approx(p(x), 0.69, 1)'), facts)).toThrow(expect.objectContaining({ code: 'BAD_EXPECTATION', offset: 7 }))
  })

  test('failures print enough digits to tell the two sides apart', () => {
    expect(formatSides(0.6902580000000001, 0.690258)).toEqual(['0.6902580000000001', '0.690258'])
    expect(formatSides(0.6902580000000501, 0.690258)).toEqual(['0.6902580000001', '0.690258'])
    expect(formatSides(0.2345678912, 0.05)).toEqual(['0.234568', '0.05'])
    expect(formatSides(4, 100)).toEqual(['4', '100'])
    expect(formatSides(1234567, 1234560)).toEqual(['1234567', '1234560'])
    expect(formatSides(0.5, 0.5)).toEqual(['0.5', '0.5'])
    expect(describeFailure({ left: 0.6912, right: 0.6903, tol: 1e-4 })).toBe('0.6912 vs 0.6903, |difference| 0.0009 > tolerance 0.0001')
  })
})
