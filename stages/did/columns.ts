/**
 * did's `columns` hook: the columns its own `with:` names, against the table it estimates
 * on; the frame is that table, plus the `did` column when the treatment is built from
 * adoption years.
 */
import { estimationColumnErrors, estimationTable } from '../_estimation/columns.ts'
import type { KnownColumns } from '../../src/columns/names.ts'
import type { ColumnContext } from '../../src/stage.ts'
import type { DidParams } from './params.ts'
import { ADOPTION_TERM } from '../_estimation/spec.ts'

export function knownColumns(p: DidParams, ctx: ColumnContext): KnownColumns {
  const table = estimationTable(p, ctx)
  if (!table) return { errors: [] }
  const columns = buildsTerm(p, ctx) && !table.columns.includes(ADOPTION_TERM) ? [...table.columns, ADOPTION_TERM] : table.columns
  return { columns, errors: estimationColumnErrors(p, table, columns, ctx.panel) }
}

/**
 * Whether the run adds the `did` column. An inherited treatment was built when the `model:`
 * stage's frame has `did`; when that frame is not known, assume it was, since a column too
 * many can hide a mistake downstream but never raise a false one.
 */
function buildsTerm(p: DidParams, ctx: ColumnContext): boolean {
  if (p.treatment !== undefined) return typeof p.treatment !== 'string'
  if (p.model === undefined) return false
  return ctx.input('model')?.includes(ADOPTION_TERM) ?? true
}
