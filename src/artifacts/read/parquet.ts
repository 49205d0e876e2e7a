/**
 * Parquet → Frame through hyparquet (pure JavaScript, no dependencies).
 *
 * ## Conventions
 * - BOOLEAN → 1/0; INT32, FLOAT, DOUBLE → numbers (a float widens to double exactly).
 * - INT64 → number when |v| ≤ 2^53, where every integer is exactly a double; a larger value is
 *   a `BAD_DATA` error naming the row (declare the column `string` to read such ids as text).
 * - DECIMAL(p, s) → the double nearest to the decimal: hyparquet returns unscaled·10^−s, which
 *   can be one unit in the last place off, so the value is re-rounded through its `s`-digit
 *   decimal text (exact whenever the decimal has at most 15 significant digits).
 * - DATE → ISO 8601 text `2020-03-01`; TIMESTAMP and INT96 → UTC text to the millisecond
 *   (`2021-07-15T12:30:00.123`, or the date alone at midnight). A date or timestamp beyond
 *   JavaScript's dates (±275,000 years; an INT96 of the year 290000) is missing, with a warning
 *   naming its rows: never a number passed off as text.
 * - TIME → text `12:34:56.789` (to the unit stored: ms, µs or ns); INTERVAL (months, days,
 *   milliseconds) → ISO 8601 duration text `P14M3DT4.005S`, since the three parts do not
 *   convert into one another. Both are noted.
 * - BYTE_ARRAY/STRING → text (UTF-8); JSON/UUID → their text. Nulls → missing.
 * - Nested columns (lists, structs, maps) are skipped and reported; a file with nothing else
 *   is an error saying so.
 * - Rows: the row groups' counts, not the footer's total, decide the rows (a writer that put
 *   0 in the footer over a row group of 6 rows loses nothing); a disagreement is a warning.
 * - Compression: uncompressed and snappy (hyparquet), gzip and brotli (node:zlib), zstd (the
 *   runtime's zlib from Node 22.15, else fzstd through hyparquet-compressors), LZ4 (Hadoop
 *   framing or raw) and LZ4_RAW (hyparquet-compressors). LZO and unknown codecs are an error
 *   naming the codecs that would work.
 */
import * as zlib from 'node:zlib'
import { parquetMetadata, parquetRead } from 'hyparquet'
import { decompressLz4, decompressLz4Raw, decompressZstd } from 'hyparquet-compressors'
import type { ColumnData, Compressors, FileMetaData, SchemaElement } from 'hyparquet'
import { QuasiError } from '../../errors.ts'
import { buildFrame, fileLabel, type Cell, type RawColumn, type ReadLog } from './columns.ts'
import { flatColumns } from './parquet-columns.ts'
import { wrongFormat } from './sniff.ts'
import type { ParquetReadOptions, ReadResult } from './types.ts'

/** More rows than a frame's arrays can hold (and far more than a row group's bytes could): a damaged count. */
const MAX_ROWS = 2 ** 31 - 1

/** Largest integer such that it and every integer below it are exact doubles. */
const MAX_EXACT_INTEGER = 2n ** 53n

const zstd = (zlib as { zstdDecompressSync?: (b: Uint8Array) => Uint8Array }).zstdDecompressSync

const compressors: Compressors = {
  GZIP: (input) => zlib.unzipSync(input),
  BROTLI: (input) => zlib.brotliDecompressSync(input),
  ZSTD: zstd ? (input: Uint8Array) => zstd(input) : (input: Uint8Array) => decompressZstd(input),
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
}
const READABLE_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', ...Object.keys(compressors)])

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** A date or time beyond what JavaScript dates hold; the column makes it missing, with a warning. */
class OutOfRange {
  constructor(readonly what: string) {}
}

/** UTC milliseconds since 1970 → `2021-07-15T12:30:00.123`, or `2020-03-01` at midnight. */
function isoFromMillis(ms: number, what: () => string): string | OutOfRange {
  const d = new Date(ms)
  if (Number.isNaN(d.getTime())) return new OutOfRange(what())
  const iso = d.toISOString()
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10)
  return iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23)
}

