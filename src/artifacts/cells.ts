/**
 * One text cell as a number, and what every reader does with a column of numbers that holds
 * cells that are not numbers. Shared by the CSV reader (../csv.ts) and the binary readers
 * (read/columns.ts) so that `types`, `na`, `decimal` and the messages mean the same for every
 * format.
 *
 * ## The rule for an undeclared column (docs/decisions.md, "Bad cells")
 * Count its non-missing cells: `numbers` (numeric text in CSV; stored numbers in a binary
 * file) and `others`. All numbers → a numeric column. No numbers → a text column. Otherwise
 * the column is "mostly numbers with bad cells" when `numbers >= others` (at least half of
 * its cells are numbers), and that stops the read with `BAD_DATA` naming the first offending
 * cells and their count, because a numeric column silently typed as text fails much later
 * (in a regression, without a row). With fewer numbers than others it is a genuine text
 * column (a note says so when it holds numbers too).
 */
import { QuasiError } from '../errors.ts'

/** Cells read as missing by default (compared after trimming the cell). */
export const DEFAULT_NA: readonly string[] = ['', 'NA', 'NaN', '.']

/** The decimal mark of numbers written as text. */
export type DecimalMark = '.' | ','

const NUMBER_POINT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const NUMBER_COMMA = /^[+-]?(?:\d+,?\d*|,\d+)(?:[eE][+-]?\d+)?$/

/**
 * Parse one cell (trimmed) as a number; `undefined` when it is not one. Correctly rounded
 * (`Number`), so a double written in shortest form reads back bit for bit. A number beyond
 * the largest double (`1e309`) is not a number here: Infinity is never a silent value.
 */
export function parseNumber(cell: string, decimal: DecimalMark = '.'): number | undefined {
  const s = cell.trim()
  if (decimal === '.') {
    if (!NUMBER_POINT.test(s)) return undefined
    const v = Number(s)
    return Number.isFinite(v) ? v : undefined
  }
  if (!NUMBER_COMMA.test(s)) return undefined
  const v = Number(s.replace(',', '.'))
  return Number.isFinite(v) ? v : undefined
}

/** The rule above: whether a column with both kinds of cells is numbers with bad cells. */
export function mostlyNumbers(numbers: number, others: number): boolean {
  return numbers > 0 && others > 0 && numbers >= others
}

/** How many offending cells an error lists. */
export const SHOW_CELLS = 5

/** A cell that is not a number, where the user sees it (`row 17`, `cell C9`, `observation 3`). */
export interface BadCell {
  place: string
  value: string
  /** True for a spreadsheet text cell holding a number ("number stored as text"). */
  numericText?: boolean
}

export interface BadCellsInput {
  file: string
  column: string
  /** The declared type, or undefined for a column inferred as mostly numbers. */
  declared?: 'number' | 'integer'
  /** The first few offending cells (at most SHOW_CELLS are shown). */
  bad: readonly BadCell[]
  /** All offending cells of the column. */
  count: number
  /** Non-missing cells that are numbers (for an inferred column). */
  numbers?: number
  na: readonly string[]
  decimal: DecimalMark
}

/** The `BAD_DATA` error for a column of numbers with cells that are not numbers. */
export function badCellsError(x: BadCellsInput): QuasiError {
  const what = x.declared === 'integer' ? 'an integer' : 'a number'
  const first = x.bad[0]
  const shown = x.bad.slice(0, SHOW_CELLS).map((b) => `${b.place} \`${short(b.value)}\``)
  const more = x.count > 1 ? `; ${x.count} cells of the column are not ${x.declared === 'integer' ? 'integers' : 'numbers'}: ${shown.join(', ')}${x.count > shown.length ? ', …' : ''}` : ''
  const why = x.declared ? '' : ` (the column is read as numbers: ${x.numbers} of its cells are numbers)`
  const na = x.na.map((s) => JSON.stringify(s)).join(', ')
  return new QuasiError('BAD_DATA', `${x.file}: ${first.place}, column "${x.column}": \`${short(first.value)}\` is not ${what}${why}${more}`, {
    param: x.declared ? ['types', x.column] : undefined,
    expected: `${what} or a missing cell (${na})`,
    found: `\`${short(first.value)}\``,
    hint: hintFor(x),
  })
}

function hintFor(x: BadCellsInput): string {
  const hints: string[] = []
  const add = (h: string) => {
    if (!hints.includes(h)) hints.push(h)
  }
  for (const b of x.bad.slice(0, SHOW_CELLS)) {
    const s = b.value.trim()
    if (b.numericText) add(`declare \`${x.column}: number\` under \`types\` to read text cells that hold numbers (\`${short(s)}\`) as numbers`)
    else if (/^[+-]?(?:inf|infinity)$/i.test(s)) add(`infinity is never read as a value: add ${JSON.stringify(s)} to \`na\` to read it as missing`)
    else if (/^[+-]?nan$/i.test(s)) add(`add ${JSON.stringify(s)} to \`na\` to read it as missing`)
    else if (x.declared === 'integer' && parseNumber(s, x.decimal) !== undefined) add(`declare \`${x.column}: number\` if the column holds fractions`)
    else if (x.decimal === '.' ? NUMBER_POINT.test(s) : NUMBER_COMMA.test(s)) add(`\`${short(s)}\` is beyond the largest double (about 1.8e308): fix the cell, or add its text to \`na\``)
    else if (x.decimal === '.' && /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/.test(s)) {
      add(`\`${s}\` has thousands separators, which quasi does not read: write the numbers without them (or set \`decimal: ","\` if the comma is the decimal mark)`)
    } else if (x.decimal === '.' && NUMBER_COMMA.test(s)) add(`set \`decimal: ","\` if the file writes decimals with a comma`)
    else if (x.decimal === ',' && NUMBER_POINT.test(s)) add(`with \`decimal: ","\` a point is not a decimal mark: remove \`decimal\` if the file writes decimals with a point`)
    else add(`add the text to \`na\` if it marks a missing value (\`na: [${JSON.stringify(s)}]\`), or fix the cell`)
  }
  if (!x.declared) add(`declare \`${x.column}: string\` under \`types\` if the column is text`)
  else add(`declare \`${x.column}: string\` under \`types\` to keep the column as text`)
  return hints.join('; ')
}

function short(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '…' : s
}
