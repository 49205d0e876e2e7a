/**
 * Column typing shared by the xlsx, dta and parquet readers: from cells as found in a file
 * to typed Frame columns, with the same rules as the CSV reader.
 *
 * - A declared type (`types: {gdp: number}`) wins. A `number`/`integer` column must hold
 *   numbers, numeric text (`"12.5"`, parsed like a CSV cell) or missing cells; anything else is
 *   a `BAD_DATA` error naming the column, the place (`cell C17`, `observation 12`, `row 3`) and
 *   the value. A `string` column formats numbers in shortest round-trip form (`String(x)`).
 * - An undeclared column is numeric when every non-missing cell is a number *as stored in the
 *   file* (a text cell that looks like a number does not count: spreadsheets keep codes such
 *   as `"0101"` as text on purpose); otherwise it is text, and a note says which cells made it so.
 * - Text cells equal (after trimming) to one of `na` are missing. Numeric cells are never
 *   compared with `na`: a stored number is data.
 */
import { Frame, type Column } from '../frame.ts'
import { QuasiError } from '../../errors.ts'
import { DEFAULT_NA, parseNumber } from '../csv.ts'
import { suggest } from '../../suggest.ts'
import type { DeclaredType, ReadColumnInfo, ReadOptions } from './types.ts'

/** A cell as a reader found it: a number, a text, or missing. */
export type Cell = number | string | null

export interface RawColumn {
  name: string
  /** A Float64Array for a column the file itself types as numeric (NaN = missing); otherwise the cells. */
  cells: Float64Array | readonly Cell[]
  /** What the reader knows besides the values (label, storage type, missing codes…). */
  info?: Omit<Partial<ReadColumnInfo>, 'name' | 'type' | 'declared' | 'missing'>
}

/** Where frame row `row` (0-based) of column `col` (0-based) is, as the user sees it: `cell C17`, `observation 12`. */
export type Locate = (row: number, col: number) => string

export function fileLabel(opts: ReadOptions): string {
  return opts.file ?? 'the file'
}

/** Build the frame; `notes` receives what the user should know about the typing. */
export function buildFrame(
  raw: readonly RawColumn[],
  nrows: number,
  opts: ReadOptions,
  locate: Locate,
  notes: string[],
): { frame: Frame; columns: ReadColumnInfo[] } {
  const file = fileLabel(opts)
  checkDeclaredColumns(raw.map((c) => c.name), opts, file)
  const na = new Set(opts.na ?? DEFAULT_NA)
  const columns: [string, Column][] = []
  const infos: ReadColumnInfo[] = []
  raw.forEach((rc, j) => {
    const declared = opts.types?.[rc.name]
    const ctx: ColumnContext = { file, name: rc.name, j, declared, na, locate }
    const col = rc.cells instanceof Float64Array ? typeNumeric(rc.cells, ctx) : typeCells(rc.cells, ctx, notes)
    columns.push([rc.name, col])
    infos.push({ name: rc.name, type: col.type, declared: declared !== undefined, missing: countMissing(col), ...rc.info })
  })
  return { frame: new Frame(columns, nrows), columns: infos }
}

interface ColumnContext {
  file: string
  name: string
  j: number
  declared: DeclaredType | undefined
  na: ReadonlySet<string>
  locate: Locate
}

function checkDeclaredColumns(names: readonly string[], opts: ReadOptions, file: string): void {
  const have = new Set(names)
  for (const name of Object.keys(opts.types ?? {})) {
    if (have.has(name)) continue
    const near = suggest(name, names)
    throw new QuasiError('MISSING_COLUMN', `${file}: declared column "${name}" is not in the file${near ? `; did you mean "${near}"?` : ''}`, {
      param: ['types', name],
      found: `columns ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}`,
    })
  }
}

/** A column the file types as numeric. */
function typeNumeric(data: Float64Array, ctx: ColumnContext): Column {
  if (ctx.declared === 'string') {
    return { type: 'string', data: Array.from(data, (v) => (Number.isNaN(v) ? null : String(v))) }
  }
  if (ctx.declared === 'integer') {
    for (let i = 0; i < data.length; i++) {
      if (!Number.isNaN(data[i]) && !Number.isInteger(data[i])) throw notNumber(ctx, i, String(data[i]))
    }
  }
  return { type: 'number', data }
}

/** A column of cells as found (numbers and texts mixed). */
function typeCells(cells: readonly Cell[], ctx: ColumnContext, notes: string[]): Column {
  const n = cells.length
  const clean = new Array<Cell>(n)
  let numbers = 0
  let texts = 0
  let firstText = -1
  let numericTexts = 0
  for (let i = 0; i < n; i++) {
    const c = cells[i]
    if (typeof c === 'string') {
      if (ctx.na.has(c.trim())) {
        clean[i] = null
        continue
      }
      texts++
      if (firstText < 0) firstText = i
      if (parseNumber(c) !== undefined) numericTexts++
    } else if (typeof c === 'number') {
      if (Number.isNaN(c)) {
        clean[i] = null
        continue
      }
      numbers++
    }
    clean[i] = c
  }
  const declared = ctx.declared
  const asNumber = declared === undefined ? texts === 0 && numbers > 0 : declared !== 'string'
  if (!asNumber) {
    if (declared === undefined && numbers > 0 && texts > 0) {
      const example = `${ctx.locate(firstText, ctx.j)} \`${clean[firstText]}\``
      const kind = numericTexts === texts ? 'text that looks like a number' : 'text'
      notes.push(
        `column "${ctx.name}" is read as text: ${numbers} numeric cells but ${texts} cell(s) of ${kind} (first: ${example}); ` +
          `declare \`${ctx.name}: number\` under \`types\` to read it as numbers${numericTexts === texts ? '' : ', after adding missing-value markers to `na`'}`,
      )
    }
    return { type: 'string', data: clean.map((c) => (c === null ? null : typeof c === 'number' ? String(c) : c)) }
  }
  const data = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const c = clean[i]
    const v = c === null ? NaN : typeof c === 'number' ? c : parseNumber(c)
    if (v === undefined || (declared === 'integer' && !Number.isNaN(v) && !Number.isInteger(v))) throw notNumber(ctx, i, String(c))
    data[i] = v
  }
  return { type: 'number', data }
}

function notNumber(ctx: ColumnContext, i: number, cell: string): QuasiError {
  const what = ctx.declared === 'integer' ? 'an integer' : 'a number'
  const na = [...ctx.na].map((s) => JSON.stringify(s)).join(', ')
  return new QuasiError('BAD_DATA', `${ctx.file}: ${ctx.locate(i, ctx.j)}, column "${ctx.name}": \`${short(cell)}\` is not ${what}`, {
    param: ctx.declared ? ['types', ctx.name] : undefined,
    expected: `${what} or a missing cell (${na})`,
    found: `\`${short(cell)}\``,
    hint: `fix the cell, add its text to \`na\`, or declare \`${ctx.name}: string\` under \`types\``,
  })
}

function countMissing(col: Column): number {
  let m = 0
  if (col.type === 'number') {
    for (const v of col.data) if (Number.isNaN(v)) m++
  } else {
    for (const v of col.data) if (v === null) m++
  }
  return m
}

function short(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '…' : s
}
