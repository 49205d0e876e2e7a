/**
 * mediation's `columns` hook: the mediators must be columns of the `model:` stage's table
 * (what the run estimates on). The stage makes no table of its own.
 */
import { QuasiError } from '../../src/errors.ts'
import type { ColumnContext } from '../../src/stage.ts'
import { suggest } from '../../src/suggest.ts'
import type { MediationParams } from './params.ts'

export function knownColumns(p: MediationParams, ctx: ColumnContext): { columns?: readonly string[]; errors: readonly QuasiError[] } {
  const have = ctx.input('model')
  if (!have || !Array.isArray(p.mediators)) return { errors: [] }
  const errors = p.mediators.flatMap((m, k) => (typeof m !== 'string' || have.includes(m) ? [] : [missingMediator(m, k, have, `stage \`${p.model}\``)]))
  return { errors }
}

/** The error for a mediator that is not a column, with the nearest name. */
export function missingMediator(name: string, k: number, columns: readonly string[], of: string): QuasiError {
  const near = suggest(name, columns)
  return new QuasiError('MISSING_COLUMN', `mediator \`${name}\` is not a column of the table of ${of}${near ? `; did you mean \`${near}\`?` : ''}`, {
    param: ['mediators', k], expected: 'a column name', found: name, ...(near ? { hint: `did you mean \`${near}\`?` } : {}),
  })
}
