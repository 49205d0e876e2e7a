/** trend's `columns` hook: the column, `time`, and the names in `by` and `sample`, against the `from` table. */
import { unknownColumns, type ColumnRef, type KnownColumns } from '../../src/columns/names.ts'
import type { ColumnContext } from '../../src/stage.ts'
import { expressionColumnErrors } from '../_describe/columns.ts'
import type { TrendParams } from './params.ts'

export function knownColumns(p: TrendParams, ctx: ColumnContext): KnownColumns {
  const columns = ctx.input('from')
  if (!columns) return { errors: [] }
  const refs: ColumnRef[] = [{ name: p.column, param: ['column'] }]
  if (p.time !== undefined) refs.push({ name: p.time, param: ['time'] })
  return { errors: [...unknownColumns(refs, columns, `stage \`${p.from}\``), ...expressionColumnErrors(p, columns, ctx.panel)] }
}
