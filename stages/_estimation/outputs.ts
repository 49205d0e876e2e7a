/**
 * What estimation stages write, built from model artifacts only: the paper-style table
 * (md, tex, html, csv), tidy.csv and glance.csv in the broom convention, and the facts for
 * `expect:` lines. A stage's own table and the `table` stage's combined tables are the same
 * function of the models they show.
 */
import type { Model } from '../../src/artifacts/model.ts'
import { glanceCsv, tidyCsv, type GlanceRow } from '../../src/report/broom.ts'
import type { RegressionTable, TableBlock, TableCell } from '../../src/report/table.ts'
import { count, fixed, renderCsv, renderHtml, renderLatex, renderMarkdown } from '../../src/report/table.ts'

export interface TableOptions {
  readonly title?: string
  /** Terms to show, in order. Default: each model's focus term, then the other terms in order of appearance. */
  readonly keep?: readonly string[]
  /** Terms to leave out (after `keep`). */
  readonly drop?: readonly string[]
  /** Labels that override the models' own. */
  readonly labels?: Readonly<Record<string, string>>
  readonly digits?: number
  /** Column labels; default "(1)", "(2)", … */
  readonly columnLabels?: readonly string[]
  /** Rows given by the user, e.g. `{ Controls: [Yes, Yes] }`; they replace automatic rows of the same label. */
  readonly rows?: Readonly<Record<string, readonly string[]>>
  /** Extra notes, after the automatic ones. */
  readonly notes?: readonly string[]
  /** Automatic "<FE> FE" and "Controls" rows. @default true */
  readonly indicators?: boolean
}

/** Label of a name: the options' labels, then the first model that labels it, then the name. */
export function labeller(models: readonly Model[], labels: Readonly<Record<string, string>> = {}): (name: string) => string {
  return (name) => labels[name] ?? models.find((m) => m.labels[name] !== undefined)?.labels[name] ?? name
}

/** The rows of estimates for these models under one set of columns (a table or one panel of it). */
export function modelBlock(models: readonly Model[], o: TableOptions): TableBlock {
  const label = labeller(models, o.labels)
  const available = new Set(models.flatMap((m) => m.terms.map((t) => t.term)))
  let names: string[]
  if (o.keep) names = o.keep.filter((t) => available.has(t))
  else {
    const seen = new Set<string>()
    names = []
    for (const m of models) if (m.focus && available.has(m.focus) && !seen.has(m.focus)) { seen.add(m.focus); names.push(m.focus) }
    for (const m of models) for (const t of m.terms) if (!seen.has(t.term)) { seen.add(t.term); names.push(t.term) }
  }
  if (o.drop) names = names.filter((t) => !o.drop!.includes(t))
  const columns = models.map((m, j) => ({
    label: o.columnLabels?.[j] ?? `(${j + 1})`,
    cells: new Map<string, TableCell>(m.terms.map((t) => [t.term, { estimate: t.estimate, stdError: t.stdError, pValue: t.pValue }])),
  }))
  const indicators: { label: string; values: string[] }[] = []
  if (o.indicators !== false) {
    const fes: string[] = []
    for (const m of models) for (const f of m.fixedEffects) if (!fes.includes(f)) fes.push(f)
    for (const f of fes) indicators.push({ label: `${f.split(':').map(label).join(' × ')} FE`, values: models.map((m) => (m.fixedEffects.includes(f) ? 'Yes' : 'No')) })
    if (models.some((m) => m.controls.length > 0)) indicators.push({ label: 'Controls', values: models.map((m) => (m.controls.length ? 'Yes' : 'No')) })
  }
  for (const [l, values] of Object.entries(o.rows ?? {})) {
    const at = indicators.findIndex((r) => r.label === l)
    const row = { label: l, values: [...values] }
    if (at >= 0) indicators[at] = row
    else indicators.push(row)
  }
  const stats = [{ label: 'N', values: models.map((m) => count(m.nobs)) }]
  // Maximum-likelihood models (spatial) have no R²: their rows appear only when some model has one, and a log-likelihood row when some model is ML.
  if (models.some((m) => Number.isFinite(m.fit.r2)) || models.every((m) => m.estimator !== 'ml')) stats.push({ label: 'R²', values: models.map((m) => fixed(m.fit.r2, 3)) })
  if (models.some((m) => m.fixedEffects.length > 0) && (models.some((m) => Number.isFinite(m.fit.withinR2)) || models.every((m) => m.estimator !== 'ml'))) stats.push({ label: 'Within R²', values: models.map((m) => fixed(m.fit.withinR2, 3)) })
  if (models.some((m) => m.estimator === 'ml')) stats.push({ label: 'Log-likelihood', values: models.map((m) => fixed(m.fit.logLik, 3)) })
  if (models.some((m) => m.nClusters.length > 0)) stats.push({ label: 'Clusters', values: models.map((m) => (m.nClusters.length ? m.nClusters.map(count).join(' × ') : '')) })
  return { columns, terms: names.map((term) => ({ term, label: label(term) })), indicators, stats }
}

