/**
 * Byte mutations of data files, as data (a recipe of edits replayable with `applyByteEdits`):
 * truncation, byte flips, inserted and deleted bytes, copied chunks, huge declared sizes in
 * the format's own size fields (ZIP headers, Stata's N/K/lengths/map, Parquet's footer
 * length and Thrift varints), and, for .xlsx, edits of the XML inside the archive, which is
 * then written again with correct sizes and CRCs so that the damage reaches the XML readers
 * instead of stopping at the ZIP checks.
 */
import { crc32, deflateRawSync } from 'node:zlib'
import fc from 'fast-check'
import { ZipArchive } from '../../src/artifacts/read/zip.ts'
import { applyEdits, textEdit, type TextEdit } from './text.ts'

export type Format = 'csv' | 'xlsx' | 'dta' | 'parquet'

/** A position from the start or from the end (formats keep their directories at either end). */
export interface Pos {
  readonly at: number
  readonly fromEnd: boolean
}

export type ByteEdit =
  | { readonly op: 'truncate'; readonly pos: Pos }
  | { readonly op: 'flip'; readonly pos: Pos; readonly xor: number }
  | { readonly op: 'insert'; readonly pos: Pos; readonly bytes: readonly number[] }
  | { readonly op: 'delete'; readonly pos: Pos; readonly n: number }
  | { readonly op: 'copy'; readonly from: Pos; readonly to: Pos; readonly n: number }
  /** Set the `field`-th size field the format declares (modulo their number) to a huge or odd value. */
  | { readonly op: 'size'; readonly field: number; readonly value: SizeValue }
  /** Write a huge Thrift/protobuf varint (what Parquet footers declare list and string sizes with). */
  | { readonly op: 'varint'; readonly pos: Pos }
  /** .xlsx: edit the text of the `part`-th archive entry (modulo their number). */
  | { readonly op: 'xml'; readonly part: number; readonly edits: readonly TextEdit[] }
  /** .xlsx: set the `nth` attribute value (r, ref, s, t, …) or `<v>` value of a part. */
  | { readonly op: 'attr'; readonly part: number; readonly nth: number; readonly value: string }

export type SizeValue = 'max' | 'high' | 'sign' | 'zero' | 'one' | 'plus'

const pos: fc.Arbitrary<Pos> = fc.record({ at: fc.oneof(fc.nat(512), fc.nat(1 << 20)), fromEnd: fc.boolean() })
const ODD_BYTES = [0x00, 0xff, 0x7f, 0x80, 0x22, 0x27, 0x2c, 0x3b, 0x09, 0x0a, 0x0d, 0x3c, 0x3e, 0xef, 0xbb, 0xbf, 0xc0, 0xfe, 0x50, 0x4b]

const XML_FRAGMENTS = [
  '<c r="XFD1048576"><v>1</v></c>', '<row r="1048576">', '<row r="0">', '</row>', '<c r="A1" t="s"><v>999999</v></c>', '<dimension ref="A1:XFD1048576"/>', '<mergeCell ref="A1:XFD1048576"/>',
  '<mergeCell ref="B2:A1"/>', '<mergeCells count="1"><mergeCell ref="A1:Z9999"/></mergeCells>', 't="s"', 't="e"', 't="b"', 't="d"', 't="inlineStr"', '<is><t>x</t></is>', 's="999"', '&#0;', '&amp;', '&#xD800;',
  '<![CDATA[', ']]>', '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>', '&b;', '</sheetData>', '<sheetData>', '<f>1/0</f>', '<v>#DIV/0!</v>',
  '<sheet name="x" sheetId="9" r:id="rId99"/>', 'Target="../../../etc/passwd"', 'Target="/xl/worksheets/sheet1.xml"', 'numFmtId="14"', 'date1904="1"', '<si><t>x</t></si>', '<sst count="999999">', '"', '<', '>', '/>',
]
const ATTR_VALUES = ['XFD1048576', 'A1048577', 'A0', 'ZZZZ1', 'A1:XFD1048576', 'B2:A1', 'A1:A1048576', '999999', '-1', '4294967296', 's', 'e', 'b', 'd', 'str', 'inlineStr', 'n', '', '1e308', 'NaN', '1e999', '-0', '2958466', '-700000', '1e-320', 'TRUE', '0x10', '1,5', '&lt;', 'rId99', '../x.xml']

