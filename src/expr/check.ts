/**
 * Checker: resolves names and types before any row is touched, and collects every error it
 * finds (not just the first): unknown columns and functions (with "did you mean"), wrong
 * arity, `by` on a function that is not a group function, panel functions without a panel,
 * bad constant arguments, and type mismatches between numbers and text.
 */
import type { ColumnType } from '../artifacts/frame.ts'
import type { QuasiError } from '../errors.ts'
import { suggest } from '../suggest.ts'
import type { Binary, Call, ColumnRef, Expr, In } from './ast.ts'
import { exprError, q } from './errors.ts'
import { FUNCTIONS } from './functions/index.ts'
import { SYNONYMS } from './functions/synonyms.ts'
import type { CheckContext } from './spec.ts'

export interface Schema {
  /** Columns available to the expression and their types. */
  readonly columns: ReadonlyMap<string, ColumnType>
  /** The pipeline's panel keys, needed by lag/lead/diff/adopted/event_time. */
  readonly panel?: { readonly unit: string; readonly time: string }
}

export interface CheckResult {
  /** Type of the whole expression, undefined when there are errors. */
  readonly type: ColumnType | undefined
  readonly errors: readonly QuasiError[]
}

const ARITHMETIC = new Set(['+', '-', '*', '/', '^'])
const ORDERING = new Set(['<', '<=', '>', '>='])

/** Check a parsed expression against the columns it will run on. */
export function checkExpression(expr: Expr, source: string, schema: Schema): CheckResult {
  const errors: QuasiError[] = []
  const cx: CheckContext = {
    source,
    columns: schema.columns,
    ...(schema.panel ? { panel: schema.panel } : {}),
    errors,
    check: checkSub,
  }
  const type = typeOf(expr, cx)
  return { type: errors.length === 0 ? type : undefined, errors }
}

/** CheckContext's `check`: one function for every context, not a closure made per expression (a large derive checks 300,000). */
function checkSub(this: CheckContext, e: Expr): ColumnType | undefined {
  return typeOf(e, this)
}

/** How an operand reads in a type error: `admin_level (text)`, `3 (a number)`. */
function describeOperand(e: Expr, t: ColumnType, source: string): string {
  return `${shortText(e, source)} (${t === 'string' ? 'text' : 'a number'})`
}

/** `admin_level is a text column`, `"abc" is text`. */
function isText(e: Expr, source: string): string {
  return e.kind === 'column' ? `${e.name} is a text column` : `${shortText(e, source)} is text`
}

function shortText(e: Expr, source: string): string {
  if (e.kind === 'column') return e.name
  const text = source.slice(e.start, e.end)
  return text.length > 30 ? text.slice(0, 27) + '…' : text
}

function typeOf(e: Expr, cx: CheckContext): ColumnType | undefined {
  switch (e.kind) {
    case 'number':
      return 'number'
    case 'string':
      return 'string'
    case 'column': {
      const t = cx.columns.get(e.name)
      if (t !== undefined) return t
      cx.errors.push(unknownColumn(e, cx))
      return undefined
    }
    case 'unary': {
      const t = typeOf(e.arg, cx)
      if (t === 'string') {
        cx.errors.push(
          exprError('BAD_EXPRESSION', cx.source, e, `type mismatch: ${q(e.op)} needs a number, but ${isText(e.arg, cx.source)}`, {
            expected: 'number',
            found: 'string',
          }),
        )
        return undefined
      }
      return t && 'number'
    }
    case 'binary': {
      // A left-nested chain (a + b + c …) in a loop: the parser does not count it as depth.
      const spine: Binary[] = []
      let bottom: Expr = e
      while (bottom.kind === 'binary') {
        spine.push(bottom)
        bottom = bottom.left
      }
      let t = typeOf(bottom, cx)
      for (let i = spine.length - 1; i >= 0; i--) t = binaryType(spine[i], t, cx)
      return t
    }
    case 'in': {
      const t = typeOf(e.arg, cx)
      let ok = t !== undefined
      const before = cx.errors.length
      for (const item of e.list.items) {
        const ti = typeOf(item, cx)
        if (ti === undefined) ok = false
        else if (t !== undefined && ti !== t) {
          ok = false
          cx.errors.push(
            exprError('BAD_EXPRESSION', cx.source, item, `type mismatch: ${describeOperand(e.arg, t, cx.source)} cannot be compared with ${describeOperand(item, ti, cx.source)}`, {
              expected: t,
              found: ti,
            }),
          )
        }
      }
      if (cx.errors.length > before) hintQuotes(e, e.list.items, t, cx)
      return ok ? 'number' : undefined
    }
    case 'list':
      cx.errors.push(exprError('BAD_EXPRESSION', cx.source, e, 'a list [...] can only follow `in` or be an option value, as in negative: [so2]'))
      return undefined
    case 'call':
      return callType(e, cx)
  }
}

