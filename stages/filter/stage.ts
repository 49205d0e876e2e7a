/**
 * filter: keep the rows where an expression is true. The condition is split at its top-level
 * `and`s so the log can say which part dropped how many rows: a row is charged to the first
 * part that is false; a row where no part is false but some part is missing is dropped as
 * "missing" and charged to the first missing part. (This is exactly Kleene's `and`: the whole
 * condition is false iff some part is false, missing iff none is false and some is missing.)
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError, asQuasiErrors, QuasiErrors } from '../../src/errors.ts'
import { checkExpression, evaluate, exprError, inParam, parseExpression, schemaOf } from '../../src/expr/index.ts'
import type { Expr } from '../../src/expr/index.ts'
import { defineStage } from '../../src/stage.ts'
import type { StageContext } from '../../src/stage.ts'
import { knownColumns } from './columns.ts'
import { filterParams } from './params.ts'
import type { FilterParams } from './params.ts'

const LABEL = 'where'

export default defineStage<FilterParams>({
  kind: 'filter',
  version: 1,
  description: 'Keep the rows that meet a condition (a safe expression); report rows dropped by each part of it.',
  params: filterParams,
  references: ['from'],
  produces: ['frame', 'data'],
  facts: ['rows', 'rows_in', 'dropped', 'dropped_false', 'dropped_missing'],
  consumes: { from: 'frame' },
  columns: knownColumns,
  check(params) {
    try {
      parseExpression(params.where)
      return []
    } catch (err) {
      return asQuasiErrors(err).map((e) => inParam(e, ['where'], 'where'))
    }
  },
  async run(ctx) {
    const frame = ctx.input(ctx.params.from).frame
    if (!frame) throw new QuasiError('INVALID_VALUE', `stage ${ctx.params.from} has no table to filter`, { param: ['from'] })
    const source = ctx.params.where
    const expr = compileCondition(ctx, frame, source)
    const parts = conjuncts(expr)
    const n = frame.nrows
    // first failing part per row: −1 kept; k false by part k; parts.length + k missing at part k
    const verdict = new Int32Array(n).fill(-1)
    for (const [k, part] of parts.entries()) {
      let values: Float64Array
      try {
        const r = evaluate(part, frame, { source, ...(ctx.panel ? { panel: ctx.panel } : {}), signal: ctx.signal })
        for (const w of r.warnings) ctx.log.warn(`${LABEL}, ${w.message}`)
        values = r.column.data as Float64Array
      } catch (err) {
        throw err instanceof QuasiError && err.code !== 'CANCELLED' ? inParam(err, [LABEL], LABEL) : err
      }
      for (let i = 0; i < n; i++) {
        const v = values[i]
        const cur = verdict[i]
        if (v === 0) {
          if (cur < 0 || cur >= parts.length) verdict[i] = k
        } else if (v !== v && cur < 0) {
          verdict[i] = parts.length + k
        }
      }
    }
    const droppedBy = new Array<number>(parts.length).fill(0)
    const missingAt = new Array<number>(parts.length).fill(0)
    const keep = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      const v = verdict[i]
      if (v < 0) keep[i] = 1
      else if (v < parts.length) droppedBy[v]++
      else missingAt[v - parts.length]++
    }
    const out = frame.filter(keep)
    const dropped = droppedBy.reduce((a, b) => a + b, 0)
    const missing = missingAt.reduce((a, b) => a + b, 0)
    report(ctx, { n, kept: out.nrows, dropped, missing, parts, droppedBy, missingAt, source })
    return {
      frame: out,
      facts: { rows: out.nrows, rows_in: n, dropped: dropped + missing, dropped_false: dropped, dropped_missing: missing },
      data: {
        rows_in: n,
        kept: out.nrows,
        dropped_false: dropped,
        dropped_missing: missing,
        conditions: parts.map((p, k) => ({
          condition: text(source, p),
          dropped_false: droppedBy[k],
          dropped_missing: missingAt[k],
        })),
      },
    }
  },
})

function compileCondition(ctx: StageContext<FilterParams>, frame: Frame, source: string): Expr {
  let expr: Expr
  try {
    expr = parseExpression(source)
  } catch (err) {
    throw wrap(err)
  }
  const { type, errors } = checkExpression(expr, source, schemaOf(frame, ctx.panel))
  if (errors.length === 1) throw inParam(errors[0], [LABEL], LABEL)
  if (errors.length > 1) throw new QuasiErrors(errors.map((e) => inParam(e, [LABEL], LABEL)))
  if (type === 'string') {
    throw inParam(
      exprError('BAD_EXPRESSION', source, expr, 'the condition is text; write a comparison, as in admin_level == "prefecture"', {
        expected: 'a condition (number)',
        found: 'text',
      }),
      [LABEL],
      LABEL,
    )
  }
  return expr
}

function wrap(err: unknown): Error {
  const errs = asQuasiErrors(err).map((e) => (e.code === 'INTERNAL' ? e : inParam(e, [LABEL], LABEL)))
  return errs.length === 1 ? errs[0] : new QuasiErrors(errs)
}

/** The parts of `a and b and c` (left-nested), in written order. */
function conjuncts(e: Expr): Expr[] {
  // The left spine in a loop: a chain of any length is one level deep to the parser.
  const out: Expr[] = []
  let x = e
  while (x.kind === 'binary' && x.op === 'and') {
    for (const c of conjuncts(x.right).reverse()) out.push(c)
    x = x.left
  }
  out.push(x)
  return out.reverse()
}

const text = (source: string, e: Expr) => source.slice(e.start, e.end).replace(/\s+/g, ' ').trim()
const count = (n: number) => n.toLocaleString('en-US')

function report(
  ctx: StageContext<FilterParams>,
  r: { n: number; kept: number; dropped: number; missing: number; parts: Expr[]; droppedBy: number[]; missingAt: number[]; source: string },
): void {
  ctx.log.info(
    `kept ${count(r.kept)} of ${count(r.n)} rows; dropped ${count(r.dropped + r.missing)} ` +
      `(${count(r.dropped)} where the condition is false, ${count(r.missing)} where it is missing)`,
  )
  if (r.parts.length > 1 || r.missing > 0) {
    r.parts.forEach((p, k) => {
      const bits = [`${count(r.droppedBy[k])} false`]
      if (r.missingAt[k] > 0) bits.push(`${count(r.missingAt[k])} missing`)
      ctx.log.info(`  ${text(r.source, p)}: dropped ${bits.join(', ')}`)
    })
  }
  if (r.kept === 0) ctx.log.warn(`no rows meet the condition ${r.source.replace(/\s+/g, ' ').trim()}`)
}
