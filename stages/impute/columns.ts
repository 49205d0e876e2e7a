/** Which columns impute fills, checks of the options that only some methods take, and the `columns` hook. */
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError, describeValue } from '../../src/errors.ts'
import { suggest } from '../../src/suggest.ts'
import { refsOf, unknownColumns, type KnownColumns } from '../../src/columns/names.ts'
import type { ColumnContext } from '../../src/stage.ts'
import type { ImputeParams } from './params.ts'
import type { PanelIndex } from './panel.ts'

export const asList = (v: string | readonly string[] | undefined): readonly string[] =>
  v === undefined ? [] : typeof v === 'string' ? [v] : v

/** Path of item `i` of a list parameter that may have been written as a single string. */
const itemParam = (name: string, v: string | readonly string[] | undefined, i: number) =>
  typeof v === 'string' ? [name] : [name, i]

/** Reject options that the chosen method would silently ignore. */
export function checkOptions(p: ImputeParams): void {
  if (p.by !== undefined && p.method !== 'time-mean') {
    throw new QuasiError('INVALID_VALUE', `\`by\` applies only to \`method: time-mean\`, not ${p.method}`, {
      param: ['by'],
      hint: 'remove `by`, or use `method: time-mean` to take period means within groups.',
    })
  }
  if (p.ends === 'nearest' && (p.method === 'unit-mean' || p.method === 'time-mean')) {
    throw new QuasiError('INVALID_VALUE', `\`ends\` applies to linear, locf and nocb, not ${p.method}`, {
      param: ['ends'],
      hint: 'remove `ends`.',
    })
  }
}

/** The `by` columns of time-mean, checked to exist. */
export function byColumns(frame: Frame, p: ImputeParams, stage: string): string[] {
  const by = asList(p.by)
  by.forEach((c, i) => requireColumn(frame, c, itemParam('by', p.by, i), stage))
  return [...by]
}

/**
 * `columns` as given (checked: present, numeric, not a key), or the default: every numeric
 * column except the panel keys and `by`, and for time-mean also those constant within
 * every unit (unit attributes: a mean over other units would invent them).
 */
export function imputedColumns(frame: Frame, p: ImputeParams, panel: PanelIndex, by: readonly string[], stage: string): {
  columns: string[]
  skipped: string[]
} {
  const keys = new Set([panel.unit, panel.time, ...by])
  if (p.columns !== undefined) {
    const cols = asList(p.columns)
    cols.forEach((c, i) => {
      const param = itemParam('columns', p.columns, i)
      requireColumn(frame, c, param, stage)
      if (keys.has(c)) {
        const role = c === panel.unit ? 'the panel unit' : c === panel.time ? 'the panel time' : 'a `by` column'
        throw new QuasiError('INVALID_VALUE', `\`${c}\` is ${role}; keys are not imputed`, { param, hint: `remove \`${c}\` from \`columns\`.` })
      }
      const col = frame.column(c)!
      if (col.type !== 'number') {
        throw new QuasiError('WRONG_TYPE', `Expected \`${c}\` to be a numeric column, got a text column`, {
          param,
          expected: 'a numeric column',
          found: `text such as ${describeValue(col.data.find((v) => v !== null) ?? null)}`,
          hint: 'impute fills numbers only; if the column holds numbers written as text, fix how it is read.',
        })
      }
    })
    return { columns: [...cols], skipped: [] }
  }
  const columns: string[] = []
  const skipped: string[] = []
  for (const [name, col] of frame.entries()) {
    if (col.type !== 'number' || keys.has(name)) continue
    if (p.method === 'time-mean' && constantWithinUnits(col.data, panel)) skipped.push(name)
    else columns.push(name)
  }
  if (columns.length === 0) {
    throw new QuasiError('INVALID_SPEC', `stage \`${stage}\` has no numeric column to impute besides the keys${skipped.length ? ` and unit attributes (${skipped.join(', ')})` : ''}`, {
      param: ['from'],
      hint: 'name the columns with `columns: [...]`.',
    })
  }
  return { columns, skipped }
}

function requireColumn(frame: Frame, name: string, param: readonly (string | number)[], stage: string): void {
  if (frame.has(name)) return
  const near = suggest(name, frame.names)
  throw new QuasiError('MISSING_COLUMN', `column \`${name}\` is not in stage \`${stage}\``, {
    param,
    expected: `a column of \`${stage}\``,
    found: `\`${name}\``,
    hint: near ? `did you mean \`${near}\`?` : `\`${stage}\` has: ${frame.names.slice(0, 12).join(', ')}${frame.ncols > 12 ? ', …' : ''}`,
  })
}

/** Every unit's observed values are all equal (a unit with none counts as constant). */
function constantWithinUnits(y: Float64Array, panel: PanelIndex): boolean {
  for (const rows of panel.rowsOf) {
    let first = NaN
    for (const i of rows) {
      if (Number.isNaN(y[i])) continue
      if (Number.isNaN(first)) first = y[i]
      else if (y[i] !== first) return false
    }
  }
  return true
}

/**
 * impute's `columns` hook: `columns` and `by` checked against the input; the frame keeps its
 * columns, plus a `<column>_imputed` flag per named column with `flag: true` (unknown when
 * the columns are the default, which depends on the column types).
 */
export function knownColumns(p: ImputeParams, ctx: ColumnContext): KnownColumns {
  const input = ctx.input('from')
  if (!input) return { errors: [] }
  const errors = unknownColumns([...refsOf('columns', p.columns), ...refsOf('by', p.by)], input, `stage \`${p.from}\``)
  if (!p.flag) return { columns: input, errors }
  if (p.columns === undefined) return { errors }
  return { columns: [...input, ...asList(p.columns).map((c) => `${c}_imputed`).filter((c) => !input.includes(c))], errors }
}
