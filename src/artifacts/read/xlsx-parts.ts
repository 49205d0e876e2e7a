/**
 * What quasi reads from an .xlsx archive itself, before SheetJS parses the cells: where the
 * workbook part is (ECMA-376 Part 2, Open Packaging Conventions: the package relationship
 * of type `officeDocument` in `_rels/.rels`, or the part `[Content_Types].xml` declares as a
 * workbook; usually `xl/workbook.xml`, but a valid package may put it anywhere, even at the
 * ZIP root), and the workbook's sheets with their kind (worksheet, chart sheet, dialog or
 * macro sheet), from the workbook's `<sheet>` elements and their relationships.
 *
 * The XML is scanned with regular expressions for these few flat elements only.
 */
import { QuasiError } from '../../errors.ts'
import { suggest } from '../../suggest.ts'
import { ZipArchive, ZipError } from './zip.ts'

export type SheetKind = 'worksheet' | 'chart sheet' | 'dialog sheet' | 'macro sheet'

export interface SheetRef {
  /** Sheet name as shown on its tab. */
  name: string
  /** 1-based position among the workbook's sheets (all kinds: the tabs as Excel shows them). */
  index: number
  /** What the tab holds; only worksheets have cells to read. Undefined when not yet known (.xls). */
  kind?: SheetKind
}

const utf8 = new TextDecoder()

const RELS_TYPE_KIND: Record<string, SheetKind> = {
  worksheet: 'worksheet',
  chartsheet: 'chart sheet',
  dialogsheet: 'dialog sheet',
  xlMacrosheet: 'macro sheet',
  xlIntlMacrosheet: 'macro sheet',
}

/** The workbook part's path inside the archive (no leading slash), or undefined when there is none. */
export function findWorkbookPart(zip: ZipArchive): string | undefined {
  if (zip.has('_rels/.rels')) {
    for (const m of utf8.decode(zip.read('_rels/.rels')).matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
      const a = attributes(m[1])
      if (a.Type?.endsWith('/officeDocument') && a.Target) {
        const path = resolveTarget('', a.Target)
        if (zip.has(path)) return path
      }
    }
  }
  if (zip.has('[Content_Types].xml')) {
    for (const m of utf8.decode(zip.read('[Content_Types].xml')).matchAll(/<(?:\w+:)?Override\b([^>]*)>/g)) {
      const a = attributes(m[1])
      if (/spreadsheetml\.(?:sheet|template)\.main\+xml|ms-excel\.(?:sheet|template)\.macroEnabled\.main\+xml/.test(a.ContentType ?? '') && a.PartName) {
        const path = resolveTarget('', a.PartName)
        if (zip.has(path)) return path
      }
    }
  }
  return zip.has('xl/workbook.xml') ? 'xl/workbook.xml' : undefined
}

/** The workbook's sheets in tab order, with their kind. */
export function listSheets(zip: ZipArchive, workbookPath: string): SheetRef[] {
  const dir = workbookPath.includes('/') ? workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1) : ''
  const relsPath = `${dir}_rels/${workbookPath.slice(dir.length)}.rels`
  const workbook = utf8.decode(zip.read(workbookPath))
  const rels = zip.has(relsPath) ? utf8.decode(zip.read(relsPath)) : ''
  const kinds = new Map<string, SheetKind | undefined>()
  for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const a = attributes(m[1])
    if (a.Id) kinds.set(a.Id, RELS_TYPE_KIND[(a.Type ?? '').split('/').pop() ?? ''])
  }
  const sheets: SheetRef[] = []
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)) {
    const a = attributes(m[1])
    const rid = Object.entries(a).find(([k]) => k === 'r:id' || k.endsWith(':id'))?.[1]
    if (a.name !== undefined) sheets.push({ name: a.name, index: sheets.length + 1, kind: rid ? (kinds.get(rid) ?? 'worksheet') : 'worksheet' })
  }
  if (sheets.length === 0) throw new ZipError('the workbook lists no sheets')
  return sheets
}

/** The sheet the user asked for (name or 1-based number; default the first). */
export function pickSheet(sheets: readonly SheetRef[], sheet: string | number | undefined, file: string): SheetRef {
  const names = sheets.map((s) => s.name)
  const list = sheetList(sheets)
  if (sheet === undefined) {
    const first = sheets.find((s) => s.kind === undefined || s.kind === 'worksheet')
    if (first) return first
    throw new QuasiError('BAD_DATA', `${file}: the workbook has no worksheet, only ${sheets.map((s) => `${s.kind ?? 'sheet'} "${s.name}"`).join(', ')}`, {
      hint: 'a chart, dialog or macro sheet holds no table: save the data itself in the workbook',
    })
  }
  if (typeof sheet === 'number') {
    if (Number.isInteger(sheet) && sheet >= 1 && sheet <= sheets.length) return worksheet(sheets, sheets[sheet - 1], file)
    throw new QuasiError('INVALID_VALUE', `${file}: there is no sheet ${sheet}; the workbook has ${sheets.length} sheet(s)`, {
      param: ['sheet'],
      expected: `a sheet name or a number from 1 to ${sheets.length}`,
      found: `\`${sheet}\``,
      hint: `the sheets are ${list}`,
    })
  }
  const hit = sheets.find((s) => s.name === sheet) ?? sheets.find((s) => s.name.trim().toLowerCase() === sheet.trim().toLowerCase())
  if (hit) return worksheet(sheets, hit, file)
  const near = suggest(sheet, names)
  throw new QuasiError('INVALID_VALUE', `${file}: there is no sheet named "${sheet}"${near ? `; did you mean "${near}"?` : ''}`, {
    param: ['sheet'],
    expected: 'the name of a sheet in the workbook',
    found: `\`${sheet}\``,
    hint: `the sheets are ${list}`,
  })
}

function worksheet(sheets: readonly SheetRef[], picked: SheetRef, file: string): SheetRef {
  if (picked.kind === undefined || picked.kind === 'worksheet') return picked
  throw notAWorksheet(sheets, picked, file)
}

/** `1: "notes", 2: "panel" (chart sheet)`. */
export function sheetList(sheets: readonly SheetRef[]): string {
  return sheets.map((s) => `${s.index}: "${s.name}"${s.kind && s.kind !== 'worksheet' ? ` (${s.kind})` : ''}`).join(', ')
}

/** The error for a `sheet:` that names a chart, dialog or macro sheet. */
export function notAWorksheet(sheets: readonly SheetRef[], picked: SheetRef, file: string): QuasiError {
  const worksheets = sheets.filter((s) => s.kind === 'worksheet' || s.kind === undefined)
  return new QuasiError('INVALID_VALUE', `${file}: sheet ${picked.index} "${picked.name}" is a ${picked.kind ?? 'sheet without cells'}, which holds no table`, {
    param: ['sheet'],
    expected: 'a worksheet',
    found: `a ${picked.kind}`,
    hint: worksheets.length > 0 ? `the worksheets are ${worksheets.map((s) => `${s.index}: "${s.name}"`).join(', ')}` : 'the workbook has no worksheet',
  })
}

/** A relationship target or part name resolved against the folder `base` (`xl/`), without a leading slash. */
function resolveTarget(base: string, target: string): string {
  const parts = target.startsWith('/') ? [] : base.split('/').filter((p) => p !== '')
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
