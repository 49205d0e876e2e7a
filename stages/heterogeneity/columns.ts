/**
 * heterogeneity's `columns` hook: the columns its own `with:` names (`by` as a column or in
 * its conditions, `moderator`), against the `model:` stage's table, so `quasi validate`
 * reports a misspelt column before anything runs. The stage writes no table.
 */
import type { QuasiError } from '../../src/errors.ts'
import { inParam } from '../../src/expr/index.ts'
import { unknownColumn, unknownColumnsIn } from '../../src/columns/names.ts'
import type { ColumnContext } from '../../src/stage.ts'
import type { HeterogeneityParams } from './params.ts'

export function knownColumns(p: HeterogeneityParams, ctx: ColumnContext): { errors: QuasiError[] } {
  const columns = ctx.input('model')
  if (!columns) return { errors: [] }
  const of = `stage \`${p.model}\``
  const errors: QuasiError[] = []
  if (typeof p.by === 'string') {
    if (!columns.includes(p.by)) errors.push(unknownColumn(p.by, columns, of, ['by']))
  } else if (p.by !== undefined) {
    const entries: [string, (string | number)[]][] = Array.isArray(p.by) ? p.by.map((c, k) => [c, ['by', k]]) : Object.entries(p.by).map(([k, c]) => [c, ['by', k]])
    for (const [source, param] of entries) errors.push(...unknownColumnsIn(source, columns, ctx.panel).map((e) => inParam(e, param, 'by')))
  }
  if (p.moderator !== undefined && !columns.includes(p.moderator)) errors.push(unknownColumn(p.moderator, columns, of, ['moderator']))
  return { errors }
}
