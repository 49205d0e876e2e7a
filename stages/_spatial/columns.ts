/**
 * The `columns` hook of the spatial stages: the columns their own `with:` names (outcome,
 * treatment, regressors, fixed effects), checked against the table before anything runs.
 * `weights:` names a stage, not a column, and is left to the planner. The stages publish no
 * table, so no columns are returned.
 */
import type { QuasiError } from '../../src/errors.ts'
import type { ColumnContext } from '../../src/stage.ts'
import { estimationColumnErrors } from '../_estimation/columns.ts'
import type { SpatialSpecParams } from './params.ts'

export function spatialColumns(p: SpatialSpecParams, ctx: ColumnContext): { errors: readonly QuasiError[] } {
  const param = p.from !== undefined ? 'from' : p.spec !== undefined ? 'spec' : undefined
  const columns = param && ctx.input(param)
  if (!columns) return { errors: [] }
  const table = { columns, of: `stage \`${param === 'from' ? p.from : p.spec}\`` }
  return { errors: estimationColumnErrors({ outcome: p.outcome, treatment: p.treatment, regressors: p.regressors, fixed_effects: p.fixed_effects }, table, columns, ctx.panel) }
}
