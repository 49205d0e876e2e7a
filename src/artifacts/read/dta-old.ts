/**
 * Stata .dta formats 104–115 (Stata 4 to 12), the binary layout before Stata 13's XML-like
 * markers: a fixed header, the descriptor arrays, expansion fields, the rows (read by
 * dta.ts's `readRows`, as for 117–119) and the value-label tables to the end of the file.
 *
 * ## What changes between releases (bytes)
 * | format (Stata)      | names | formats | var./data labels | time stamp | expansion len | type codes | missing values |
 * |---------------------|-------|---------|------------------|------------|---------------|------------|----------------|
 * | 104 (4)             | 9     | 7       | 32               | —          | —             | old        | `.` only       |
 * | 105 (5)             | 9     | 12      | 32               | 18         | 2             | old        | `.` only       |
 * | 108 (6)             | 9     | 12      | 81               | 18         | 2             | old        | `.` only       |
 * | 110 (7)             | 33    | 12      | 81               | 18         | 4             | old        | `.` only       |
 * | 111 (7 SE)          | 33    | 12      | 81               | 18         | 4             | new        | `.` only       |
 * | 113 (8–9)           | 33    | 12      | 81               | 18         | 4             | new        | `.`, `.a`–`.z` |
 * | 114 (10–11), 115 (12) | 33  | 49      | 81               | 18         | 4             | new        | `.`, `.a`–`.z` |
 *
 * Old type codes are letters (`b` byte, `i` int, `l` long, `f` float, `d` double) and 127+n
 * for str n; new ones are 251–255 for byte…double and n for str n (1–244). Before 113 the
 * only missing value is the largest value of each integer type (byte 127, int 32,767, long
 * 2,147,483,647: so a byte of 101–126 is data there, unlike in 113+) and, for floats and
 * doubles, anything from 2^127 / 2^1023 up, as later. Value labels: format 104 stores, per
 * set, a 2-byte length, a 12-byte name, 2 bytes of padding and 8-byte labels for the values
 * 0, 1, 2, …; from 105 on, a 4-byte length, the name (9 or 33 bytes: writers disagree for
 * 105–108, so the one that parses is taken), 3 bytes of padding, then n, the text length,
 * n offsets, n values and the texts, as in later formats. Strings are in the writer's 8-bit
 * encoding: UTF-8 when valid, else Windows-1252.
 *
 * ## References
 * StataCorp, `help dta_113`, `help dta_114`, `help dta_115` (the formats' own descriptions);
 * for 104–111, which Stata no longer documents, ReadStat (`src/stata/readstat_dta.c`,
 * `dta_ctx_init`) and pandas (`pandas/io/stata.py`, `_read_old_header`), checked against
 * files written by R foreign (108, 110), haven/ReadStat (113–115) and pandas (114).
 */
import { Cursor, DtaError, TYPE, type Layout } from './dta-format.ts'
import { readRows, type Header, type Parsed, type Variable } from './dta.ts'

/** The pre-117 formats read. 102 and 103 (Stata 1–3) are refused: no reader to check against. */
export const OLD_FORMATS: ReadonlySet<number> = new Set([104, 105, 108, 110, 111, 113, 114, 115])

interface OldLayout extends Layout {
  dataLabelLen: number
  timestampLen: number
  expansionLenBytes: 0 | 2 | 4
  newTypes: boolean
}

function layoutOld(release: number): OldLayout {
  return {
    release,
    kBytes: 2,
    sortBytes: 2,
    nBytes: 4,
    labelLenBytes: 1,
    nameLen: release < 110 ? 9 : 33,
    formatLen: release < 105 ? 7 : release < 114 ? 12 : 49,
    varLabelLen: release < 108 ? 32 : 81,
    strlVBytes: 4,
    gsoOBytes: 4,
    utf8: false,
    oldMissing: release < 113,
    dataLabelLen: release < 108 ? 32 : 81,
    timestampLen: release < 105 ? 0 : 18,
    expansionLenBytes: release < 105 ? 0 : release < 110 ? 2 : 4,
    newTypes: release >= 111,
  }
}

const OLD_TYPE: Record<number, number> = { 98: TYPE.byte, 105: TYPE.int, 108: TYPE.long, 102: TYPE.float, 100: TYPE.double }
const NEW_TYPE: Record<number, number> = { 251: TYPE.byte, 252: TYPE.int, 253: TYPE.long, 254: TYPE.float, 255: TYPE.double }

/** A type code as the 117+ code readRows knows (strings keep their width). */
function typeCode(code: number, l: OldLayout, j: number): number {
  if (l.newTypes) {
    if (NEW_TYPE[code] !== undefined) return NEW_TYPE[code]
    if (code >= 1 && code <= 244) return code
  } else {
    if (OLD_TYPE[code] !== undefined) return OLD_TYPE[code]
    if (code >= 128) return code - 127
  }
  throw new DtaError(`variable ${j + 1} has the unknown type code ${code}`)
}

interface OldHeader {
  h: Header
  c: Cursor
  layout: OldLayout
}

function readOldHeader(bytes: Uint8Array): OldHeader {
  if (bytes.length < 10) throw new DtaError('the file ends inside the header (the file is truncated)')
  const release = bytes[0]
  if (!OLD_FORMATS.has(release)) throw new DtaError(`format ${release} is not one quasi reads`)
  if (bytes[1] !== 1 && bytes[1] !== 2) throw new DtaError(`the byte order is ${bytes[1]}, neither 1 (HILO) nor 2 (LOHI)`)
  const le = bytes[1] === 2
  const layout = layoutOld(release)
  const c = new Cursor(bytes, le, layout)
  c.pos = 4
  const k = c.u16('the number of variables')
  const n = c.u32('the number of observations')
  if (k === 0) throw new DtaError('the header says the file has no variables')
  const label = c.text(layout.dataLabelLen, 'the dataset label')
  const timestamp = layout.timestampLen > 0 ? c.text(layout.timestampLen, 'the time stamp') : ''
  return { h: { layout, le, k, n, label, timestamp, end: c.pos }, c, layout }
}

