/**
 * Readers for binary data files, for the `ingest` stage: each turns a file's bytes into a
 * Frame plus a description (rows, columns with types and missing counts, notes) for the log.
 * CSV/TSV text is read by ../csv.ts.
 */
import { readDta } from './dta.ts'
import { readParquet } from './parquet.ts'
import { readExcel, readXlsx } from './xlsx.ts'
import { QuasiError } from '../../errors.ts'
import type { ReadResult, XlsxReadOptions } from './types.ts'

export { readDta, readExcel, readParquet, readXlsx }
export { sniff } from './sniff.ts'
export type { DeclaredType, DtaReadOptions, ParquetReadOptions, ReadColumnInfo, ReadInfo, ReadOptions, ReadResult, XlsxReadOptions } from './types.ts'

export { binaryFormatOf, type BinaryFormat } from './format.ts'
import type { BinaryFormat } from './format.ts'

/** Read with the reader of `format`; `sheet`, `range` and `header` are for Excel files only. */
export async function readBinary(format: BinaryFormat, bytes: Uint8Array, opts: XlsxReadOptions = {}): Promise<ReadResult> {
  if (format === 'xlsx' || format === 'xls') return readExcel(bytes, opts)
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
