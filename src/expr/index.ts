/**
 * The expression language: parse → check → evaluate, never eval or new Function.
 * Used by the derive and filter stages, and later by `expect:` lines and `sample:` restrictions.
 *
 *   const { expr, type } = compileExpression('log(gdp) - lag(log(gdp))', schemaOf(frame, ctx.panel))
 *   const { column, warnings, entropy } = evaluate(expr, frame, { source, panel: ctx.panel })
 */
import type { ColumnType, Frame } from '../artifacts/frame.ts'
import { QuasiError, QuasiErrors } from '../errors.ts'
import type { Expr } from './ast.ts'
import { checkExpression } from './check.ts'
import type { Schema } from './check.ts'
import { parseExpression } from './parse.ts'

export type { Expr, Span, Call, BinaryOp, UnaryOp } from './ast.ts'
export { MAX_DEPTH } from './ast.ts'
export { parseExpression } from './parse.ts'
export { tokenize, KEYWORDS } from './tokens.ts'
export type { Token } from './tokens.ts'
export { checkExpression } from './check.ts'
export type { Schema, CheckResult } from './check.ts'
export { evaluate } from './evaluate.ts'
export type { Evaluation, EvaluateOptions, ExprWarning } from './evaluate.ts'
export type { EntropyReport } from './spec.ts'
export { FUNCTIONS } from './functions/index.ts'
export { quantileSorted, quantileType7, quantileStata, QUANTILE_DEFINITIONS } from './quantile.ts'
export type { QuantileDefinition } from './quantile.ts'
export { exprError, inParam, lineCol } from './errors.ts'
export { columnsRead } from './names.ts'

/** The columns of a frame and their types, with the panel keys, for checking. */
export function schemaOf(frame: Frame, panel?: { readonly unit: string; readonly time: string }): Schema {
  const columns = new Map<string, ColumnType>()
  for (const [name, c] of frame.entries()) columns.set(name, c.type)
  return panel ? { columns, panel } : { columns }
}

/**
 * Parse and check in one step. Throws the syntax error, or every checking error at once
 * (a QuasiError when there is one, QuasiErrors when there are several).
 */
export function compileExpression(source: string, schema: Schema): { expr: Expr; type: ColumnType } {
  const expr = parseExpression(source)
  const { type, errors } = checkExpression(expr, source, schema)
  if (errors.length === 1) throw errors[0]
  if (errors.length > 1) throw new QuasiErrors(errors)
  if (type === undefined) throw new QuasiError('INTERNAL', 'expression checker returned no type and no error')
  return { expr, type }
}
