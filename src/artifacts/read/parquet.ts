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
 *   (`2021-07-15T12:30:00.123`, or the date alone at midnight).
 * - BYTE_ARRAY/STRING → text (UTF-8); JSON/UUID → their text. Nulls → missing.
 * - Nested columns (lists, structs, maps) are skipped and reported.
 * - Compression: uncompressed and snappy (hyparquet), gzip and brotli (node:zlib), zstd where
 *   the Node.js runtime has it (zlib.zstdDecompressSync, Node ≥ 22.15); others are an error.
 */
import * as zlib from 'node:zlib'
import { parquetMetadata, parquetRead } from 'hyparquet'
import type { ColumnData, Compressors, FileMetaData, SchemaElement } from 'hyparquet'
import { QuasiError } from '../../errors.ts'
import { buildFrame, fileLabel, type Cell, type RawColumn } from './columns.ts'
import { flatColumns } from './parquet-columns.ts'
import { wrongFormat } from './sniff.ts'
import type { ParquetReadOptions, ReadResult } from './types.ts'

/** Largest integer such that it and every integer below it are exact doubles. */
const MAX_EXACT_INTEGER = 2n ** 53n

const zstd = (zlib as { zstdDecompressSync?: (b: Uint8Array) => Uint8Array }).zstdDecompressSync

const compressors: Compressors = {
  GZIP: (input) => zlib.unzipSync(input),
  BROTLI: (input) => zlib.brotliDecompressSync(input),
  ...(zstd ? { ZSTD: (input: Uint8Array) => zstd(input) } : {}),
}
const READABLE_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', ...Object.keys(compressors)])

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** UTC milliseconds since 1970 → `2021-07-15T12:30:00.123`, or `2020-03-01` at midnight. */
function isoFromMillis(ms: number): string {
  const d = new Date(ms)
  if (Number.isNaN(d.getTime())) return String(ms)
  const iso = d.toISOString()
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10)
  return iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23)
}

/** Parsers that produce the frame's text directly (hyparquet's defaults make Date objects). */
const parsers = {
  timestampFromMilliseconds: (v: bigint) => isoFromMillis(Number(v)),
  timestampFromMicroseconds: (v: bigint) => isoFromMillis(Number(v / 1000n)),
  timestampFromNanoseconds: (v: bigint) => isoFromMillis(Number(v / 1000000n)),
  dateFromDays: (days: number) => {
    const d = new Date(days * 86400000)
    return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
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
  const nrows = Number(metadata.num_rows)
  const leaves = flatColumns(metadata, notes)
  checkCodecs(metadata, leaves.map((l) => l.name), file)

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
    const values = assemble(chunks.get(name) ?? [], nrows)
    return toRawColumn(name, element, values, opts, file, notes)
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
      throw new QuasiError('BAD_DATA', `${file}: column "${md.path_in_schema[0]}" is compressed with ${md.codec}, which quasi cannot decompress`, {
        expected: `one of ${[...READABLE_CODECS].join(', ')}`,
        found: md.codec,
        hint:
          "write the file again with snappy compression: pandas `df.to_parquet(f, compression='snappy')`, " +
          "polars `df.write_parquet(f, compression='snappy')`, R arrow `write_parquet(df, f, compression = 'snappy')`",
      })
    }
  }
}

function assemble(parts: ColumnData[], nrows: number): unknown[] {
  const out = new Array<unknown>(nrows).fill(null)
  for (const { columnData, rowStart } of parts) {
    for (let k = 0; k < columnData.length && rowStart + k < nrows; k++) out[rowStart + k] = columnData[k]
  }
  return out
}

function storageOf(e: SchemaElement): string {
  const logical = e.logical_type?.type ?? e.converted_type
  return logical && String(logical) !== String(e.type) ? `${e.type} (${logical})` : String(e.type)
}

function toRawColumn(name: string, e: SchemaElement, values: unknown[], opts: ParquetReadOptions, file: string, notes: string[]): RawColumn {
  const storage = storageOf(e)
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
    if (e.type === 'BOOLEAN') notes.push(`column "${name}": true/false read as 1/0`)
    if (asText) return { name, cells: Array.from(data, (x, i) => exact.get(i) ?? (Number.isNaN(x) ? null : String(x))), info: { storage } }
    return { name, cells: data, info: { storage } }
  }
  const cells = values.map((v): Cell => {
    if (v === null || v === undefined) return null
    if (typeof v === 'string' || typeof v === 'number') return v
    if (typeof v === 'bigint' || typeof v === 'boolean') return String(v)
    if (v instanceof Uint8Array) return new TextDecoder().decode(v)
    return JSON.stringify(v)
  })
  if (e.converted_type === 'DATE' || e.logical_type?.type === 'DATE' || e.logical_type?.type === 'TIMESTAMP' || String(e.converted_type).startsWith('TIMESTAMP') || e.type === 'INT96') {
    notes.push(`column "${name}": ${storage} values read as ISO 8601 text (UTC)`)
  }
  return { name, cells, info: { storage } }
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
