/**
 * Stata .dta → Frame, formats 117, 118 and 119 here, written from Stata's published format
 * description (no maintained npm reader exists; see docs/decisions.md); formats 104–115 are
 * parsed by dta-old.ts and share the rows, strings, missing values and column building here.
 *
 * ## Method
 * The header gives the release, byte order (MSF/LSF), K variables and N observations. The
 * sections follow in the order the format fixes, each checked by its opening and closing
 * markers, and are read in sequence: the file map (`<map>`) is not trusted, because Stata 13
 * itself writes 0 for the offset of `<variable_labels>` (pandas' reader works around the same
 * quirk). `<data>` is N fixed-width rows; strLs are (v,o) references
 * resolved through the GSO table in `<strls>`; value labels come from `<value_labels>`.
 * Before anything is allocated, the data section's size N·(row width) is checked against the
 * file's length, so a corrupt header cannot make the reader allocate or loop without bound.
 *
 * ## Conventions
 * - byte, int, long, float, double → numbers (exact: every Stata numeric value is a double).
 * - Missing values `.`, `.a`…`.z` → NaN, counted per code in the column info.
 * - str# and strL → text; Stata's empty string (its missing string) → missing.
 * - Value labels: the frame keeps the numeric codes; the labels go to the column info.
 * - Variable labels → column info; `%t` display formats (dates) are kept as Stata numbers
 *   (days or milliseconds since 01jan1960) and reported.
 *
 * ## References
 * StataCorp, "[P] File formats .dta" (`help dta_117`, `help dta`, `help dta_119`).
 */
import { QuasiError } from '../../errors.ts'
import { buildFrame, fileLabel, type RawColumn } from './columns.ts'
import { Cursor, DtaError, TYPE, decodeText, doubleMissingCode, floatMissingCode, INT_MAX_NONMISSING, layoutOf, missingName, OLD_INT_MAX_NONMISSING, typeName, typeWidth, type Layout, type Release } from './dta-format.ts'
import { OLD_FORMATS, readOldDta, readOldDtaNames } from './dta-old.ts'
import { sniff, wrongFormat } from './sniff.ts'
import type { DtaReadOptions, ReadResult } from './types.ts'

const SUPPORTED = 'formats 104–115 (Stata 4–12), 117 (Stata 13), 118 (Stata 14 and later) and 119 (Stata 15 and later, over 32,767 variables)'
const RESAVE_HINT =
  'save it again in a supported format: in Stata 13 or later `use` it and `save` it again; ' +
  'in R `haven::write_dta(haven::read_dta(f), f2)`; in Python `pandas.read_stata(f).to_stata(f2, version=118)`'

export interface Header {
  layout: Layout
  le: boolean
  k: number
  n: number
  label: string
  timestamp: string
  /** Where the header and map end: `<variable_types>` follows. */
  end: number
}

export interface Variable {
  name: string
  type: number
  width: number
  format: string
  valueLabelSet: string
  label: string
}

export async function readDta(bytes: Uint8Array, opts: DtaReadOptions = {}): Promise<ReadResult> {
  const file = fileLabel(opts)
  const kind = sniff(bytes)
  if (kind.kind === 'dta-old' && !OLD_FORMATS.has(bytes[0])) {
    throw new QuasiError('BAD_DATA', `${file}: ${kind.description} is not supported; quasi reads Stata ${SUPPORTED}`, {
      expected: `a Stata .dta file of ${SUPPORTED}`,
      found: kind.description,
      hint: RESAVE_HINT,
    })
  }
  if (kind.kind !== 'dta' && kind.kind !== 'dta-old') throw wrongFormat(file, 'a Stata .dta file', bytes)
  try {
    return parse(bytes, opts, file)
  } catch (e) {
    if (e instanceof DtaError) {
      throw new QuasiError('BAD_DATA', `${file}: the Stata file cannot be read: ${e.message}`, {
        expected: 'a complete, valid Stata .dta file',
        found: e.message,
        hint: 'the file may be truncated or damaged: copy it again from its source, or open it in Stata and save it again',
      })
    }
    throw e
  }
}

