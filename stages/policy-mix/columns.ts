/**
 * policy-mix's `columns` hook: the columns its own `with:` names (the adoption columns of the
 * policies, and the shared estimation keys) against the table it estimates on. The frame is
 * that table plus the post indicators and the categories it builds.
 */
import { unknownColumns, type KnownColumns } from '../../src/columns/names.ts'
import type { ColumnContext } from '../../src/stage.ts'
import { estimationColumnErrors, estimationTable } from '../_estimation/columns.ts'
import type { PolicyMixParams } from './params.ts'
import { builtTerms, pairsOf, policiesOf } from './policies.ts'

export function knownColumns(p: PolicyMixParams, ctx: ColumnContext): KnownColumns {
  const table = estimationTable(p, ctx)
  if (!table || !p.policies || Object.keys(p.policies).length < 2) return { errors: [] }
  const policies = policiesOf(p)
  const names = policies.map((x) => x.name)
  const built = builtTerms(names, pairsOf(p).pair).filter((c) => !table.columns.includes(c))
  const columns = [...table.columns, ...built]
  const errors = unknownColumns(policies.map((x) => ({ name: x.adoption, param: x.param })), table.columns, table.of)
  // `sample:` is applied after the indicators are built, so it may name them.
  errors.push(...estimationColumnErrors(p, table, columns, ctx.panel))
  return { columns, errors }
}
