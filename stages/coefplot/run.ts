/**
 * The coefplot stage's work, loaded on demand by stage.ts. Intervals:
 *   estimate ± t_{1−α/2, df}·se,   α = 1 − level,  df = the model's `dfT`
 * (N − K, or G − 1 when clustered: the degrees of freedom of its own t tests), so the
 * interval at 0.95 is the one in the model's tidy.csv.
 */
import { Frame } from '../../src/artifacts/frame.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import { term as termOf } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import { forestPlot, renderSvg, type ForestRow } from '../../src/report/figure.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { normalQuantile, tQuantile } from '../../src/stats/dist.ts'
import { suggest } from '../../src/suggest.ts'
import { labeller } from '../_estimation/outputs.ts'
import { columnLabels, selectColumns, stageLabels, type Column } from '../_estimation/table-columns.ts'
import type { CoefplotParams } from './params.ts'

export interface Interval extends ForestRow {
  readonly stdError: number
  readonly pValue: number
}

export async function runCoefplot(ctx: StageContext<CoefplotParams>): Promise<StageResult> {
  const p = ctx.params
  const columns = selectColumns(ctx, p.columns, ['columns'])
  const term = p.term ?? sharedFocus(columns)
  const names = columnLabels(p.column_labels, columns.length) ?? stageLabels(columns.map((c) => c.stage))
  const rows = columns.map((c, j) => interval(c, term, names[j], p.level))
  const label = labeller(columns.map((c) => c.model), p.labels)
  const pct = `${+(p.level * 100).toFixed(2)} %`
  const svg = await renderSvg(forestPlot(rows, { title: p.title, xTitle: p.x_title ?? `Coefficient on ${label(term)} (${pct} CI)` }))
  const csv = writeCsv(Frame.from({
    label: rows.map((r) => r.label),
    estimate: Float64Array.from(rows, (r) => r.estimate),
    'std.error': Float64Array.from(rows, (r) => r.stdError),
    'conf.low': Float64Array.from(rows, (r) => r.low),
    'conf.high': Float64Array.from(rows, (r) => r.high),
    'p.value': Float64Array.from(rows, (r) => r.pValue),
  }))
  const facts: Record<string, number> = { columns: rows.length }
  rows.forEach((r, i) => {
    const j = i + 1
    Object.assign(facts, {
      [`coef(${term},${j})`]: r.estimate, [`se(${term},${j})`]: r.stdError, [`p(${term},${j})`]: r.pValue,
      [`conf_low(${term},${j})`]: r.low, [`conf_high(${term},${j})`]: r.high,
    })
  })
  ctx.log.info(`${term} in ${rows.length} model${rows.length === 1 ? '' : 's'} (${pct} intervals): ${columns.map((c) => c.stage).join(', ')}`)
  return { files: { 'coefplot.svg': svg, 'coefplot.csv': csv }, facts }
}

/** The interval of `term` in one model, at `level`, from the model's t distribution. */
export function interval(c: Column, term: string, label: string, level: number): Interval {
  const t = termOf(c.model, term)
  if (!t) {
    const near = suggest(term, c.model.terms.map((x) => x.term))
    throw new QuasiError('INVALID_VALUE', `stage \`${c.stage}\` has no term \`${term}\`${near ? `; did you mean \`${near}\`?` : ''}`, {
      param: ['term'],
      expected: `a term of every model: ${c.model.terms.map((x) => '`' + x.term + '`').join(', ')}`,
      found: term,
    })
  }
  const df = c.model.dfT
  const q = Number.isFinite(df) ? tQuantile(1 - (1 - level) / 2, df) : normalQuantile(1 - (1 - level) / 2)
  return { label, estimate: t.estimate, stdError: t.stdError, pValue: t.pValue, low: t.estimate - q * t.stdError, high: t.estimate + q * t.stdError }
}

/** The models' common focus term (a DID's treatment), when they share one. */
function sharedFocus(columns: readonly Column[]): string {
  const focus = [...new Set(columns.map((c) => c.model.focus))]
  if (focus.length === 1 && focus[0] !== undefined) return focus[0]
  const named = focus.filter((f): f is string => f !== undefined)
  throw new QuasiError('MISSING_PARAM', `coefplot needs \`term\`: ${named.length > 1 ? `the models' focus terms differ (${named.map((f) => '`' + f + '`').join(', ')})` : 'not every model has a focus term'}`, {
    param: [],
    expected: 'term: <the coefficient to draw>',
    hint: `e.g. \`term: ${named[0] ?? columns[0].model.terms[0]?.term ?? 'did'}\``,
  })
}