/**
 * The variable names alone, from the header and the first two descriptor sections, so that
 * `quasi validate` can check column names without reading the data. `bytes` may be the
 * start of the file only: a DtaError says when it is too short (or the file is damaged).
 */
export function readDtaNames(bytes: Uint8Array): string[] {
  if (bytes[0] !== 0x3c) return readOldDtaNames(bytes)
  const h = readHeader(bytes, 'the file')
  const c = new Cursor(bytes, h.le, h.layout)
  c.pos = h.end
  c.tag('<variable_types>')
  c.advance(2 * h.k, 'the variable types')
  c.tag('</variable_types>')
  c.tag('<varnames>')
  c.need(h.layout.nameLen * h.k, 'the variable names')
  const names = Array.from({ length: h.k }, () => c.text(h.layout.nameLen, 'the variable names'))
  c.tag('</varnames>')
  return names
}

/** What both the XML-like (117–119) and the old (104–115) formats give. */
export interface Parsed {
  header: Header
  vars: Variable[]
  columns: ColumnData[]
  valueLabels: Map<string, Record<string, string>>
  notes: string[]
}

function parse(bytes: Uint8Array, opts: DtaReadOptions, file: string): ReadResult {
  return finish(bytes[0] === 0x3c ? parseXml(bytes, file) : readOldDta(bytes), opts)
}

function parseXml(bytes: Uint8Array, file: string): Parsed {
  const h = readHeader(bytes, file)
  const c = new Cursor(bytes, h.le, h.layout)
  c.pos = h.end
  const vars = readDescriptors(c, h)
  const notes: string[] = []
  c.tag('<data>')
  const { columns, strls } = readRows(c, h, vars)
  c.tag('</data>')
  resolveStrls(c, h, vars, columns, strls, notes)
  const valueLabels = readValueLabels(c, h)
  return { header: h, vars, columns, valueLabels, notes }
}

function finish({ header: h, vars, columns, valueLabels, notes }: Parsed, opts: DtaReadOptions): ReadResult {
  const warnings: string[] = []

  const raw: RawColumn[] = vars.map((v, j) => {
    const col = columns[j]
    const info: RawColumn['info'] = { storage: typeName(v.type), format: v.format }
    if (v.label) info.label = v.label
    if (col.kind === 'number') {
      if (Object.keys(col.codes).length > 0) info.missingCodes = col.codes
      if (v.valueLabelSet) {
        info.valueLabelSet = v.valueLabelSet
        const set = valueLabels.get(v.valueLabelSet)
        if (set) info.valueLabels = set
        else notes.push(`variable "${v.name}" names value label "${v.valueLabelSet}", which the file does not define`)
      }
      if (/^%-?t|^%-?d/.test(v.format)) {
        notes.push(`variable "${v.name}" has the Stata date/time format ${v.format}: its values stay Stata numbers (counted from 1960: %td days, %tc milliseconds, %tm months, %tq quarters…)`)
      }
    }
    return { name: v.name, cells: col.data, info }
  })
  const { frame, columns: infos } = buildFrame(raw, h.n, opts, (i) => `observation ${i + 1}`, { notes, warnings })
  return {
    frame,
    info: {
      format: 'dta',
      rows: frame.nrows,
      columns: infos,
      notes,
      warnings,
      meta: { release: h.layout.release, byteorder: h.le ? 'LSF' : 'MSF', label: h.label, timestamp: h.timestamp },
    },
  }
}

