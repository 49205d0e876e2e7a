import { describe, expect, test } from 'vitest'
import { QuasiError } from '../../../src/errors.ts'
import { MAX_DEPTH, parseExpression, tokenize } from '../../../src/expr/index.ts'
import type { Expr } from '../../../src/expr/index.ts'

/** Fully parenthesised rendering of a tree, to test precedence and associativity. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value)
    case 'string':
      return JSON.stringify(e.value)
    case 'column':
      return e.name
    case 'unary':
      return `(${e.op} ${show(e.arg)})`
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`
    case 'in':
      return `(${show(e.arg)} in ${show(e.list)})`
    case 'list':
      return `[${e.items.map(show).join(', ')}]`
    case 'call': {
      const opts = e.options.map((o) => `${o.name}: ${show(o.value)}`)
      const by = e.by ? ` by ${e.by.keys.map((k) => k.name).join(',')}` : ''
      return `${e.name}(${e.args.map(show).join(', ')}${opts.length ? '; ' + opts.join(', ') : ''})${by}`
    }
  }
}

function syntaxError(src: string): QuasiError {
  try {
    parseExpression(src)
  } catch (err) {
    if (err instanceof QuasiError) return err
    throw err
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(src)}`)
}

describe('tokens', () => {
  test('numbers, strings, names, keywords and operators keep their offsets', () => {
    const t = tokenize('x1 >= 1.5e3 and `gdp per capita` != "a\\"b"')
    expect(t.map((k) => [k.type, k.text, k.start, k.end])).toEqual([
      ['ident', 'x1', 0, 2],
      ['punct', '>=', 3, 5],
      ['number', '1.5e3', 6, 11],
      ['keyword', 'and', 12, 15],
      ['ident', 'gdp per capita', 16, 32],
      ['punct', '!=', 33, 35],
      ['string', 'a"b', 36, 42],
      ['eof', '', 42, 42],
    ])
    expect(t[2].value).toBe(1500)
  })

  test('unicode column names are identifiers', () => {
    expect(show(parseExpression('城市人口 / 面积'))).toBe('(城市人口 / 面积)')
  })

  test.each([
    ['a = 1', '"=" is not an operator here; write "=="', 2],
    ['a && b', '"&&" is not an operator here; write "and"', 2],
    ['a || b', '"||" is not an operator here; write "or"', 2],
    ['!a', '"!" is not an operator here; write "not"', 0],
    ['a ** 2', '"**" is not an operator here; write "^"', 2],
    ['a % 2', 'unexpected character "%"', 2],
    ['"abc', 'unterminated string', 0],
    ["'a\\qb'", 'unknown escape "\\\\q"', 2],
    ['1e+', 'malformed number "1e+"', 0],
    ['`gdp', 'unterminated `quoted name`', 0],
    ['1e999', 'number 1e999 is too large', 0],
  ])('%s is a syntax error at its offset', (src, message, offset) => {
    const e = syntaxError(src)
    expect(e.code).toBe('BAD_EXPRESSION')
    expect(e.message).toContain(message)
    expect(e.offset).toBe(offset)
    expect(e.message.startsWith(`1:${offset + 1}: `)).toBe(true)
  })
})

describe('precedence and associativity', () => {
  test.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['1 - 2 - 3', '((1 - 2) - 3)'],
    ['8 / 4 / 2', '((8 / 4) / 2)'],
    ['2 ^ 3 ^ 2', '(2 ^ (3 ^ 2))'],
    ['-2 ^ 2', '(- (2 ^ 2))'],
    ['2 ^ -1', '(2 ^ (- 1))'],
    ['-a * b', '((- a) * b)'],
    ['a + b < c * d', '((a + b) < (c * d))'],
    ['not a == b', '(not (a == b))'],
    ['not a and b', '((not a) and b)'],
    ['a or b and c', '(a or (b and c))'],
    ['a and b or c and d', '((a and b) or (c and d))'],
    ['(a + b) * c', '((a + b) * c)'],
    ['x in [1, 2] and y', '((x in [1, 2]) and y)'],
    ['year >= 2007 and admin_level != "municipality"', '((year >= 2007) and (admin_level != "municipality"))'],
  ])('%s', (src, tree) => {
    expect(show(parseExpression(src))).toBe(tree)
  })

  test('comparisons do not chain', () => {
    const e = syntaxError('a < b < c')
    expect(e.message).toContain('comparisons cannot be chained')
    expect(e.offset).toBe(6)
  })

  test('parenthesised comparisons may be compared', () => {
    expect(show(parseExpression('(a < b) == (c < d)'))).toBe('((a < b) == (c < d))')
  })
})

describe('calls, options and by', () => {
  test.each([
    ['lag(gdp, 2)', 'lag(gdp, 2)'],
    ['mean(x) by region', 'mean(x) by region'],
    ['mean(x) by region, year', 'mean(x) by region,year'],
    ['x - mean(x) by region, year', '(x - mean(x) by region,year)'],
    ['mean(x) by [region, year] / 2', '(mean(x) by region,year / 2)'],
    ['if(c, mean(x) by region, 0)', 'if(c, mean(x) by region, 0)'],
    ['if(c, mean(x) by (region, year), 0)', 'if(c, mean(x) by region,year, 0)'],
    ['entropy(a, b; negative: [c], shift: 0.01) by year', 'entropy(a, b; negative: [c], shift: 0.01) by year'],
    ['winsor(x, 0.01, 0.99; quantile: "stata")', 'winsor(x, 0.01, 0.99; quantile: "stata")'],
    ['f()', 'f()'],
    ['entropy(; negative: [a, b])', 'entropy(; negative: [a, b])'],
  ])('%s', (src, tree) => {
    expect(show(parseExpression(src))).toBe(tree)
  })

  test('spans cover the source of each node', () => {
    const src = 'log(gdp) - mean(log(gdp)) by year'
    const e = parseExpression(src)
    if (e.kind !== 'binary' || e.right.kind !== 'call') throw new Error('shape')
    expect(src.slice(e.left.start, e.left.end)).toBe('log(gdp)')
    expect(src.slice(e.right.start, e.right.end)).toBe('mean(log(gdp)) by year')
    expect(src.slice(e.opSpan.start, e.opSpan.end)).toBe('-')
    expect(src.slice(e.right.nameSpan.start, e.right.nameSpan.end)).toBe('mean')
    const p = '2 * (a + b)'
    const q = parseExpression(p)
    if (q.kind !== 'binary') throw new Error('shape')
    expect(p.slice(q.right.start, q.right.end)).toBe('(a + b)')
    expect(q.end).toBe(p.length)
  })

  test.each([
    ['x by year', '`by` must follow a group function call', 2],
    ['mean(x) by', 'expected a column name after `by`', 10],
    ['mean(x) by year by region', '`by` must follow', 16],
    ['f(a b)', 'expected "," or ")" in the call of f', 4],
    ['f(a,)', 'expected a value, found ")"', 4],
    ['f(a; 3)', 'expected an option name', 5],
    ['f(a; k 3)', 'expected ":" after the option name k', 7],
    ['x in 3', '`in` needs a list', 5],
    ['[1, 2', 'expected "]" to close the list', 5],
    ['(a + b', 'expected ")" to close the parenthesis', 6],
    ['a +', 'the expression ends too early', 3],
    ['', 'empty expression', 0],
    ['   ', 'empty expression', 0],
    ['a b', 'expected an operator or the end of the expression, found the name b', 2],
    ['and', 'expected a value, found the keyword "and"', 0],
  ])('%s fails with a position', (src, message, offset) => {
    const e = syntaxError(src)
    expect(e.code).toBe('BAD_EXPRESSION')
    expect(e.message).toContain(message)
    expect(e.offset).toBe(offset)
  })

  test('a keyword used as a name suggests backticks', () => {
    expect(syntaxError('in + 1').hint).toContain('`in`')
    expect(show(parseExpression('`in` + 1'))).toBe('(in + 1)')
  })

  test('line:col counts lines inside a multi-line expression', () => {
    const e = syntaxError('gdp +\n  * 2')
    expect(e.message.startsWith('2:3: ')).toBe(true)
    expect(e.offset).toBe(8)
  })
})

describe('depth limit', () => {
  test('deep nesting is a BAD_EXPRESSION, not a stack overflow', () => {
    for (const src of ['('.repeat(100_000) + '1' + ')'.repeat(100_000), '-'.repeat(100_000) + '1', 'not '.repeat(50_000) + '1',
      'f('.repeat(10_000) + '1' + ')'.repeat(10_000), '2' + '^2'.repeat(10_000), '1' + '+(1'.repeat(10_000) + ')'.repeat(10_000),
      '(1+'.repeat(10_000) + '1' + ')'.repeat(10_000)]) {
      const e = syntaxError(src)
      expect(e.code).toBe('BAD_EXPRESSION')
      expect(e.message).toContain(`nested too deeply (more than ${MAX_DEPTH} levels)`)
    }
  })

  test('long but shallow lists are fine', () => {
    const src = `x in [${Array.from({ length: 5000 }, (_, i) => i).join(', ')}]`
    const e = parseExpression(src)
    expect(e.kind === 'in' && e.list.items.length).toBe(5000)
  })

  test('a flat chain is one level, however long (a 201-term sum was "nested too deeply")', () => {
    expect(parseExpression('1' + '+1'.repeat(200)).depth).toBe(2)
    expect(parseExpression('x' + ' - x * 2 + x'.repeat(50_000)).depth).toBe(3)
    expect(parseExpression(Array.from({ length: 300 }, (_, i) => `x == ${i}`).join(' or ')).depth).toBe(3)
    // `(a + b) + c` is the same chain as `a + b + c`; the parenthesised right operand is not.
    expect(parseExpression('(1 + 1) + 1').depth).toBe(2)
    expect(parseExpression('1 + (1 + 1)').depth).toBe(3)
  })

  test('nesting just under the limit parses', () => {
    const src = '('.repeat(MAX_DEPTH - 2) + '1+1' + ')'.repeat(MAX_DEPTH - 2)
    expect(parseExpression(src).depth).toBe(2)
    // `^` nests to the right: each one is a level.
    expect(parseExpression('2' + '^2'.repeat(MAX_DEPTH - 1)).depth).toBe(MAX_DEPTH)
    expect(syntaxError('2' + '^2'.repeat(MAX_DEPTH)).message).toContain('nested too deeply')
  })
})
