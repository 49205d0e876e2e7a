/**
 * Excel .xlsx and .xls → Frame: excel-book.ts gives the sheet's cells (through SheetJS), this
 * file turns the range the user asked for into named, typed columns. Both formats go through
 * the same code, so a workbook saved as .xls and as .xlsx gives the same frame.
 *
 * ## Conventions
 * - Numbers are the doubles Excel stored (.xlsx: `<v>0.1</v>` parsed with correct rounding),
 *   so every double comes back bit-for-bit.
 * - Merged cells: the value of a merged area's top-left cell is repeated in every cell of
 *   the area, as Excel displays it (a province name merged down its cities, a group header
 *   merged across its years).
 * - Header rows (`header: 2`): each column's name joins the texts of its header cells with
 *   `_`, skipping empty cells and a text repeated from a vertical merge, so `GDP` merged over
 *   `2019` and `2020` gives `GDP_2019`, `GDP_2020`. Empty names become the column letter;
 *   repeated names get `_2`, `_3`. A column with neither a name nor data is dropped.
 * - Rows: without `range`, leading empty rows and columns are skipped. Rows with no value of
 *   their own (a merged cell reaching into them does not count) are dropped and reported.
 * - Cell kinds: TRUE/FALSE → 1/0; dates → ISO 8601 text (`2020-03-01`, or
 *   `2021-07-15T12:30:00` when there is a time of day; Excel dates carry no time zone),
 *   rounded to the millisecond, with Excel's 1900 leap-year convention (excel-dates.ts);
 *   formula errors (`#DIV/0!`) → missing, reported; text is trimmed.
 * - The file's first bytes decide the format (a ZIP is .xlsx, an OLE2 file .xls), not its
 *   extension.
 */
import { QuasiError } from '../../errors.ts'
import { buildFrame, fileLabel, type Cell, type RawColumn } from './columns.ts'
import type { Merge, Raw } from './excel-book.ts'
import { ExcelDate, excelDateText } from './excel-dates.ts'
import { sniff, wrongFormat } from './sniff.ts'
import { cellAddress, columnLetters, parseRange, type CellRange } from './xlsx-range.ts'
import type { ReadResult, XlsxReadOptions } from './types.ts'

