/**
 * ingest: read a data file into a frame. The file's content (not its timestamp) is part
 * of the cache key; declared types override inference; panel keys are checked.
 */
import { extname } from 'node:path'
import { readCsv, type ColumnInfo } from '../../src/artifacts/csv.ts'
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import { defineStage } from '../../src/stage.ts'
import { suggest } from '../../src/suggest.ts'
import { ingestParams, type IngestParams } from './params.ts'
import { checkPanelKeys } from './panel-keys.ts'

export default defineStage<IngestParams>({
  kind: 'ingest',
  version: 1,
  description: 'Read a data file (CSV, TSV) into a frame, with declared types and panel-key checks.',
  params: ingestParams,
  references: [],
  files: ['file'],
  producesFrame: true,
  async run(ctx) {
    const p = ctx.params
    const input = ctx.files.file
    const format = p.format === 'auto' ? formatOf(input.rel) : p.format
    const text = decodeUtf8(input.bytes, input.rel)
    const read = readCsv(text, { file: input.rel, delimiter: p.delimiter ?? (format === 'tsv' ? '\t' : undefined), types: p.types, na: p.na })
    let frame = read.frame
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
    const facts: Record<string, number> = { rows: frame.nrows, columns: frame.ncols }
    for (const c of read.columns) if (frame.has(p.rename?.[c.name] ?? c.name)) facts[`missing(${p.rename?.[c.name] ?? c.name})`] = c.missing
    if (hasKeys) {
      facts.units = new Set(Array.from({ length: frame.nrows }, (_, i) => frame.key(unit!, i))).size
      facts.periods = new Set(frame.numbers(time!)).size
    }
    return { frame, facts }
  },
})

function formatOf(rel: string): 'csv' | 'tsv' {
  const ext = extname(rel).toLowerCase()
  if (ext === '.tsv' || ext === '.tab') return 'tsv'
  if (ext === '.csv' || ext === '.txt' || ext === '') return 'csv'
  throw new QuasiError('BAD_DATA', `cannot tell the format of \`${rel}\` from its extension \`${ext}\``, {
    param: ['format'],
    expected: '.csv, .tsv or .tab, or an explicit `format:`',
    hint: 'set `format: csv` or `format: tsv`',
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

function describeColumns(cols: ColumnInfo[], frame: Frame): string[] {
  return cols.map((c) => `  ${c.name}: ${c.type}${c.declared ? ' (declared)' : ''}, ${c.missing} missing of ${frame.nrows}`)
}
