/**
 * What the stages' `columns` hooks share: the one message for a column name that is not
 * there, and the unknown columns of an expression, both judged on names alone (before any
 * data is read, types are not known).
 */
import { QuasiError } from '../errors.ts'
import { checkExpression, parseExpression } from '../expr/index.ts'
import { suggest } from '../suggest.ts'

/** What a `columns` hook returns (StageDef.columns). */
export interface KnownColumns {
  readonly columns?: readonly string[]
  readonly errors: readonly QuasiError[]
}

/** How many available columns `expected` lists before "…". */
const SHOWN = 12

export interface ColumnRef {
  readonly name: string
  /** Where the name is written inside `with:`, e.g. ['controls', 1]. */
  readonly param: readonly (string | number)[]
}

/**
 * ``unknown column `fni`; did you mean `fin`?``, expecting one of the columns of `of`
 * (e.g. "stage `vars`", "`right` (stage `attrs`)", "`data/panel.csv`").
 */
export function unknownColumn(name: string, available: readonly string[], of: string, param: readonly (string | number)[], hint?: string): QuasiError {
  const near = suggest(name, available)
  const shown = available.slice(0, SHOWN).map((n) => '`' + n + '`').join(', ')
  const more = available.length > SHOWN ? `, … (${available.length} in all)` : ''
  return new QuasiError('MISSING_COLUMN', `unknown column \`${name}\`${near ? `; did you mean \`${near}\`?` : ''}`, {
    param,
    expected: available.length ? `a column of ${of}: ${shown}${more}` : `a column of ${of}, which has none`,
    found: `\`${name}\``,
    ...(near || !hint ? {} : { hint }),
  })
}

/** One error per name in `refs` that is not in `available`. */
export function unknownColumns(refs: readonly ColumnRef[], available: readonly string[], of: string): QuasiError[] {
  const have = new Set(available)
  return refs.filter((r) => !have.has(r.name)).map((r) => unknownColumn(r.name, available, of, r.param))
}

/** A column parameter written as one name or a list: its names with their paths. */
export function refsOf(param: string, value: string | readonly string[] | undefined): ColumnRef[] {
  if (value === undefined) return []
  if (typeof value === 'string') return [{ name: value, param: [param] }]
  return value.map((name, i) => ({ name, param: [param, i] }))
}

/** Column names typed as numbers, as unknownColumnsIn judges them. */
export type NumberColumns = Map<string, 'number'>

/**
 * The typed map unknownColumnsIn builds from a list; a caller that checks many expressions
 * against a growing list (derive) keeps one and adds to it, rather than paying for the
 * whole list once per expression.
 */
export function numberColumns(names: Iterable<string>): NumberColumns {
  const types: NumberColumns = new Map()
  for (const c of names) types.set(c, 'number')
  return types
}

/**
 * The unknown-column errors the expression checker finds in `source` (with `offset`s into
 * it), as the stage reports them at run time. Every column counts as a number here, and
 * only MISSING_COLUMN errors are kept: a type error judged on a guessed type could be a
 * false alarm. A syntax error gives nothing (the kind's `check` reports it).
 */
export function unknownColumnsIn(source: string, columns: Iterable<string> | NumberColumns, panel?: { unit: string; time: string }): QuasiError[] {
  let expr
  try {
    expr = parseExpression(source)
  } catch {
    return []
  }
  const types = columns instanceof Map ? columns : numberColumns(columns)
  const { errors } = checkExpression(expr, source, { columns: types, ...(panel ? { panel } : {}) })
  return errors.filter((e) => e.code === 'MISSING_COLUMN')
}