/** The paper table of these models: one column each. */
export function modelTable(models: readonly Model[], o: TableOptions): RegressionTable {
  const label = labeller(models, o.labels)
  const block = modelBlock(models, o)
  const outcomes = [...new Set(models.map((m) => m.outcome))]
  return {
    title: o.title,
    ...(outcomes.length === 1 ? { caption: `Dependent variable: ${label(outcomes[0])}` } : { heads: models.map((m) => label(m.outcome)) }),
    ...block,
    notes: [...modelNotes(models, o.columnLabels, label), ...(o.notes ?? [])],
    digits: o.digits ?? specDigits(models[0]) ?? 3,
  }
}

/**
 * Notes: the variance convention once when every column shares it, else per column; the
 * models' own notes (deduplicated); the estimation subsets; pooled OLS.
 */
export function modelNotes(models: readonly Model[], columnLabels: readonly string[] | undefined, label: (n: string) => string): string[] {
  const col = (j: number) => columnLabels?.[j] ?? `(${j + 1})`
  const out: string[] = []
  const variance = [...new Set(models.map((m) => m.variance.label))]
  if (variance.length === 1) out.push(variance[0])
  else out.push(models.map((m, j) => `${col(j)}: ${m.variance.label}`).join(' '))
  for (const n of new Set(models.flatMap((m) => m.notes ?? []))) out.push(n.replace(/`([^`]+)`/g, (_, x: string) => label(x)))
  if (models.some((m) => m.fixedEffects.length === 0)) {
    out.push(models.every((m) => m.fixedEffects.length === 0) ? 'Pooled OLS with an intercept (not shown).' : `${models.map((m, j) => (m.fixedEffects.length ? '' : col(j))).filter(Boolean).join(', ')}: pooled OLS with an intercept (not shown).`)
  }
  const subsets = [...new Set(models.map((m) => m.subset ?? ''))]
  if (subsets.length === 1 && subsets[0]) out.push(`Sample: ${subsets[0]}.`)
  else if (subsets.length > 1) out.push(`Samples: ${models.map((m, j) => `${col(j)} ${m.subset ?? 'all rows'}`).join('; ')}.`)
  return out
}

/** The `digits` the model's stage asked for, if its specification records one. */
function specDigits(m: Model): number | undefined {
  const d = (m.spec as { digits?: unknown } | null)?.digits
  return typeof d === 'number' ? d : undefined
}

export function glanceOf(m: Model): GlanceRow {
  return {
    nobs: m.nobs, r2: m.fit.r2, adjR2: m.fit.adjR2, withinR2: m.fit.withinR2, dfResidual: m.dfResidual,
    nClusters: m.nClusters.length ? m.nClusters[0] : NaN, logLik: m.fit.logLik, aic: m.fit.aic, bic: m.fit.bic,
  }
}

/** <name>.{md,tex,html,csv}: the table in each format. */
export function renderedTable(table: RegressionTable, name = 'table'): Record<string, string> {
  return {
    [`${name}.md`]: renderMarkdown(table),
    [`${name}.tex`]: renderLatex(table),
    [`${name}.html`]: renderHtml(table),
    [`${name}.csv`]: renderCsv(table),
  }
}

/** table.{md,tex,html,csv}, tidy.csv and glance.csv. */
export function tableFiles(table: RegressionTable, models: readonly Model[], columnLabels?: readonly string[]): Record<string, string> {
  const name = (j: number) => columnLabels?.[j] ?? models[j].label
  return {
    ...renderedTable(table),
    'tidy.csv': tidyCsv(models.map((m, j) => ({ model: name(j), terms: m.terms }))),
    'glance.csv': glanceCsv(models.map((m, j) => ({ model: name(j), glance: glanceOf(m) }))),
  }
}

/**
 * Facts of one model: `coef(t)`, `se(t)`, `t(t)`, `p(t)` for every term, `nobs`, `r2`,
 * `adj_r2`, `within_r2`, `n_clusters`.
 */
export function modelFacts(m: Model): Record<string, number> {
  const facts: Record<string, number> = { nobs: m.nobs, r2: m.fit.r2, adj_r2: m.fit.adjR2 }
  if (Number.isFinite(m.fit.withinR2)) facts.within_r2 = m.fit.withinR2
  if (m.nClusters.length) facts.n_clusters = Math.min(...m.nClusters)
  for (const t of m.terms) {
    facts[`coef(${t.term})`] = t.estimate
    facts[`se(${t.term})`] = t.stdError
    facts[`t(${t.term})`] = t.statistic
    facts[`p(${t.term})`] = t.pValue
  }
  return facts
}
