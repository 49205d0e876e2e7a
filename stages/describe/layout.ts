/**
 * describe's paper tables (src/report/grid.ts): Table 1 — the variables by role with label,
 * symbol and statistics, per group side by side with the tests of equal means when there is
 * a `by` — and the correlation matrix with the variance inflation factors.
 */
import { count, fixed, stars } from '../../src/report/table.ts'
import type { GridRow, GridSection, GridSpan, GridTable } from '../../src/report/grid.ts'
import type { SummaryStatistic } from '../../src/stats/describe/summary.ts'
import type { CorrelationMatrix, Described } from '../_describe/compute.ts'
import type { Level } from '../_describe/sample.ts'
import type { VifResult } from '../../src/stats/describe/vif.ts'

export const STATISTIC_HEADS: Record<SummaryStatistic, string> = { n: 'N', mean: 'Mean', sd: 'SD', min: 'Min', p25: 'P25', median: 'Median', p75: 'P75', max: 'Max' }

/** Test statistics are printed with this many decimals, whatever `digits` says. */
const STAT_DIGITS = 2

export interface Table1Options {
  readonly title: string
  readonly statistics: readonly SummaryStatistic[]
  readonly digits: number
  readonly levels?: readonly Level[]
  /** The tests shown: Welch's always with groups, the clustered one when there is a cluster variable. */
  readonly clustered: boolean
  readonly notes: readonly string[]
}

/** Whether the table needs a Symbol column: some variable has a label other than its name. */
export const needsSymbols = (rows: readonly Described[]) => rows.some((d) => d.variable.label !== d.variable.name)

export function table1(rows: readonly Described[], o: Table1Options): GridTable {
  const symbols = needsSymbols(rows)
  const lead = symbols ? ['Variable', 'Symbol'] : ['Variable']
  const stats = o.statistics.map((s) => STATISTIC_HEADS[s])
  const k = o.levels?.length ?? 0
  const tests = k === 0 ? [] : k === 2 ? ['Difference', 't (Welch)', ...(o.clustered ? ['t (clustered)'] : [])] : ['F (Welch)', ...(o.clustered ? ['F (clustered)'] : [])]
  const header = [...lead, ...(k ? o.levels!.flatMap(() => stats) : stats), ...tests]
  const spans: GridSpan[][] = k
    ? [[{ text: '', span: lead.length }, ...o.levels!.map((l) => ({ text: l.label, span: stats.length })), ...(tests.length ? [{ text: '', span: tests.length }] : [])]]
    : []
  const cell = (s: SummaryStatistic, v: number) => (s === 'n' ? count(v) : fixed(v, o.digits))
  const row = (d: Described): GridRow => {
    const names = symbols ? [d.variable.label, d.variable.name] : [d.variable.label]
    const summaries = d.groups ?? [d.overall]
    const values = summaries.flatMap((sum) => o.statistics.map((s) => cell(s, sum[s])))
    const c = d.comparison
    const testCells: { text: string; p?: number }[] = []
    if (c) {
      if (k === 2) testCells.push({ text: fixed(c.difference, o.digits) })
      testCells.push({ text: fixed(c.welch.statistic, STAT_DIGITS), p: c.welch.pValue })
      if (o.clustered) testCells.push({ text: fixed(c.clustered?.statistic ?? NaN, STAT_DIGITS), p: c.clustered?.pValue })
    }
    const cells = [...names, ...values, ...testCells.map((t) => t.text)]
    const st = [...names.map(() => ''), ...values.map(() => ''), ...testCells.map((t) => (t.p === undefined ? '' : stars(t.p)))]
    return { cells, stars: st }
  }
  const sections: GridSection[] = []
  for (const d of rows) {
    const role = d.variable.role
    const last = sections[sections.length - 1]
    if (last && last.label === role) (last.rows as GridRow[]).push(row(d))
    else sections.push({ ...(role !== undefined ? { label: role } : {}), rows: [row(d)] })
  }
  return {
    title: o.title,
    spans,
    header,
    align: header.map((_, j) => (j < lead.length ? 'l' : 'c')),
    sections,
    notes: o.notes,
    stars: tests.length > 0,
  }
}

/**
 * The correlation matrix, lower triangle, variables numbered in the order listed, with stars
 * from each correlation's t test; a last column with the VIFs when there are any.
 */
export function correlationTable(m: CorrelationMatrix, vif: VifResult | undefined, o: { title: string; digits: number; notes: readonly string[] }): GridTable {
  const k = m.names.length
  const nums = m.names.map((_, i) => `(${i + 1})`)
  const header = ['', ...nums, ...(vif ? ['VIF'] : [])]
  const vifOf = new Map(vif?.vifs.map((v) => [v.variable, v.vif]))
  const rows: GridRow[] = m.names.map((name, i) => {
    const cells = [`${nums[i]} ${name}`]
    const st = ['']
    for (let j = 0; j < k; j++) {
      const c = m.cells[i * k + j]
      cells.push(j < i ? fixed(c.r, o.digits) : j === i ? fixed(1, o.digits) : '')
      st.push(j < i ? stars(c.pValue) : '')
    }
    if (vif) { const v = vifOf.get(name); cells.push(v === undefined ? '' : fixed(v, STAT_DIGITS)); st.push('') }
    return { cells, stars: st }
  })
  return { title: o.title, header, align: header.map((_, j) => (j === 0 ? 'l' : 'c')), sections: [{ rows }], notes: o.notes, stars: true }
}
