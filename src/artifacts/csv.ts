/**
 * CSV/TSV ⇄ Frame through papaparse. Doubles round-trip exactly: they are written in
 * JavaScript's shortest round-trip form (`String(x)`) and read back with `Number`, which
 * is correctly rounded. Missing numbers are written as empty cells.
 */
import Papa from 'papaparse'
import { Frame, type Column } from './frame.ts'
import { QuasiError } from '../errors.ts'
import { badCellsError, DEFAULT_NA, mostlyNumbers, parseNumber, SHOW_CELLS, type BadCell, type DecimalMark } from './cells.ts'

export { DEFAULT_NA, parseNumber }

export type DeclaredType = 'number' | 'integer' | 'string'

export interface CsvReadOptions {
  /** File name for messages. */
  file: string
  /** Cell delimiter; sniffed from the header line when absent. */
  delimiter?: string
  /** Declared column types; undeclared columns are numeric when every non-missing cell is a number. */
  types?: Record<string, DeclaredType>
  /** Cells read as missing (compared after trimming the cell). Default: DEFAULT_NA. */
  na?: readonly string[]
  /** Decimal mark of the numbers; with `,` the cell delimiter must not be a comma. Default: `.`. */
  decimal?: DecimalMark
}

export interface ColumnInfo {
  name: string
  type: 'number' | 'string'
  declared: boolean
  missing: number
}

export interface CsvReadResult {
  frame: Frame
  columns: ColumnInfo[]
  /** What the user should know about the typing (text columns that also hold numbers). */
  notes: string[]
}

/** papaparse with the reader's settings, written once for `readCsv` and `readCsvHeader`. */
function parseRows(text: string, delimiter: string | undefined, decimal: DecimalMark = '.'): Papa.ParseResult<string[]> {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1) // byte order mark
  // With decimal commas the comma cannot be the delimiter, so it is not among the guesses.
  const guesses = decimal === ',' ? { delimitersToGuess: [';', '\t', '|'] } : {}
  return Papa.parse<string[]>(text, { delimiter: delimiter ?? '', skipEmptyLines: 'greedy', header: false, ...guesses })
}

/**
 * The column names `readCsv` would read from this text, which may be only the first lines of
 * the file (the delimiter guess looks at the first 10 rows). Undefined when the header
 * itself is unreadable (an unclosed quote, an empty or repeated name): `readCsv` says why.
 */
export function readCsvHeader(text: string, opts: { delimiter?: string; decimal?: DecimalMark } = {}): string[] | undefined {
  const parsed = parseRows(text, opts.delimiter, opts.decimal)
  if (parsed.errors.some((e) => e.type === 'Quotes' && (e.row ?? 0) === 0)) return undefined
  const first = parsed.data[0]
  if (!first) return undefined
  const names = first.map((h) => h.trim())
  if (names.includes('') || new Set(names).size !== names.length) return undefined
  return names
}

