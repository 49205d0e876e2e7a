/**
 * ingest: read a data file into a frame. The file's content (not its timestamp) is part
 * of the cache key; declared types override inference; panel keys are checked.
 */
import { extname } from 'node:path'
import { readCsv } from '../../src/artifacts/csv.ts'
import { decodeText } from '../../src/artifacts/encoding.ts'
import { dataFormatOf, type DataFormat } from '../../src/artifacts/read/format.ts'
import type { ReadColumnInfo } from '../../src/artifacts/read/types.ts'
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import { defineStage, type StageContext, type StageResult } from '../../src/stage.ts'
import { suggest } from '../../src/suggest.ts'
import { knownColumns } from './columns.ts'
import { ingestParams, type IngestParams } from './params.ts'
import { checkPanelKeys } from './panel-keys.ts'

export default defineStage<IngestParams>({
  kind: 'ingest',
  // 2: bad cells stop the read, Excel dates rounded to the millisecond, more formats (issue 18).
  version: 2,
  description: 'Read a data file (CSV, TSV, Excel .xlsx/.xls, Stata .dta, Parquet) into a frame, with declared types and panel-key checks.',
  params: ingestParams,
  references: [],
  files: ['file'],
  produces: ['frame'],
  facts: ['rows', 'columns', 'missing(<column>)', 'units', 'periods'],
  columns: knownColumns,
  check: checkParams,
  async run(ctx) {
    try {
      return await ingestFile(ctx)
    } catch (e) {
      // Problems with the file's content point at the `file:` parameter.
      if (e instanceof QuasiError && !e.param) e.param = ['file']
      throw e
    }
  },
})

async function ingestFile(ctx: StageContext<IngestParams>): Promise<StageResult> {
  const p = ctx.params
  const input = ctx.files.file
  const format = p.format === 'auto' ? formatOf(input.rel) : p.format
  let read: { frame: Frame; columns: readonly ReadColumnInfo[]; notes: readonly string[]; warnings: readonly string[] }
  if (format === 'csv' || format === 'tsv') {
    for (const key of ['sheet', 'range', 'header'] as const) {
      if (p[key] !== undefined) throw new QuasiError('INVALID_VALUE', `\`${key}\` applies to Excel workbooks only; ${input.rel} is read as ${format.toUpperCase()}`, { param: [key], hint: `remove \`${key}\`` })
    }
    const text = decodeText(input.bytes, input.rel, p.encoding)
    const r = readCsv(text, { file: input.rel, delimiter: p.delimiter ?? (format === 'tsv' ? '\t' : undefined), types: p.types, na: p.na, decimal: p.decimal })
    read = { frame: r.frame, columns: r.columns, notes: r.notes, warnings: [] }
  } else {
    if (p.encoding !== undefined && p.encoding !== 'utf-8') {
      throw new QuasiError('INVALID_VALUE', `\`encoding\` applies to CSV and TSV files only; ${input.rel} is read as ${format}, which records its own encoding`, { param: ['encoding'], hint: 'remove `encoding`' })
    }
    // The binary readers (and their libraries) load only when a binary file is read.
    const { readBinary } = await import('../../src/artifacts/read/index.ts')
    const r = await readBinary(format, input.bytes, { file: input.rel, types: p.types, na: p.na, decimal: p.decimal, sheet: p.sheet, range: p.range, header: p.header })
    read = { frame: r.frame, columns: r.info.columns, notes: r.info.notes, warnings: r.info.warnings }
  }
  let frame = read.frame
  if (frame.nrows === 0) {
    throw new QuasiError('EMPTY_DATA', `${input.rel} has no rows${frame.ncols > 0 ? ` (only the header: ${frame.names.slice(0, 8).map((n) => '`' + n + '`').join(', ')}${frame.ncols > 8 ? ', …' : ''})` : ''}`, {
      param: ['file'],
      expected: 'at least one row of data below the header',
      hint: 'check that the file was exported completely (and, for a workbook, that `sheet`/`range` point at the data)',
    })
  }
  if (p.select) frame = frame.select(p.select.map((c, i) => need(frame, c, ['select', i], input.rel)))
  if (p.rename) frame = rename(frame, p.rename, input.rel)

  const unit = ctx.panel?.unit
  const time = ctx.panel?.time
  const hasKeys = unit !== undefined && time !== undefined && frame.has(unit) && frame.has(time)
  if (p.panel === true && !hasKeys) {
    const missing = !ctx.panel ? 'the pipeline declares no `panel:`' : `columns: ${[unit, time].filter((c) => !frame.has(c!)).map((c) => '`' + c + '`').join(', ')} missing`
    throw new QuasiError('MISSING_COLUMN', `${input.rel}: cannot check panel keys (${missing})`, {
      param: ['panel'],
      hint: 'declare `panel: { unit: …, time: … }` at the top of the pipeline, or set `panel: auto`',
    })
  }
  if (p.panel !== false && hasKeys) checkPanelKeys(frame, unit!, time!, input.rel)

  ctx.log.info(`${input.rel}: ${frame.nrows} rows, ${frame.ncols} columns (${format})`)
  for (const c of describeColumns(read.columns, frame)) ctx.log.info(c)
  for (const n of read.notes) ctx.log.info(`note: ${n}`)
  for (const w of read.warnings) ctx.log.warn(`${input.rel}: ${w}`)
  const facts: Record<string, number> = { rows: frame.nrows, columns: frame.ncols }
  for (const c of read.columns) if (frame.has(p.rename?.[c.name] ?? c.name)) facts[`missing(${p.rename?.[c.name] ?? c.name})`] = c.missing
  // With `panel: false` the time column may be text; then there are no periods to count.
  if (hasKeys && frame.column(time!)?.type === 'number') {
    facts.units = new Set(Array.from({ length: frame.nrows }, (_, i) => frame.key(unit!, i))).size
    facts.periods = new Set(frame.numbers(time!)).size
  }
  return { frame, facts }
}

