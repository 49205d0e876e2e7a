/**
 * Low-level pieces of Stata's .dta formats 117 (Stata 13), 118 (Stata 14–18) and 119 (Stata
 * 15–18, more than 32,767 variables): the section sizes that differ between releases, a
 * bounds-checked byte cursor, and the decoding of Stata's missing values.
 *
 * ## References
 * StataCorp, "[P] File formats .dta": `help dta_117`, `help dta` (format 118), `help dta_119`
 * (sections 4 "Representation of numbers", 5.1–5.12 "Dataset format definition").
 */

export type Release = 117 | 118 | 119

/** Field widths that change between releases (bytes). */
export interface Layout {
  /** The format number (104–119); 104–115 are read by dta-old.ts with their own widths. */
  release: number
  /** `<K>`: number of variables. */
  kBytes: 2 | 4
  /** Entries of `<sortlist>` (K+1 of them). */
  sortBytes: 2 | 4
  /** `<N>`: number of observations. */
  nBytes: 4 | 8
  /** Length prefix of the dataset `<label>`. */
  labelLenBytes: 1 | 2
  /** Variable names, value-label names: 32 characters, UTF-8 from 118 on, plus \0. */
  nameLen: 9 | 33 | 129
  formatLen: 7 | 12 | 49 | 57
  varLabelLen: 32 | 81 | 321
  /** A strL's (v,o) in `<data>` is 8 bytes split as v then o: 4+4 (117), 2+6 (118), 3+5 (119). */
  strlVBytes: 4 | 2 | 3
  /** `o` in a GSO record: 4 bytes (117) or 8 (118, 119). */
  gsoOBytes: 4 | 8
  /** 117 predates Stata's switch to UTF-8: its strings are in the writer's 8-bit encoding. */
  utf8: boolean
  /**
   * Formats before 113 (Stata 7 and earlier) have one missing value, `.`, stored as the
   * largest value of each integer type (byte 127, int 32,767, long 2,147,483,647); 101–126
   * are ordinary bytes there. Floats and doubles mark `.` as from 113 on.
   */
  oldMissing: boolean
}

export function layoutOf(release: Release): Layout {
  if (release === 117) {
    return { release, kBytes: 2, sortBytes: 2, nBytes: 4, labelLenBytes: 1, nameLen: 33, formatLen: 49, varLabelLen: 81, strlVBytes: 4, gsoOBytes: 4, utf8: false, oldMissing: false }
  }
  return {
    release,
    kBytes: release === 119 ? 4 : 2,
    sortBytes: release === 119 ? 4 : 2,
    nBytes: 8,
    labelLenBytes: 2,
    nameLen: 129,
    formatLen: 57,
    varLabelLen: 321,
    strlVBytes: release === 119 ? 3 : 2,
    gsoOBytes: 8,
    utf8: true,
    oldMissing: false,
  }
}

/** Variable type codes in `<variable_types>` (section 5.3). */
export const TYPE = { strL: 32768, double: 65526, float: 65527, long: 65528, int: 65529, byte: 65530 } as const

/** Bytes one value of a type takes in `<data>`; `undefined` for an unknown code. */
export function typeWidth(code: number): number | undefined {
  if (code >= 1 && code <= 2045) return code
  switch (code) {
    case TYPE.strL:
    case TYPE.double:
      return 8
    case TYPE.float:
    case TYPE.long:
      return 4
    case TYPE.int:
      return 2
    case TYPE.byte:
      return 1
  }
  return undefined
}

export function typeName(code: number): string {
  if (code >= 1 && code <= 2045) return `str${code}`
  const hit = Object.entries(TYPE).find(([, c]) => c === code)
  return hit ? hit[0] : `type ${code}`
}

/**
 * Stata's 27 missing values `.`, `.a`, …, `.z` (section 4.6). Integers: everything above the
 * largest nonmissing value (byte 100, int 32,740, long 2,147,483,620) is missing, and the
 * excess is the code (0 = `.`, 1 = `.a`, …). Floats and doubles: everything above the largest
 * nonmissing value (float 0x7effffff, double 0x7fdfffff_ffffffff) is missing; `.` is
 * 0x7f000000 / 0x7fe00000_00000000 and each further code adds 0x800 to the float's bits or
 * 0x100 to the double's high word. Bit patterns between codes (which the spec says to avoid)
 * are counted under the code below them; IEEE NaNs, which Stata never writes, count as `.`.
 */
export const INT_MAX_NONMISSING = { byte: 100, int: 32740, long: 2147483620 } as const
/** Formats before 113: only the largest value of each integer type is missing (`.`). */
export const OLD_INT_MAX_NONMISSING = { byte: 126, int: 32766, long: 2147483646 } as const
const FLOAT_MISSING_DOT = 0x7f000000
const FLOAT_CODE_STEP = 0x800
const DOUBLE_MISSING_DOT_HI = 0x7fe00000
const DOUBLE_CODE_STEP_HI = 0x100

