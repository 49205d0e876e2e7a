import { describe, expect, test } from 'vitest'
import { Frame, run, values } from './run.ts'

const NA = NaN
const f = Frame.from({
  x: [1, 2, NA, 4, 0],
  y: [2, 0, 1, NA, -1],
  s: ['a', 'b', null, 'a', 'c'],
  t: ['a', 'a', 'b', null, 'c'],
})

describe('arithmetic and missing values', () => {
  test.each([
    ['x + y', [3, 2, null, null, -1]],
    ['x - y', [-1, 2, null, null, 1]],
    ['x * y', [2, 0, null, null, -0]],
    ['x / y', [0.5, null, null, null, -0]],
    ['x ^ 2', [1, 4, null, 16, 0]],
    ['-x', [-1, -2, null, -4, -0]],
    ['+x', [1, 2, null, 4, 0]],
    ['2 * (x + 1)', [4, 6, null, 10, 2]],
    ['1e3 + .5', [1000.5, 1000.5, 1000.5, 1000.5, 1000.5]],
  ])('%s', (src, want) => {
    expect(values(src, f)).toEqual(want)
  })

  test('division by zero is missing and reported with its place', () => {
    const r = run('x / y', f)
    expect(r.warnings).toEqual([{ offset: 0, message: '1:1: x / y: 1 value(s) missing: division by zero' }])
  })

  test('no warning when the inputs were already missing', () => {
    expect(run('x + y', f).warnings).toEqual([])
  })

  test('a flat chain of 50,000 terms is checked and evaluated in a loop, not by recursion', () => {
    expect(values('x' + ' + 1'.repeat(50_000), f)).toEqual([50_001, 50_002, null, 50_004, 50_000])
    expect(values('x' + ' - 1 + 1'.repeat(50_000) + ' - y', f)).toEqual([-1, 2, null, null, 1])
  })
})

describe('comparisons and logic', () => {
  test.each([
    ['x > 1', [0, 1, null, 1, 0]],
    ['x >= 1', [1, 1, null, 1, 0]],
    ['x < y', [1, 0, null, null, 0]],
    ['x <= 1', [1, 0, null, 0, 1]],
    ['x == 4', [0, 0, null, 1, 0]],
    ['x != 4', [1, 1, null, 0, 1]],
    ['s == "a"', [1, 0, null, 1, 0]],
    ['s != "a"', [0, 1, null, 0, 1]],
    ['s == t', [1, 0, null, null, 1]],
    ['not x', [0, 0, null, 0, 1]],
    ['s in ["a", "c"]', [1, 0, null, 1, 1]],
    ['x in [1, 4]', [1, 0, null, 1, 0]],
    ['x in [y, 4]', [0, 0, null, 1, 0]],
  ])('%s', (src, want) => {
    expect(values(src, f)).toEqual(want)
  })

  // Kleene: false and NA = false, true or NA = true, true and NA = NA, false or NA = NA
  test.each([
    ['x > 0 and y > 0', [1, 0, null, null, 0]],
    ['x > 10 and y > 0', [0, 0, null, 0, 0]],
    ['x > 10 and y > 10', [0, 0, 0, 0, 0]],
    ['x > 0 or y > 0', [1, 1, 1, 1, 0]],
    ['x > 10 or y > 10', [0, 0, null, null, 0]],
    ['not (x > 1)', [1, 0, null, 0, 1]],
    ['x and y', [1, 0, null, null, 0]],
  ])('three-valued logic: %s', (src, want) => {
    expect(values(src, f)).toEqual(want)
  })
})

describe('row-wise functions', () => {
  const g = Frame.from({ v: [1, Math.E, 0, -4, NA, 1000] })
  test.each([
    ['log(v)', [0, 1, null, null, null, Math.log(1000)]],
    ['exp(v)', [Math.E, Math.exp(Math.E), 1, Math.exp(-4), null, null]],
    ['sqrt(v)', [1, Math.sqrt(Math.E), 0, null, null, Math.sqrt(1000)]],
    ['abs(v)', [1, Math.E, 0, 4, null, 1000]],
    ['pow(v, 2)', [1, Math.E ** 2, 0, 16, null, 1e6]],
    ['pow(v, 0.5)', [1, Math.sqrt(Math.E), 0, null, null, Math.sqrt(1000)]],
    ['v ^ 0.5', [1, Math.sqrt(Math.E), 0, null, null, Math.sqrt(1000)]],
    ['if(v > 0, v, -v)', [1, Math.E, -0, 4, null, 1000]],
    ['if(v > 1, "big", "small")', ['small', 'big', 'small', 'small', null, 'big']],
    ['is_missing(v)', [0, 0, 0, 0, 1, 0]],
    ['is_missing(log(v))', [0, 0, 1, 1, 1, 0]],
  ])('%s', (src, want) => {
    expect(values(src, g)).toEqual(want)
  })

  test('domain errors are counted in warnings', () => {
    expect(run('log(v)', g).warnings.map((w) => w.message)).toEqual([
      '1:1: log(v): 2 value(s) missing: log of a value <= 0 (log is the natural logarithm)',
    ])
    expect(run('sqrt(v)', g).warnings.map((w) => w.message)).toEqual(['1:1: sqrt(v): 1 value(s) missing: sqrt of a negative value'])
    expect(run('exp(v)', g).warnings.map((w) => w.message)).toEqual(['1:1: exp(v): 1 value(s) missing: exp overflowed'])
    expect(run('1 + log(v)', g).warnings[0].offset).toBe(4)
  })

  test('inside if(), a branch\'s missing values are counted only where the branch is chosen', () => {
    const messages = (src: string) => run(src, f).warnings.map((w) => w.message)
    // y = [2, 0, 1, NA, -1]: the condition holds in 2 rows, is missing in 1; 1/0 is computed on all 5.
    expect(values('if(y > 0, 1/0, 0)', f)).toEqual([null, 0, null, null, 0])
    expect(messages('if(y > 0, 1/0, 0)')).toEqual(['1:11: 1/0: 2 value(s) missing: division by zero'])
    expect(messages('if(y > 0, 0, 1/0)')).toEqual(['1:14: 1/0: 2 value(s) missing: division by zero'])
    // x = [1, 2, NA, 4, 0]: log(-x) fails on 4 rows, but only rows 2 and 4 (x > 1) take it.
    expect(messages('if(x > 1, log(-x), 1)')).toEqual(['1:11: log(-x): 2 value(s) missing: log of a value <= 0 (log is the natural logarithm)'])
    // Nested: within y > 0 (rows 1, 3), x > 1 is false in row 1 and missing in row 3: nothing is kept.
    expect(messages('if(y > 0, if(x > 1, log(-x), 0), 0)')).toEqual([])
    // Outside if() every row counts, as before.
    expect(messages('x / (y - y)')).toEqual(['1:1: x / (y - y): 3 value(s) missing: division by zero'])
  })

  test('text columns pass through unchanged and can be branched on', () => {
    expect(values('s', f)).toEqual(['a', 'b', null, 'a', 'c'])
    expect(values('if(s == "a", t, s)', f)).toEqual(['a', 'b', null, null, 'c'])
    expect(values('is_missing(s)', f)).toEqual([0, 0, 1, 0, 0])
  })
})

describe('inputs are never modified', () => {
  test('evaluation leaves the frame columns as they were', () => {
    const before = Array.from(f.numbers('x'))
    run('-x', f)
    run('+x', f)
    run('winsor(x, 0.2, 0.8)', f)
    run('rank(x)', f)
    expect(Array.from(f.numbers('x'))).toEqual(before)
  })
})
