/**
 * Expression inputs: well-formed expressions from the language's grammar (most pass the
 * checker, so they reach the evaluator), token soup from its vocabulary, and frames of odd
 * values to evaluate on. Used by expression.test.ts and, inside `derive`/`filter`/`sample`
 * parameters, by the pipeline grammar.
 */
import fc from 'fast-check'
import type { FrameSpec } from './jobs.ts'

export const NUMERIC = ['gdp', 'pop', 'year', 'pilot_year']
const LITERALS = ['0', '1', '2.5', '-1', '1e308', '1e-320', '0.0', '2010', '.5']
const FUNCS_1 = ['log', 'exp', 'sqrt', 'abs', 'is_missing', 'adopted', 'event_time', 'standardize', 'rank']
const GROUP = ['mean', 'sum', 'min', 'max', 'sd', 'count', 'median']
const PANEL = ['lag', 'lead', 'diff']

/** Expressions from the grammar, depth-bounded. */
export const wellFormed: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...NUMERIC, ...LITERALS),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '^'), tie('e')).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(tie('e'), fc.constantFrom('<', '<=', '>', '>=', '==', '!='), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('e'), fc.constantFrom('and', 'or'), tie('e')).map(([a, op, b]) => `((${a} > 0) ${op} not (${b} > 0))`),
    fc.tuple(fc.constantFrom(...FUNCS_1), tie('e')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `pow(${a}, ${b})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, a, b]) => `if(${c} > 0, ${a}, ${b})`),
    fc.tuple(fc.constantFrom(...PANEL), tie('e'), fc.oneof({ arbitrary: fc.nat(3), weight: 9 }, { arbitrary: fc.integer({ min: -2, max: -1 }), weight: 1 })).map(([f, a, k]) => `${f}(${a}, ${k})`),
    fc.tuple(fc.constantFrom(...GROUP), tie('e'), fc.constantFrom('', ' by city', ' by year', ' by city, year', ' by level')).map(([f, a, by]) => `${f}(${a})${by}`),
    fc.tuple(tie('e'), fc.oneof({ arbitrary: fc.constantFrom('0.1, 0.9', '0.01, 0.99', '0, 1', '0.5, 0.5'), weight: 9 }, { arbitrary: fc.constantFrom('0.9, 0.1', '-1, 2', 'gdp, 1'), weight: 1 }), fc.boolean()).map(([a, q, s]) => `winsor(${a}, ${q}${s ? '; quantile: "stata"' : ''})`),
    fc.tuple(tie('e'), tie('e'), fc.boolean()).map(([a, b, by]) => `entropy(${a}, ${b}; negative: [${b}])${by ? ' by year' : ''}`),
    fc.constantFrom('(level == "x")', '(level != "y")', '(level in ["x", "z"])', 'if(gdp > 0, level, "q") == "q"', 'is_missing(level)'),
    tie('e').map((a) => `-${a}`),
    tie('e').map((a) => `(${a})`),
  ),
})).e

const WORDS = [
  ...NUMERIC, 'city', 'level', 'gpd', 'constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty', 'eval', 'Function', 'process', 'require', 'this',
  ...FUNCS_1, ...GROUP, ...PANEL, 'pow', 'if', 'winsor', 'entropy', 'and', 'or', 'not', 'by', 'in', 'true', 'false', 'NA',
  ...LITERALS, '1e400', '"x"', "'it''s'", '""', '"\\n"', '`gdp`', '`__proto__`', '``',
  '+', '-', '*', '/', '^', '%', '==', '=', '!=', '!', '<', '<=', '>', '>=', '(', ')', '[', ']', '{', '}', ',', ';', ':', '.', '&&', '||', '?',
  'negative:', 'shift:', 'quantile:', '"stata"', '"r7"', '${{ matrix.x }}',
]

/** Runs of the language's tokens and near-misses, joined with or without spaces. */
export const tokenSoup: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 16 }), fc.constantFrom(' ', '', '\n', '  '))
  .map(([ws, sep]) => ws.join(sep))

const CHARS = [...'abcxyz_019 .,;:+-*/^()[]<>=!&|"\'`\\%$#@?~{}\n\t', 'é', '城', '😀', '\u0000', '\ud800', '\u200b', '\u2028', 'e', 'E']

/** Random text over characters that matter to the tokenizer. */
export const charSoup: fc.Arbitrary<string> = fc.array(fc.constantFrom(...CHARS), { maxLength: 60 }).map((cs) => cs.join(''))

/** Deep nesting: parentheses, unary minus, function calls, long operator chains. */
export const deep: fc.Arbitrary<string> = fc.tuple(fc.constantFrom('paren', 'minus', 'call', 'chain', 'not', 'power'), fc.integer({ min: 10, max: 20_000 })).map(([kind, n]) => {
  switch (kind) {
    case 'paren': return '('.repeat(n) + 'gdp' + ')'.repeat(n)
    case 'minus': return '-'.repeat(n) + 'gdp'
    case 'call': return 'abs('.repeat(n) + 'gdp' + ')'.repeat(n)
    case 'chain': return Array.from({ length: n }, () => 'gdp').join(' + ')
    case 'not': return 'not '.repeat(n) + '(gdp > 0)'
    default: return Array.from({ length: n }, () => 'gdp').join(' ^ ')
  }
})

/** Frames of odd shapes and values: no rows, one row, NaN, ±Infinity, -0, extreme doubles, missing keys. */
export const frames: fc.Arbitrary<FrameSpec> = fc.integer({ min: 0, max: 9 }).chain((n) => {
  const num = fc.oneof(
    fc.constantFrom(NaN, 0, -0, 1, -1, Infinity, -Infinity, 1e308, -1e308, 5e-324, 2 ** 53 + 1, 2010, 2011, 2012),
    fc.double({ noDefaultInfinity: false }),
    fc.integer({ min: 2008, max: 2014 }),
  )
  const column = fc.array(num, { minLength: n, maxLength: n })
  const text = fc.array(fc.constantFrom('a', 'b', 'c', 'x', 'y', '', null, '😀', '__proto__'), { minLength: n, maxLength: n })
  return fc.record({
    city: text,
    year: fc.array(fc.oneof(fc.integer({ min: 2008, max: 2014 }), fc.constantFrom(NaN, 2010.5, -Infinity)), { minLength: n, maxLength: n }),
    gdp: column,
    pop: column,
    pilot_year: fc.array(fc.oneof(fc.constantFrom(NaN, 0, 2010, 2011, 2012, 1e9, -5), fc.integer({ min: 2008, max: 2014 })), { minLength: n, maxLength: n }),
    level: text,
    panel: fc.boolean(),
  }).map(({ panel, ...cols }) => ({
    // Frame.from reads a column of no rows as text; an empty frame has no numbers to infer from.
    columns: cols as FrameSpec['columns'],
    ...(panel ? { panel: { unit: 'city', time: 'year' } } : {}),
  }))
})

/** The frame of test/unit/expr/fuzz.test.ts: a small panel with gaps, NaN and a 1e300. */
export const fixedFrame: FrameSpec = {
  columns: {
    city: ['a', 'a', 'a', 'b', 'b', 'c'],
    year: [2010, 2011, 2013, 2010, 2011, 2012],
    gdp: [1.5, 2, NaN, -3, 0, 1e300],
    pop: [10, 0, 5, 7, NaN, 2],
    pilot_year: [2011, 2011, 2011, NaN, NaN, 0],
    level: ['x', 'y', null, 'x', 'z', 'y'],
    constructor: [1, 2, 3, 4, 5, 6],
  },
  panel: { unit: 'city', time: 'year' },
}
