/**
 * Vectorised evaluator: every node becomes a whole column (Float64Array with NaN for missing,
 * or text with null), computed in one pass over the rows. Run it on a checked expression:
 * it trusts the checker for names and types and throws QuasiError only for problems in
 * the data (duplicate panel keys, non-integer times).
 *
 * Conventions (docs/methods.md): arithmetic on a missing value is missing;
 * non-finite results are missing; comparisons give 1/0, or missing when an operand is;
 * and/or follow Kleene's three-valued logic (false and missing = false, true or missing = true);
 * any non-zero number counts as true.
 */
import type { Column, Frame } from '../artifacts/frame.ts'
import { stringColumn } from '../artifacts/frame.ts'
import { QuasiError } from '../errors.ts'
import type { Binary, ByClause, Call, Expr } from './ast.ts'
import { exprError } from './errors.ts'
import { FUNCTIONS } from './functions/index.ts'
import { buildPanelIndex } from './functions/panel.ts'
import { finite, num, nums } from './functions/util.ts'
import type { EntropyReport, EvalContext, Groups, PanelIndex } from './spec.ts'
import { groupRows } from '../artifacts/groups.ts'

export interface EvaluateOptions {
  /** The source text the tree was parsed from (for messages and entropy labels). */
  readonly source: string
  /** The pipeline's panel keys (ctx.panel). */
  readonly panel?: { readonly unit: string; readonly time: string }
  /** Checked between nodes; an aborted signal stops evaluation with CANCELLED. */
  readonly signal?: AbortSignal
}

export interface ExprWarning {
  /** Offset of the sub-expression in the source, and the message with its line:col. */
  readonly offset: number
  readonly message: string
}

export interface Evaluation {
  readonly column: Column
  readonly warnings: readonly ExprWarning[]
  /** Weights of every entropy() call, in evaluation order. */
  readonly entropy: readonly EntropyReport[]
}

/** Evaluate a checked expression over every row of `frame`. */
export function evaluate(expr: Expr, frame: Frame, options: EvaluateOptions): Evaluation {
  const warnings: ExprWarning[] = []
  const entropy: EntropyReport[] = []
  const groupCache = new Map<string, Groups>()
  let panel: PanelIndex | undefined
  const { source } = options
  const ex: EvalContext = {
    frame,
    n: frame.nrows,
    source,
    entropy,
    evaluate: (e) => evalNode(e, ex, options),
    groups: (by) => {
      const key = by ? JSON.stringify(by.keys.map((k) => k.name)) : '[]'
      let g = groupCache.get(key)
      if (!g) groupCache.set(key, (g = buildGroups(frame, by)))
      return g
    },
    panelIndex: (call) => {
      if (panel) return panel
      const p = needPanel(call, options)
      const unit = frame.column(p.unit)
      const time = ex.panelTime(call)
      const keys = unit?.type === 'string' ? unit.data : Array.from({ length: frame.nrows }, (_, i) => frame.key(p.unit, i))
      return (panel = buildPanelIndex(source, call, keys, time, p))
    },
    panelTime: (call) => {
      const p = needPanel(call, options)
      const t = frame.column(p.time)
      if (!t || t.type !== 'number') {
        throw exprError('BAD_PANEL_TIME', source, call, `${call.name} needs a numeric panel time column ${JSON.stringify(p.time)}`)
      }
      return t.data
    },
    live: undefined,
    warn: (at, message) => {
      const w = exprError('BAD_EXPRESSION', source, at, `${source.slice(at.start, at.end)}: ${message}`)
      warnings.push({ offset: at.start, message: w.message })
    },
  }
  const column = evalNode(expr, ex, options)
  return { column, warnings, entropy }
}

function needPanel(call: Call, options: EvaluateOptions) {
  if (!options.panel) {
    throw exprError('BAD_EXPRESSION', options.source, call.nameSpan, `${call.name} needs the panel's unit and time: declare panel: { unit: …, time: … } in the pipeline`)
  }
  return options.panel
}

/** Group ids from the `by` keys' display values; a row with any missing key has id −1. */
function buildGroups(frame: Frame, by: ByClause | undefined): Groups {
  if (!by) return { id: new Int32Array(frame.nrows), count: 1, labels: ['all'] }
  const g = groupRows(frame, by.keys.map((k) => k.name))
  return { id: g.id, count: g.keys.length, labels: g.keys.map((k) => k.join('|')) }
}

