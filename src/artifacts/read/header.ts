/**
 * A data file's column names without its data, for checking a pipeline's column names
 * before anything runs: the first lines of a CSV/TSV file, the descriptor sections at the
 * start of a Stata file, the footer of a Parquet file. The names are the ones the full
 * readers give (same CSV parsing, same Parquet columns); `ingest`'s `select` and `rename`
 * are applied by its `columns` hook, not here.
 *
 * Excel workbooks give undefined: a sheet's column names depend on its used area, merged
 * cells and which columns hold any data, which the Excel reader settles only by reading the
 * whole sheet (and asynchronously, while planning is synchronous).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { readCsvHeader } from '../csv.ts'
import type { DecimalMark } from '../cells.ts'
import { textDecoder, type Encoding } from '../encoding.ts'
import { readDtaNames } from './dta.ts'
import { dataFormatOf, type DataFormat } from './format.ts'
import { readParquetNames } from './parquet-columns.ts'

/** The reader options of `ingest` that decide the names; others are ignored. */
export interface HeaderOptions {
  /** `auto` (or absent): from the extension, as `ingest` does. */
  readonly format?: 'auto' | DataFormat
  /** CSV cell delimiter; guessed by papaparse when absent (TSV: a tab). */
  readonly delimiter?: string
  /** CSV text encoding. Default: utf-8. */
  readonly encoding?: Encoding
  /** CSV decimal mark (with `,` the comma is not a delimiter guess). Default: `.`. */
  readonly decimal?: DecimalMark
}

/** First read of a file's start; doubled while it is too short. */
const FIRST_READ = 64 * 1024
/** Past this a header is not cheap any more (a CSV whose first rows are megabytes long). */
const MAX_READ = 16 * 1024 * 1024
/** papaparse guesses the delimiter from the first 10 rows; one more line is the margin. */
const GUESS_LINES = 11

/**
 * Column names of the file at `path`, or undefined when the format's names cannot be read
 * cheaply or the file cannot be read at all: the run reads it and reports the problem with
 * its own message, so nothing here throws.
 */
export function readHeader(path: string, opts: HeaderOptions = {}): readonly string[] | undefined {
  const format = opts.format === undefined || opts.format === 'auto' ? dataFormatOf(path) : opts.format
  if (format !== 'csv' && format !== 'tsv' && format !== 'dta' && format !== 'parquet') return undefined
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    const size = fstatSync(fd).size
    const file = { fd, size }
    if (format === 'dta') return dtaNames(file)
    if (format === 'parquet') return parquetNames(file)
    return csvNames(file, { delimiter: opts.delimiter ?? (format === 'tsv' ? '\t' : undefined), decimal: opts.decimal }, opts.encoding ?? 'utf-8')
  } catch {
    // Missing, unreadable, damaged or not the format it claims: the run says which.
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

interface OpenFile {
  readonly fd: number
  readonly size: number
}

function readAt(f: OpenFile, start: number, length: number): Uint8Array {
  const buf = new Uint8Array(Math.max(0, Math.min(length, f.size - start)))
  let done = 0
  while (done < buf.length) {
    const n = readSync(f.fd, buf, done, buf.length - done, start + done)
    if (n === 0) break
    done += n
  }
  return buf.subarray(0, done)
}

function csvNames(f: OpenFile, opts: { delimiter?: string; decimal?: DecimalMark }, encoding: Encoding): readonly string[] | undefined {
  for (let n = FIRST_READ; ; n *= 2) {
    const bytes = readAt(f, 0, n)
    const decoder = textDecoder(encoding, bytes)
    if (bytes.length === f.size) return readCsvHeader(decoder.decode(bytes), opts)
    // Whole lines only (a character cut at the end waits in the decoder), enough of them for
    // the same delimiter guess as on the whole file.
    const text = decoder.decode(bytes, { stream: true })
    const end = text.lastIndexOf('\n')
    let lines = 0
    for (let i = 0; i <= end && lines < GUESS_LINES; i++) if (text.charCodeAt(i) === 0x0a) lines++
    if (lines >= GUESS_LINES) return readCsvHeader(text.slice(0, end + 1), opts)
    if (n >= MAX_READ) return undefined
  }
}

function dtaNames(f: OpenFile): readonly string[] | undefined {
  for (let n = FIRST_READ; ; n *= 2) {
    const bytes = readAt(f, 0, n)
    try {
      return readDtaNames(bytes)
    } catch (e) {
      // Too short a start (many variables): read more; a damaged whole file ends here.
      if (bytes.length === f.size || n >= MAX_READ) throw e
    }
  }
}

function parquetNames(f: OpenFile): readonly string[] | undefined {
  // `PAR1` … metadata, its 4-byte little-endian length, `PAR1`.
  if (f.size < 12 || new TextDecoder().decode(readAt(f, 0, 4)) !== 'PAR1') return undefined
  const tail = readAt(f, f.size - 8, 8)
  const length = new DataView(tail.buffer, tail.byteOffset, 8).getUint32(0, true)
  if (length > f.size - 12) return undefined
  return readParquetNames(readAt(f, f.size - 8 - length, length + 8))
}
