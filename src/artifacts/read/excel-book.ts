/**
 * One sheet of an Excel workbook, .xlsx (SpreadsheetML in a ZIP) or .xls (BIFF8/BIFF5 in an
 * OLE2 compound file), as a grid of cells, through SheetJS (`@e965/xlsx`, the maintained
 * mirror of SheetJS Community Edition 0.20; docs/decisions.md says why not `xlsx` 0.18.5).
 *
 * SheetJS is asked for raw values and number formats only (`cellDates: false`, `cellNF`), so
 * that dates are converted by excel-dates.ts with one convention for both formats, and numbers
 * are the doubles Excel stored (.xlsx: the text `<v>0.1</v>` parsed with correct rounding;
 * .xls: the IEEE double or RK number of the record).
 *
 * Before SheetJS sees an .xlsx file, zip.ts checks the archive (central directory, sizes,
 * CRC-32), so a truncated or damaged workbook is one clear error, and xlsx-parts.ts finds the
 * workbook part and the kind of every sheet. A valid package whose workbook is not at
 * `xl/workbook.xml` (parts at the ZIP root) is re-packed with its parts under `xl/`, the one
 * layout SheetJS resolves sheet paths in.
 */
import * as XLSX from '@e965/xlsx'
import * as cptable from '@e965/xlsx/dist/cpexcel.full.mjs'
import { QuasiError } from '../../errors.ts'
import { ExcelDate, isDateFormat } from './excel-dates.ts'
import { findWorkbookPart, listSheets, notAWorksheet, pickSheet, type SheetKind, type SheetRef } from './xlsx-parts.ts'
import { ZipArchive, ZipError } from './zip.ts'

// Code pages for BIFF5 (Excel 95) and older workbooks, whose strings are not Unicode.
XLSX.set_cptable(cptable)

export { ExcelDate }

/** A cell as the grid holds it. Text is trimmed; an empty text is an empty cell. */
export type Raw = string | number | boolean | ExcelDate | null

export interface Merge {
  firstRow: number
  firstCol: number
  lastRow: number
  lastCol: number
}

export interface SheetGrid {
  format: 'xlsx' | 'xls'
  sheet: SheetRef
  /** Rows from row 1, columns from A: `grid[r - 1][c - 1]`. Rows may be shorter than others. */
  grid: Raw[][]
  merges: Merge[]
  /** Cells holding a formula error (`#DIV/0!`), which the grid holds as empty. */
  errorCells: { row: number; col: number; value: string }[]
  /** Whether the workbook counts dates in the 1904 system (old Mac Excel) rather than 1900. */
  date1904: boolean
  /** What SheetJS printed while parsing (it writes to the console on odd records); reported as notes. */
  said: string[]
}

/** SheetJS's error codes (BIFF and SpreadsheetML share them). */
const ERRORS: Record<number, string> = { 0: '#NULL!', 7: '#DIV/0!', 15: '#VALUE!', 23: '#REF!', 29: '#NAME?', 36: '#NUM!', 42: '#N/A', 43: '#GETTING_DATA' }

const PARSE: XLSX.ParsingOptions = {
  type: 'array',
  dense: true,
  cellDates: false,
  cellNF: true,
  cellText: false,
  cellFormula: false,
  cellHTML: false,
  cellStyles: false,
  sheetStubs: false,
  bookVBA: false,
  WTF: false,
}