/** `.`, `.a` … `.z` for code 0 … 26. */
export function missingName(code: number): string {
  const c = Math.max(0, Math.min(26, code))
  return c === 0 ? '.' : `.${String.fromCharCode(96 + c)}`
}

/** Missing code (0–26) of a float given its bits, or -1 when the value is not missing. */
export function floatMissingCode(bits: number): number {
  if ((bits & 0x80000000) !== 0) return (bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0 ? 0 : -1
  if (bits < FLOAT_MISSING_DOT) return -1
  return Math.min(26, Math.floor((bits - FLOAT_MISSING_DOT) / FLOAT_CODE_STEP))
}

/** Missing code (0–26) of a double given its high 32 bits, or -1 when not missing. */
export function doubleMissingCode(hi: number, lo: number): number {
  if ((hi & 0x80000000) !== 0) return (hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) !== 0 || lo !== 0) ? 0 : -1
  if (hi < DOUBLE_MISSING_DOT_HI) return -1
  return Math.min(26, Math.floor((hi - DOUBLE_MISSING_DOT_HI) / DOUBLE_CODE_STEP_HI))
}

/** Why a file could not be parsed; dta.ts turns it into a user error naming the file. */
export class DtaError extends Error {
  override name = 'DtaError'
}

const latin1 = new TextDecoder('windows-1252')
const utf8Strict = new TextDecoder('utf-8', { fatal: true })
const utf8Loose = new TextDecoder('utf-8')

/** A bounds-checked cursor over the file. */
export class Cursor {
  pos = 0
  readonly view: DataView
  readonly le: boolean

  constructor(
    readonly bytes: Uint8Array,
    littleEndian: boolean,
    readonly layout: Layout,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.le = littleEndian
  }

  get length(): number {
    return this.bytes.length
  }

  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.bytes.length) {
      throw new DtaError(`the file ends inside ${what} (byte ${this.pos} of ${this.bytes.length}; the file is truncated)`)
    }
  }

  /** Consume an ASCII marker such as `<data>`, or fail saying what was there. */
  tag(t: string): void {
    this.need(t.length, `the marker ${t}`)
    for (let i = 0; i < t.length; i++) {
      if (this.bytes[this.pos + i] !== t.charCodeAt(i)) {
        const seen = String.fromCharCode(...this.bytes.subarray(this.pos, this.pos + t.length)).replace(/[^\x20-\x7e]/g, '?')
        throw new DtaError(`expected the marker ${t} at byte ${this.pos}, found \`${seen}\``)
      }
    }
    this.pos += t.length
  }

  /** Whether the next bytes are `t` (without consuming them). */
  at(t: string): boolean {
    if (this.pos + t.length > this.bytes.length) return false
    for (let i = 0; i < t.length; i++) if (this.bytes[this.pos + i] !== t.charCodeAt(i)) return false
    return true
  }

  u8(what: string): number {
    this.need(1, what)
    return this.bytes[this.pos++]
  }

  u16(what: string): number {
    this.need(2, what)
    const v = this.view.getUint16(this.pos, this.le)
    this.pos += 2
    return v
  }

  u32(what: string): number {
    this.need(4, what)
    const v = this.view.getUint32(this.pos, this.le)
    this.pos += 4
    return v
  }

  i32(what: string): number {
    this.need(4, what)
    const v = this.view.getInt32(this.pos, this.le)
    this.pos += 4
    return v
  }

  /** An unsigned integer of `n` bytes (1–8) in the file's byte order; must fit in a safe integer. */
  uint(n: number, what: string): number {
    this.need(n, what)
    let v = 0n
    for (let i = 0; i < n; i++) {
      const b = BigInt(this.bytes[this.pos + (this.le ? n - 1 - i : i)])
      v = (v << 8n) | b
    }
    this.pos += n
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new DtaError(`${what} is impossibly large (${v})`)
    return Number(v)
  }

  /** A fixed-width, \0-terminated text field. */
  text(width: number, what: string): string {
    this.need(width, what)
    const s = decodeText(this.bytes.subarray(this.pos, this.pos + width), this.layout.utf8)
    this.pos += width
    return s
  }

  /** Bytes up to the first \0, decoded as this file's strings are. */
  decodeAt(field: Uint8Array): string {
    return decodeText(field, this.layout.utf8)
  }

  advance(n: number, what: string): void {
    this.need(n, what)
    this.pos += n
  }
}

/** Bytes up to the first \0, as UTF-8 (118+) or, when not valid UTF-8 in a 117 file, Windows-1252. */
export function decodeText(field: Uint8Array, utf8: boolean): string {
  const end = field.indexOf(0)
  const b = end < 0 ? field : field.subarray(0, end)
  if (utf8) return utf8Loose.decode(b)
  try {
    return utf8Strict.decode(b)
  } catch {
    return latin1.decode(b)
  }
}