function readHeader(bytes: Uint8Array, file: string): Header {
  const probe = new Cursor(bytes, true, layoutOf(118))
  probe.tag('<stata_dta>')
  probe.tag('<header>')
  probe.tag('<release>')
  const release = Number(String.fromCharCode(...bytes.subarray(probe.pos, probe.pos + 3)))
  if (release !== 117 && release !== 118 && release !== 119) {
    const what = Number.isInteger(release) ? `format ${release}` : 'an unreadable format number'
    throw new QuasiError('BAD_DATA', `${file}: Stata .dta ${what} is not supported; quasi reads Stata ${SUPPORTED}`, {
      expected: `a Stata .dta file of ${SUPPORTED}`,
      found: `a Stata .dta file of ${what}`,
      hint: RESAVE_HINT,
    })
  }
  const layout = layoutOf(release as Release)
  probe.pos += 3
  probe.tag('</release>')
  probe.tag('<byteorder>')
  const order = String.fromCharCode(...bytes.subarray(probe.pos, probe.pos + 3))
  if (order !== 'LSF' && order !== 'MSF') throw new DtaError(`the byte order is \`${order}\`, neither LSF nor MSF`)
  const c = new Cursor(bytes, order === 'LSF', layout)
  c.pos = probe.pos + 3
  c.tag('</byteorder>')
  c.tag('<K>')
  const k = c.uint(layout.kBytes, 'the number of variables')
  c.tag('</K>')
  c.tag('<N>')
  const n = c.uint(layout.nBytes, 'the number of observations')
  c.tag('</N>')
  if (k === 0) throw new DtaError('the header says the file has no variables')
  c.tag('<label>')
  const labelLen = c.uint(layout.labelLenBytes, 'the dataset label')
  c.need(labelLen, 'the dataset label')
  const label = decodeText(bytes.subarray(c.pos, c.pos + labelLen), layout.utf8)
  c.pos += labelLen
  c.tag('</label>')
  c.tag('<timestamp>')
  const tsLen = c.u8('the time stamp')
  c.need(tsLen, 'the time stamp')
  const timestamp = decodeText(bytes.subarray(c.pos, c.pos + tsLen), false)
  c.pos += tsLen
  c.tag('</timestamp>')
  c.tag('</header>')
  c.tag('<map>')
  c.advance(14 * 8, 'the file map')
  c.tag('</map>')
  return { layout, le: order === 'LSF', k, n, label, timestamp, end: c.pos }
}

/** Sections 5.3–5.9, in their fixed order: types, names, sort list, formats, value-label names, variable labels, characteristics. */
function readDescriptors(c: Cursor, h: Header): Variable[] {
  const { k, layout } = h
  c.tag('<variable_types>')
  c.need(2 * k, 'the variable types')
  const types: number[] = []
  for (let j = 0; j < k; j++) {
    const t = c.u16('the variable types')
    if (typeWidth(t) === undefined) throw new DtaError(`variable ${j + 1} has the unknown type code ${t}`)
    types.push(t)
  }
  c.tag('</variable_types>')
  const texts = (tag: string, width: number, what: string) => {
    c.tag(`<${tag}>`)
    c.need(width * k, `the ${what}`)
    const out = Array.from({ length: k }, () => c.text(width, `the ${what}`))
    c.tag(`</${tag}>`)
    return out
  }
  const names = texts('varnames', layout.nameLen, 'variable names')
  c.tag('<sortlist>')
  c.advance((k + 1) * layout.sortBytes, 'the sort list')
  c.tag('</sortlist>')
  const formats = texts('formats', layout.formatLen, 'display formats')
  const labelSets = texts('value_label_names', layout.nameLen, 'value-label names')
  const labels = texts('variable_labels', layout.varLabelLen, 'variable labels')
  c.tag('<characteristics>')
  while (c.at('<ch>')) {
    c.tag('<ch>')
    c.advance(c.u32('a characteristic'), 'a characteristic')
    c.tag('</ch>')
  }
  c.tag('</characteristics>')
  const seen = new Set<string>()
  for (const name of names) {
    if (name === '' || seen.has(name)) throw new DtaError(`the variable names are corrupt (${name === '' ? 'an empty name' : `"${name}" twice`})`)
    seen.add(name)
  }
  return names.map((name, j) => ({
    name,
    type: types[j],
    width: typeWidth(types[j]) as number,
    format: formats[j],
    valueLabelSet: labelSets[j],
    label: labels[j],
  }))
}

