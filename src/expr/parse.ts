/**
 * Parser: tokens → syntax tree, by precedence climbing (Pratt). The grammar, in EBNF, and
 * the precedence table are in docs/methods.md; the binding powers below are that table.
 *
 * Invariants: every node has offsets into the source; the tree is at most MAX_DEPTH high and
 * the parser never recurses deeper than MAX_DEPTH (so hostile input cannot overflow the stack);
 * every failure is a QuasiError('BAD_EXPRESSION') with the offset of the offending token.
 */
import type { QuasiError } from '../errors.ts'
import type { Binary, BinaryOp, ByClause, Call, CallOption, ColumnRef, Expr, In, List, NumberLit, Span, StringLit, Unary } from './ast.ts'
import { MAX_DEPTH } from './ast.ts'
import { exprError, q } from './errors.ts'
import { tokenize } from './tokens.ts'
import type { Token } from './tokens.ts'

/** Left binding power of each infix operator (higher binds tighter). */
const INFIX: ReadonlyMap<string, number> = new Map([
  ['or', 1],
  ['and', 2],
  ['==', 4], ['!=', 4], ['<', 4], ['<=', 4], ['>', 4], ['>=', 4], ['in', 4],
  ['+', 5], ['-', 5],
  ['*', 6], ['/', 6],
  ['^', 8],
])
const BP_NOT = 3
const BP_COMPARE = 4
const BP_UNARY_MINUS = 7
const BP_POW = 8

/** Parse an expression; throws QuasiError('BAD_EXPRESSION') with an offset on any syntax error. */
export function parseExpression(source: string): Expr {
  if (typeof source !== 'string') {
    throw exprError('BAD_EXPRESSION', '', 0, `an expression must be text, got ${typeof source}`)
  }
  const tokens = tokenize(source)
  if (tokens[0].type === 'eof') throw exprError('BAD_EXPRESSION', source, 0, 'empty expression')
  const p = new Parser(source, tokens)
  const expr = p.expression(0, false)
  const t = p.peek()
  if (t.type !== 'eof') {
    throw p.error(t, `expected an operator or the end of the expression, found ${describe(t)}`)
  }
  return expr
}

class Parser {
  #pos = 0
  #nesting = 0
  constructor(
    readonly source: string,
    readonly tokens: readonly Token[],
  ) {}