/** The type of `e` given the type of its left operand (checked already). */
function binaryType(e: Binary, l: ColumnType | undefined, cx: CheckContext): ColumnType | undefined {
  const r = typeOf(e.right, cx)
  if ((l === undefined) !== (r === undefined) && (e.op === '==' || e.op === '!=')) {
    hintQuotes(e, l === undefined ? [e.left] : [e.right], l ?? r, cx)
  }
  if (l === undefined || r === undefined) return undefined
  if (ARITHMETIC.has(e.op) || e.op === 'and' || e.op === 'or') {
    const bad = l === 'string' ? e.left : r === 'string' ? e.right : undefined
    if (bad) return mismatch(cx, e, `${q(e.op)} needs numbers on both sides, but ${isText(bad, cx.source)}`, 'number', 'string')
    return 'number'
  }
  if (l !== r) {
    const hint = l === 'string' ? e.right : e.left
    return mismatch(
      cx,
      e,
      `cannot compare ${describeOperand(e.left, l, cx.source)} with ${describeOperand(e.right, r, cx.source)}` +
        (hint.kind === 'number' ? `; write "${cx.source.slice(hint.start, hint.end)}" to compare with text` : ''),
      l,
      r,
    )
  }
  if (l === 'string' && ORDERING.has(e.op)) {
    return mismatch(cx, e, `${q(e.op)} orders numbers; text can only be compared with == and != (or \`in\`)`, 'number', 'string')
  }
  return 'number'
}

function mismatch(cx: CheckContext, e: Binary, message: string, expected: string, found: string): undefined {
  cx.errors.push(exprError('BAD_EXPRESSION', cx.source, e.opSpan, `type mismatch: ${message}`, { expected, found }))
  return undefined
}

function unknownColumn(e: ColumnRef, cx: CheckContext, quoted?: string): QuasiError {
  const near = suggest(e.name, cx.columns.keys())
  const hint = quoted
    ? `to compare with the text ${e.name}, put it in quotes: ${quoted}`
    : near ? undefined : `columns: ${listNames(cx.columns.keys(), cx.columns.size)}`
  return exprError('MISSING_COLUMN', cx.source, e, `unknown column ${q(e.name)}${near ? ` — did you mean ${q(near)}?` : ''}`, {
    found: e.name,
    ...(near ? { expected: near } : {}),
    ...(hint ? { hint } : {}),
  })
}

/**
 * `region == north`, `region in [north, south]`: a bare word where text was meant. An
 * unknown name compared with text, or one that is no column's near miss (when types are not
 * known, as in `quasi validate`, every column counts as a number), gets a hint that writes
 * the comparison with the word in quotes.
 */
function hintQuotes(e: Binary | In, words: readonly Expr[], other: ColumnType | undefined, cx: CheckContext): void {
  const meant = words.filter((w): w is ColumnRef =>
    w.kind === 'column' && !cx.columns.has(w.name) && (other === 'string' || suggest(w.name, cx.columns.keys()) === undefined))
  if (meant.length === 0) return
  let quoted = ''
  let at = e.start
  for (const w of meant) {
    quoted += cx.source.slice(at, w.start) + q(w.name)
    at = w.end
  }
  quoted += cx.source.slice(at, e.end)
  for (const w of meant) {
    const i = cx.errors.findIndex((x) => x.code === 'MISSING_COLUMN' && x.offset === w.start)
    if (i >= 0) cx.errors[i] = unknownColumn(w, cx, quoted)
  }
}