function formatOf(rel: string): DataFormat {
  const format = dataFormatOf(rel)
  if (format) return format
  const ext = extname(rel).toLowerCase()
  throw new QuasiError('BAD_DATA', `cannot tell the format of \`${rel}\` from its extension \`${ext}\``, {
    param: ['format'],
    expected: '.csv, .tsv, .tab, .xlsx, .xls, .dta or .parquet, or an explicit `format:`',
    hint: 'set `format:` to one of csv, tsv, xlsx, xls, dta, parquet',
  })
}

/** What the schema cannot say well: positions count from 1, header rows from 0. */
function checkParams(p: IngestParams): QuasiError[] {
  const errors: QuasiError[] = []
  if (typeof p.sheet === 'number' && p.sheet < 1) {
    errors.push(new QuasiError('INVALID_VALUE', `Expected \`sheet\` to be a sheet name or a position of at least 1, got \`${p.sheet}\``, {
      param: ['sheet'],
      expected: 'a sheet name, or its position counting from 1 (the first sheet is 1)',
      found: `\`${p.sheet}\``,
      hint: p.sheet === 0 ? 'sheets are numbered from 1: the first sheet is `sheet: 1`' : 'give the sheet\'s name or its position from 1',
    }))
  }
  if (p.sheet === '') errors.push(new QuasiError('INVALID_VALUE', 'Expected `sheet` to be a sheet name or a position of at least 1, got an empty name', { param: ['sheet'] }))
  if (typeof p.header === 'number' && (p.header < 0 || p.header > 10)) {
    errors.push(new QuasiError('INVALID_VALUE', `Expected \`header\` to be a number of header rows of at least 0 and at most 10 (or true/false), got \`${p.header}\``, {
      param: ['header'],
      expected: 'true (one header row), false or 0 (none), or the number of header rows, 1 to 10',
      found: `\`${p.header}\``,
    }))
  }
  return errors
}

function need(frame: Frame, col: string, param: (string | number)[], rel: string): string {
  if (frame.has(col)) return col
  const near = suggest(col, frame.names)
  throw new QuasiError('MISSING_COLUMN', `${rel} has no column \`${col}\`${near ? `; did you mean \`${near}\`?` : ''}`, {
    param,
    expected: `one of ${frame.names.slice(0, 15).map((n) => '`' + n + '`').join(', ')}${frame.ncols > 15 ? ', …' : ''}`,
  })
}

function rename(frame: Frame, map: Record<string, string>, rel: string): Frame {
  for (const old of Object.keys(map)) need(frame, old, ['rename', old], rel)
  const names = frame.names.map((n) => map[n] ?? n)
  const dup = names.find((n, i) => names.indexOf(n) !== i)
  if (dup) {
    throw new QuasiError('INVALID_VALUE', `\`rename\` gives two columns the name \`${dup}\``, { param: ['rename'], hint: 'column names must stay unique' })
  }
  return frame.rename(map)
}

function describeColumns(cols: readonly ReadColumnInfo[], frame: Frame): string[] {
  return cols.map((c) => `  ${c.name}: ${c.type}${c.declared ? ' (declared)' : ''}, ${c.missing} missing of ${frame.nrows}${c.label ? ` — ${c.label}` : ''}`)
}