  peek(): Token {
    return this.tokens[this.#pos]
  }

  next(): Token {
    const t = this.tokens[this.#pos]
    if (t.type !== 'eof') this.#pos++
    return t
  }

  isPunct(text: string): boolean {
    const t = this.peek()
    return t.type === 'punct' && t.text === text
  }

  isKeyword(text: string): boolean {
    const t = this.peek()
    return t.type === 'keyword' && t.text === text
  }

  expectPunct(text: string, context: string): Token {
    const t = this.peek()
    if (t.type === 'punct' && t.text === text) return this.next()
    throw this.error(t, `expected ${q(text)} ${context}, found ${describe(t)}`)
  }

  error(at: Token | Span, message: string, hint?: string): QuasiError {
    return exprError('BAD_EXPRESSION', this.source, at, message, hint === undefined ? {} : { hint })
  }

  /**
   * `n` with its height set (it is written with `depth: 0`, so every node of a kind has one
   * shape; spreading into a new object here was most of the parse time). A chain of binary
   * operators nesting to the left (`a + b - c …`, `x > 0 and y > 0 and …`) counts as one
   * level, as if it were one node with many operands: the checker and the evaluator walk
   * its left spine in a loop, so a 500-term sum is long, not deep. Operands, parentheses on
   * the right, unary operators and calls still nest.
   */
  node<T extends Expr>(n: T, children: readonly (Expr | undefined)[]): T {
    let depth = 0
    for (const c of children) if (c && c.depth > depth) depth = c.depth
    depth++
    if (n.kind === 'binary' && n.left.depth > depth) depth = n.left.depth
    if (depth > MAX_DEPTH) throw this.tooDeep(n)
    ;(n as { depth: number }).depth = depth
    return n
  }

  tooDeep(at: Span): QuasiError {
    return this.error(at, `expression is nested too deeply (more than ${MAX_DEPTH} levels)`)
  }

  /**
   * expression(minBp): a prefix operand, then infix operators binding tighter than minBp.
   * `inArgs`: inside a call's argument list or a [list], where `,` separates items, so
   * `by` takes a single name unless its keys are bracketed.
   */
  expression(minBp: number, inArgs: boolean): Expr {
    if (++this.#nesting > MAX_DEPTH) throw this.tooDeep(this.peek())
    try {
      let left = this.prefix(inArgs)
      let comparedAt: Token | undefined
      for (;;) {
        const t = this.peek()
        if (t.type === 'keyword' && t.text === 'by') {
          throw this.error(t, '`by` must follow a group function call, as in `mean(x) by region`')
        }
        const op = t.type === 'punct' || t.type === 'keyword' ? t.text : undefined
        const bp = op === undefined ? undefined : INFIX.get(op)
        if (bp === undefined || bp <= minBp) break
        if (bp === BP_COMPARE && comparedAt) {
          throw this.error(t, `comparisons cannot be chained; write \`a < b and b < c\``)
        }
        this.next()
        const opSpan = { start: t.start, end: t.end }
        if (op === 'in') {
          if (!this.isPunct('[')) throw this.error(this.peek(), '`in` needs a list, as in `x in ["a", "b"]`')
          const list = this.list()
          left = this.node<In>({ kind: 'in', arg: left, list, opSpan, start: left.start, end: list.end, depth: 0 }, [left, list])
        } else {
          // `^` is right-associative and lets a unary minus into its exponent (2^-1).
          const right = this.expression(op === '^' ? BP_POW - 1 : bp, inArgs)
          left = this.node<Binary>(
            { kind: 'binary', op: op as BinaryOp, left, right, opSpan, start: left.start, end: right.end, depth: 0 },
            left.kind === 'binary' ? [right] : [left, right],
          )
        }
        if (bp === BP_COMPARE) comparedAt = t
      }
      return left
    } finally {
      this.#nesting--
    }
  }

  prefix(inArgs: boolean): Expr {
    const t = this.next()
    switch (t.type) {
      case 'number':
        return { kind: 'number', value: t.value!, start: t.start, end: t.end, depth: 1 } satisfies NumberLit
      case 'string':
        return { kind: 'string', value: t.text, start: t.start, end: t.end, depth: 1 } satisfies StringLit
      case 'ident':
        if (this.isPunct('(')) return this.call(t, inArgs)
        return { kind: 'column', name: t.text, start: t.start, end: t.end, depth: 1 } satisfies ColumnRef
      case 'keyword':
        if (t.text === 'not') {
          const arg = this.expression(BP_NOT, inArgs)
          return this.node<Unary>({ kind: 'unary', op: 'not', arg, start: t.start, end: arg.end, depth: 0 }, [arg])
        }
        throw this.error(t, `expected a value, found ${describe(t)}`,
          `to use a column named ${t.text}, write it in backticks: \`${t.text}\``)
      case 'punct':
        if (t.text === '-' || t.text === '+') {
          const arg = this.expression(BP_UNARY_MINUS, inArgs)
          return this.node<Unary>({ kind: 'unary', op: t.text, arg, start: t.start, end: arg.end, depth: 0 }, [arg])
        }
        if (t.text === '(') {
          const inner = this.expression(0, false)
          const close = this.expectPunct(')', 'to close the parenthesis')
          // The node's span takes in its parentheses, so source slices stay balanced.
          return { ...inner, start: t.start, end: close.end }
        }
        if (t.text === '[') {
          this.#pos--
          return this.list()
        }
        throw this.error(t, `expected a value, found ${describe(t)}`)
      case 'eof':
        throw this.error(t, 'the expression ends too early: expected a value')
    }
  }

  /** `[a, b, …]`, the `[` not yet consumed. */
  list(): List {
    const open = this.expectPunct('[', 'to open a list')
    const items: Expr[] = []
    if (!this.isPunct(']')) {
      for (;;) {
        items.push(this.expression(0, true))
        if (this.isPunct(',')) {
          this.next()
          continue
        }
        break
      }
    }
    const close = this.expectPunct(']', 'to close the list')
    return this.node<List>({ kind: 'list', items, start: open.start, end: close.end, depth: 0 }, items)
  }

  /** name ( args [; options] ) [by keys]; the name already consumed. */
  call(name: Token, inArgs: boolean): Call {
    this.expectPunct('(', `after ${name.text}`)
    const args: Expr[] = []
    const options: CallOption[] = []
    if (!this.isPunct(')') && !this.isPunct(';')) {
      for (;;) {
        args.push(this.expression(0, true))
        if (this.isPunct(',')) {
          this.next()
          continue
        }
        break
      }
    }
    if (this.isPunct(';')) {
      this.next()
      for (;;) {
        const key = this.next()
        if (key.type !== 'ident') {
          throw this.error(key, `expected an option name after ";", found ${describe(key)}`,
            'options follow the arguments: entropy(a, b; negative: [c])')
        }
        this.expectPunct(':', `after the option name ${key.text}`)
        const value = this.expression(0, true)
        options.push({ name: key.text, nameSpan: { start: key.start, end: key.end }, value, start: key.start, end: value.end })
        if (this.isPunct(',')) {
          this.next()
          continue
        }
        break
      }
    }
    const close = this.peek()
    if (!(close.type === 'punct' && close.text === ')')) {
      throw this.error(close, `expected "," or ")" in the call of ${name.text}, found ${describe(close)}`)
    }
    this.next()
    let by: ByClause | undefined
    if (this.isKeyword('by')) by = this.byClause(inArgs)
    const end = by ? by.end : close.end
    return this.node<Call>(
      {
        kind: 'call',
        name: name.text,
        nameSpan: { start: name.start, end: name.end },
        args,
        options,
        ...(by ? { by } : {}),
        start: name.start,
        end,
        depth: 0,
      },
      [...args, ...options.map((o) => o.value)],
    )
  }

  /** by k1, k2 (greedy outside argument lists) | by [k1, k2] | by (k1, k2). */
  byClause(inArgs: boolean): ByClause {
    const byTok = this.next()
    const keys: { name: string; start: number; end: number }[] = []
    const key = () => {
      const t = this.next()
      if (t.type !== 'ident') throw this.error(t, `expected a column name after \`by\`, found ${describe(t)}`)
      keys.push({ name: t.text, start: t.start, end: t.end })
      return t
    }
    const open = this.peek()
    if (open.type === 'punct' && (open.text === '[' || open.text === '(')) {
      this.next()
      const closeText = open.text === '[' ? ']' : ')'
      key()
      while (this.isPunct(',')) {
        this.next()
        key()
      }
      const close = this.expectPunct(closeText, 'to close the `by` list')
      return { keys, start: byTok.start, end: close.end }
    }
    let last = key()
    // Outside argument lists, `by region, year` takes every comma-separated name.
    while (!inArgs && this.isPunct(',')) {
      this.next()
      last = key()
    }
    return { keys, start: byTok.start, end: last.end }
  }
}

function describe(t: Token): string {
  switch (t.type) {
    case 'number':
      return `the number ${t.text}`
    case 'string':
      return `the string ${q(t.text)}`
    case 'ident':
      return `the name ${t.text}`
    case 'keyword':
      return `the keyword ${q(t.text)}`
    case 'punct':
      return q(t.text)
    case 'eof':
      return 'the end of the expression'
  }
}
