/** sa-event-study's `columns` hook: the columns its own `with:` names, against the table it estimates on. */
import { estimationColumnErrors, estimationTable } from '../_estimation/columns.ts'
import type { KnownColumns } from '../../src/columns/names.ts'
import type { ColumnContext } from '../../src/stage.ts'
import type { SaEventStudyParams } from './params.ts'

export function knownColumns(p: SaEventStudyParams, ctx: ColumnContext): KnownColumns {
  const table = estimationTable(p, ctx)
  return { errors: table ? estimationColumnErrors(p, table, table.columns, ctx.panel) : [] }
}
