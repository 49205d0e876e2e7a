/** filter's `columns` hook: the condition's column names; the frame keeps its columns. */
import { unknownColumnsIn, type KnownColumns } from '../../src/columns/names.ts'
import { inParam } from '../../src/expr/index.ts'
import type { ColumnContext } from '../../src/stage.ts'
import type { FilterParams } from './params.ts'

export function knownColumns(p: FilterParams, ctx: ColumnContext): KnownColumns {
  const columns = ctx.input('from')
  if (!columns) return { errors: [] }
  return { columns, errors: unknownColumnsIn(p.where, columns, ctx.panel).map((e) => inParam(e, ['where'], 'where')) }
}