export function byteEdit(format: Format): fc.Arbitrary<ByteEdit> {
  const common: fc.WeightedArbitrary<ByteEdit>[] = [
    { arbitrary: fc.record({ op: fc.constant('truncate' as const), pos }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('flip' as const), pos, xor: fc.integer({ min: 1, max: 255 }) }), weight: 4 },
    { arbitrary: fc.record({ op: fc.constant('insert' as const), pos, bytes: fc.array(fc.oneof(fc.constantFrom(...ODD_BYTES), fc.nat(255)), { minLength: 1, maxLength: 16 }) }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('delete' as const), pos, n: fc.integer({ min: 1, max: 64 }) }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('copy' as const), from: pos, to: pos, n: fc.integer({ min: 1, max: 256 }) }), weight: 1 },
  ]
  const size = fc.record({ op: fc.constant('size' as const), field: fc.nat(200), value: fc.constantFrom<SizeValue>('max', 'high', 'sign', 'zero', 'one', 'plus') })
  switch (format) {
    case 'csv':
      return fc.oneof(...common)
    case 'parquet':
      return fc.oneof(...common, { arbitrary: size, weight: 2 }, { arbitrary: fc.record({ op: fc.constant('varint' as const), pos: fc.record({ at: fc.nat(600), fromEnd: fc.constant(true) }) }), weight: 3 })
    case 'dta':
      return fc.oneof(...common, { arbitrary: size, weight: 4 })
    case 'xlsx':
      return fc.oneof(
        ...common,
        { arbitrary: size, weight: 3 },
        { arbitrary: fc.record({ op: fc.constant('xml' as const), part: fc.nat(20), edits: fc.array(textEdit(XML_FRAGMENTS), { minLength: 1, maxLength: 4 }) }), weight: 6 },
        { arbitrary: fc.record({ op: fc.constant('attr' as const), part: fc.nat(20), nth: fc.nat(400), value: fc.constantFrom(...ATTR_VALUES) }), weight: 6 },
      )
  }
}

export function applyByteEdits(format: Format, bytes: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  let b = bytes
  for (const e of edits) b = applyByteEdit(format, b, e)
  return b
}

function at(b: Uint8Array, p: Pos): number {
  if (b.length === 0) return 0
  const i = p.at % (b.length + 1)
  return p.fromEnd ? b.length - i : i
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

function applyByteEdit(format: Format, b: Uint8Array, e: ByteEdit): Uint8Array {
  switch (e.op) {
    case 'truncate':
      return b.slice(0, at(b, e.pos))
    case 'flip': {
      if (b.length === 0) return b
      const out = b.slice()
      out[Math.min(at(b, e.pos), b.length - 1)] ^= e.xor
      return out
    }
    case 'insert': {
      const i = at(b, e.pos)
      return concat(b.subarray(0, i), Uint8Array.from(e.bytes), b.subarray(i))
    }
    case 'delete': {
      const i = at(b, e.pos)
      return concat(b.subarray(0, i), b.subarray(i + e.n))
    }
    case 'copy': {
      const from = at(b, e.from)
      const to = at(b, e.to)
      return concat(b.subarray(0, to), b.subarray(from, from + e.n), b.subarray(to))
    }
    case 'varint': {
      const i = at(b, e.pos)
      return concat(b.subarray(0, i), Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), b.subarray(i + 1))
    }
    case 'size': {
      const fields = sizeFields(format, b)
      if (fields.length === 0) return b
      const f = fields[e.field % fields.length]
      if (f.at + f.width > b.length) return b
      const out = b.slice()
      writeSize(out, f, e.value)
      return out
    }
    case 'xml':
    case 'attr':
      return format === 'xlsx' ? editZipPart(b, e) : b
  }
}

interface Field {
  readonly at: number
  readonly width: 1 | 2 | 4 | 8
  readonly le: boolean
}

function writeSize(out: Uint8Array, f: Field, value: SizeValue): void {
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength)
  const bytes = Array.from({ length: f.width }, (_, i) => out[f.at + (f.le ? i : f.width - 1 - i)])
  let n = bytes.reduceRight((acc, x) => acc * 256 + x, 0) // the current value, little-endian order
  const max = 2 ** (8 * f.width) - 1
  n = value === 'max' ? max : value === 'high' ? Math.floor(max / 2) : value === 'sign' ? Math.ceil(max / 2) : value === 'zero' ? 0 : value === 'one' ? 1 : Math.min(max, n + 1)
  for (let i = 0; i < f.width; i++) {
    const byte = Math.floor(n / 256 ** i) % 256
    v.setUint8(f.at + (f.le ? i : f.width - 1 - i), byte)
  }
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0))

function indexesOf(b: Uint8Array, needle: Uint8Array): number[] {
  const out: number[] = []
  outer: for (let i = 0; i + needle.length <= b.length; i++) {
    for (let j = 0; j < needle.length; j++) if (b[i + j] !== needle[j]) continue outer
    out.push(i)
  }
  return out
}

