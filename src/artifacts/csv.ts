/**
 * CSV/TSV ⇄ Frame through papaparse. Doubles round-trip exactly: they are written in
 * JavaScript's shortest round-trip form (`String(x)`) and read back with `Number`, which
 * is correctly rounded. Missing numbers are written as empty cells.
 */
import Papa from 'papaparse'
import { Frame, type Column } from './frame.ts'
import { QuasiError } from '../errors.ts'

export type DeclaredType = 'number' | 'integer' | 'string'

export interface CsvReadOptions {
  /** File name for messages. */
  file: string
  /** Cell delimiter; sniffed from the header line when absent. */
  delimiter?: string
  /** Declared column types; undeclared columns are numeric when every non-missing cell is a number. */
  types?: Record<string, DeclaredType>
  /** Cells read as missing. */
  na?: readonly string[]
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
}

export const DEFAULT_NA: readonly string[] = ['', 'NA', 'NaN', '.']

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

/** Parse one cell as a number; `undefined` when it is not one. */
export function parseNumber(cell: string): number | undefined {
  const s = cell.trim()
  return NUMBER.test(s) ? Number(s) : undefined
}

/** papaparse with the reader's settings, written once for `readCsv` and `readCsvHeader`. */
function parseRows(text: string, delimiter: string | undefined): Papa.ParseResult<string[]> {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1) // UTF-8 byte order mark
  return Papa.parse<string[]>(text, { delimiter: delimiter ?? '', skipEmptyLines: 'greedy', header: false })
}

/**
 * The column names `readCsv` would read from this text, which may be only the first lines of
 * the file (the delimiter guess looks at the first 10 rows). Undefined when the header
 * itself is unreadable (an unclosed quote, an empty or repeated name): `readCsv` says why.
 */
export function readCsvHeader(text: string, opts: { delimiter?: string } = {}): string[] | undefined {
  const parsed = parseRows(text, opts.delimiter)
  if (parsed.errors.some((e) => e.type === 'Quotes' && (e.row ?? 0) === 0)) return undefined
  const first = parsed.data[0]
  if (!first) return undefined
  const names = first.map((h) => h.trim())
  if (names.includes('') || new Set(names).size !== names.length) return undefined
  return names
}

export function readCsv(text: string, opts: CsvReadOptions): CsvReadResult {
  const parsed = parseRows(text, opts.delimiter)
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
  const n = rows.length - 1
  const columns: [string, Column][] = []
  const info: ColumnInfo[] = []
  header.forEach((name, j) => {
    const declared = opts.types?.[name]
    const cells = new Array<string | null>(n)
    let missing = 0
    let numeric = true
    for (let i = 0; i < n; i++) {
      const raw = rows[i + 1][j] ?? ''
      const cell = na.has(raw.trim()) ? null : raw
      cells[i] = cell
      if (cell === null) missing++
      else if (numeric && parseNumber(cell) === undefined) numeric = false
    }
    const asNumber = declared === undefined ? numeric && n - missing > 0 : declared !== 'string'
    if (!asNumber) {
      columns.push([name, { type: 'string', data: cells }])
      info.push({ name, type: 'string', declared: declared !== undefined, missing })
      return
    }
    const data = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const cell = cells[i]
      if (cell === null) {
        data[i] = NaN
        continue
      }
      const v = parseNumber(cell)
      if (v === undefined || (declared === 'integer' && !Number.isInteger(v))) {
        throw new QuasiError('BAD_DATA', `${opts.file}: row ${i + 2}, column "${name}": \`${cell}\` is not ${declared === 'integer' ? 'an integer' : 'a number'}`, {
          param: declared ? ['types', name] : undefined,
          expected: `${declared === 'integer' ? 'an integer' : 'a number'} or a missing cell (${[...na].map((s) => JSON.stringify(s)).join(', ')})`,
          found: `\`${cell}\``,
          hint: `fix the cell, add its text to \`na\`, or declare \`${name}: string\` under \`types\``,
        })
      }
      data[i] = v
    }
    columns.push([name, { type: 'number', data }])
    info.push({ name, type: 'number', declared: declared !== undefined, missing })
  })
  return { frame: new Frame(columns, n), columns: info }
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
  return Papa.unparse({ fields: [...names], data }, { delimiter: opts.delimiter ?? ',', newline: '\n' }) + '\n'
}
