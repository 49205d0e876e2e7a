/**
 * A1-style cell addresses and ranges: `C17` is row 17, column 3; `A3:H300` a rectangle.
 * Rows and columns are 1-based here, as the user sees them in the spreadsheet.
 */
import { QuasiError } from '../../errors.ts'

/** Excel's last column, XFD = 16,384. */
export const MAX_COLUMN = 16384
/** Excel's last row. */
export const MAX_ROW = 1048576

export interface CellRange {
  firstRow: number
  firstCol: number
  /** Inclusive; `undefined` means "to the last row of the sheet". */
  lastRow?: number
  lastCol: number
}

/** 1 → `A`, 27 → `AA`. */
export function columnLetters(col: number): string {
  let s = ''
  for (let c = col; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s
  return s
}

/** `AA` → 27; `undefined` for anything else. */
export function columnNumber(letters: string): number | undefined {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) return undefined
  let n = 0
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64)
  return n <= MAX_COLUMN ? n : undefined
}

export function cellAddress(row: number, col: number): string {
  return `${columnLetters(col)}${row}`
}

/** `C17` → { row: 17, col: 3 }; `$C$17` is accepted. */
export function parseCell(ref: string): { row: number; col: number } | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(ref.trim())
  if (!m) return undefined
  const col = columnNumber(m[1])
  const row = Number(m[2])
  return col !== undefined && row >= 1 && row <= MAX_ROW ? { row, col } : undefined
}

/**
 * Parse a user's `range:` (`A3:H300`, or `A3:H` for "to the last row"); a bad range is an
 * `INVALID_VALUE` error pointing at the parameter.
 */
export function parseRange(text: string): CellRange {
  const bad = (why: string) =>
    new QuasiError('INVALID_VALUE', `Expected \`range\` to be a cell range like \`A3:H300\`, got \`${text}\` (${why})`, {
      param: ['range'],
      expected: 'a range `A3:H300` (top-left:bottom-right), or `A3:H` to read to the last row',
      found: `\`${text}\``,
    })
  const m = /^\s*\$?([A-Za-z]{1,3})\$?(\d{1,7})\s*:\s*\$?([A-Za-z]{1,3})\$?(\d{1,7})?\s*$/.exec(text)
  if (!m) throw bad('not of the form A3:H300')
  const firstCol = columnNumber(m[1])
  const lastCol = columnNumber(m[3])
  const firstRow = Number(m[2])
  const lastRow = m[4] === undefined ? undefined : Number(m[4])
  if (firstCol === undefined || lastCol === undefined) throw bad(`columns run from A to ${columnLetters(MAX_COLUMN)}`)
  if (firstRow < 1 || firstRow > MAX_ROW || (lastRow !== undefined && (lastRow < 1 || lastRow > MAX_ROW))) throw bad(`rows run from 1 to ${MAX_ROW}`)
  if (lastCol < firstCol || (lastRow !== undefined && lastRow < firstRow)) throw bad('the first cell must be above and left of the last')
  return { firstRow, firstCol, lastRow, lastCol }
}
