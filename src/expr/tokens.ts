/**
 * Tokenizer of the expression language. One pass, no regular expressions over the whole
 * input (so no backtracking blow-ups on hostile text). Every token keeps its offsets.
 */
import { exprError, q } from './errors.ts'

export type TokenType = 'number' | 'string' | 'ident' | 'keyword' | 'punct' | 'eof'

export interface Token {
  readonly type: TokenType
  /** The number's value, the string's unescaped text, the identifier's name, or the punctuation. */
  readonly text: string
  readonly value?: number
  readonly start: number
  readonly end: number
}

/** Words that are operators. A column with one of these names is written in backticks: `in`. */
export const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'by', 'in'])

const PUNCT2 = new Set(['==', '!=', '<=', '>='])
const PUNCT1 = new Set(['+', '-', '*', '/', '^', '(', ')', '[', ']', ',', ';', ':', '<', '>'])

/** Operators from other languages that users type by habit, and what to write instead. */
const HABITS: ReadonlyMap<string, string> = new Map([
  ['&&', 'and'],
  ['||', 'or'],
  ['&', 'and'],
  ['|', 'or'],
  ['!', 'not'],
  ['=', '=='],
  ['**', '^'],
  ['<>', '!='],
])

const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['\\', '\\'],
  ['"', '"'],
  ["'", "'"],
  ['n', '\n'],
  ['t', '\t'],
])

const isDigit = (c: string) => c >= '0' && c <= '9'
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r'
const IDENT_START = /^[\p{L}_]$/u
const IDENT_PART = /^[\p{L}\p{N}_]$/u

export function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  const n = source.length
  while (i < n) {
    const c = source[i]
    if (isSpace(c)) {
      i++
      continue
    }
    const start = i
    if (isDigit(c) || (c === '.' && isDigit(source[i + 1] ?? ''))) {
      i = scanNumber(source, i)
      const text = source.slice(start, i)
      const value = Number(text)
      if (!Number.isFinite(value)) {
        throw exprError('BAD_EXPRESSION', source, start, `number ${text} is too large`)
      }
      tokens.push({ type: 'number', text, value, start, end: i })
      continue
    }
    if (c === '"' || c === "'") {
      const { text, end } = scanString(source, i)
      tokens.push({ type: 'string', text, start, end })
      i = end
      continue
    }
    if (c === '`') {
      const close = source.indexOf('`', i + 1)
      if (close < 0) throw exprError('BAD_EXPRESSION', source, start, 'unterminated `quoted name`: add the closing backtick')
      const name = source.slice(i + 1, close)
      if (name.length === 0) throw exprError('BAD_EXPRESSION', source, start, 'empty `` column name')
      i = close + 1
      tokens.push({ type: 'ident', text: name, start, end: i })
      continue
    }
    const cp = String.fromCodePoint(source.codePointAt(i)!)
    if (IDENT_START.test(cp)) {
      i += cp.length
      while (i < n) {
        const d = String.fromCodePoint(source.codePointAt(i)!)
        if (!IDENT_PART.test(d)) break
        i += d.length
      }
      const word = source.slice(start, i)
      tokens.push({ type: KEYWORDS.has(word) ? 'keyword' : 'ident', text: word, start, end: i })
      continue
    }
    const two = source.slice(i, i + 2)
    if (PUNCT2.has(two)) {
      tokens.push({ type: 'punct', text: two, start, end: i + 2 })
      i += 2
      continue
    }
    const habit2 = HABITS.get(two)
    if (habit2 !== undefined) throw habitError(source, start, two, habit2)
    if (PUNCT1.has(c)) {
      tokens.push({ type: 'punct', text: c, start, end: i + 1 })
      i++
      continue
    }
    const habit1 = HABITS.get(c)
    if (habit1 !== undefined) throw habitError(source, start, c, habit1)
    throw exprError('BAD_EXPRESSION', source, start, `unexpected character ${q(cp)}`, { found: cp })
  }
  tokens.push({ type: 'eof', text: '', start: n, end: n })
  return tokens
}

function habitError(source: string, at: number, found: string, write: string) {
  return exprError('BAD_EXPRESSION', source, at, `${q(found)} is not an operator here; write ${q(write)}`, {
    found,
    expected: write,
  })
}

/** digits [. digits] [(e|E) [+|-] digits], or . digits […]. */
function scanNumber(s: string, i: number): number {
  const start = i
  while (isDigit(s[i] ?? '')) i++
  if (s[i] === '.') {
    i++
    while (isDigit(s[i] ?? '')) i++
  }
  if (s[i] === 'e' || s[i] === 'E') {
    let j = i + 1
    if (s[j] === '+' || s[j] === '-') j++
    if (!isDigit(s[j] ?? '')) {
      throw exprError('BAD_EXPRESSION', s, start, `malformed number ${q(s.slice(start, j))}: an exponent needs digits`)
    }
    while (isDigit(s[j] ?? '')) j++
    i = j
  }
  return i
}

function scanString(s: string, i: number): { text: string; end: number } {
  const quote = s[i]
  let out = ''
  let j = i + 1
  while (j < s.length) {
    const c = s[j]
    if (c === quote) return { text: out, end: j + 1 }
    if (c === '\\') {
      const e = s[j + 1]
      const rep = e === undefined ? undefined : ESCAPES.get(e)
      if (rep === undefined) {
        throw exprError('BAD_EXPRESSION', s, j, `unknown escape ${q('\\' + (e ?? ''))} in a string`, {
          hint: 'the escapes are \\\\ \\" \\\' \\n \\t',
        })
      }
      out += rep
      j += 2
      continue
    }
    out += c
    j++
  }
  throw exprError('BAD_EXPRESSION', s, i, `unterminated string: add the closing ${quote}`)
}
