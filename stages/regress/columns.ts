/**
 * regress's `columns` hook: the columns its own `with:` names (regressors and their
 * interaction parts included), against the table it estimates on; its frame is that table
 * (the interaction columns are built at run time).
 */
import type { KnownColumns } from '../../src/columns/names.ts'
import type { ColumnContext } from '../../src/stage.ts'
import { estimationColumnErrors, estimationTable } from '../_estimation/columns.ts'
import type { RegressParams } from './params.ts'

export function knownColumns(p: RegressParams, ctx: ColumnContext): KnownColumns {
  const table = estimationTable(p, ctx)
  if (!table) return { errors: [] }
  return { columns: table.columns, errors: estimationColumnErrors(p, table, table.columns, ctx.panel) }
}
