/**
 * The trend stage's work, loaded on demand by stage.ts. Per period t and series s (all rows,
 * or the rows of one group), over the non-missing values of the column:
 *   value = mean (or median),  band = value ± SD (n − 1)  or  [P25, P75],
 * quantiles by the stage's `quantile` definition (src/stats/describe/summary.ts).
 */
import { writeCsv } from '../../src/artifacts/csv.ts'
import { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import { renderSvg, trendPlot, type TrendPoint } from '../../src/report/figure.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { summarize, type Summary } from '../../src/stats/describe/summary.ts'
import { factKey } from '../_describe/outputs.ts'
import { groupsOf, numericColumn, restrict, sourceOf } from '../_describe/sample.ts'
import type { TrendParams } from './params.ts'

interface Point extends TrendPoint {
  readonly n: number
}

export async function runTrend(ctx: StageContext<TrendParams>): Promise<StageResult> {
  const p = ctx.params
  const source = sourceOf(ctx)
  const { frame, notes } = restrict(ctx, source.frame)
  const y = numericColumn(frame, p.column, ['column'], source.stage)
  const timeName = p.time ?? ctx.panel?.time
  if (timeName === undefined) {
    throw new QuasiError('MISSING_PARAM', 'trend needs a time column: give `time:` or declare `panel: { unit, time }` in the pipeline', { param: [], expected: 'time: <numeric column>' })
  }
  const time = numericColumn(frame, timeName, p.time !== undefined ? ['time'] : ['from'], source.stage)
  const grouping = p.by ? groupsOf(ctx, frame, source.labels) : undefined
  const label = (n: string) => source.labels[n] ?? n

  const times = [...new Set(Array.from(time).filter((v) => v === v))].sort((a, b) => a - b)
  const at = new Map(times.map((t, i) => [t, i]))
  const series = [...(p.overall ? [p.overall_label] : []), ...(grouping?.levels.map((l) => l.label) ?? [])]
  // values[s][i]: the column's values in series s, period i
  const values = series.map(() => times.map(() => [] as number[]))
  for (let r = 0; r < frame.nrows; r++) {
    const i = at.get(time[r])
    if (i === undefined) continue
    if (p.overall) values[0][i].push(y[r])
    const g = grouping?.index[r] ?? -1
    if (g >= 0) values[g + (p.overall ? 1 : 0)][i].push(y[r])
  }
  const band = p.band ?? (p.statistic === 'mean' ? 'sd' : 'iqr')
  const points: Point[] = []
  values.forEach((bySeries, s) => bySeries.forEach((x, i) => {
    const sum = summarize(x, p.quantile)
    if (sum.n === 0) return
    points.push({ series: series[s], time: times[i], n: sum.n, value: sum[p.statistic], ...bandOf(sum, p.statistic, band) })
  }))
  if (points.length === 0) throw new QuasiError('NO_VARIATION', `\`${p.column}\` has no values on the sample`, { param: ['column'] })

  const stat = p.statistic === 'mean' ? 'Mean' : 'Median'
  const byName = p.by === undefined ? undefined : frame.has(p.by) ? label(p.by) : p.by
  const title = p.title ?? `${stat} ${label(p.column)} by ${label(timeName)}${byName ? ` and ${byName}` : ''}`
  const subtitle = [band === 'sd' ? `Shaded: ${p.statistic} ± 1 SD` : band === 'iqr' ? 'Shaded: interquartile range (P25–P75)' : '', notes.length ? `Sample: ${notes.join('; ')}` : ''].filter(Boolean).join('. ')
  const svg = await renderSvg(trendPlot(points, {
    series, title, ...(subtitle ? { subtitle: subtitle + '.' } : {}),
    yTitle: p.y_title ?? `${stat} of ${label(p.column)}`, xTitle: p.x_title ?? label(timeName), legendTitle: null,
  }))
  const csv = writeCsv(Frame.from({
    series: points.map((x) => x.series), time: Float64Array.from(points, (x) => x.time),
    n: Float64Array.from(points, (x) => x.n), value: Float64Array.from(points, (x) => x.value),
    low: Float64Array.from(points, (x) => x.low), high: Float64Array.from(points, (x) => x.high),
  }))
  ctx.log.info(`${p.statistic} of ${p.column} over ${times.length} periods (${times[0]}–${times[times.length - 1]}), ${series.length} line${series.length === 1 ? '' : 's'}: ${series.join(', ')}`)
  return { files: { 'trend.svg': svg, 'trend.csv': csv }, facts: trendFacts(points, series, p.overall, times.length) }
}

function bandOf(s: Summary, statistic: 'mean' | 'median', band: 'sd' | 'iqr' | 'none'): { low: number; high: number } {
  if (band === 'sd') return { low: s[statistic] - s.sd, high: s[statistic] + s.sd }
  if (band === 'iqr') return { low: s.p25, high: s.p75 }
  return { low: NaN, high: NaN }
}

function trendFacts(points: readonly Point[], series: readonly string[], overall: boolean, periods: number): Record<string, number> {
  const facts: Record<string, number> = { periods, series: series.length }
  const put = (name: string, v: number) => { if (Number.isFinite(v)) facts[name] = v }
  series.forEach((s, k) => {
    const key = k === 0 && overall ? '' : factKey(s)
    if (key === undefined) return
    const own = points.filter((x) => x.series === s)
    const arg = (t: number) => (key ? `${t},${key}` : `${t}`)
    for (const x of own) {
      put(`value(${arg(x.time)})`, x.value)
      put(`low(${arg(x.time)})`, x.low)
      put(`high(${arg(x.time)})`, x.high)
      put(`n(${arg(x.time)})`, x.n)
    }
    if (own.length) put(key ? `change(${key})` : 'change', own[own.length - 1].value - own[0].value)
  })
  return facts
}
