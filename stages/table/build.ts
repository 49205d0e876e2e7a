/**
 * The `table` stage's paper table: columns (or stacked panels of columns) of models from
 * other stages, built by the same functions that build each estimation stage's own table
 * (stages/_estimation/outputs.ts), so a model prints the same wherever it appears.
 */
import type { Model } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import type { RegressionTable, TableBlock } from '../../src/report/table.ts'
import { suggest } from '../../src/suggest.ts'
import { labeller, modelBlock, modelNotes, modelTable, type TableOptions } from '../_estimation/outputs.ts'
import type { Column } from '../_estimation/table-columns.ts'

/** A panel of columns; `label` is undefined for a table without panels. */
export interface Section {
  readonly label?: string
  readonly columns: readonly Column[]
}

export interface BuildOptions {
  readonly title?: string
  readonly caption?: string
  readonly keep?: readonly string[]
  readonly drop?: readonly string[]
  readonly labels?: Readonly<Record<string, string>>
  readonly columnLabels?: readonly string[]
  readonly rows?: Readonly<Record<string, readonly (string | number)[]>>
  readonly notes?: readonly string[]
  readonly digits?: number
}

export interface BuiltTable {
  readonly table: RegressionTable
  /** Every model shown, panel by panel, and its name in tidy.csv, glance.csv and notes. */
  readonly models: readonly Model[]
  readonly names: readonly string[]
}

export function buildTable(sections: readonly Section[], o: BuildOptions): BuiltTable {
  const models = sections.flatMap((s) => s.columns.map((c) => c.model))
  const k = sections[0].columns.length
  checkTerms(models, o)
  const rows = checkRows(o.rows, k)
  const labels = o.columnLabels ?? Array.from({ length: k }, (_, j) => `(${j + 1})`)
  const digits = o.digits ?? specDigits(models[0]) ?? 3
  const opts: TableOptions = { title: o.title, keep: o.keep, drop: o.drop, labels: o.labels, columnLabels: labels, rows, notes: o.notes, digits }

  if (sections.length === 1 && sections[0].label === undefined) {
    const table = modelTable(models, opts)
    return { table: o.caption === undefined ? table : { ...table, caption: o.caption }, models, names: labels }
  }

  const label = labeller(models, o.labels)
  const outcomes = sections.map((s) => s.columns.map((c) => c.model.outcome))
  const all = new Set(outcomes.flat())
  // Where the outcomes are printed: one caption, a header line per column (when column j has
  // one outcome in every panel), or after each panel's label.
  const byColumn = Array.from({ length: k }, (_, j) => new Set(outcomes.map((o) => o[j])).size === 1)
  const heads = all.size > 1 && !outcomes.every((o) => new Set(o).size === 1) && byColumn.every(Boolean) ? outcomes[0].map(label) : undefined
  const panels: (TableBlock & { label: string })[] = sections.map((s, i) => {
    const block = modelBlock(s.columns.map((c) => c.model), opts)
    return { label: all.size > 1 && !heads ? panelLabel(s.label!, outcomes[i].map(label), labels) : s.label!, ...block }
  })
  const names = sections.flatMap((s) => labels.map((l) => `${s.label} ${l}`))
  const table: RegressionTable = {
    title: o.title,
    ...(o.caption !== undefined ? { caption: o.caption } : all.size === 1 ? { caption: `Dependent variable: ${label([...all][0])}` } : {}),
    ...(heads ? { heads } : {}),
    columns: labels.map((l) => ({ label: l, cells: new Map() })),
    terms: [],
    indicators: [],
    stats: [],
    panels,
    notes: [...panelNotes(sections, labels, names, label), ...(o.notes ?? [])],
    digits,
  }
  return { table, models, names }
}

/**
 * Notes of a panel table. When column j has the same variance convention, sample and
 * fixed-effects status in every panel (the usual case: the panels differ in the outcome),
 * the notes speak of columns, as for one block; otherwise of "Panel A (1)" and so on.
 */
function panelNotes(sections: readonly Section[], labels: readonly string[], names: readonly string[], label: (n: string) => string): string[] {
  const at = (j: number) => sections.map((s) => s.columns[j].model)
  const same = (f: (m: Model) => string) => labels.every((_, j) => new Set(at(j).map(f)).size === 1)
  if (!same((m) => m.variance.label) || !same((m) => m.subset ?? '') || !same((m) => String(m.fixedEffects.length === 0))) {
    return modelNotes(sections.flatMap((s) => s.columns.map((c) => c.model)), names, label)
  }
  const columns = labels.map((_, j) => ({ ...at(j)[0], notes: [...new Set(at(j).flatMap((m) => m.notes ?? []))] }))
  return modelNotes(columns, labels, label)
}

/** "Panel A. Dependent variable: R&D", or each column's outcome when they differ within the panel. */
function panelLabel(panel: string, outcomes: readonly string[], columns: readonly string[]): string {
  const sep = /[.:]$/.test(panel) ? ' ' : '. '
  if (new Set(outcomes).size === 1) return `${panel}${sep}Dependent variable: ${outcomes[0]}`
  return `${panel}${sep}Dependent variables: ${outcomes.map((o, j) => `${columns[j]} ${o}`).join('; ')}`
}

/** `keep` and `drop` may only name terms some column has: a typo would silently empty the table. */
function checkTerms(models: readonly Model[], o: BuildOptions): void {
  const available = [...new Set(models.flatMap((m) => m.terms.map((t) => t.term)))]
  for (const param of ['keep', 'drop'] as const) {
    o[param]?.forEach((term, i) => {
      if (available.includes(term)) return
      const near = suggest(term, available)
      throw new QuasiError('INVALID_VALUE', `\`${param}\` names term \`${term}\`, which no column has${near ? `; did you mean \`${near}\`?` : ''}`, {
        param: [param, i],
        expected: `one of the columns' terms: ${available.map((t) => '`' + t + '`').join(', ')}`,
        found: term,
        ...(near ? { hint: `did you mean \`${near}\`?` } : {}),
      })
    })
  }
}

/** User rows as text, each with one value per column. */
function checkRows(rows: BuildOptions['rows'], k: number): Record<string, string[]> | undefined {
  if (!rows) return undefined
  const out: Record<string, string[]> = {}
  for (const [label, values] of Object.entries(rows)) {
    if (values.length !== k) {
      throw new QuasiError('INVALID_VALUE', `row \`${label}\` has ${values.length} value${values.length === 1 ? '' : 's'}, but the table has ${k} column${k === 1 ? '' : 's'}`, {
        param: ['rows', label],
        expected: `${k} values, one per column`,
        found: `${values.length}`,
      })
    }
    out[label] = values.map(String)
  }
  return out
}

/** The `digits` the model's stage asked for, if its specification records one. */
function specDigits(m: Model): number | undefined {
  const d = (m.spec as { digits?: unknown } | null)?.digits
  return typeof d === 'number' ? d : undefined
}