/** Open the workbook and read the sheet the user asked for (name or 1-based number; default the first worksheet). */
export function readSheetGrid(bytes: Uint8Array, kind: 'xlsx' | 'xls', sheet: string | number | undefined, file: string): SheetGrid {
  const said: string[] = []
  const parse = (b: Uint8Array, opts: XLSX.ParsingOptions, f: string) => parseQuietly(b, opts, f, said)
  let data = bytes
  let sheets: SheetRef[] | undefined
  if (kind === 'xlsx') {
    const opened = openXlsx(bytes, file)
    data = opened.bytes
    sheets = opened.sheets
  } else {
    const names = parse(bytes, { ...PARSE, bookSheets: true }, file).SheetNames
    if (names.length === 0) throw corrupt(file, 'the workbook lists no sheets')
    sheets = names.map((name, i) => ({ name, index: i + 1 }))
  }
  let picked = pickSheet(sheets, sheet, file)
  let book = parse(data, { ...PARSE, sheets: picked.index - 1 }, file)
  let ws = book.Sheets[book.SheetNames[picked.index - 1]]
  const type = sheetKind(ws)
  if (type !== 'worksheet') {
    // Only .xls gets here (an .xlsx sheet's kind is known from its relationships): learn every sheet's kind.
    const all = parse(data, PARSE, file)
    sheets = all.SheetNames.map((name, i) => ({ name, index: i + 1, kind: sheetKind(all.Sheets[name]) }))
    if (sheet !== undefined) throw notAWorksheet(sheets, { ...picked, kind: type }, file)
    picked = pickSheet(sheets, undefined, file)
    book = all
    ws = all.Sheets[all.SheetNames[picked.index - 1]]
  }
  return { format: kind, sheet: picked, ...gridOf(ws), date1904: Boolean(book.Workbook?.WBProps?.date1904), said }
}

function sheetKind(ws: XLSX.WorkSheet | undefined): SheetKind {
  const t = ws?.['!type'] as string | undefined
  return t === 'chart' ? 'chart sheet' : t === 'dialog' ? 'dialog sheet' : t === 'macro' ? 'macro sheet' : 'worksheet'
}

function gridOf(ws: XLSX.WorkSheet | undefined): Pick<SheetGrid, 'grid' | 'merges' | 'errorCells'> {
  const rows = ((ws?.['!data'] as (XLSX.CellObject | undefined)[][] | undefined) ?? [])
  const grid: Raw[][] = new Array(rows.length)
  const errorCells: SheetGrid['errorCells'] = []
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] ?? []
    const out: Raw[] = new Array(row.length).fill(null)
    for (let c = 0; c < row.length; c++) {
      const cell = row[c]
      if (!cell) continue
      switch (cell.t) {
        case 'n': {
          const v = cell.v as number
          out[c] = typeof cell.z === 'string' && isDateFormat(cell.z) ? new ExcelDate(v) : v
          break
        }
        case 's': {
          const t = String(cell.v ?? '').trim()
          out[c] = t === '' ? null : t
          break
        }
        case 'b':
          out[c] = Boolean(cell.v)
          break
        case 'd':
          // Only with cellDates, which is off; kept for safety: a Date is UTC milliseconds.
          out[c] = cell.v instanceof Date ? new ExcelDate(cell.v.getTime() / 86400000 + 25569) : null
          break
        case 'e':
          errorCells.push({ row: r + 1, col: c + 1, value: ERRORS[cell.v as number] ?? '#ERROR' })
          break
      }
    }
    grid[r] = out
  }
  const merges = (ws?.['!merges'] ?? []).map((m) => ({ firstRow: m.s.r + 1, firstCol: m.s.c + 1, lastRow: m.e.r + 1, lastCol: m.e.c + 1 }))
  return { grid, merges, errorCells }
}

