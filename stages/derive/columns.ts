/**
 * derive's `columns` hook: every expression's column names, each checked against the input
 * and the columns defined above it (as the run checks them); the frame gains the new names.
 */
import { numberColumns, unknownColumnsIn, type KnownColumns } from '../../src/columns/names.ts'
import { inParam } from '../../src/expr/index.ts'
import type { QuasiError } from '../../src/errors.ts'
import type { ColumnContext } from '../../src/stage.ts'
import type { DeriveParams } from './params.ts'

export function knownColumns(p: DeriveParams, ctx: ColumnContext): KnownColumns {
  const input = ctx.input('from')
  if (!input) return { errors: [] }
  // One typed map for all expressions: rebuilding it per column made this quadratic.
  const columns = numberColumns(input)
  const errors: QuasiError[] = []
  // Object.keys and a lookup, not Object.entries: a mapping of 300,000 columns is a dictionary-mode object, where entries costs five times as much.
  for (const name of Object.keys(p.columns)) {
    errors.push(...unknownColumnsIn(String(p.columns[name]), columns, ctx.panel).map((e) => inParam(e, ['columns', name], `column ${name}`)))
    // A name that exists is replaced in place; a new one is appended, even after an error, so later columns don't cascade.
    columns.set(name, 'number')
  }
  return { columns: [...columns.keys()], errors }
}
