/**
 * describe's `columns` hook: the variables, `cluster`, and the column names in `by` and
 * `sample`, against the table of the `from` stage. (Whether a column is numeric is known only
 * when the stage runs.) describe produces no table of its own.
 */
import { unknownColumns, unknownColumnsIn, type KnownColumns } from '../../src/columns/names.ts'
import type { QuasiError } from '../../src/errors.ts'
import { inParam } from '../../src/expr/index.ts'
import type { ColumnContext } from '../../src/stage.ts'
import type { DescribeParams } from './params.ts'
import { listedVariables } from './variables.ts'

/** The names `by` and `sample` read, checked like the `sample:` of the estimation stages. */
export function expressionColumnErrors(p: { by?: string; sample?: string }, columns: readonly string[], panel?: { unit: string; time: string }): QuasiError[] {
  const errors: QuasiError[] = []
  for (const key of ['by', 'sample'] as const) {
    const source = p[key]
    if (source !== undefined) errors.push(...unknownColumnsIn(source, columns, panel).map((e) => inParam(e, [key], key)))
  }
  return errors
}

export function knownColumns(p: DescribeParams, ctx: ColumnContext): KnownColumns {
  const columns = ctx.input('from')
  if (!columns) return { errors: [] }
  const of = `stage \`${p.from}\``
  const refs = listedVariables(p).map((v) => ({ name: v.name, param: v.param }))
  if (p.cluster !== undefined) refs.push({ name: p.cluster, param: ['cluster'] })
  return { errors: [...unknownColumns(refs, columns, of), ...expressionColumnErrors(p, columns, ctx.panel)] }
}