/** Read an Excel workbook, .xlsx or .xls (by its first bytes). */
export async function readExcel(bytes: Uint8Array, opts: XlsxReadOptions = {}): Promise<ReadResult> {
  const file = fileLabel(opts)
  const range = opts.range === undefined ? undefined : parseRange(opts.range)
  const headerRows = headerCount(opts.header)
  const kind = sniff(bytes).kind
  if (kind !== 'xlsx-or-zip' && kind !== 'xls') throw wrongFormat(file, 'an Excel workbook (.xlsx or .xls)', bytes)

  // SheetJS (and its code pages) load only when a workbook is read, not with the other readers.
  const { readSheetGrid } = await import('./excel-book.ts')
  const book = readSheetGrid(bytes, kind === 'xls' ? 'xls' : 'xlsx', opts.sheet, file)
  const { sheet, grid } = book
  const notes: string[] = []
  const warnings: string[] = []
  const region = regionOf(grid, range)
  if (!region) throw new QuasiError('BAD_DATA', `${file}: sheet "${sheet.name}" has no cells${range ? ` in range ${opts.range}` : ''}`, {
    hint: 'check `sheet` and `range`; sheets are numbered from 1',
  })
  const fill = mergeFill(grid, book.merges, region)
  const at = (r: number, c: number): Raw => fill.get(key(r, c)) ?? grid[r - 1]?.[c - 1] ?? null

  // Column names from the header rows.
  const dataFirst = region.firstRow + headerRows
  const cols: { col: number; name: string }[] = []
  for (let c = region.firstCol; c <= region.lastCol; c++) {
    const partsOf: string[] = []
    for (let r = region.firstRow; r < dataFirst; r++) {
      const t = headerText(at(r, c))
      if (t !== '' && partsOf[partsOf.length - 1] !== t) partsOf.push(t)
    }
    cols.push({ col: c, name: partsOf.join('_') })
  }
  // Data rows: those with at least one value of their own.
  const rows: number[] = []
  let emptyRows = 0
  for (let r = dataFirst; r <= region.lastRow; r++) {
    // Bounded by the row's own length: a damaged sheet may claim a million rows of 16,384 columns.
    const row = grid[r - 1] ?? []
    let any = false
    for (let c = region.firstCol, last = Math.min(region.lastCol, row.length); c <= last && !any; c++) any = row[c - 1] != null
    if (any) rows.push(r)
    else emptyRows++
  }
  if (emptyRows > 0) notes.push(`${emptyRows} empty row(s) skipped`)

  const dates = (serial: number, row: number, col: number): string | null => {
    const text = excelDateText(serial, book.date1904)
    if (text === undefined) impossible.push(`${cellAddress(row, col)} (${serial})`)
    return text ?? null
  }
  const impossible: string[] = []
  const raw = namedColumns(cols, rows, at, headerRows, notes, dates)
  if (impossible.length > 0) {
    warnings.push(
      `${impossible.length} date cell(s) name no real day and are read as missing: ${impossible.slice(0, 5).join(', ')}${impossible.length > 5 ? ', …' : ''} ` +
        '(serial 60 is 1900-02-29, which Excel counts but which never was; negative serials are before Excel\'s first day)',
    )
  }
  if (raw.length === 0) throw new QuasiError('BAD_DATA', `${file}: sheet "${sheet.name}" has no columns with data in ${rangeText(region)}`, {
    hint: 'check `sheet`, `range` and `header`',
  })
  reportErrorCells(book.errorCells, region, dataFirst, notes)
  if (book.said.length > 0) notes.push(`the Excel library reported (the workbook may be damaged): ${book.said.join('; ')}`)
  if (fill.size > 0) notes.push(`${fill.size} cell(s) inside merged areas take the value of the area's top-left cell`)

  const colNumbers = raw.map((r) => r.col)
  const { frame, columns } = buildFrame(
    raw.map((r) => r.column),
    rows.length,
    opts,
    (i, j) => `cell ${cellAddress(rows[i], colNumbers[j])}`,
    { notes, warnings },
  )
  return {
    frame,
    info: {
      format: book.format,
      rows: frame.nrows,
      columns,
      notes,
      warnings,
      meta: { sheet: sheet.name, sheetNumber: sheet.index, range: rangeText(region), headerRows, dateSystem: book.date1904 ? 1904 : 1900 },
    },
  }
}

function headerCount(header: XlsxReadOptions['header']): number {
  if (header === undefined || header === true) return 1
  if (header === false) return 0
  if (Number.isInteger(header) && header >= 0 && header <= 100) return header
  throw new QuasiError('INVALID_VALUE', `Expected \`header\` to be true, false or a number of header rows, got \`${header}\` (${typeof header})`, {
    param: ['header'],
    expected: 'true, false, or an integer from 0 to 100',
    found: `\`${header}\``,
  })
}

/** The rectangle to read: the user's range clipped to the cells that exist, or the used area. */
function regionOf(grid: Raw[][], range: CellRange | undefined): Required<CellRange> | undefined {
  const height = grid.length
  const width = grid.reduce((w, row) => Math.max(w, row.length), 0)
  if (height === 0 || width === 0) return undefined
  if (range) {
    const lastRow = Math.min(range.lastRow ?? height, height)
    const lastCol = Math.min(range.lastCol, width)
    if (range.firstRow > lastRow || range.firstCol > lastCol) return undefined
    return { firstRow: range.firstRow, firstCol: range.firstCol, lastRow, lastCol }
  }
  let firstRow = 1
  while (firstRow <= height && !grid[firstRow - 1].some((v) => v != null)) firstRow++
  let firstCol = width + 1
  for (const row of grid) {
    const c = row.findIndex((v) => v != null)
    if (c >= 0) firstCol = Math.min(firstCol, c + 1)
  }
  if (firstRow > height || firstCol > width) return undefined
  return { firstRow, firstCol, lastRow: height, lastCol: width }
}