function evalNode(e: Expr, ex: EvalContext, options: EvaluateOptions): Column {
  if (options.signal?.aborted) throw new QuasiError('CANCELLED', 'cancelled')
  const n = ex.n
  switch (e.kind) {
    case 'number':
      return num(new Float64Array(n).fill(e.value))
    case 'string':
      return stringColumn(new Array<string | null>(n).fill(e.value))
    case 'column': {
      const c = ex.frame.column(e.name)
      if (!c) throw exprError('MISSING_COLUMN', ex.source, e, `unknown column ${JSON.stringify(e.name)}`)
      return c
    }
    case 'unary': {
      const x = nums(evalNode(e.arg, ex, options))
      const out = new Float64Array(n)
      if (e.op === 'not') for (let i = 0; i < n; i++) out[i] = x[i] !== x[i] ? NaN : x[i] === 0 ? 1 : 0
      else if (e.op === '-') for (let i = 0; i < n; i++) out[i] = -x[i]
      else out.set(x)
      return num(out)
    }
    case 'binary': {
      // A left-nested chain (a + b + c …) in a loop: the parser does not count it as depth.
      const spine: Binary[] = []
      let bottom: Expr = e
      while (bottom.kind === 'binary') {
        spine.push(bottom)
        bottom = bottom.left
      }
      let acc = evalNode(bottom, ex, options)
      for (let i = spine.length - 1; i >= 0; i--) {
        if (options.signal?.aborted) throw new QuasiError('CANCELLED', 'cancelled')
        acc = binary(spine[i], acc, evalNode(spine[i].right, ex, options), ex)
      }
      return acc
    }
    case 'in': {
      const a = evalNode(e.arg, ex, options)
      const items = e.list.items.map((it) => evalNode(it, ex, options))
      const out = new Float64Array(n)
      for (let i = 0; i < n; i++) {
        const v = a.data[i]
        if (v === null || v !== v) {
          out[i] = NaN
          continue
        }
        let r = 0
        for (const it of items) {
          const w = it.data[i]
          if (w === v) {
            r = 1
            break
          }
          if (w === null || w !== w) r = NaN
        }
        out[i] = r
      }
      return num(out)
    }
    case 'list':
      throw exprError('BAD_EXPRESSION', ex.source, e, 'a list [...] can only follow `in` or be an option value')
    case 'call': {
      const spec = FUNCTIONS.get(e.name)
      if (!spec) throw exprError('BAD_EXPRESSION', ex.source, e.nameSpan, `unknown function ${JSON.stringify(e.name)}`)
      const args = spec.branches ? branches(e, ex, options) : e.args.map((a) => evalNode(a, ex, options))
      const out = spec.evaluate(e, args, ex)
      if (out.type === 'number') {
        // Statistics can overflow (a sum or sd of values near 1e308): not finite → missing.
        let overflow = 0
        const d = out.data
        const live = ex.live
        for (let i = 0; i < d.length; i++) {
          if (d[i] - d[i] !== 0 && d[i] === d[i]) {
            d[i] = NaN
            if (!live || live[i]) overflow++
          }
        }
        if (overflow > 0) ex.warn(e, `${overflow} value(s) missing: result too large`)
      }
      return out
    }
  }
}

/**
 * The arguments of `if(c, a, b)`: `a` is evaluated with the rows where c is true as live,
 * `b` with those where it is false (within the rows already live), so a warning about
 * `1/0` in a branch counts the rows that branch gives the result, not every row.
 */
function branches(e: Call, ex: EvalContext, options: EvaluateOptions): Column[] {
  const cond = evalNode(e.args[0], ex, options)
  const c = nums(cond)
  const outer = ex.live
  const yes = new Uint8Array(ex.n)
  const no = new Uint8Array(ex.n)
  for (let i = 0; i < ex.n; i++) {
    const v = c[i]
    if ((outer && !outer[i]) || v !== v) continue
    if (v !== 0) yes[i] = 1
    else no[i] = 1
  }
  try {
    ex.live = yes
    const a = evalNode(e.args[1], ex, options)
    ex.live = no
    const b = evalNode(e.args[2], ex, options)
    return [cond, a, b]
  } finally {
    ex.live = outer
  }
}

const INVALID: Record<string, string> = {
  '+': 'overflow',
  '-': 'overflow',
  '*': 'overflow',
  '/': 'division by zero',
  '^': 'power undefined (negative base, fractional exponent) or too large',
}

function binary(e: Binary, a: Column, b: Column, ex: EvalContext): Column {
  const n = ex.n
  const out = new Float64Array(n)
  const op = e.op
  if (op === '==' || op === '!=') {
    const eq = op === '=='
    for (let i = 0; i < n; i++) {
      const x = a.data[i]
      const y = b.data[i]
      out[i] = x === null || y === null || x !== x || y !== y ? NaN : (x === y) === eq ? 1 : 0
    }
    return num(out)
  }
  const x = nums(a)
  const y = nums(b)
  switch (op) {
    case '<': for (let i = 0; i < n; i++) out[i] = x[i] !== x[i] || y[i] !== y[i] ? NaN : x[i] < y[i] ? 1 : 0; break
    case '<=': for (let i = 0; i < n; i++) out[i] = x[i] !== x[i] || y[i] !== y[i] ? NaN : x[i] <= y[i] ? 1 : 0; break
    case '>': for (let i = 0; i < n; i++) out[i] = x[i] !== x[i] || y[i] !== y[i] ? NaN : x[i] > y[i] ? 1 : 0; break
    case '>=': for (let i = 0; i < n; i++) out[i] = x[i] !== x[i] || y[i] !== y[i] ? NaN : x[i] >= y[i] ? 1 : 0; break
    case 'and':
      for (let i = 0; i < n; i++) out[i] = x[i] === 0 || y[i] === 0 ? 0 : x[i] !== x[i] || y[i] !== y[i] ? NaN : 1
      break
    case 'or':
      for (let i = 0; i < n; i++) {
        const tx = x[i] === x[i] && x[i] !== 0
        const ty = y[i] === y[i] && y[i] !== 0
        out[i] = tx || ty ? 1 : x[i] !== x[i] || y[i] !== y[i] ? NaN : 0
      }
      break
    default: {
      let invalid = 0
      const live = ex.live
      for (let i = 0; i < n; i++) {
        const u = x[i]
        const v = y[i]
        const r = op === '+' ? u + v : op === '-' ? u - v : op === '*' ? u * v : op === '/' ? u / v : Math.pow(u, v)
        out[i] = finite(r)
        if (u === u && v === v && out[i] !== out[i] && (!live || live[i])) invalid++
      }
      if (invalid > 0) ex.warn(e, `${invalid} value(s) missing: ${INVALID[op]}`)
    }
  }
  return num(out)
}