function callType(e: Call, cx: CheckContext): ColumnType | undefined {
  const spec = FUNCTIONS.get(e.name)
  const argTypes: (ColumnType | undefined)[] = []
  for (const a of e.args) argTypes.push(typeOf(a, cx))
  if (!spec) {
    // Another language's name for one of ours (ln → log) first, then the nearest spelling.
    const synonym = SYNONYMS.get(e.name.toLowerCase())
    const near = synonym?.name ?? suggest(e.name, FUNCTIONS.keys())
    const isColumn = cx.columns.has(e.name)
    cx.errors.push(
      exprError('BAD_EXPRESSION', cx.source, e.nameSpan,
        isColumn
          ? `${e.name} is a column, not a function`
          : `unknown function ${q(e.name)}${near ? ` — did you mean ${q(near)}?` : ''}`,
        {
          found: e.name,
          ...(near ? { expected: near } : {}),
          ...(synonym?.note ? { hint: synonym.note } : near ? {} : { hint: `functions: ${listNames(FUNCTIONS.keys(), FUNCTIONS.size)}` }),
        }),
    )
    return undefined
  }
  // Every problem from here on adds an error: the call is fine when none was added and every argument has a type.
  const before = cx.errors.length
  if (e.args.length < spec.minArgs || e.args.length > spec.maxArgs) {
    const range = spec.maxArgs === Infinity ? `at least ${spec.minArgs}` : spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : `${spec.minArgs} or ${spec.maxArgs}`
    fail(cx, e.nameSpan, `${e.name} takes ${range} argument${spec.maxArgs === 1 ? '' : 's'} (${spec.signature}), got ${e.args.length}`, 'BAD_EXPRESSION', {
      expected: range,
      found: String(e.args.length),
    })
  }
  let optionsOk = true
  for (const o of e.options) {
    const allowed = spec.options ?? []
    if (!allowed.includes(o.name)) {
      optionsOk = false
      const near = suggest(o.name, allowed)
      fail(cx, o.nameSpan, allowed.length === 0
        ? `${e.name} takes no options`
        : `unknown option ${q(o.name)} of ${e.name}${near ? ` — did you mean ${q(near)}?` : ` (options: ${allowed.join(', ')})`}`)
    }
  }
  if (e.options.length > 1) {
    const seen = new Set<string>()
    for (const o of e.options) {
      if (seen.has(o.name)) {
        optionsOk = false
        fail(cx, o.nameSpan, `option ${o.name} is given twice`)
      }
      seen.add(o.name)
    }
  }
  if (e.by) {
    if (!spec.group) {
      const groupNames = [...FUNCTIONS.values()].filter((f) => f.group).map((f) => f.name)
      fail(cx, { start: e.by.start, end: e.by.end }, `\`by\` applies to group functions (${groupNames.join(', ')}); ${e.name} is not one`)
    }
    for (const k of e.by.keys) {
      if (!cx.columns.has(k.name)) {
        const near = suggest(k.name, cx.columns.keys())
        fail(cx, k, `unknown column ${q(k.name)} in \`by\`${near ? ` — did you mean ${q(near)}?` : ''}`, 'MISSING_COLUMN', { found: k.name })
      }
    }
  }
  if (spec.panel) {
    if (!cx.panel) {
      fail(cx, e.nameSpan, `${e.name} needs the panel's unit and time: declare panel: { unit: …, time: … } in the pipeline`)
    } else {
      const need = spec.panel === 'unit-time' ? [cx.panel.unit, cx.panel.time] : [cx.panel.time]
      for (const c of need) {
        if (!cx.columns.has(c)) fail(cx, e.nameSpan, `${e.name} needs the panel column ${q(c)}, which is not in the table`, 'MISSING_COLUMN')
      }
      if (cx.columns.get(cx.panel.time) === 'string') {
        fail(cx, e.nameSpan, `${e.name} needs a numeric time column, but ${cx.panel.time} is text`)
      }
    }
  }
  let typed = true
  for (let i = 0; i < argTypes.length; i++) {
    const t = argTypes[i]
    const want = spec.argTypes?.[Math.min(i, spec.argTypes.length - 1)] ?? 'number'
    if (t === undefined) typed = false
    else if (want !== 'any' && t !== want) {
      fail(cx, e.args[i], `type mismatch: argument ${i + 1} of ${e.name} must be ${want === 'number' ? 'a number' : 'text'}, but ${t === 'string' ? isText(e.args[i], cx.source) : `${shortText(e.args[i], cx.source)} is a number`}`, 'BAD_EXPRESSION', {
        expected: want,
        found: t,
      })
    }
  }
  const arityOk = e.args.length >= spec.minArgs && e.args.length <= spec.maxArgs
  if (arityOk && optionsOk && spec.check) spec.check(e, argTypes, cx)
  if (!typed || cx.errors.length > before) return undefined
  return spec.resultType ? spec.resultType(argTypes) : 'number'
}

function fail(cx: CheckContext, at: Expr | Call['nameSpan'], message: string, code: 'BAD_EXPRESSION' | 'MISSING_COLUMN' = 'BAD_EXPRESSION', extra = {}): void {
  cx.errors.push(exprError(code, cx.source, at, message, extra))
}

/** The first 12 names and how many there are: taken from the iterator, since a large derive has 300,000 columns and an error each. */
function listNames(names: Iterable<string>, count: number): string {
  const first: string[] = []
  for (const n of names) {
    if (first.length === 12) break
    first.push(n)
  }
  const shown = first.join(', ')
  return count > 12 ? `${shown}, … (${count} in all)` : shown || '(none)'
}
