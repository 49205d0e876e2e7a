/**
 * What a file really is, from its first bytes (magic numbers), so that a file whose
 * extension lies gets a message saying what was found and what to do.
 */
import { QuasiError } from '../../errors.ts'

export type SniffedKind = 'xlsx-or-zip' | 'xls' | 'dta' | 'dta-old' | 'parquet' | 'gzip' | 'pdf' | 'text' | 'empty' | 'unknown'

export interface Sniffed {
  kind: SniffedKind
  /** Human description, e.g. `a Stata .dta file (format 118)`. */
  description: string
}

const ascii = (bytes: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)))

/** Known old Stata releases (first byte of a pre-117 file) and the Stata version that wrote them. */
const OLD_DTA: Record<number, string> = {
  102: 'Stata 1', 103: 'Stata 2', 104: 'Stata 3', 105: 'Stata 4–5', 108: 'Stata 6', 110: 'Stata 7',
  111: 'Stata 7 SE', 113: 'Stata 8–9', 114: 'Stata 10–11', 115: 'Stata 12',
}

export function sniff(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return { kind: 'empty', description: 'an empty file (0 bytes)' }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6)) {
    return { kind: 'xlsx-or-zip', description: 'a ZIP archive' }
  }
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    return { kind: 'xls', description: 'an OLE2 compound file (an old Excel .xls workbook, or another Office 97–2003 file)' }
  }
  if (ascii(bytes, 0, 11) === '<stata_dta>') {
    const m = /^<stata_dta><header><release>(\d+)<\/release>/.exec(ascii(bytes, 0, 64))
    return { kind: 'dta', description: `a Stata .dta file${m ? ` (format ${m[1]})` : ''}` }
  }
  if (OLD_DTA[bytes[0]] !== undefined && (bytes[1] === 1 || bytes[1] === 2) && bytes[2] === 1) {
    return { kind: 'dta-old', description: `an old Stata .dta file (format ${bytes[0]}, written by ${OLD_DTA[bytes[0]]})` }
  }
  if (ascii(bytes, 0, 4) === 'PAR1') return { kind: 'parquet', description: 'a Parquet file' }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return { kind: 'gzip', description: 'a gzip-compressed file' }
  if (ascii(bytes, 0, 5) === '%PDF-') return { kind: 'pdf', description: 'a PDF document' }
  if (looksLikeText(bytes)) {
    const first = new TextDecoder().decode(bytes.subarray(0, 200)).split(/\r?\n/)[0].slice(0, 50)
    return { kind: 'text', description: `a text file starting with \`${first}\`` }
  }
  return { kind: 'unknown', description: 'a binary file of unknown format' }
}

/** No NUL bytes and valid UTF-8 in the first 512 bytes (a cut multi-byte character at the end is allowed). */
function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 512)
  if (head.includes(0)) return false
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 3)))
    return true
  } catch {
    return false
  }
}

const HINTS: Partial<Record<SniffedKind, string>> = {
  'xlsx-or-zip': 'if it is an Excel workbook, name it `.xlsx`',
  xls: 'if it is an Excel workbook, name it `.xls`',
  dta: 'name it `.dta`',
  'dta-old': 'name it `.dta`',
  parquet: 'name it `.parquet`',
  text: 'if it is comma- or tab-separated text, name it `.csv` or `.tsv`',
  gzip: 'decompress it first (gunzip)',
}

/** The error for a file that is not of the format its extension promised. */
export function wrongFormat(file: string, expected: string, bytes: Uint8Array): QuasiError {
  const found = sniff(bytes)
  return new QuasiError('BAD_DATA', `${file}: expected ${expected}, but the file is ${found.description}`, {
    expected,
    found: found.description,
    hint: HINTS[found.kind] ?? 'check that the path names the right file and that it was copied completely',
  })
}