/** Parsers that produce the frame's text directly (hyparquet's defaults make Date objects). */
const parsers = {
  timestampFromMilliseconds: (v: bigint) => isoFromMillis(Number(v), () => `${v} ms after 1970`),
  timestampFromMicroseconds: (v: bigint) => isoFromMillis(Number(v / 1000n), () => `${v} µs after 1970`),
  timestampFromNanoseconds: (v: bigint) => isoFromMillis(Number(v / 1000000n), () => `${v / 86_400_000_000_000n} days after 1970`),
  dateFromDays: (days: number) => {
    const d = new Date(days * 86400000)
    if (Number.isNaN(d.getTime())) return new OutOfRange(`${days} days after 1970`)
    const y = d.getUTCFullYear()
    return `${y < 0 ? '-' + pad(-y, 6) : y > 9999 ? '+' + pad(y, 6) : pad(y, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  },
}

export async function readParquet(bytes: Uint8Array, opts: ParquetReadOptions = {}): Promise<ReadResult> {
  const file = fileLabel(opts)
  if (!(bytes.length >= 4 && String.fromCharCode(...bytes.subarray(0, 4)) === 'PAR1')) throw wrongFormat(file, 'a Parquet file', bytes)
  if (bytes.length < 12 || String.fromCharCode(...bytes.subarray(bytes.length - 4)) !== 'PAR1') {
    throw corrupt(file, 'the file does not end with the Parquet footer marker `PAR1` (it is truncated)')
  }
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  let metadata: FileMetaData
  try {
    metadata = parquetMetadata(ab, { parsers })
  } catch (e) {
    throw corrupt(file, message(e))
  }
  const notes: string[] = []
  const warnings: string[] = []
  const nrows = metadata.row_groups.reduce((s, g) => s + Number(g.num_rows), 0)
  if (!Number.isSafeInteger(nrows) || nrows < 0 || nrows > MAX_ROWS || metadata.row_groups.some((g) => Number(g.num_rows) < 0)) {
    throw corrupt(file, `its row groups claim ${nrows} rows`)
  }
  if (nrows !== Number(metadata.num_rows)) {
    warnings.push(`the file's footer says ${metadata.num_rows} rows, but its ${metadata.row_groups.length} row group(s) hold ${nrows}: all ${nrows} are read`)
  }
  let leaves: ReturnType<typeof flatColumns>
  try {
    leaves = flatColumns(metadata, notes)
  } catch (e) {
    // A damaged schema (a group claiming more children than the file lists) fails inside hyparquet.
    throw corrupt(file, message(e))
  }
  if (leaves.length === 0) {
    throw new QuasiError('BAD_DATA', `${file}: the Parquet file has no flat columns to read: ${notes.join('; ')}`, {
      expected: 'at least one column of plain values (numbers, text, dates)',
      found: notes.join('; '),
      hint: 'flatten the nested columns before writing the file (pandas `json_normalize`, polars `unnest`/`explode`, arrow `flatten`)',
    })
  }
  checkCodecs(metadata, leaves.map((l) => l.name), file)
  // hyparquet refuses INTERVAL while converting; read the 12 raw bytes and convert them here.
  const intervals = new Set(leaves.filter((l) => l.element.converted_type === 'INTERVAL').map((l) => l.name))
  for (const l of leaves) if (intervals.has(l.name)) l.element = { ...l.element, converted_type: undefined }
  for (const e of metadata.schema) if (intervals.has(e.name) && e.converted_type === 'INTERVAL') e.converted_type = undefined

  const chunks = new Map<string, ColumnData[]>()
  try {
    await parquetRead({
      file: ab,
      metadata,
      columns: leaves.map((l) => l.name),
      compressors,
      parsers,
      onChunk: (c) => {
        const list = chunks.get(c.columnName) ?? []
        list.push(c)
        chunks.set(c.columnName, list)
      },
    })
  } catch (e) {
    throw corrupt(file, message(e))
  }

  const raw: RawColumn[] = leaves.map(({ name, element }) => {
    const values = assemble(chunks.get(name) ?? [], nrows, name, file)
    if (intervals.has(name)) return intervalColumn(name, values, notes)
    return toRawColumn(name, element, values, opts, file, { notes, warnings })
  })
  const { frame, columns } = buildFrame(raw, nrows, opts, (i) => `row ${i + 1}`, { notes, warnings })
  const codecs = new Set(metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec ?? 'UNCOMPRESSED')))
  return {
    frame,
    info: {
      format: 'parquet',
      rows: frame.nrows,
      columns,
      notes,
      warnings,
      meta: { rowGroups: metadata.row_groups.length, codecs: [...codecs].sort().join(', '), createdBy: metadata.created_by ?? '' },
    },
  }
}