export type ColumnData =
  | { kind: 'number'; data: Float64Array; codes: Record<string, number> }
  | { kind: 'string'; data: (string | null)[] }

/** strL references: per strL variable, the byte offset of each observation's 8-byte (v,o). */
type StrlRefs = Map<number, number[]>

/** The N fixed-width rows at the cursor (section 5.10; the data of formats 104–115 alike). */
export function readRows(c: Cursor, h: Header, vars: Variable[]): { columns: ColumnData[]; strls: StrlRefs } {
  const { n, le, layout } = h
  const rowWidth = vars.reduce((s, v) => s + v.width, 0)
  if (rowWidth > 0 && n > (c.length - c.pos) / rowWidth) {
    throw new DtaError(`the header promises ${n} observations of ${rowWidth} bytes, more than the file holds (it is truncated or corrupt)`)
  }
  const start = c.pos
  const view = c.view
  const bytes = c.bytes
  const columns: ColumnData[] = vars.map((v) =>
    v.type <= 2045 || v.type === TYPE.strL ? { kind: 'string', data: new Array<string | null>(n).fill(null) } : { kind: 'number', data: new Float64Array(n), codes: {} },
  )
  const strls: StrlRefs = new Map()
  const offsets: number[] = []
  let off = 0
  for (const v of vars) {
    offsets.push(off)
    off += v.width
  }
  vars.forEach((v, j) => {
    const col = columns[j]
    if (v.type === TYPE.strL) {
      strls.set(j, Array.from({ length: n }, (_, i) => start + i * rowWidth + offsets[j]))
      return
    }
    if (col.kind === 'string') {
      for (let i = 0; i < n; i++) {
        const p = start + i * rowWidth + offsets[j]
        const s = decodeText(bytes.subarray(p, p + v.width), layout.utf8)
        col.data[i] = s === '' ? null : s
      }
      return
    }
    const { data, codes } = col
    const ints = layout.oldMissing ? OLD_INT_MAX_NONMISSING : INT_MAX_NONMISSING
    const miss = (i: number, code: number) => {
      data[i] = NaN
      const name = missingName(code)
      codes[name] = (codes[name] ?? 0) + 1
    }
    for (let i = 0; i < n; i++) {
      const p = start + i * rowWidth + offsets[j]
      switch (v.type) {
        case TYPE.byte: {
          const x = view.getInt8(p)
          if (x > ints.byte) miss(i, x - ints.byte - 1)
          else data[i] = x
          break
        }
        case TYPE.int: {
          const x = view.getInt16(p, le)
          if (x > ints.int) miss(i, x - ints.int - 1)
          else data[i] = x
          break
        }
        case TYPE.long: {
          const x = view.getInt32(p, le)
          if (x > ints.long) miss(i, x - ints.long - 1)
          else data[i] = x
          break
        }
        case TYPE.float: {
          const code = floatMissingCode(view.getUint32(p, le))
          if (code >= 0) miss(i, code)
          else data[i] = view.getFloat32(p, le)
          break
        }
        case TYPE.double: {
          const hi = view.getUint32(le ? p + 4 : p, le)
          const lo = view.getUint32(le ? p : p + 4, le)
          const code = doubleMissingCode(hi, lo)
          if (code >= 0) miss(i, code)
          else data[i] = view.getFloat64(p, le)
          break
        }
      }
    }
  })
  c.pos = start + n * rowWidth
  return { columns, strls }
}

/** An unsigned integer of `n` ≤ 6 bytes at `p` (safe: below 2^48). */
function uintAt(bytes: Uint8Array, p: number, n: number, le: boolean): number {
  let v = 0
  for (let i = 0; i < n; i++) v = v * 256 + bytes[p + (le ? n - 1 - i : i)]
  return v
}

/**
 * Read the GSO table (section 5.11.2) and fill every strL variable, following cross-links.
 *
 * A (v,o) in the data is 8 bytes: 4+4 (117), 2+6 (118), 3+5 (119, Stata's `help dta_119`,
 * section 5.11.1). ReadStat, and so R haven's `write_dta(version = 15)`, writes format 119
 * with the 2+6 split of format 118; when the file's references resolve only that way, they
 * are read that way, with a note.
 */
