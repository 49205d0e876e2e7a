/** psm's `columns` hook: the columns its `with:` names, against the `from` table; the frame adds `_pscore`, `_weight`, `_support`, `_treated`. */
import { unknownColumns, type ColumnRef, type KnownColumns } from '../../src/columns/names.ts'
import type { ColumnContext } from '../../src/stage.ts'
import type { PsmParams } from './params.ts'

export const PSM_COLUMNS = ['_pscore', '_weight', '_support', '_treated'] as const

export function knownColumns(p: PsmParams, ctx: ColumnContext): KnownColumns {
  const columns = ctx.input('from')
  if (!columns) return { errors: [] }
  const refs: ColumnRef[] = [
    typeof p.treatment === 'string' ? { name: p.treatment, param: ['treatment'] } : { name: p.treatment.adoption, param: ['treatment', 'adoption'] },
    ...p.covariates.map((c, k) => ({ name: c, param: ['covariates', k] })),
  ]
  if (p.by !== undefined) refs.push({ name: p.by, param: ['by'] })
  if (p.outcome !== undefined) refs.push({ name: p.outcome, param: ['outcome'] })
  const out = [...columns, ...PSM_COLUMNS.filter((c) => !columns.includes(c))]
  return { columns: out, errors: unknownColumns(refs, columns, `stage \`${p.from}\``) }
}
