/**
 * event-study's `columns` hook: the columns its own `with:` names, against the table it
 * estimates on. It produces no frame.
 */
import { estimationColumnErrors, estimationTable } from '../_estimation/columns.ts'
import type { KnownColumns } from '../../src/columns/names.ts'
import type { ColumnContext } from '../../src/stage.ts'
import type { EventStudyParams } from './params.ts'

export function knownColumns(p: EventStudyParams, ctx: ColumnContext): KnownColumns {
  const table = estimationTable(p, ctx)
  // The sample is applied before the period indicators exist, so it sees the table alone.
  return { errors: table ? estimationColumnErrors(p, table, table.columns, ctx.panel) : [] }
}