/** The size and count fields each format declares, found on the bytes as they are now. */
export function sizeFields(format: Format, b: Uint8Array): Field[] {
  const out: Field[] = []
  const le = true
  if (format === 'xlsx') {
    for (const i of indexesOf(b, Uint8Array.of(0x50, 0x4b, 0x05, 0x06))) for (const [o, w] of [[8, 2], [10, 2], [12, 4], [16, 4], [20, 2]] as const) out.push({ at: i + o, width: w, le })
    for (const i of indexesOf(b, Uint8Array.of(0x50, 0x4b, 0x01, 0x02))) for (const [o, w] of [[20, 4], [24, 4], [28, 2], [30, 2], [32, 2], [42, 4]] as const) out.push({ at: i + o, width: w, le })
    for (const i of indexesOf(b, Uint8Array.of(0x50, 0x4b, 0x03, 0x04))) for (const [o, w] of [[18, 4], [22, 4], [26, 2], [28, 2]] as const) out.push({ at: i + o, width: w, le })
  } else if (format === 'dta') {
    const msf = indexesOf(b.subarray(0, 200), ascii('MSF')).length > 0
    const tags: [string, (1 | 2 | 4 | 8)[], number[]][] = [
      ['<K>', [2, 4], [0]], ['<N>', [4, 8], [0]], ['<label>', [1, 2], [0]], ['<timestamp>', [1], [0]], ['<map>', [8], Array.from({ length: 14 }, (_, i) => 8 * i)],
      ['GSO', [4, 8], [0, 4, 8, 9]], ['<lbl>', [4], [0, 4, 8]], ['<ch>', [4], [0]],
    ]
    for (const [tag, widths, offsets] of tags) {
      for (const i of indexesOf(b, ascii(tag))) for (const w of widths) for (const o of offsets) out.push({ at: i + tag.length + o, width: w, le: !msf })
    }
  } else if (format === 'parquet') {
    if (b.length >= 8) out.push({ at: b.length - 8, width: 4, le })
    // the 4-byte page header lengths and the footer's i32 fields are varints; the varint edit covers them
  }
  return out
}

/** Rewrite the archive with one part's text edited; the archive must be readable to begin with. */
function editZipPart(b: Uint8Array, e: Extract<ByteEdit, { op: 'xml' | 'attr' }>): Uint8Array {
  let zip: ZipArchive
  try {
    zip = new ZipArchive(b)
  } catch {
    return b // earlier byte edits broke the directory: nothing to rewrite
  }
  const names = zip.names()
  if (names.length === 0) return b
  const parts: [string, Uint8Array][] = []
  for (const n of names) {
    try {
      parts.push([n, zip.read(n)])
    } catch {
      return b
    }
  }
  const k = e.part % parts.length
  const text = new TextDecoder().decode(parts[k][1])
  const edited = e.op === 'xml' ? applyEdits(text, e.edits) : setAttr(text, e.nth, e.value)
  parts[k] = [parts[k][0], new TextEncoder().encode(edited)]
  return writeZip(parts)
}

const ATTR = /\b(r|ref|s|t|sheetId|r:id|numFmtId|Id|Target|spans|count|uniqueCount)="([^"]*)"|<v>([^<]*)<\/v>/g

function setAttr(text: string, nth: number, value: string): string {
  const hits = [...text.matchAll(ATTR)]
  if (hits.length === 0) return text
  const m = hits[nth % hits.length]
  const whole = m[1] !== undefined ? `${m[1]}="${value}"` : `<v>${value}</v>`
  return text.slice(0, m.index) + whole + text.slice(m.index! + m[0].length)
}

/** A plain ZIP archive (APPNOTE: local headers, central directory, end record), deflated. */
export function writeZip(entries: readonly (readonly [string, Uint8Array])[]): Uint8Array {
  const locals: Uint8Array[] = []
  const centrals: Uint8Array[] = []
  let offset = 0
  for (const [name, data] of entries) {
    const nameBytes = new TextEncoder().encode(name)
    const packed = new Uint8Array(deflateRawSync(data))
    const crc = crc32(data) >>> 0
    const local = new Uint8Array(30 + nameBytes.length)
    const lv = new DataView(local.buffer)
    lv.setUint32(0, 0x04034b50, true)
    lv.setUint16(4, 20, true)
    lv.setUint16(8, 8, true)
    lv.setUint32(14, crc, true)
    lv.setUint32(18, packed.length, true)
    lv.setUint32(22, data.length, true)
    lv.setUint16(26, nameBytes.length, true)
    local.set(nameBytes, 30)
    const central = new Uint8Array(46 + nameBytes.length)
    const cv = new DataView(central.buffer)
    cv.setUint32(0, 0x02014b50, true)
    cv.setUint16(4, 20, true)
    cv.setUint16(6, 20, true)
    cv.setUint16(10, 8, true)
    cv.setUint32(16, crc, true)
    cv.setUint32(20, packed.length, true)
    cv.setUint32(24, data.length, true)
    cv.setUint16(28, nameBytes.length, true)
    cv.setUint32(42, offset, true)
    central.set(nameBytes, 46)
    locals.push(local, packed)
    centrals.push(central)
    offset += local.length + packed.length
  }
  const cdSize = centrals.reduce((n, c) => n + c.length, 0)
  const end = new Uint8Array(22)
  const ev = new DataView(end.buffer)
  ev.setUint32(0, 0x06054b50, true)
  ev.setUint16(8, entries.length, true)
  ev.setUint16(10, entries.length, true)
  ev.setUint32(12, cdSize, true)
  ev.setUint32(16, offset, true)
  return concat(...locals, ...centrals, end)
}
