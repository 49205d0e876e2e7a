/**
 * derive's `columns` hook: every expression's column names, each checked against the input
 * and the columns defined above it (as the run checks them); the frame gains the new names.
 */
import { numberColumns, unknownColumnsIn, type KnownColumns } from '../../src/columns/names.ts'
import { inParam } from '../../src/expr/index.ts'
import { QuasiError } from '../../src/errors.ts'
import type { ColumnContext } from '../../src/stage.ts'
import type { DeriveParams } from './params.ts'

export function knownColumns(p: DeriveParams, ctx: ColumnContext): KnownColumns {
  const input = ctx.input('from')
  if (!input) return { errors: [] }
  // One typed map for all expressions: rebuilding it per column made this quadratic.
  const columns = numberColumns(input)
  const errors: QuasiError[] = []
  // Object.keys and a lookup, not Object.entries: a mapping of 300,000 columns is a dictionary-mode object, where entries costs five times as much.
  const names = Object.keys(p.columns)
  for (let i = 0; i < names.length; i++) {
    const name = names[i]
    if (errors.length >= MAX_ERRORS) {
      errors.push(stoppedChecking(errors, names, i))
      for (let j = i; j < names.length; j++) columns.set(names[j], 'number')
      break
    }
    errors.push(...unknownColumnsIn(String(p.columns[name]), columns, ctx.panel).map((e) => inParam(e, ['columns', name], `column ${name}`)))
    // A name that exists is replaced in place; a new one is appended, even after an error, so later columns don't cascade.
    columns.set(name, 'number')
  }
  return { columns: [...columns.keys()], errors }
}

/**
 * Errors one derive reports before it stops checking. A file of 300,000 columns that all use
 * a missing column would otherwise print 300,000 blocks, and each "did you mean" searches
 * every column defined so far.
 */
export const MAX_ERRORS = 1000

/** The note that ends a capped list of errors, at the first expression not checked (`names[i]`). */
export function stoppedChecking(errors: readonly QuasiError[], names: readonly string[], i: number): QuasiError {
  const rest = names.length - i
  return new QuasiError(errors[errors.length - 1].code, `checking stopped after ${errors.length} errors: ${rest.toLocaleString('en-US')} more expression${rest > 1 ? 's' : ''} of \`columns\` not checked`, {
    param: ['columns', names[i]],
    hint: 'fix the errors above (often one missing or misspelt column used everywhere) and check again',
  })
}
