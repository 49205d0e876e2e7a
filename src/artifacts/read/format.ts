/** Which reader a file extension calls for; kept apart so callers need not load the readers. */
import { extname } from 'node:path'

export type BinaryFormat = 'xlsx' | 'xls' | 'dta' | 'parquet'
export type DataFormat = 'csv' | 'tsv' | BinaryFormat

/**
 * The format a file extension names, or undefined. Either Excel extension reads a workbook of
 * the other kind too (the Excel reader goes by the file's first bytes), so a mislabelled
 * workbook still reads.
 */
export function binaryFormatOf(path: string): BinaryFormat | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase()
  if (ext === 'xlsx' || ext === 'xlsm') return 'xlsx'
  if (ext === 'xls') return 'xls'
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
