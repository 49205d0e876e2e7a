/**
 * impute: fill missing values of numeric columns within the declared panel (linear
 * interpolation over time, carried observations, unit or period means), never beyond a
 * unit's observed span unless `ends: nearest` says so, and count what was filled.
 */
import { numberColumn } from '../../src/artifacts/frame.ts'
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import { defineStage } from '../../src/stage.ts'
import type { StageContext } from '../../src/stage.ts'
import { byColumns, checkOptions, imputedColumns, knownColumns } from './columns.ts'
import { imputeColumn, periodGroups } from './methods.ts'
import type { Groups } from './methods.ts'
import { nameList, panelIndex } from './panel.ts'
import type { PanelIndex } from './panel.ts'
import { imputeParams } from './params.ts'
import type { ImputeParams } from './params.ts'
import { countColumn, facts, perUnitCsv, perUnitLines, reportData, totalsCsv } from './report.ts'
import type { ColumnReport } from './report.ts'

const ORDERED = new Set(['linear', 'locf', 'nocb'])

export default defineStage<ImputeParams>({
  kind: 'impute',
  version: 1,
  description: 'Fill missing values within the panel: linear interpolation over time, locf/nocb, unit mean or period mean; counts what was filled.',
  params: imputeParams,
  references: ['from'],
  produces: ['frame', 'data'],
  facts: ['imputed', 'still_missing', 'imputed(<column>)', 'still_missing(<column>)'],
  consumes: { from: 'frame' },
  columns: knownColumns,
  async run(ctx) {
    const p = ctx.params
    checkOptions(p)
    const src = inputFrame(ctx)
    const panel = panelIndex(src, p.from, ctx.panel, p.method, ORDERED.has(p.method))
    const by = byColumns(src, p, p.from)
    const { columns, skipped } = imputedColumns(src, p, panel, by, p.from)
    if (skipped.length > 0) {
      ctx.log.warn(`time-mean leaves out columns that do not vary within any ${panel.unit} (unit attributes): ${skipped.join(', ')}; name them in \`columns\` to impute them anyway`)
    }
    const groups = p.method === 'time-mean' ? periodGroups(src, panel, by) : undefined
    const nearest = p.ends === 'nearest'
    ctx.log.info(
      `method ${p.method}${by.length ? ` by ${panel.time} × ${by.join(' × ')}` : ''}` +
        (ORDERED.has(p.method) ? `, ends ${p.ends}` : '') +
        ` over ${panel.units.length} ${panel.unit} units; columns: ${columns.join(', ')}`,
    )

    let out = src
    const reports: ColumnReport[] = []
    for (let c = 0; c < columns.length; c++) {
      if (ctx.signal.aborted) throw new QuasiError('CANCELLED', 'impute cancelled')
      const name = columns[c]
      const before = src.numbers(name)
      const filled = imputeColumn(before, p.method, panel, nearest, groups)
      const r = countColumn(name, before, filled.values, filled.atEnds, panel)
      reports.push(r)
      out = out.withColumn(name, numberColumn(filled.values))
      if (p.flag) out = out.withColumn(flagName(out, name), numberColumn(flagValues(before, filled.values)))
      logColumn(ctx, p, r, panel, groups, filled.values)
      ctx.progress(c + 1, columns.length)
    }
    if (p.report === 'per-unit') for (const line of perUnitLines(reports, panel)) ctx.log.info(line)

    const files: Record<string, string> = { 'imputed.csv': totalsCsv(reports) }
    if (p.report === 'per-unit') files['imputed_by_unit.csv'] = perUnitCsv(reports, panel)
    return {
      frame: out,
      files,
      facts: facts(reports),
      data: reportData(reports, { method: p.method, ends: p.ends, by }),
    }
  },
})

function inputFrame(ctx: StageContext<ImputeParams>): Frame {
  const f = ctx.input(ctx.params.from).frame
  if (f) return f
  throw new QuasiError('INVALID_VALUE', `stage \`${ctx.params.from}\` produces no table to impute`, {
    param: ['from'],
    expected: 'a stage that produces a frame (ingest, merge, derive, …)',
    found: `\`${ctx.params.from}\` (${ctx.input(ctx.params.from).kind})`,
  })
}

function flagName(frame: Frame, column: string): string {
  const name = `${column}_imputed`
  if (!frame.has(name)) return name
  throw new QuasiError('INVALID_VALUE', `\`flag: true\` would add \`${name}\`, which already exists`, {
    param: ['flag'],
    hint: `rename or drop the existing \`${name}\` (left by an earlier impute?), or set \`flag: false\`.`,
  })
}

function flagValues(before: Float64Array, after: Float64Array): Float64Array {
  return Float64Array.from(before, (v, i) => (Number.isNaN(v) && !Number.isNaN(after[i]) ? 1 : 0))
}

function logColumn(
  ctx: StageContext<ImputeParams>,
  p: ImputeParams,
  r: ColumnReport,
  panel: PanelIndex,
  groups: (Groups & { noGroup: number[] }) | undefined,
  after: Float64Array,
): void {
  ctx.log.info(
    `${r.column}: ${r.imputed} imputed` +
      (r.atEnds > 0 ? ` (${r.atEnds} beyond the unit's first or last observation, by its nearest value)` : '') +
      `, ${r.stillMissing} still missing`,
  )
  if (p.method !== 'time-mean' && r.emptyUnits.length > 0) {
    ctx.log.warn(`${r.column}: no observed value in ${r.emptyUnits.length} unit${r.emptyUnits.length === 1 ? '' : 's'} of \`${panel.unit}\`, left missing: ${nameList(r.emptyUnits)}`)
  }
  if (ORDERED.has(p.method) && r.missingInObservedUnits > 0) {
    const where = { linear: 'before the first or after the last', locf: 'before the first', nocb: 'after the last' }[p.method as 'linear' | 'locf' | 'nocb']
    ctx.log.info(`${r.column}: ${r.missingInObservedUnits} value${r.missingInObservedUnits === 1 ? '' : 's'} ${where} observation of their unit left missing (ends: keep-missing; no extrapolation)`)
  }
  if (groups) {
    const empty = new Set<number>()
    let noGroup = 0
    for (let i = 0; i < after.length; i++) {
      if (!Number.isNaN(after[i])) continue
      if (groups.of[i] < 0) noGroup++
      else empty.add(groups.of[i])
    }
    if (empty.size > 0) {
      const names = [...empty].sort((a, b) => a - b).map((g) => `(${groups.names[g]})`)
      ctx.log.warn(`${r.column}: no observed value in ${empty.size} period group${empty.size === 1 ? '' : 's'}, left missing: ${nameList(names)}`)
    }
    if (noGroup > 0) ctx.log.warn(`${r.column}: ${noGroup} value${noGroup === 1 ? '' : 's'} in rows with a missing \`by\` value left missing`)
  }
}