function resolveStrls(c: Cursor, h: Header, vars: Variable[], columns: ColumnData[], refs: StrlRefs, notes: string[]): void {
  c.tag('<strls>')
  const gso = new Map<string, string>()
  let binary = 0
  while (c.at('GSO')) {
    c.pos += 3
    const v = c.u32('a strL record')
    const o = c.uint(h.layout.gsoOBytes, 'a strL record')
    const t = c.u8('a strL record')
    const len = c.u32('a strL record')
    c.need(len, `the strL (${v},${o})`)
    const body = c.bytes.subarray(c.pos, c.pos + len)
    c.pos += len
    if (t === 130) gso.set(`${v},${o}`, decodeText(body, h.layout.utf8))
    else {
      binary++
      gso.set(`${v},${o}`, new TextDecoder().decode(body))
    }
  }
  c.tag('</strls>')
  if (binary > 0) notes.push(`${binary} binary strL value(s) read as UTF-8 text`)
  const keysFor = (vBytes: number) => {
    const keys = new Map<number, string[]>()
    for (const [j, offsets] of refs) keys.set(j, offsets.map((p) => `${uintAt(c.bytes, p, vBytes, h.le)},${uintAt(c.bytes, p + vBytes, 8 - vBytes, h.le)}`))
    return keys
  }
  const resolves = (keys: Map<number, string[]>) => [...keys.values()].every((ks) => ks.every((k) => k === '0,0' || gso.has(k)))
  let keys = keysFor(h.layout.strlVBytes)
  if (h.layout.release === 119 && !resolves(keys)) {
    const readstat = keysFor(2)
    if (resolves(readstat)) {
      keys = readstat
      notes.push("the strL references are in format 118's layout (2+6 bytes, as ReadStat and R haven write format 119), not the 3+5 of Stata's description of format 119; read that way")
    }
  }
  for (const [j, ks] of keys) {
    const col = columns[j]
    if (col.kind !== 'string') continue
    for (let i = 0; i < ks.length; i++) {
      if (ks[i] === '0,0') continue // Stata's predefined empty string: missing
      const s = gso.get(ks[i])
      if (s === undefined) throw new DtaError(`variable "${vars[j].name}", observation ${i + 1} refers to strL (${ks[i]}), which the file does not define`)
      col.data[i] = s === '' ? null : s
    }
  }
}

/** Value-label tables (section 5.12): set name → (code → label). */
function readValueLabels(c: Cursor, h: Header): Map<string, Record<string, string>> {
  c.tag('<value_labels>')
  const sets = new Map<string, Record<string, string>>()
  while (c.at('<lbl>')) {
    c.tag('<lbl>')
    const len = c.u32('a value-label table')
    const name = c.text(h.layout.nameLen, 'a value-label name')
    c.advance(3, 'a value-label table')
    c.need(len, `value label "${name}"`)
    const end = c.pos + len
    const count = c.u32(`value label "${name}"`)
    const txtLen = c.u32(`value label "${name}"`)
    if (8 + 8 * count + txtLen > len) throw new DtaError(`value label "${name}" is corrupt (its table does not fit its length)`)
    const offs = Array.from({ length: count }, () => c.u32(`value label "${name}"`))
    const vals = Array.from({ length: count }, () => c.i32(`value label "${name}"`))
    const txt = c.bytes.subarray(c.pos, c.pos + txtLen)
    const labels: Record<string, string> = {}
    for (let i = 0; i < count; i++) {
      if (offs[i] >= txtLen) throw new DtaError(`value label "${name}" is corrupt (a text offset is out of range)`)
      labels[String(vals[i])] = decodeText(txt.subarray(offs[i]), h.layout.utf8)
    }
    sets.set(name, labels)
    c.pos = end
    c.tag('</lbl>')
  }
  c.tag('</value_labels>')
  c.tag('</stata_dta>')
  return sets
}
