/** The coupling stage's work, loaded on demand by stage.ts (the figure needs Vega). */
import { numberColumn, stringColumn, type Frame } from '../../src/artifacts/frame.ts'
import { unknownColumn } from '../../src/columns/names.ts'
import { QuasiError } from '../../src/errors.ts'
import { renderSvg, trendPlot, type TrendPoint } from '../../src/report/figure.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { couple, numeric } from './compute.ts'
import { couplingFacts, meanRows, meansTable, weightsCsv, type Groups } from './outputs.ts'
import type { CouplingParams } from './params.ts'
import { alphaOf, resolveSubsystems, type Subsystem } from './subsystems.ts'

export async function runCoupling(ctx: StageContext<CouplingParams>): Promise<StageResult> {
  const p = ctx.params
  const frame = ctx.input(p.from).frame
  if (!frame) throw new QuasiError('INVALID_VALUE', `stage \`${p.from}\` produces no table`, { param: ['from'], expected: 'a stage that produces a frame (ingest, derive, impute, …)' })
  const timeName = p.time ?? ctx.panel?.time
  if (timeName === undefined) {
    throw new QuasiError('MISSING_PARAM', 'coupling needs a time column: give `time:` or declare `panel: { unit, time }` in the pipeline', { param: [], expected: 'time: <numeric column>' })
  }
  const time = numeric(frame, timeName, p.time !== undefined ? ['time'] : ['from'], p.from)
  const unitName = p.unit ?? ctx.panel?.unit
  if (unitName !== undefined && !frame.has(unitName)) throw unknownColumn(unitName, frame.names, `stage \`${p.from}\``, p.unit !== undefined ? ['unit'] : ['from'])
  const subs = resolveSubsystems(p)
  const alpha = alphaOf(p, subs)
  const c = couple(frame, p, subs, alpha, time, p.from)
  const groups = p.by === undefined ? undefined : groupsOf(frame, p.by, p.from)

  let out: Frame = frame
  const replaced: string[] = []
  const add = (name: string, col: Parameters<Frame['withColumn']>[1]) => {
    if (out.has(name)) replaced.push(name)
    out = out.withColumn(name, col)
  }
  subs.forEach((s, k) => add(s.column, numberColumn(c.u[k])))
  add('C', numberColumn(c.C)); add('T', numberColumn(c.T)); add('D', numberColumn(c.D))
  add('D_class', stringColumn(c.label)); add('D_level', numberColumn(Float64Array.from(c.level, (v) => (v > 0 ? v : NaN))))
  add('lagging', stringColumn(c.lagging))
  if (replaced.length) ctx.log.warn(`replaced column${replaced.length === 1 ? '' : 's'} of \`${p.from}\`: ${replaced.join(', ')}`)

  const rows = meanRows(c, time, groups)
  const all = rows[rows.length - 1]
  if (all.n === 0) throw new QuasiError('BAD_DATA', `no row of \`${p.from}\` has every subsystem's index`, { param: ['subsystems'], hint: 'each row needs every indicator of every subsystem (or the given index) observed' })
  const missing = frame.nrows - all.n
  if (missing > 0) ctx.log.warn(`${missing} row${missing === 1 ? '' : 's'} without D (a missing indicator, index or period)`)
  let units: number | undefined
  if (unitName !== undefined) {
    const seen = new Set<string | null>()
    for (let i = 0; i < frame.nrows; i++) if (c.D[i] === c.D[i]) seen.add(frame.key(unitName, i))
    units = seen.size
  }
  ctx.log.info(`${all.n} unit-periods${units !== undefined ? ` (${units} units)` : ''}, ${subs.length} subsystems (${subs.map((s) => s.name).join(', ')}); mean D ${all.values[subs.length + 2].toFixed(4)}; weights ${p.pool === 'panel' ? 'over the panel' : 'per period'}, ${p.normalization}${p.shift ? ` + ${p.shift}` : ''}`)

  const points: TrendPoint[] = []
  const series = ['All', ...(groups?.labels ?? [])]
  for (const r of rows) {
    if (r.time === undefined) continue
    points.push({ series: 'All', time: r.time, value: r.values[subs.length + 2], low: NaN, high: NaN })
    groups?.labels.forEach((g, j) => { if (Number.isFinite(r.groups[j])) points.push({ series: g, time: r.time!, value: r.groups[j], low: NaN, high: NaN }) })
  }
  const svg = await renderSvg(trendPlot(points, {
    series,
    title: p.title ?? `Coupling coordination degree by ${timeName}${p.by ? ` and ${p.by}` : ''}`,
    yTitle: 'Mean coupling coordination degree D',
    xTitle: timeName,
    legendTitle: null,
  }))
  return {
    frame: out,
    files: { 'weights.csv': weightsCsv(c.weights), ...meansTable(rows, subs, timeName, p.by, groups, methodNote(p, subs, alpha)), 'ccd.svg': svg },
    facts: couplingFacts(c, subs, rows, units, groups),
  }
}

/** Groups of the `by` column, ordered by value (numbers ascending, text by code point). */
function groupsOf(frame: Frame, by: string, stage: string): Groups {
  const col = frame.column(by)
  if (!col) throw unknownColumn(by, frame.names, `stage \`${stage}\``, ['by'])
  const keys = Array.from({ length: frame.nrows }, (_, i) => frame.key(by, i))
  const present = [...new Set(keys.filter((k): k is string => k !== null))]
  present.sort(col.type === 'number' ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0))
  if (present.length > 20) throw new QuasiError('INVALID_VALUE', `\`by\` column \`${by}\` has ${present.length} values; the table and the figure take at most 20 groups`, { param: ['by'], hint: 'group by a coarser column, e.g. a region rather than the unit' })
  const at = new Map(present.map((k, j) => [k, j]))
  const labels = present.map((k) => (col.type === 'number' ? `${by} ${k}` : k))
  return { labels, index: Int32Array.from(keys, (k) => (k === null ? -1 : at.get(k)!)) }
}

/** The table's note on how u and T were made: normalisation, pooling, given indices, α. */
function methodNote(p: CouplingParams, subs: readonly Subsystem[], alpha: readonly number[]): string {
  const norm = p.normalization === 'ratio' ? 'ratio normalisation' : `min–max normalisation${p.shift ? ` + ${p.shift}` : ''}`
  const given = subs.filter((s) => s.given).map((s) => `${s.name} (\`${s.given!.column}\`)`)
  const equal = alpha.every((a) => a === alpha[0])
  const entropy = given.length < subs.length ? `Indices u by the entropy weight method (${norm}, weights ${p.pool === 'panel' ? 'over all periods' : 'per period'})` : ''
  return [entropy, given.length ? `given indices: ${given.join(', ')}` : '', `α ${equal ? 'equal' : subs.map((s, k) => `${s.name} ${alpha[k]}`).join(', ')}`].filter(Boolean).join('; ') + '.'
}