function checkCodecs(metadata: FileMetaData, names: string[], file: string): void {
  const wanted = new Set(names)
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) {
      const md = chunk.meta_data
      if (!md || !wanted.has(md.path_in_schema[0]) || READABLE_CODECS.has(md.codec)) continue
      const readable = [...READABLE_CODECS].map((c) => c.toLowerCase())
      throw new QuasiError('BAD_DATA', `${file}: column "${md.path_in_schema[0]}" is compressed with ${md.codec}, which quasi cannot decompress; it reads ${readable.join(', ')}`, {
        expected: `one of ${readable.join(', ')}`,
        found: md.codec,
        hint:
          "write the file again with one of those, e.g. zstd or snappy: pandas `df.to_parquet(f, compression='zstd')`, " +
          "polars `df.write_parquet(f, compression='zstd')`, R arrow `write_parquet(df, f, compression = 'zstd')`",
      })
    }
  }
}

/** The column's values from its chunks; every row must be covered exactly once, or the file is damaged. */
function assemble(parts: ColumnData[], nrows: number, name: string, file: string): unknown[] {
  const out = new Array<unknown>(nrows).fill(null)
  let covered = 0
  for (const { columnData, rowStart } of parts) {
    if (rowStart + columnData.length > nrows) throw corrupt(file, `column "${name}" holds more values than its row groups have rows`)
    for (let k = 0; k < columnData.length; k++) out[rowStart + k] = columnData[k]
    covered += columnData.length
  }
  if (covered !== nrows) throw corrupt(file, `column "${name}" holds ${covered} values for ${nrows} rows`)
  return out
}

function storageOf(e: SchemaElement): string {
  const logical = e.logical_type?.type ?? e.converted_type
  return logical && String(logical) !== String(e.type) ? `${e.type} (${logical})` : String(e.type)
}

function toRawColumn(name: string, e: SchemaElement, values: unknown[], opts: ParquetReadOptions, file: string, log: ReadLog): RawColumn {
  const storage = storageOf(e)
  const time = timeUnit(e)
  if (time) return timeColumn(name, values, time, storage, log)
  const decimalScale = e.converted_type === 'DECIMAL' || e.logical_type?.type === 'DECIMAL' ? (e.scale ?? 0) : undefined
  const asText = opts.types?.[name] === 'string'
  const numeric = ['BOOLEAN', 'INT32', 'INT64', 'FLOAT', 'DOUBLE'].includes(String(e.type)) || decimalScale !== undefined
  const n = values.length
  if (numeric && !values.some((v) => typeof v === 'string')) {
    const data = new Float64Array(n)
    /** Exact text of int64 values, kept for a column declared `string` (ids beyond 2^53). */
    const exact = new Map<number, string>()
    for (let i = 0; i < n; i++) {
      const v = values[i]
      if (v === null || v === undefined) data[i] = NaN
      else if (typeof v === 'bigint') {
        if (asText) exact.set(i, String(v))
        else if (v > MAX_EXACT_INTEGER || v < -MAX_EXACT_INTEGER) throw tooBig(file, name, i, v)
        data[i] = Number(v)
      } else if (typeof v === 'boolean') data[i] = v ? 1 : 0
      else {
        let x = Number(v)
        if (decimalScale !== undefined && decimalScale <= 100 && Number.isFinite(x)) x = Number(x.toFixed(decimalScale))
        data[i] = x
      }
    }
    if (e.type === 'BOOLEAN') log.notes.push(`column "${name}": true/false read as 1/0`)
    if (asText) return { name, cells: Array.from(data, (x, i) => exact.get(i) ?? (Number.isNaN(x) ? null : String(x))), info: { storage } }
    return { name, cells: data, info: { storage } }
  }
  const outOfRange: string[] = []
  let outCount = 0
  const cells = values.map((v, i): Cell => {
    if (v === null || v === undefined) return null
    if (v instanceof OutOfRange) {
      if (outOfRange.length < 5) outOfRange.push(`row ${i + 1} (${v.what})`)
      outCount++
      return null
    }
    if (typeof v === 'string' || typeof v === 'number') return v
    if (typeof v === 'bigint' || typeof v === 'boolean') return String(v)
    if (v instanceof Uint8Array) return new TextDecoder().decode(v)
    return JSON.stringify(v)
  })
  if (e.converted_type === 'DATE' || e.logical_type?.type === 'DATE' || e.logical_type?.type === 'TIMESTAMP' || String(e.converted_type).startsWith('TIMESTAMP') || e.type === 'INT96') {
    log.notes.push(`column "${name}": ${storage} values read as ISO 8601 text (UTC)`)
  }
  if (outCount > 0) {
    log.warnings.push(`column "${name}": ${outCount} ${storage} value(s) beyond the dates JavaScript can represent (about ±275,000 years) read as missing: ${outOfRange.join(', ')}${outCount > outOfRange.length ? ', …' : ''}`)
  }
  return { name, cells, info: { storage } }
}

