/**
 * ingest: read a data file into a frame. The file's content (not its timestamp) is part
 * of the cache key; declared types override inference; panel keys are checked.
 */
import { extname } from 'node:path'
import { readCsv } from '../../src/artifacts/csv.ts'
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
  version: 1,
  description: 'Read a data file (CSV, TSV, Excel .xlsx, Stata .dta, Parquet) into a frame, with declared types and panel-key checks.',
  params: ingestParams,
  references: [],
  files: ['file'],
  produces: ['frame'],
  facts: ['rows', 'columns', 'missing(<column>)', 'units', 'periods'],
  columns: knownColumns,
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
  let read: { frame: Frame; columns: readonly ReadColumnInfo[]; notes: readonly string[] }
  if (format === 'csv' || format === 'tsv') {
    for (const key of ['sheet', 'range', 'header'] as const) {
      if (p[key] !== undefined) throw new QuasiError('INVALID_VALUE', `\`${key}\` applies to Excel workbooks only; ${input.rel} is read as ${format.toUpperCase()}`, { param: [key], hint: `remove \`${key}\`` })
    }
    const text = decodeUtf8(input.bytes, input.rel)
    const r = readCsv(text, { file: input.rel, delimiter: p.delimiter ?? (format === 'tsv' ? '\t' : undefined), types: p.types, na: p.na })
    read = { frame: r.frame, columns: r.columns, notes: [] }
  } else {
    // The binary readers (and their libraries) load only when a binary file is read.
    const { readBinary } = await import('../../src/artifacts/read/index.ts')
    const r = await readBinary(format, input.bytes, { file: input.rel, types: p.types, na: p.na, sheet: p.sheet, range: p.range, header: p.header })
    read = { frame: r.frame, columns: r.info.columns, notes: r.info.notes }
  }
  let frame = read.frame
  if (frame.nrows === 0) {
    throw new QuasiError('EMPTY_DATA', `${input.rel} has no rows${frame.ncols > 0 ? ` (only the header: ${frame.names.slice(0, 8).map((n) => '`' + n + '`').join(', ')}${frame.ncols > 8 ? ', …' : ''})` : ''}`, {
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
    expected: '.csv, .tsv, .tab, .xlsx, .dta or .parquet, or an explicit `format:`',
    hint: 'set `format:` to one of csv, tsv, xlsx, dta, parquet',
  })
}

function decodeUtf8(bytes: Uint8Array, rel: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new QuasiError('BAD_DATA', `${rel} is not valid UTF-8 text`, {
      hint: 'save the file as UTF-8 (spreadsheets: "CSV UTF-8"); files exported as GBK need converting first',
    })
  }
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
