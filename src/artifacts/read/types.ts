/**
 * What every binary data reader (xlsx, dta, parquet) takes and returns. The readers turn a
 * file's bytes into a `Frame` plus a description for the stage log; they never read the
 * disk themselves (the `ingest` stage hands them the bytes).
 */
import type { Frame } from '../frame.ts'
import type { DeclaredType } from '../csv.ts'
import type { DecimalMark } from '../cells.ts'

export type { DeclaredType }

/** Options shared by all readers. */
export interface ReadOptions {
  /** The file as the user named it (relative path), for messages. Default: `the file`. */
  file?: string
  /**
   * Declared column types; they override inference. `number` and `integer` columns must hold
   * numbers (or missing cells) only: anything else is a `BAD_DATA` error naming the cell.
   */
  types?: Record<string, DeclaredType>
  /** Text cells read as missing (compared after trimming). Default: `DEFAULT_NA` of the CSV reader. */
  na?: readonly string[]
  /** Decimal mark of numbers stored as text (`12,5`). Default: `.`. */
  decimal?: DecimalMark
}

export interface XlsxReadOptions extends ReadOptions {
  /** Sheet name, or 1-based position among all tabs (a chart sheet is an error). Default: the first worksheet. */
  sheet?: string | number
  /** Cell range to read, e.g. `A3:H300`; `A3:H` reads from row 3 to the last row. Default: the whole sheet. */
  range?: string
  /**
   * Whether the first row(s) of the range name the columns: `true` (one row), `false` (none:
   * columns are named by their letters `A`, `B`, …), or the number of header rows, whose
   * texts are joined with `_` (for group headers merged across columns). Default: `true`.
   */
  header?: boolean | number
}

export type DtaReadOptions = ReadOptions
export type ParquetReadOptions = ReadOptions

/** One column as read, for the stage log and the stage's data output. */
export interface ReadColumnInfo {
  name: string
  type: 'number' | 'string'
  /** Whether `types` declared it (otherwise it was inferred or taken from the file's own type). */
  declared: boolean
  /** Missing cells (NaN or null in the frame). */
  missing: number
  /** Variable label (Stata). */
  label?: string
  /** Storage type in the file: Stata `double`/`str12`/`strL`…, Parquet `INT64`/`DOUBLE`/…, xlsx cell kinds. */
  storage?: string
  /** Stata missing-value codes found, e.g. `{ ".": 3, ".a": 1 }` (they are all NaN in the frame). */
  missingCodes?: Record<string, number>
  /** Stata value labels attached to this variable: code → label. The frame keeps the numeric codes. */
  valueLabels?: Record<string, string>
  /** Name of the Stata value-label set (several variables may share one). */
  valueLabelSet?: string
  /** Stata display format (`%td` and `%tc` mark dates kept as Stata day/millisecond numbers). */
  format?: string
}

export interface ReadInfo {
  format: 'xlsx' | 'xls' | 'dta' | 'parquet'
  rows: number
  columns: ReadColumnInfo[]
  /** Things the user should know: conversions made, cells skipped, suspicious columns. */
  notes: string[]
  /** Values the reader could not keep and read as missing (out-of-range dates, infinities…). */
  warnings: string[]
  /** Format details: sheet and range read, Stata release and byte order, Parquet codecs… */
  meta: Record<string, string | number>
}

export interface ReadResult {
  frame: Frame
  info: ReadInfo
}