/** The unit of a TIME column (time of day), or undefined for other columns. */
function timeUnit(e: SchemaElement): 'MILLIS' | 'MICROS' | 'NANOS' | undefined {
  if (e.converted_type === 'TIME_MILLIS') return 'MILLIS'
  if (e.converted_type === 'TIME_MICROS') return 'MICROS'
  const lt = e.logical_type as { type?: string; unit?: string } | undefined
  if (lt?.type === 'TIME') return lt.unit === 'NANOS' ? 'NANOS' : lt.unit === 'MICROS' ? 'MICROS' : 'MILLIS'
  return undefined
}

/** TIME (since midnight, in its unit) → `12:34:56`, `12:34:56.789`, `12:34:56.789012`. */
function timeColumn(name: string, values: unknown[], unit: 'MILLIS' | 'MICROS' | 'NANOS', storage: string, log: ReadLog): RawColumn {
  const digits = unit === 'MILLIS' ? 3 : unit === 'MICROS' ? 6 : 9
  const perSecond = 10n ** BigInt(digits)
  const bad: string[] = []
  const cells = values.map((v, i): Cell => {
    if (v === null || v === undefined) return null
    const t = BigInt(v as number | bigint)
    if (t < 0n || t >= 86400n * perSecond) {
      bad.push(`row ${i + 1} (${t})`)
      return null
    }
    const s = t / perSecond
    const frac = (t % perSecond).toString().padStart(digits, '0').replace(/0+$/, '')
    return `${pad(Number(s / 3600n))}:${pad(Number((s / 60n) % 60n))}:${pad(Number(s % 60n))}${frac ? '.' + frac : ''}`
  })
  log.notes.push(`column "${name}": ${storage} values (time of day) read as text HH:MM:SS`)
  if (bad.length > 0) log.warnings.push(`column "${name}": ${bad.length} ${storage} value(s) outside a day read as missing: ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''}`)
  return { name, cells, info: { storage } }
}

/** INTERVAL: 12 bytes, three little-endian uint32 (months, days, milliseconds) → ISO 8601 duration text. */
function intervalColumn(name: string, values: unknown[], notes: string[]): RawColumn {
  const cells = values.map((v): Cell => {
    if (!(v instanceof Uint8Array) || v.length !== 12) return null
    const dv = new DataView(v.buffer, v.byteOffset, 12)
    const [months, days, ms] = [dv.getUint32(0, true), dv.getUint32(4, true), dv.getUint32(8, true)]
    const date = `${months ? months + 'M' : ''}${days ? days + 'D' : ''}`
    const time = ms ? `T${String(ms / 1000)}S` : ''
    return date || time ? `P${date}${time}` : 'PT0S'
  })
  notes.push(`column "${name}": INTERVAL values read as ISO 8601 durations (months, days and milliseconds kept apart: P14M3DT4.005S)`)
  return { name, cells, info: { storage: 'FIXED_LEN_BYTE_ARRAY (INTERVAL)' } }
}

function tooBig(file: string, name: string, i: number, v: bigint): QuasiError {
  return new QuasiError('BAD_DATA', `${file}: row ${i + 1}, column "${name}": ${v} cannot be represented exactly as a double`, {
    expected: `an integer of magnitude at most 2^53 = ${MAX_EXACT_INTEGER}`,
    found: `\`${v}\``,
    hint: `if the column holds identifiers, declare \`${name}: string\` under \`types\` to read them as text`,
  })
}

function corrupt(file: string, why: string): QuasiError {
  return new QuasiError('BAD_DATA', `${file}: the Parquet file cannot be read: ${why}`, {
    expected: 'a complete, valid Parquet file',
    found: why,
    hint: 'the file may be truncated or damaged: copy it again from its source, or write it again',
  })
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/^parquet /, '')
}
