/**
 * The mechanism table as papers print it: one panel per two mediators (Panel A, Panel B, …),
 * in each an M column (the mediator on the treatment) and a Y column (the outcome on the
 * treatment and the mediator; under `steps: two`, on the treatment alone) per mediator, with
 * the estimation rows of _estimation (coefficients with stars and SEs, FE/controls, N, R²).
 * A last panel with one mediator leaves its last two columns blank.
 */
import type { RegressionTable, TableBlock } from '../../src/report/table.ts'
import { labeller, modelBlock, modelNotes } from '../_estimation/outputs.ts'
import type { MediatorFit } from './steps.ts'

const PER_PANEL = 2

export function mechanismTable(fits: readonly MediatorFit[], o: { title: string; term: string; labels: Readonly<Record<string, string>>; digits: number; steps: 'two' | 'three' }): RegressionTable {
  const yModel = (f: MediatorFit) => (o.steps === 'three' ? f.models.b! : f.models.total)
  const all = fits.flatMap((f) => [f.models.a, yModel(f)])
  const label = labeller(all, o.labels)
  const k = Math.min(fits.length, PER_PANEL) * 2
  const columnLabels = Array.from({ length: k }, (_, j) => `(${j + 1})`)
  const panels: (TableBlock & { label: string })[] = []
  for (let p = 0; p * PER_PANEL < fits.length; p++) {
    const group = fits.slice(p * PER_PANEL, (p + 1) * PER_PANEL)
    const models = group.flatMap((f) => [f.models.a, yModel(f)])
    const block = modelBlock(models, { keep: [o.term, ...group.map((f) => f.mediator)], labels: o.labels, columnLabels, digits: o.digits })
    const outcomes = models.map((m, j) => `${columnLabels[j]} ${label(m.outcome)}`).join('; ')
    panels.push({ label: `Panel ${String.fromCharCode(65 + p)}. Dependent variables: ${outcomes}`, ...pad(block, k, columnLabels) })
  }
  const notes = [
    ...modelNotes(all.slice(0, k), columnLabels, label),
    o.steps === 'three'
      ? 'M columns: the mediator on the treatment (a); Y columns: the outcome on the treatment and the mediator (direct effect and b). Total effects, indirect effects a·b and their tests: indirect.csv.'
      : 'Two-step design: M columns, the mediator on the treatment (a); Y columns, the outcome on the treatment (total effect).',
  ]
  return {
    title: o.title,
    heads: columnLabels.map((_, j) => (j % 2 === 0 ? 'M' : 'Y')),
    columns: columnLabels.map((l) => ({ label: l, cells: new Map() })),
    terms: [], indicators: [], stats: [],
    panels,
    notes,
    digits: o.digits,
  }
}

/** A block with fewer columns than the table: blank columns and cells to the right. */
function pad(b: TableBlock, k: number, labels: readonly string[]): TableBlock {
  const n = b.columns.length
  if (n === k) return b
  const fill = (values: readonly string[]) => [...values, ...Array<string>(k - n).fill('')]
  return {
    columns: [...b.columns, ...labels.slice(n).map((label) => ({ label, cells: new Map() }))],
    terms: b.terms,
    indicators: b.indicators.map((r) => ({ label: r.label, values: fill(r.values) })),
    stats: b.stats.map((r) => ({ label: r.label, values: fill(r.values) })),
  }
}
