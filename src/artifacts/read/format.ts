/** Which reader a file extension calls for; kept apart so callers need not load the readers. */
import { extname } from 'node:path'

export type BinaryFormat = 'xlsx' | 'dta' | 'parquet'
export type DataFormat = 'csv' | 'tsv' | BinaryFormat

/**
 * The format a file extension names, or undefined. `.xls` maps to `xlsx` on purpose: the
 * xlsx reader recognises an old .xls workbook and tells the user how to convert it.
 */
export function binaryFormatOf(path: string): BinaryFormat | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase()
  if (ext === 'xlsx' || ext === 'xlsm' || ext === 'xls') return 'xlsx'
  if (ext === 'dta') return 'dta'
  if (ext === 'parquet' || ext === 'pq') return 'parquet'
  return undefined
}

/**
 * What `format: auto` means: a binary format by its extension, TSV for `.tsv`/`.tab`, CSV for
 * `.csv`, `.txt` or no extension; undefined for any other extension.
 */
export function dataFormatOf(path: string): DataFormat | undefined {
  const binary = binaryFormatOf(path)
  if (binary) return binary
  const ext = extname(path).toLowerCase()
  if (ext === '.tsv' || ext === '.tab') return 'tsv'
  if (ext === '.csv' || ext === '.txt' || ext === '') return 'csv'
  return undefined
}
