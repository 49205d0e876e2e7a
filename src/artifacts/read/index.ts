/**
 * Readers for binary data files, for the `ingest` stage: each turns a file's bytes into a
 * Frame plus a description (rows, columns with types and missing counts, notes) for the log.
 * CSV/TSV text is read by ../csv.ts.
 */
import { readDta } from './dta.ts'
import { readParquet } from './parquet.ts'
import { readXlsx } from './xlsx.ts'
import { QuasiError } from '../../errors.ts'
import type { ReadResult, XlsxReadOptions } from './types.ts'

export { readDta, readParquet, readXlsx }
export { sniff } from './sniff.ts'
export type { DeclaredType, DtaReadOptions, ParquetReadOptions, ReadColumnInfo, ReadInfo, ReadOptions, ReadResult, XlsxReadOptions } from './types.ts'

export type BinaryFormat = 'xlsx' | 'dta' | 'parquet'

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

/** Read with the reader of `format`; `sheet`, `range` and `header` are for Excel files only. */
export async function readBinary(format: BinaryFormat, bytes: Uint8Array, opts: XlsxReadOptions = {}): Promise<ReadResult> {
  if (format === 'xlsx') return readXlsx(bytes, opts)
  const { sheet, range, header, ...common } = opts
  for (const [key, value] of Object.entries({ sheet, range, header })) {
    if (value === undefined) continue
    throw new QuasiError('INVALID_VALUE', `\`${key}\` applies to Excel workbooks only; ${common.file ?? 'the file'} is a ${format === 'dta' ? 'Stata' : 'Parquet'} file`, {
      param: [key],
      hint: `remove \`${key}\``,
    })
  }
  return format === 'dta' ? readDta(bytes, common) : readParquet(bytes, common)
}
