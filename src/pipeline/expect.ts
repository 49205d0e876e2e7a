/**
 * `expect:` lines: a comparison between a stage fact and a number (or another fact),
 * e.g. `coef(did) > 0`, `p(did) < 0.05`, `rows == 4200`. Facts are named numbers a stage
 * returns (`StageResult.facts`); a failed expectation exits with code 3.
 */
import { QuasiError } from '../errors.ts'
import { suggest } from '../suggest.ts'

export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!='
export type Operand = { fact: string } | { value: number }

export interface Expectation {
  readonly text: string
  readonly left: Operand
  readonly op: CompareOp
  readonly right: Operand
}

const OPERAND = String.raw`\s*(?:([A-Za-z_][\w.]*(?:\s*\(\s*[^()]*?\s*\))?)|([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))\s*`
const LINE = new RegExp(`^${OPERAND}(<=|>=|==|!=|<|>)${OPERAND}$`)

/** Parse one line; errors carry the character offset of the problem. */
export function parseExpectation(text: string): Expectation {
  const m = LINE.exec(text)
  if (!m) {
    const op = /<=|>=|==|!=|<|>/.exec(text)
    throw new QuasiError('BAD_EXPECTATION', `cannot read expectation "${text}"`, {
      offset: op ? op.index : 0,
      expected: 'a fact, a comparison (<, <=, >, >=, ==, !=) and a number, e.g. `coef(did) > 0` or `p(did) < 0.05`',
      found: `"${text}"`,
      hint: op ? 'each side is a fact such as `coef(did)` or a plain number' : 'add a comparison operator',
    })
  }
  const operand = (fact: string | undefined, num: string | undefined): Operand =>
    fact !== undefined ? { fact: normalizeFact(fact) } : { value: Number(num) }
  return { text, left: operand(m[1], m[2]), op: m[3] as CompareOp, right: operand(m[4], m[5]) }
}

export function normalizeFact(s: string): string {
  return s.replace(/\s+/g, '')
}

export interface ExpectationOutcome {
  readonly expectation: Expectation
  readonly holds: boolean
  readonly left: number
  readonly right: number
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
        offset: x.text.indexOf(o.fact.split('(')[0]),
        expected: names.length ? `one of ${names.slice(0, 20).map((n) => '`' + n + '`').join(', ')}${names.length > 20 ? ', …' : ''}` : 'this stage reports no facts',
      })
    }
    return v
  }
  const left = val(x.left)
  const right = val(x.right)
  const holds = compare(left, x.op, right)
  return { expectation: x, holds, left, right }
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
