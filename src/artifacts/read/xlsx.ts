/**
 * Excel .xlsx → Frame, through read-excel-file (its `universal` entry: in memory, no worker
 * threads) for cell values, plus a small look at the SpreadsheetML for merged cells and
 * formula-error cells (xlsx-parts.ts).
 *
 * ## Conventions
 * - Numbers are read from the text Excel stores (`<v>0.1</v>`) with `Number`, which is
 *   correctly rounded, so every double comes back bit-for-bit.
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
 *   `2021-07-15T12:30:00` when there is a time of day; Excel dates carry no time zone);
 *   formula errors (`#DIV/0!`) → missing, reported; text is trimmed.
 */
import { readSheet, InvalidInputError, InvalidSpreadsheetError, SheetNotFoundError } from 'read-excel-file/universal'
import { QuasiError } from '../../errors.ts'
import { buildFrame, fileLabel, type Cell, type RawColumn } from './columns.ts'
import { sniff, wrongFormat } from './sniff.ts'
import { ZipArchive, ZipError } from './zip.ts'
import { listSheets, pickSheet, readSheetParts, type Merge, type SheetParts, type SheetRef } from './xlsx-parts.ts'
import { cellAddress, columnLetters, parseRange, type CellRange } from './xlsx-range.ts'
import type { ReadResult, XlsxReadOptions } from './types.ts'

type Raw = string | number | boolean | Date | null

export async function readXlsx(bytes: Uint8Array, opts: XlsxReadOptions = {}): Promise<ReadResult> {
  const file = fileLabel(opts)
  const range = opts.range === undefined ? undefined : parseRange(opts.range)
  const headerRows = headerCount(opts.header)
  if (sniff(bytes).kind !== 'xlsx-or-zip') throw wrongFormat(file, 'an Excel .xlsx workbook', bytes)

  const { sheet, parts } = openWorkbook(bytes, opts, file)
  const grid = await readGrid(bytes, sheet, file)
  const notes: string[] = []
  const warnings: string[] = []
  const region = regionOf(grid, range)
  if (!region) throw new QuasiError('BAD_DATA', `${file}: sheet "${sheet.name}" has no cells${range ? ` in range ${opts.range}` : ''}`, {
    hint: 'check `sheet` and `range`; sheets are numbered from 1',
  })
  const fill = mergeFill(grid, parts.merges, region)
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
    let any = false
    for (let c = region.firstCol; c <= region.lastCol && !any; c++) any = grid[r - 1]?.[c - 1] != null
    if (any) rows.push(r)
    else emptyRows++
  }
  if (emptyRows > 0) notes.push(`${emptyRows} empty row(s) skipped`)

  const raw = namedColumns(cols, rows, at, headerRows, notes)
  if (raw.length === 0) throw new QuasiError('BAD_DATA', `${file}: sheet "${sheet.name}" has no columns with data in ${rangeText(region)}`, {
    hint: 'check `sheet`, `range` and `header`',
  })
  reportErrorCells(parts, region, dataFirst, notes)
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
      format: 'xlsx',
      rows: frame.nrows,
      columns,
      notes,
      warnings,
      meta: { sheet: sheet.name, sheetNumber: sheet.index, range: rangeText(region), headerRows },
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

function openWorkbook(bytes: Uint8Array, opts: XlsxReadOptions, file: string): { sheet: SheetRef; parts: SheetParts } {
  try {
    const zip = new ZipArchive(bytes)
    if (!zip.has('xl/workbook.xml')) {
      const some = zip.names().slice(0, 4).join(', ')
      throw new QuasiError('BAD_DATA', `${file}: expected an Excel .xlsx workbook, but the file is a ZIP archive of something else (it holds ${some}${zip.names().length > 4 ? ', …' : ''})`, {
        expected: 'an Excel .xlsx workbook (a ZIP archive with xl/workbook.xml)',
        found: 'a ZIP archive without xl/workbook.xml',
        hint: 'open the file in its program and save or export the table as an Excel Workbook (.xlsx)',
      })
    }
    const sheet = pickSheet(listSheets(zip), opts.sheet, file)
    return { sheet, parts: readSheetParts(zip, sheet) }
  } catch (e) {
    if (e instanceof ZipError) throw corrupt(file, e.message)
    throw e
  }
}

async function readGrid(bytes: Uint8Array, sheet: SheetRef, file: string): Promise<Raw[][]> {
  // read-excel-file's universal entry wants an ArrayBuffer of exactly the file.
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  try {
    return (await readSheet(ab, sheet.name, { trim: true })) as unknown as Raw[][]
  } catch (e) {
    if (e instanceof InvalidInputError || e instanceof InvalidSpreadsheetError || e instanceof SheetNotFoundError) {
      throw corrupt(file, e.message)
    }
    throw corrupt(file, e instanceof Error ? e.message : String(e))
  }
}

function corrupt(file: string, why: string): QuasiError {
  return new QuasiError('BAD_DATA', `${file}: the Excel workbook cannot be read: ${why}`, {
    expected: 'a complete, valid .xlsx workbook',
    found: why,
    hint: 'the file may be truncated or damaged: copy it again from its source, or open it in Excel or LibreOffice and save it again',
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

function headerText(v: Raw): string {
  if (v === null) return ''
  const t = v instanceof Date ? isoDate(v) : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v)
  return t.replace(/\s+/g, ' ').trim()
}

function namedColumns(
  cols: { col: number; name: string }[],
  rows: number[],
  at: (r: number, c: number) => Raw,
  headerRows: number,
  notes: string[],
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
      if (v instanceof Date) {
        cells[i] = isoDate(v)
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

function reportErrorCells(parts: SheetParts, region: Required<CellRange>, dataFirst: number, notes: string[]): void {
  const inside = parts.errorCells.filter(({ address }) => {
    const m = /^([A-Z]+)(\d+)$/.exec(address)
    if (!m) return false
    const row = Number(m[2])
    let col = 0
    for (const ch of m[1]) col = col * 26 + ch.charCodeAt(0) - 64
    return row >= dataFirst && row <= region.lastRow && col >= region.firstCol && col <= region.lastCol
  })
  if (inside.length === 0) return
  const shown = inside.slice(0, 5).map((e) => `${e.address} ${e.value}`).join(', ')
  notes.push(`${inside.length} cell(s) hold formula errors and are read as missing: ${shown}${inside.length > 5 ? ', …' : ''}`)
}

function rangeText(r: Required<CellRange>): string {
  return `${cellAddress(r.firstRow, r.firstCol)}:${cellAddress(r.lastRow, r.lastCol)}`
}

/** `2020-03-01` at midnight, else `2021-07-15T12:30:00` (seconds and milliseconds as needed). */
export function isoDate(d: Date): string {
  const iso = d.toISOString() // read-excel-file builds dates in UTC from the serial number
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10)
  return iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23)
}
