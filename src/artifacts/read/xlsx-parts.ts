/**
 * The parts of an .xlsx workbook that read-excel-file does not expose, read straight from
 * the SpreadsheetML (ECMA-376 Part 1, §18.2 workbook, §18.3 worksheet): the sheet list, the
 * merged-cell ranges (`<mergeCell ref="B3:C3"/>`) and the cells holding formula errors
 * (`<c r="E7" t="e"><v>#DIV/0!</v></c>`, which read-excel-file reads as empty).
 *
 * The XML is scanned with regular expressions for these few flat elements only; cell values
 * themselves are left to read-excel-file.
 */
import { QuasiError } from '../../errors.ts'
import { suggest } from '../../suggest.ts'
import { ZipArchive, ZipError } from './zip.ts'
import { parseCell } from './xlsx-range.ts'

export interface SheetRef {
  /** Sheet name as shown on its tab. */
  name: string
  /** 1-based position among the workbook's sheets. */
  index: number
  /** Path of its XML inside the archive, e.g. `xl/worksheets/sheet2.xml`. */
  path: string
}

export interface Merge {
  firstRow: number
  firstCol: number
  lastRow: number
  lastCol: number
}

export interface SheetParts {
  merges: Merge[]
  /** Cells holding a formula error, e.g. `{ address: 'E7', value: '#DIV/0!' }`. */
  errorCells: { address: string; value: string }[]
}

const utf8 = new TextDecoder()

export function listSheets(zip: ZipArchive): SheetRef[] {
  const workbook = utf8.decode(zip.read('xl/workbook.xml'))
  const rels = zip.has('xl/_rels/workbook.xml.rels') ? utf8.decode(zip.read('xl/_rels/workbook.xml.rels')) : ''
  const targets = new Map<string, string>()
  for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const a = attributes(m[1])
    if (a.Id && a.Target) targets.set(a.Id, resolveTarget(a.Target))
  }
  const sheets: SheetRef[] = []
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)) {
    const a = attributes(m[1])
    const rid = Object.entries(a).find(([k]) => k === 'r:id' || k.endsWith(':id'))?.[1]
    const path = rid ? targets.get(rid) : undefined
    if (a.name !== undefined && path) sheets.push({ name: a.name, index: sheets.length + 1, path })
  }
  if (sheets.length === 0) throw new ZipError('the workbook lists no worksheets')
  return sheets
}

/** The sheet the user asked for (name or 1-based number; default the first). */
export function pickSheet(sheets: readonly SheetRef[], sheet: string | number | undefined, file: string): SheetRef {
  const names = sheets.map((s) => s.name)
  const list = names.map((n, i) => `${i + 1}: "${n}"`).join(', ')
  if (sheet === undefined) return sheets[0]
  if (typeof sheet === 'number') {
    if (Number.isInteger(sheet) && sheet >= 1 && sheet <= sheets.length) return sheets[sheet - 1]
    throw new QuasiError('INVALID_VALUE', `${file}: there is no sheet ${sheet}; the workbook has ${sheets.length} sheet(s)`, {
      param: ['sheet'],
      expected: `a sheet name or a number from 1 to ${sheets.length}`,
      found: `\`${sheet}\``,
      hint: `the sheets are ${list}`,
    })
  }
  const hit = sheets.find((s) => s.name === sheet) ?? sheets.find((s) => s.name.trim().toLowerCase() === sheet.trim().toLowerCase())
  if (hit) return hit
  const near = suggest(sheet, names)
  throw new QuasiError('INVALID_VALUE', `${file}: there is no sheet named "${sheet}"${near ? `; did you mean "${near}"?` : ''}`, {
    param: ['sheet'],
    expected: 'the name of a sheet in the workbook',
    found: `\`${sheet}\``,
    hint: `the sheets are ${list}`,
  })
}

export function readSheetParts(zip: ZipArchive, sheet: SheetRef): SheetParts {
  const xml = utf8.decode(zip.read(sheet.path))
  const merges: Merge[] = []
  for (const m of xml.matchAll(/<(?:\w+:)?mergeCell\b([^>]*)>/g)) {
    const ref = attributes(m[1]).ref ?? ''
    const [a, b = a] = ref.split(':')
    const p = parseCell(a)
    const q = parseCell(b)
    if (p && q) merges.push({ firstRow: Math.min(p.row, q.row), firstCol: Math.min(p.col, q.col), lastRow: Math.max(p.row, q.row), lastCol: Math.max(p.col, q.col) })
  }
  const errorCells: SheetParts['errorCells'] = []
  // Self-closing cells (`<c r="A1" s="2"/>`) must match on their own, or the lazy body would run into the next cell.
  const cells = /t\s*=\s*["']e["']/.test(xml) ? xml.matchAll(/<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g) : []
  for (const m of cells) {
    const a = attributes(m[1])
    if (a.t !== 'e' || !a.r) continue
    const v = /<(?:\w+:)?v>([^<]*)<\//.exec(m[2] ?? '')
    errorCells.push({ address: a.r, value: v ? decodeEntities(v[1]) : '#ERROR' })
  }
  return { merges, errorCells }
}

/** `worksheets/sheet1.xml` (relative to xl/) or `/xl/worksheets/sheet1.xml` → `xl/worksheets/sheet1.xml`. */
function resolveTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1)
  const parts = ['xl']
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop()
    else if (seg !== '.' && seg !== '') parts.push(seg)
  }
  return parts.join('/')
}

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of text.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out[m[1]] = decodeEntities(m[2] ?? m[3] ?? '')
  return out
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e] ?? _
  })
}