export function readCsv(text: string, opts: CsvReadOptions): CsvReadResult {
  if (opts.decimal === ',' && opts.delimiter === ',') {
    throw new QuasiError('INVALID_VALUE', `\`decimal: ","\` needs another cell delimiter than the comma`, {
      param: ['decimal'],
      hint: 'files with decimal commas separate cells with `;` or a tab: set `delimiter` to it',
    })
  }
  const parsed = parseRows(text, opts.delimiter, opts.decimal)
  const fatal = parsed.errors.find((e) => e.type === 'Quotes' || e.code === 'TooFewFields' || e.code === 'TooManyFields')
  if (fatal) {
    const row = (fatal.row ?? 0) + 1
    throw new QuasiError('BAD_DATA', `${opts.file}: row ${row}: ${fatal.message}`, {
      hint: fatal.type === 'Quotes' ? 'check for an unclosed double quote in that row' : 'every row needs as many cells as the header',
    })
  }
  const rows = parsed.data
  if (rows.length === 0) throw new QuasiError('BAD_DATA', `${opts.file}: the file is empty`, { hint: 'the first line must name the columns' })
  const header = rows[0].map((h) => h.trim())
  const seen = new Set<string>()
  for (const h of header) {
    if (h === '') throw new QuasiError('BAD_DATA', `${opts.file}: the header has an empty column name`, { hint: 'name every column in the first line' })
    if (seen.has(h)) throw new QuasiError('BAD_DATA', `${opts.file}: the header names column "${h}" twice`, { hint: 'column names must be unique' })
    seen.add(h)
  }
  for (const name of Object.keys(opts.types ?? {})) {
    if (!seen.has(name)) {
      throw new QuasiError('MISSING_COLUMN', `${opts.file}: declared column "${name}" is not in the file`, {
        param: ['types', name],
        found: `columns ${header.slice(0, 12).join(', ')}${header.length > 12 ? ', …' : ''}`,
      })
    }
  }
  for (let i = 1; i < rows.length; i++) {
    if (rows[i].length !== header.length) {
      throw new QuasiError('BAD_DATA', `${opts.file}: row ${i + 1} has ${rows[i].length} cells, the header has ${header.length}`, {
        hint: 'every row needs as many cells as the header; look for an extra delimiter or an unquoted comma in a text cell',
      })
    }
  }
  const na = new Set(opts.na ?? DEFAULT_NA)
  const decimal = opts.decimal ?? '.'
  const n = rows.length - 1
  const columns: [string, Column][] = []
  const info: ColumnInfo[] = []
  const notes: string[] = []
  header.forEach((name, j) => {
    const declared = opts.types?.[name]
    const cells = new Array<string | null>(n)
    const values = new Float64Array(n)
    let missing = 0
    let numbers = 0
    let others = 0
    let firstOther = -1
    for (let i = 0; i < n; i++) {
      const raw = rows[i + 1][j] ?? ''
      const cell = na.has(raw.trim()) ? null : raw
      cells[i] = cell
      if (cell === null) {
        missing++
        values[i] = NaN
        continue
      }
      const v = parseNumber(cell, decimal)
      if (v === undefined || (declared === 'integer' && !Number.isInteger(v))) {
        others++
        if (firstOther < 0) firstOther = i
        values[i] = NaN
      } else {
        numbers++
        values[i] = v
      }
    }
    const asNumber = declared === undefined ? numbers > 0 && (others === 0 || mostlyNumbers(numbers, others)) : declared !== 'string'
    if (!asNumber) {
      if (declared === undefined && numbers > 0) {
        notes.push(`column "${name}" is read as text: ${others} of its ${numbers + others} cells are not numbers (first: row ${firstOther + 2} \`${cells[firstOther]}\`)`)
      }
      columns.push([name, { type: 'string', data: cells }])
      info.push({ name, type: 'string', declared: declared !== undefined, missing })
      return
    }
    if (others > 0) {
      const bad: BadCell[] = []
      for (let i = 0; i < n && bad.length < SHOW_CELLS; i++) {
        if (cells[i] !== null && Number.isNaN(values[i])) bad.push({ place: `row ${i + 2}`, value: cells[i]! })
      }
      throw badCellsError({
        file: opts.file,
        column: name,
        declared: declared === 'string' ? undefined : declared,
        bad,
        count: others,
        numbers,
        na: [...na],
        decimal,
      })
    }
    columns.push([name, { type: 'number', data: values }])
    info.push({ name, type: 'number', declared: declared !== undefined, missing })
  })
  return { frame: new Frame(columns, n), columns: info, notes }
}

/** Write a frame as CSV (or TSV with `delimiter: '\t'`), `\n` line ends, header first. */
export function writeCsv(frame: Frame, opts: { delimiter?: string; columns?: readonly string[] } = {}): string {
  const names = opts.columns ?? frame.names
  const cols = names.map((n) => {
    const c = frame.column(n)
    if (!c) throw new Error(`writeCsv: no column "${n}"`)
    return c
  })
  const data: string[][] = new Array(frame.nrows)
  for (let i = 0; i < frame.nrows; i++) {
    const row = new Array<string>(cols.length)
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j]
      if (c.type === 'number') {
        const v = c.data[i]
        row[j] = Number.isNaN(v) ? '' : String(v)
      } else row[j] = c.data[i] ?? ''
    }
    data[i] = row
  }
  // Papa.unparse ends a table without rows with a line break of its own: the header line is all there is.
  const text = Papa.unparse({ fields: [...names], data }, { delimiter: opts.delimiter ?? ',', newline: '\n' })
  return frame.nrows === 0 ? text.replace(/\n$/, '') + '\n' : text + '\n'
}