/** The variable names alone (for `quasi validate`); `bytes` may be the start of the file. */
export function readOldDtaNames(bytes: Uint8Array): string[] {
  const { h, c, layout } = readOldHeader(bytes)
  c.advance(h.k, 'the variable types')
  c.need(layout.nameLen * h.k, 'the variable names')
  return Array.from({ length: h.k }, () => c.text(layout.nameLen, 'the variable names'))
}

export function readOldDta(bytes: Uint8Array): Parsed {
  const { h, c, layout } = readOldHeader(bytes)
  const { k } = h
  c.need(k, 'the variable types')
  const types = Array.from({ length: k }, (_, j) => typeCode(c.u8('the variable types'), layout, j))
  const texts = (width: number, what: string) => {
    c.need(width * k, `the ${what}`)
    return Array.from({ length: k }, () => c.text(width, `the ${what}`))
  }
  const names = texts(layout.nameLen, 'variable names')
  c.advance(2 * (k + 1), 'the sort list')
  const formats = texts(layout.formatLen, 'display formats')
  const labelSets = texts(layout.nameLen, 'value-label names')
  const labels = texts(layout.varLabelLen, 'variable labels')
  if (layout.expansionLenBytes > 0) {
    for (;;) {
      const type = c.u8('the expansion fields')
      const len = layout.expansionLenBytes === 2 ? c.u16('the expansion fields') : c.u32('the expansion fields')
      if (type === 0 && len === 0) break
      c.advance(len, 'the expansion fields')
    }
  }
  const seen = new Set<string>()
  for (const name of names) {
    if (name === '' || seen.has(name)) throw new DtaError(`the variable names are corrupt (${name === '' ? 'an empty name' : `"${name}" twice`})`)
    seen.add(name)
  }
  const vars: Variable[] = names.map((name, j) => ({
    name,
    type: types[j],
    width: types[j] <= 2045 ? types[j] : types[j] === TYPE.double ? 8 : types[j] === TYPE.byte ? 1 : types[j] === TYPE.int ? 2 : 4,
    format: formats[j],
    valueLabelSet: labelSets[j],
    label: labels[j],
  }))
  const { columns } = readRows(c, h, vars)
  const valueLabels = release104(layout) ? readValueLabels104(c) : readValueLabels(c, layout)
  return { header: h, vars, columns, valueLabels, notes: [] }
}

const release104 = (l: OldLayout) => l.release < 105

/** Format 104: a 2-byte length, a 12-byte name, 2 bytes of padding, then 8-byte labels for 0, 1, 2, … */
function readValueLabels104(c: Cursor): Map<string, Record<string, string>> {
  const sets = new Map<string, Record<string, string>>()
  while (c.pos < c.length) {
    const len = c.u16('a value-label table')
    const name = c.text(12, 'a value-label name')
    c.advance(2, 'a value-label table')
    c.need(len, `value label "${name}"`)
    const labels: Record<string, string> = {}
    for (let i = 0; i < Math.floor(len / 8); i++) {
      const text = c.text(8, `value label "${name}"`)
      if (text !== '') labels[String(i)] = text
    }
    c.pos += len % 8
    sets.set(name, labels)
  }
  return sets
}

/** Formats 105–115: the tables of 113+ (section 5.6 of `help dta_113`), the name 9 or 33 bytes long. */
function readValueLabels(c: Cursor, layout: OldLayout): Map<string, Record<string, string>> {
  const sets = new Map<string, Record<string, string>>()
  // The tables run to the end of the file: any bytes left must be whole tables.
  while (c.pos < c.length) {
    const start = c.pos
    const len = c.u32('a value-label table')
    c.need(len, 'a value-label table')
    const widths = layout.release <= 108 ? [9, 33] : [33, 9]
    const width = widths.find((w) => fits(c, start + 4 + w + 3, len))
    if (width === undefined) throw new DtaError(`the value-label table at byte ${start} is corrupt (its table does not fit its length)`)
    const name = c.text(width, 'a value-label name')
    c.advance(3, 'a value-label table')
    const end = c.pos + len
    const count = c.u32(`value label "${name}"`)
    const txtLen = c.u32(`value label "${name}"`)
    const offs = Array.from({ length: count }, () => c.u32(`value label "${name}"`))
    const vals = Array.from({ length: count }, () => c.i32(`value label "${name}"`))
    const txt = c.bytes.subarray(c.pos, c.pos + txtLen)
    const labels: Record<string, string> = {}
    for (let i = 0; i < count; i++) {
      if (offs[i] >= txtLen) throw new DtaError(`value label "${name}" is corrupt (a text offset is out of range)`)
      labels[String(vals[i])] = c.decodeAt(txt.subarray(offs[i]))
    }
    sets.set(name, labels)
    c.pos = end
  }
  return sets
}

/** Whether a value-label table of `len` bytes starting at `at` is self-consistent (n, text length, offsets). */
function fits(c: Cursor, at: number, len: number): boolean {
  if (len < 8 || at + len > c.length) return false
  const n = c.view.getUint32(at, c.le)
  const txtLen = c.view.getUint32(at + 4, c.le)
  return 8 + 8 * n + txtLen === len
}