/** Check the archive, find the workbook part and the sheets; re-pack a non-standard layout. */
function openXlsx(bytes: Uint8Array, file: string): { bytes: Uint8Array; sheets: SheetRef[] } {
  try {
    const zip = new ZipArchive(bytes)
    const workbook = findWorkbookPart(zip)
    if (!workbook) {
      const names = zip.names()
      const some = names.slice(0, 4).join(', ')
      throw new QuasiError('BAD_DATA', `${file}: expected an Excel .xlsx workbook, but the file is a ZIP archive of something else (it holds ${some}${names.length > 4 ? ', …' : ''})`, {
        expected: 'an Excel .xlsx workbook (a ZIP archive whose _rels/.rels or [Content_Types].xml names a workbook part)',
        found: 'a ZIP archive without a workbook part',
        hint: 'open the file in its program and save or export the table as an Excel Workbook (.xlsx)',
      })
    }
    const sheets = listSheets(zip, workbook)
    // SheetJS does not check CRCs: every part is inflated and checked here first, so damage is an error, not silently odd cells.
    for (const name of zip.names()) if (!name.endsWith('/')) zip.read(name)
    return { bytes: workbook === 'xl/workbook.xml' ? bytes : repack(zip, workbook), sheets }
  } catch (e) {
    if (e instanceof ZipError) throw corrupt(file, e.message)
    throw e
  }
}

/**
 * The archive with the workbook's folder moved to `xl/` (every part but the package's own:
 * `[Content_Types].xml`, `_rels/.rels`, `docProps/`), and the part names in
 * `[Content_Types].xml` and `_rels/.rels` rewritten to match. Relationships between the moved
 * parts are relative, so they still hold.
 */
function repack(zip: ZipArchive, workbook: string): Uint8Array {
  const dir = workbook.includes('/') ? workbook.slice(0, workbook.lastIndexOf('/') + 1) : ''
  const own = (name: string) => name === '[Content_Types].xml' || name === '_rels/.rels' || name.startsWith('docProps/')
  const moved = (name: string) => !own(name) && name.startsWith(dir) && !name.startsWith('xl/')
  const rename = (name: string) => (moved(name) ? `xl/${name.slice(dir.length)}` : name)
  const cfb = XLSX.CFB.utils.cfb_new()
  const text = new TextDecoder()
  for (const name of zip.names()) {
    if (name.endsWith('/')) continue
    let content: Uint8Array = zip.read(name)
    if (own(name) && !name.startsWith('docProps/')) {
      const xml = text.decode(content).replace(/(PartName|Target)="\/?([^"]*)"/g, (m, attr: string, path: string) =>
        moved(path) ? `${attr}="${m.includes('="/') ? '/' : ''}${rename(path)}"` : m,
      )
      content = new TextEncoder().encode(xml)
    }
    XLSX.CFB.utils.cfb_add(cfb, rename(name), content)
  }
  return new Uint8Array(XLSX.CFB.write(cfb, { type: 'array', fileType: 'zip' }) as ArrayLike<number>)
}

/**
 * XLSX.read with the console silenced: SheetJS prints to it on records it does not know
 * (`Missing Info for XLS Record 0x…`) or names it cannot parse, which would break a renderer's
 * output. What it says is kept for the notes. The call is synchronous, so nothing else runs
 * while the console is swapped.
 */
function parseQuietly(bytes: Uint8Array, opts: XLSX.ParsingOptions, file: string, said: string[]): XLSX.WorkBook {
  const saved = { error: console.error, warn: console.warn, log: console.log }
  const keep = (...args: unknown[]) => {
    const line = args.map(String).join(' ')
    if (said.length < 5 && !said.includes(line)) said.push(line)
  }
  console.error = console.warn = console.log = keep
  try {
    return XLSX.read(bytes, opts)
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e)
    if (/password/i.test(why)) {
      throw new QuasiError('BAD_DATA', `${file}: the workbook is password-protected`, {
        found: why,
        hint: 'open it in Excel or LibreOffice and save a copy without a password',
      })
    }
    throw corrupt(file, why)
  } finally {
    Object.assign(console, saved)
  }
}

export function corrupt(file: string, why: string): QuasiError {
  return new QuasiError('BAD_DATA', `${file}: the Excel workbook cannot be read: ${why}`, {
    expected: 'a complete, valid Excel workbook',
    found: why,
    hint: 'the file may be truncated or damaged: copy it again from its source, or open it in Excel or LibreOffice and save it again',
  })
}
