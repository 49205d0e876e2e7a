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
 *   as `"0101"` as text on purpose). A column of numbers with a few text cells (at least half
 *   numbers: `mostlyNumbers` in ../cells.ts) is a `BAD_DATA` error naming the first of them
 *   and their count; a column with fewer numbers than texts is text, and a note says so.
 * - Text cells equal (after trimming) to one of `na` are missing. Numeric cells are never
 *   compared with `na`: a stored number is data.
 * - A stored infinity is missing, with a warning naming its rows: Infinity is never a value.
 */
import { Frame, type Column } from '../frame.ts'
import { QuasiError } from '../../errors.ts'
import { badCellsError, DEFAULT_NA, mostlyNumbers, parseNumber, SHOW_CELLS, type BadCell, type DecimalMark } from '../cells.ts'
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

/** What a reader tells the user besides the table: notes (information) and warnings (values it changed). */
export interface ReadLog {
  notes: string[]
  warnings: string[]
}

/** Build the frame; `log` receives what the user should know about the typing. */
export function buildFrame(
  raw: readonly RawColumn[],
  nrows: number,
  opts: ReadOptions,
  locate: Locate,
  log: ReadLog,
): { frame: Frame; columns: ReadColumnInfo[] } {
  const file = fileLabel(opts)
  checkDeclaredColumns(raw.map((c) => c.name), opts, file)
  const na = new Set(opts.na ?? DEFAULT_NA)
  const columns: [string, Column][] = []
  const infos: ReadColumnInfo[] = []
  raw.forEach((rc, j) => {
    const declared = opts.types?.[rc.name]
    const ctx: ColumnContext = { file, name: rc.name, j, declared, na, locate, decimal: opts.decimal ?? '.' }
    const col = rc.cells instanceof Float64Array ? typeNumeric(rc.cells, ctx, log) : typeCells(rc.cells, ctx, log)
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
  decimal: DecimalMark
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
function typeNumeric(data: Float64Array, ctx: ColumnContext, log: ReadLog): Column {
  dropInfinities(data, ctx, log)
  if (ctx.declared === 'string') {
    return { type: 'string', data: Array.from(data, (v) => (Number.isNaN(v) ? null : String(v))) }
  }
  if (ctx.declared === 'integer') {
    const bad: number[] = []
    let count = 0
    for (let i = 0; i < data.length; i++) {
      if (Number.isNaN(data[i]) || Number.isInteger(data[i])) continue
      count++
      if (bad.length < SHOW_CELLS) bad.push(i)
    }
    if (count > 0) throw notNumbers(ctx, bad.map((i) => ({ place: ctx.locate(i, ctx.j), value: String(data[i]) })), count)
  }
  return { type: 'number', data }
}

/** ±Infinity → missing, with a warning naming the rows. */
function dropInfinities(data: Float64Array, ctx: ColumnContext, log: ReadLog): void {
  const rows: string[] = []
  let count = 0
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== Infinity && data[i] !== -Infinity) continue
    count++
    if (rows.length < SHOW_CELLS) rows.push(`${ctx.locate(i, ctx.j)} (${data[i] > 0 ? '' : '-'}Infinity)`)
    data[i] = NaN
  }
  if (count > 0) log.warnings.push(`column "${ctx.name}": ${count} infinite value(s) read as missing: ${rows.join(', ')}${count > rows.length ? ', …' : ''}`)
}

/** A column of cells as found (numbers and texts mixed). */
function typeCells(cells: readonly Cell[], ctx: ColumnContext, log: ReadLog): Column {
  const n = cells.length
  const clean = new Array<Cell>(n)
  let numbers = 0
  let texts = 0
  let firstText = -1
  let numericTexts = 0
  const infinite: number[] = []
  for (let i = 0; i < n; i++) {
    const c = cells[i]
    if (typeof c === 'string') {
      if (ctx.na.has(c.trim())) {
        clean[i] = null
        continue
      }
      texts++
      if (firstText < 0) firstText = i
      if (parseNumber(c, ctx.decimal) !== undefined) numericTexts++
    } else if (typeof c === 'number') {
      if (!Number.isFinite(c)) {
        if (!Number.isNaN(c)) infinite.push(i)
        clean[i] = null
        continue
      }
      numbers++
    }
    clean[i] = c
  }
  if (infinite.length > 0) {
    const data = Float64Array.from(infinite, (i) => cells[i] as number)
    dropInfinities(data, { ...ctx, locate: (k) => ctx.locate(infinite[k], ctx.j) }, log)
  }
  const declared = ctx.declared
  if (declared === undefined && numbers > 0 && texts > 0 && mostlyNumbers(numbers, texts)) {
    const bad: BadCell[] = []
    for (let i = 0; i < n && bad.length < SHOW_CELLS; i++) {
      const c = clean[i]
      if (typeof c === 'string') bad.push({ place: ctx.locate(i, ctx.j), value: c, numericText: parseNumber(c, ctx.decimal) !== undefined })
    }
    throw badCellsError({ file: ctx.file, column: ctx.name, bad, count: texts, numbers, na: [...ctx.na], decimal: ctx.decimal })
  }
  const asNumber = declared === undefined ? texts === 0 && numbers > 0 : declared !== 'string'
  if (!asNumber) {
    if (declared === undefined && numbers > 0 && texts > 0) {
      const example = `${ctx.locate(firstText, ctx.j)} \`${clean[firstText]}\``
      const kind = numericTexts === texts ? 'text that looks like a number' : 'text'
      log.notes.push(
        `column "${ctx.name}" is read as text: ${numbers} numeric cells but ${texts} cell(s) of ${kind} (first: ${example}); ` +
          `declare \`${ctx.name}: number\` under \`types\` to read it as numbers${numericTexts === texts ? '' : ', after adding missing-value markers to `na`'}`,
      )
    }
    return { type: 'string', data: clean.map((c) => (c === null ? null : typeof c === 'number' ? String(c) : c)) }
  }
  const data = new Float64Array(n)
  const bad: number[] = []
  let count = 0
  for (let i = 0; i < n; i++) {
    const c = clean[i]
    const v = c === null ? NaN : typeof c === 'number' ? c : parseNumber(c, ctx.decimal)
    if (v === undefined || (declared === 'integer' && !Number.isNaN(v) && !Number.isInteger(v))) {
      count++
      if (bad.length < SHOW_CELLS) bad.push(i)
      data[i] = NaN
    } else data[i] = v
  }
  if (count > 0) throw notNumbers(ctx, bad.map((i) => ({ place: ctx.locate(i, ctx.j), value: String(clean[i]) })), count)
  return { type: 'number', data }
}

function notNumbers(ctx: ColumnContext, bad: BadCell[], count: number): Error {
  return badCellsError({
    file: ctx.file,
    column: ctx.name,
    declared: ctx.declared === 'integer' ? 'integer' : 'number',
    bad,
    count,
    na: [...ctx.na],
    decimal: ctx.decimal,
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
