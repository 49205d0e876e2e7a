/** Which binary reader a file extension calls for; kept apart so callers need not load the readers. */
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
