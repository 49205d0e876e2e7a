/**
 * `expect:` lines: a comparison between a stage fact and a number (or another fact),
 * e.g. `coef(did) > 0`, `p(did) < 0.05`, `rows == 4200`, or a tolerance check
 * `approx(pretrend_p, 0.6903, 1e-4)`, which holds when |left − right| ≤ tol (an absolute
 * tolerance). Facts are named numbers a stage returns (`StageResult.facts`); a failed
 * expectation exits with code 3.
 */
import { QuasiError } from '../errors.ts'
import { suggest } from '../suggest.ts'

export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!='
export type Operand = { fact: string } | { value: number }

interface Sides {
  readonly text: string
  readonly left: Operand
  readonly right: Operand
}

export type Expectation = (Sides & { readonly op: CompareOp }) | (Sides & { readonly op: 'approx'; readonly tol: number })

const NUMBER = String.raw`[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`
const OPERAND = String.raw`\s*(?:([A-Za-z_][\w.]*(?:\s*\(\s*[^()]*?\s*\))?)|(${NUMBER}))\s*`
const LINE = new RegExp(`^${OPERAND}(<=|>=|==|!=|<|>)${OPERAND}$`)
const ONE_OPERAND = new RegExp(`^${OPERAND}$`)
const APPROX = /^\s*approx\s*\(/
const PLAIN_NUMBER = new RegExp(`^\\s*${NUMBER}\\s*$`)

const EXPECTED = 'a fact, a comparison (<, <=, >, >=, ==, !=) and a number, e.g. `coef(did) > 0` or `p(did) < 0.05`, or `approx(fact, number, tolerance)`'

/** Parse one line; errors carry the character offset of the problem. */
export function parseExpectation(text: string): Expectation {
  const m = LINE.exec(text)
  if (!m && APPROX.test(text)) return parseApprox(text)
  if (!m) {
    const op = /<=|>=|==|!=|<|>/.exec(text)
    throw new QuasiError('BAD_EXPECTATION', `cannot read expectation "${text}"`, {
      offset: op ? op.index : 0,
      expected: EXPECTED,
      found: `"${text}"`,
      hint: op ? 'each side is a fact such as `coef(did)` or a plain number' : 'add a comparison operator',
    })
  }
  return { text, left: operand(m[1], m[2]), op: m[3] as CompareOp, right: operand(m[4], m[5]) }
}

const operand = (fact: string | undefined, num: string | undefined): Operand =>
  fact !== undefined ? { fact: normalizeFact(fact) } : { value: Number(num) }

/** `approx(left, right, tol)`: each side a fact or a number, tol a plain number >= 0. */
function parseApprox(text: string): Expectation {
  const open = text.indexOf('(')
  const close = text.lastIndexOf(')')
  const bad = (message: string, offset: number, found: string, hint?: string) =>
    new QuasiError('BAD_EXPECTATION', message, { offset, expected: 'approx(<fact or number>, <fact or number>, <tolerance >= 0>), e.g. `approx(pretrend_p, 0.6903, 1e-4)`', found, hint })
  if (close < open || text.slice(close + 1).trim() !== '') throw bad(`cannot read expectation "${text}"`, Math.max(open, 0), `"${text}"`, 'close the parenthesis after the tolerance')
  // split the arguments at commas outside parentheses, keeping each one's offset
  const args: { text: string; at: number }[] = []
  let depth = 0
  let start = open + 1
  for (let i = open + 1; i <= close; i++) {
    const c = text[i]
    if (c === '(') depth++
    else if (c === ')' && i < close) depth--
    else if ((c === ',' && depth === 0) || i === close) {
      const piece = text.slice(start, i)
      args.push({ text: piece, at: start + piece.length - piece.trimStart().length })
      start = i + 1
    }
  }
  if (args.length !== 3) throw bad(`approx takes 3 arguments (left, right, tolerance), got ${args.length}`, open, `"${text}"`)
  const sides = args.slice(0, 2).map((a) => {
    const m = ONE_OPERAND.exec(a.text)
    if (!m) throw bad(`cannot read \`${a.text.trim()}\` in "${text}"`, a.at, `\`${a.text.trim()}\``, 'each side is a fact such as `coef(did)` or a plain number')
    return operand(m[1], m[2])
  })
  const t = args[2]
  const tol = PLAIN_NUMBER.test(t.text) ? Number(t.text) : NaN
  if (!(tol >= 0)) {
    throw bad(`the tolerance of approx must be a number >= 0, got \`${t.text.trim()}\``, t.at, `\`${t.text.trim()}\``, 'the tolerance is absolute: |left − right| <= tolerance, e.g. 1e-4')
  }
  return { text, left: sides[0], op: 'approx', right: sides[1], tol }
}

export function normalizeFact(s: string): string {
  return s.replace(/\s+/g, '')
}

export interface ExpectationOutcome {
  readonly expectation: Expectation
  readonly holds: boolean
  readonly left: number
  readonly right: number
  /** The tolerance of an `approx` expectation. */
  readonly tol?: number
}

/** Evaluate against a stage's facts; an unknown fact is an invalid pipeline (exit 2). */
export function evaluateExpectation(x: Expectation, facts: Readonly<Record<string, number>>): ExpectationOutcome {
  const val = (o: Operand): number => {
    if ('value' in o) return o.value
    const v = facts[o.fact]
    if (v === undefined) {
      const names = Object.keys(facts).sort()
      const near = suggest(o.fact, names)
      throw new QuasiError('BAD_EXPECTATION', `the stage has no fact \`${o.fact}\`${near ? `; did you mean \`${near}\`?` : ''}`, {
        // inside approx( … ), so that a fact `p(did)` is not found in the word `approx`
        offset: x.text.indexOf(o.fact.split('(')[0], x.op === 'approx' ? x.text.indexOf('(') + 1 : 0),
        expected: names.length ? `one of ${names.slice(0, 20).map((n) => '`' + n + '`').join(', ')}${names.length > 20 ? ', …' : ''}` : 'this stage reports no facts',
      })
    }
    return v
  }
  const left = val(x.left)
  const right = val(x.right)
  if (x.op === 'approx') return { expectation: x, holds: Math.abs(left - right) <= x.tol, left, right, tol: x.tol }
  return { expectation: x, holds: compare(left, x.op, right), left, right }
}

function compare(a: number, op: CompareOp, b: number): boolean {
  switch (op) {
    case '<': return a < b
    case '<=': return a <= b
    case '>': return a > b
    case '>=': return a >= b
    case '==': return a === b
    case '!=': return a !== b
  }
}

/**
 * Both sides of a failed expectation with enough digits to tell them apart: six
 * significant digits, more (up to 17, where every double is exact) while the two still
 * print alike. Whole numbers print whole. Equal values print in full (shortest round trip).
 */
export function formatSides(left: number, right: number): [string, string] {
  const at = (v: number, p: number) => (Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(Number(v.toPrecision(p))))
  if (left === right || (Number.isNaN(left) && Number.isNaN(right))) return [String(left), String(right)]
  for (let p = 6; p <= 17; p++) {
    const [a, b] = [at(left, p), at(right, p)]
    if (a !== b) return [a, b]
  }
  return [String(left), String(right)]
}

/** `0.6912 vs 0.6903` or, for approx, `0.6912 vs 0.6903, |difference| 0.0009 > tolerance 0.0001`. */
export function describeFailure(o: { left: number; right: number; tol?: number }): string {
  const [a, b] = formatSides(o.left, o.right)
  if (o.tol === undefined) return `${a} vs ${b}`
  return `${a} vs ${b}, |difference| ${Number(Math.abs(o.left - o.right).toPrecision(3))} > tolerance ${o.tol}`
}