/** Cells inside merged areas (other than each area's top-left), within the region, with the top-left's value. */
function mergeFill(grid: Raw[][], merges: readonly Merge[], region: Required<CellRange>): Map<string, Raw> {
  const fill = new Map<string, Raw>()
  for (const m of merges) {
    const value = grid[m.firstRow - 1]?.[m.firstCol - 1] ?? null
    if (value === null) continue
    const r0 = Math.max(m.firstRow, region.firstRow)
    const r1 = Math.min(m.lastRow, region.lastRow)
    const c0 = Math.max(m.firstCol, region.firstCol)
    const c1 = Math.min(m.lastCol, region.lastCol)
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) if (r !== m.firstRow || c !== m.firstCol) fill.set(key(r, c), value)
    }
  }
  return fill
}

const key = (r: number, c: number) => `${r},${c}`

function headerText(v: Raw, date1904 = false): string {
  if (v === null) return ''
  const t = v instanceof ExcelDate ? (excelDateText(v.serial, date1904) ?? String(v.serial)) : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v)
  return t.replace(/\s+/g, ' ').trim()
}

function namedColumns(
  cols: { col: number; name: string }[],
  rows: number[],
  at: (r: number, c: number) => Raw,
  headerRows: number,
  notes: string[],
  dateText: (serial: number, row: number, col: number) => string | null,
): { col: number; column: RawColumn }[] {
  const out: { col: number; column: RawColumn }[] = []
  const used = new Map<string, number>()
  const renamed: string[] = []
  let dropped = 0
  for (const { col, name } of cols) {
    const cells = new Array<Cell>(rows.length)
    const kinds = new Set<string>()
    let dates = 0
    let bools = 0
    for (let i = 0; i < rows.length; i++) {
      const v = at(rows[i], col)
      if (v instanceof ExcelDate) {
        cells[i] = dateText(v.serial, rows[i], col)
        dates++
        kinds.add('date')
      } else if (typeof v === 'boolean') {
        cells[i] = v ? 1 : 0
        bools++
        kinds.add('boolean')
      } else {
        cells[i] = v
        if (v !== null) kinds.add(typeof v === 'number' ? 'number' : 'text')
      }
    }
    if (name === '' && kinds.size === 0) {
      dropped++
      continue
    }
    let final = name === '' ? columnLetters(col) : name
    if (name === '' && headerRows > 0) renamed.push(`${columnLetters(col)} (no header)`)
    const seen = used.get(final) ?? 0
    used.set(final, seen + 1)
    if (seen > 0) {
      let k = seen + 1
      while (used.has(`${final}_${k}`)) k++
      renamed.push(`${columnLetters(col)} "${final}" → "${final}_${k}" (repeated name)`)
      final = `${final}_${k}`
      used.set(final, 1)
    }
    if (dates > 0) notes.push(`column "${final}": ${dates} date cell(s) read as ISO 8601 text`)
    if (bools > 0) notes.push(`column "${final}": ${bools} TRUE/FALSE cell(s) read as 1/0`)
    out.push({ col, column: { name: final, cells, info: { storage: [...kinds].sort().join('+') || 'empty' } } })
  }
  if (dropped > 0) notes.push(`${dropped} column(s) with neither a header nor data dropped`)
  if (renamed.length > 0) notes.push(`columns named by the reader: ${renamed.join('; ')}`)
  return out
}

function reportErrorCells(errorCells: readonly { row: number; col: number; value: string }[], region: Required<CellRange>, dataFirst: number, notes: string[]): void {
  const inside = errorCells.filter(({ row, col }) => row >= dataFirst && row <= region.lastRow && col >= region.firstCol && col <= region.lastCol)
  if (inside.length === 0) return
  const shown = inside.slice(0, 5).map((e) => `${cellAddress(e.row, e.col)} ${e.value}`).join(', ')
  notes.push(`${inside.length} cell(s) hold formula errors and are read as missing: ${shown}${inside.length > 5 ? ', …' : ''}`)
}

function rangeText(r: Required<CellRange>): string {
  return `${cellAddress(r.firstRow, r.firstCol)}:${cellAddress(r.lastRow, r.lastCol)}`
}

/** The .xlsx reader's former name; it reads .xls too. */
export const readXlsx = readExcel
