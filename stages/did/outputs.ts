/**
 * What a did stage writes: the paper-style table (md, tex, html, csv), tidy.csv and
 * glance.csv in the broom convention, the facts for `expect:` lines, and `data` (the
 * specification plus every column's estimates) for later stages.
 */
import type { GlanceRow } from '../../src/report/broom.ts'
import { glanceCsv, tidyCsv } from '../../src/report/broom.ts'
import type { RegressionTable, TableCell } from '../../src/report/table.ts'
import { count, fixed, renderCsv, renderHtml, renderLatex, renderMarkdown } from '../../src/report/table.ts'
import type { Json } from '../../src/stage.ts'
import type { RegressionResult } from '../../src/stats/ols/types.ts'
import type { DidSpec } from './spec.ts'
import { specJson } from './spec.ts'

export interface FittedColumn {
  /** "(1)", "(2)", … */
  readonly label: string
  readonly controls: readonly string[]
  readonly result: RegressionResult
}

export const DEFAULT_TITLE = 'Difference-in-differences estimates'

export function buildTable(spec: DidSpec, cols: readonly FittedColumn[], opts: { labels: Record<string, string>; title?: string; digits: number }): RegressionTable {
  const label = (name: string) => opts.labels[name] ?? name
  const terms = [spec.term, ...spec.controls]
    .filter((t) => cols.some((c) => c.result.terms.some((x) => x.term === t)))
    .map((term) => ({ term, label: label(term) }))
  const first = cols[0].result
  const clustered = first.vcovType === 'cluster'
  const indicators = spec.fixed_effects.map((fe) => ({ label: `${label(fe)} FE`, values: cols.map(() => 'Yes') }))
  if (spec.controls.length > 0) indicators.push({ label: 'Controls', values: cols.map((c) => (c.controls.length === 0 ? 'No' : 'Yes')) })
  const stats = [
    { label: 'N', values: cols.map((c) => count(c.result.nobs)) },
    { label: 'R²', values: cols.map((c) => fixed(c.result.r2, 3)) },
  ]
  if (spec.fixed_effects.length > 0) stats.push({ label: 'Within R²', values: cols.map((c) => fixed(c.result.withinR2, 3)) })
  if (clustered) stats.push({ label: 'Clusters', values: cols.map((c) => c.result.nClusters.map(count).join(' × ')) })
  return {
    title: opts.title ?? DEFAULT_TITLE,
    caption: `Dependent variable: ${label(spec.outcome)}`,
    columns: cols.map((c) => ({
      label: c.label,
      cells: new Map<string, TableCell>(c.result.terms.map((t) => [t.term, { estimate: t.estimate, stdError: t.stdError, pValue: t.pValue }])),
    })),
    terms,
    indicators,
    stats,
    notes: notes(spec, first, label),
    digits: opts.digits,
  }
}

function notes(spec: DidSpec, r: RegressionResult, label: (name: string) => string): string[] {
  const out: string[] = []
  if (r.vcovType === 'cluster') {
    const k = spec.small_sample === 'none' ? 'no finite-sample correction' : `CR1, ${spec.small_sample} small-sample correction`
    out.push(`Standard errors clustered by ${spec.cluster.join(' and ')} in parentheses (${k}; t with G − 1 degrees of freedom).`)
  } else if (r.vcovType === 'hc1') {
    out.push(`Heteroskedasticity-robust standard errors (${spec.small_sample === 'none' ? 'HC0' : 'HC1'}) in parentheses.`)
  } else {
    out.push('Conventional standard errors in parentheses.')
  }
  if (typeof spec.treatment !== 'string') {
    out.push(`${label(spec.term)} = 1 from the adoption year (${spec.treatment.adoption}) on, 0 before and for never-treated units.`)
  }
  if (spec.fixed_effects.length === 0) out.push('Pooled OLS with an intercept (not shown).')
  if (spec.sample) out.push(`Sample: ${spec.sample}.`)
  return out
}

function glanceOf(r: RegressionResult): GlanceRow {
  return {
    nobs: r.nobs, r2: r.r2, adjR2: r.adjR2, withinR2: r.withinR2, dfResidual: r.dfResidual,
    nClusters: r.nClusters.length ? r.nClusters[0] : NaN, logLik: r.logLik, aic: r.aic, bic: r.bic,
  }
}

export function renderFiles(table: RegressionTable, cols: readonly FittedColumn[]): Record<string, string> {
  return {
    'table.md': renderMarkdown(table),
    'table.tex': renderLatex(table),
    'table.html': renderHtml(table),
    'table.csv': renderCsv(table),
    'tidy.csv': tidyCsv(cols.map((c) => ({ model: c.label, terms: c.result.terms }))),
    'glance.csv': glanceCsv(cols.map((c) => ({ model: c.label, glance: glanceOf(c.result) }))),
  }
}

/**
 * Facts of the main model (the last column: all controls): `coef(t)`, `se(t)`, `t(t)`,
 * `p(t)` for every term, `nobs`, `r2`, `adj_r2`, `within_r2`, `n_clusters`, `columns`.
 */
export function factsOf(cols: readonly FittedColumn[]): Record<string, number> {
  const r = cols[cols.length - 1].result
  const facts: Record<string, number> = {
    nobs: r.nobs, r2: r.r2, adj_r2: r.adjR2, columns: cols.length,
  }
  if (Number.isFinite(r.withinR2)) facts.within_r2 = r.withinR2
  if (r.nClusters.length) facts.n_clusters = Math.min(...r.nClusters)
  for (const t of r.terms) {
    facts[`coef(${t.term})`] = t.estimate
    facts[`se(${t.term})`] = t.stdError
    facts[`t(${t.term})`] = t.statistic
    facts[`p(${t.term})`] = t.pValue
  }
  return facts
}

/** Finite numbers only: JSON has no NaN; a statistic that does not apply becomes null. */
const num = (x: number): number | null => (Number.isFinite(x) ? x : null)

export function dataOf(spec: DidSpec, cols: readonly FittedColumn[], sampleDropped: number): Json {
  return {
    spec: specJson(spec),
    sample_dropped: sampleDropped,
    columns: cols.map((c) => {
      const r = c.result
      return {
        model: c.label,
        controls: [...c.controls],
        nobs: r.nobs,
        dropped_missing: r.droppedMissing,
        dropped_singletons: r.droppedSingletons,
        collinear: [...r.collinear],
        r2: num(r.r2), adj_r2: num(r.adjR2), within_r2: num(r.withinR2),
        f: num(r.fStat), f_p: num(r.fPValue),
        df_residual: r.dfResidual, df_t: r.dfT, k_full: r.kFull, k_nested: r.kNested,
        n_clusters: [...r.nClusters],
        vcov: r.vcovLabel,
        fixed_effects: r.fixedEffects.map((f) => ({ name: f.name, levels: f.levels, nested: f.nested })),
        terms: r.terms.map((t) => ({
          term: t.term, estimate: num(t.estimate), std_error: num(t.stdError), statistic: num(t.statistic),
          p_value: num(t.pValue), conf_low: num(t.confLow), conf_high: num(t.confHigh),
        })),
      }
    }),
  }
}
