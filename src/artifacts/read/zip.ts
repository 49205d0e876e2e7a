/**
 * A minimal ZIP reader (PKWARE APPNOTE 6.3: end-of-central-directory record, central
 * directory, local headers; methods 0 "stored" and 8 "deflate"), enough to look inside an
 * .xlsx before SheetJS does: it validates the archive up front (SheetJS checks no CRC), so a
 * truncated or corrupt workbook becomes one clear error, and it finds the workbook part and
 * the kinds of its sheets (xlsx-parts.ts).
 *
 * Every offset is bounds-checked and every entry's inflated size is capped at its declared
 * size, so a hostile or broken archive fails fast instead of allocating without limit.
 */
import { inflateRawSync } from 'node:zlib'
import * as zlib from 'node:zlib'

export class ZipError extends Error {
  override name = 'ZipError'
}

interface Entry {
  name: string
  method: number
  compressedSize: number
  size: number
  localOffset: number
  crc: number
}

const EOCD_SIG = 0x06054b50
const CEN_SIG = 0x02014b50
const LOC_SIG = 0x04034b50
/** The EOCD record is 22 bytes plus a comment of at most 65,535 bytes. */
const EOCD_MAX_BACK = 22 + 0xffff

/** `zlib.crc32` exists from Node 20.15 / 22.2; without it entries are checked by size only. */
const crc32: ((data: Uint8Array) => number) | undefined = (zlib as { crc32?: (d: Uint8Array) => number }).crc32

export class ZipArchive {
  readonly #bytes: Uint8Array
  readonly #view: DataView
  readonly #entries = new Map<string, Entry>()

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.#readDirectory()
  }

  names(): string[] {
    return [...this.#entries.keys()]
  }

  has(name: string): boolean {
    return this.#entries.has(name)
  }

  /** The entry's uncompressed bytes; throws ZipError when absent or corrupt. */
  read(name: string): Uint8Array {
    const e = this.#entries.get(name)
    if (!e) throw new ZipError(`the archive has no entry "${name}"`)
    const v = this.#view
    if (e.localOffset + 30 > v.byteLength || v.getUint32(e.localOffset, true) !== LOC_SIG) {
      throw new ZipError(`entry "${name}" has no valid local header (the archive is corrupt)`)
    }
    const start = e.localOffset + 30 + v.getUint16(e.localOffset + 26, true) + v.getUint16(e.localOffset + 28, true)
    const end = start + e.compressedSize
    if (end > v.byteLength) throw new ZipError(`entry "${name}" runs past the end of the file (the file is truncated)`)
    const raw = this.#bytes.subarray(start, end)
    let out: Uint8Array
    if (e.method === 0) out = raw
    else if (e.method === 8) {
      try {
        // One byte more than declared, so an entry that inflates larger than it claims is caught below.
        out = inflateRawSync(raw, { maxOutputLength: e.size + 1 })
      } catch {
        throw new ZipError(`entry "${name}" cannot be decompressed (the data are corrupt)`)
      }
    } else throw new ZipError(`entry "${name}" uses compression method ${e.method}, which is not supported`)
    if (out.length !== e.size) throw new ZipError(`entry "${name}" decompresses to ${out.length} bytes, not the ${e.size} recorded (the data are corrupt)`)
    if (crc32 && (crc32(out) >>> 0) !== e.crc) throw new ZipError(`entry "${name}" fails its CRC-32 check (the data are corrupt)`)
    return out
  }

  #readDirectory(): void {
    const v = this.#view
    const n = v.byteLength
    let eocd = -1
    for (let p = n - 22; p >= Math.max(0, n - EOCD_MAX_BACK); p--) {
      if (v.getUint32(p, true) === EOCD_SIG) {
        eocd = p
        break
      }
    }
    if (eocd < 0) throw new ZipError('no ZIP central directory at the end of the file (the file is truncated or not a ZIP archive)')
    const count = v.getUint16(eocd + 10, true)
    const cdSize = v.getUint32(eocd + 12, true)
    const cdOffset = v.getUint32(eocd + 16, true)
    if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipError('ZIP64 archives (over 4 GB or 65,535 entries) are not supported')
    if (cdOffset + cdSize > eocd) throw new ZipError('the ZIP central directory points past its own end (the file is truncated or corrupt)')
    let p = cdOffset
    for (let i = 0; i < count; i++) {
      if (p + 46 > eocd || v.getUint32(p, true) !== CEN_SIG) throw new ZipError('the ZIP central directory is corrupt')
      const nameLen = v.getUint16(p + 28, true)
      const extraLen = v.getUint16(p + 30, true)
      const commentLen = v.getUint16(p + 32, true)
      if (p + 46 + nameLen > eocd) throw new ZipError('the ZIP central directory is corrupt')
      const name = new TextDecoder().decode(this.#bytes.subarray(p + 46, p + 46 + nameLen))
      this.#entries.set(name, {
        name,
        method: v.getUint16(p + 10, true),
        crc: v.getUint32(p + 16, true),
        compressedSize: v.getUint32(p + 20, true),
        size: v.getUint32(p + 24, true),
        localOffset: v.getUint32(p + 42, true),
      })
      p += 46 + nameLen + extraLen + commentLen
    }
  }
}
