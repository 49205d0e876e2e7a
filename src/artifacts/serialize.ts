/**
 * Binary serialization of a Frame for the cache: byte-stable for equal frames, fast to
 * hash and load. Layout: "QFRM1\n", uint32 LE header length, header JSON
 * ({ nrows, columns: [{name, type, strings?}] }), zero padding to a multiple of 8, then each
 * numeric column's float64 values, little-endian, in column order.
 */
import { Frame, type Column } from './frame.ts'

const MAGIC = new TextEncoder().encode('QFRM1\n')
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

interface Header {
  nrows: number
  columns: { name: string; type: 'number' | 'string'; strings?: (string | null)[] }[]
}

export function serializeFrame(frame: Frame): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error('serializeFrame: big-endian hosts are not supported')
  const header: Header = { nrows: frame.nrows, columns: [] }
  const numeric: Float64Array[] = []
  for (const [name, c] of frame.entries()) {
    if (c.type === 'number') {
      header.columns.push({ name, type: 'number' })
      numeric.push(c.data)
    } else header.columns.push({ name, type: 'string', strings: [...c.data] })
  }
  const json = new TextEncoder().encode(JSON.stringify(header))
  const headEnd = MAGIC.length + 4 + json.length
  const start = Math.ceil(headEnd / 8) * 8
  const out = new Uint8Array(start + numeric.length * frame.nrows * 8)
  out.set(MAGIC, 0)
  new DataView(out.buffer).setUint32(MAGIC.length, json.length, true)
  out.set(json, MAGIC.length + 4)
  // Copy values, writing every NaN as the one canonical quiet NaN so that equal frames
  // have equal bytes on every processor (x86 and ARM make NaNs with different sign bits).
  const f64 = new Float64Array(out.buffer, start, numeric.length * frame.nrows)
  const u32 = new Uint32Array(out.buffer, start, numeric.length * frame.nrows * 2)
  let k = 0
  for (const d of numeric) {
    for (let i = 0; i < d.length; i++, k++) {
      const v = d[i]
      if (v === v) f64[k] = v
      else {
        u32[2 * k] = 0
        u32[2 * k + 1] = 0x7ff80000
      }
    }
  }
  return out
}

export function deserializeFrame(bytes: Uint8Array): Frame {
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new Error('deserializeFrame: not a serialized frame')
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const len = dv.getUint32(MAGIC.length, true)
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + len))) as Header
  let at = Math.ceil((MAGIC.length + 4 + len) / 8) * 8
  const n = header.nrows
  const cols: [string, Column][] = header.columns.map((c) => {
    if (c.type === 'string') return [c.name, { type: 'string', data: c.strings ?? [] }]
    const data = new Float64Array(n)
    for (let i = 0; i < n; i++) data[i] = dv.getFloat64(at + i * 8, true)
    at += n * 8
    return [c.name, { type: 'number', data }]
  })
  if (at !== bytes.length) throw new Error('deserializeFrame: length mismatch')
  return new Frame(cols, n)
}
