/**
 * describe's machine-readable files and facts. The CSV files hold every statistic at full
 * precision (shortest round-trip decimals), whatever the table prints:
 *
 *   describe.csv      role, variable, label, group ('' = all rows), n, mean, sd, min, p25, median, p75, max
 *   differences.csv   variable, groups, test (t or F), difference, welch_statistic, welch_df1, welch_df2,
 *                     welch_p, cluster_statistic, cluster_se, cluster_df1, cluster_df2, cluster_p, clusters
 *   correlations.csv  variable1, variable2, r, n, statistic, p.value (each pair once, in listed order)
 *   vif.csv           variable, vif, r.squared, n
 *
 * Facts (for `expect:`; a fact whose value is not finite is left out): `rows`, `variables`,
 * and per variable v `n(v)`, `mean(v)`, `sd(v)`, `min(v)`, `p25(v)`, `median(v)`, `p75(v)`,
 * `max(v)`; with `by`, `groups` and the same per group g, `mean(v, g)` (g is the group's label
 * with white space removed, as expectations are read), and the tests: two groups
 * `diff(v)`, `t_welch(v)`, `p_welch(v)`, `t_cluster(v)`, `se_cluster(v)`, `p_cluster(v)`;
 * more groups `f_welch(v)`, `p_welch(v)`, `f_cluster(v)`, `p_cluster(v)`. With the
 * correlation table `cor(a, b)` and `p_cor(a, b)` (either order), `vif(v)`, `vif_max`, `vif_mean`.
 */
import { writeCsv } from '../../src/artifacts/csv.ts'
import { Frame } from '../../src/artifacts/frame.ts'
import { SUMMARY_STATISTICS, type Summary } from '../../src/stats/describe/summary.ts'
import type { VifResult } from '../../src/stats/describe/vif.ts'
import type { CorrelationMatrix, Described } from './compute.ts'
import type { Level } from './sample.ts'

export const DESCRIBE_FACTS: readonly string[] = [
  'rows', 'variables', 'groups',
  ...SUMMARY_STATISTICS.map((s) => `${s}(<variable>)`),
  ...SUMMARY_STATISTICS.map((s) => `${s}(<variable>, <group>)`),
  'diff(<variable>)', 't_welch(<variable>)', 'f_welch(<variable>)', 'p_welch(<variable>)',
  't_cluster(<variable>)', 'f_cluster(<variable>)', 'se_cluster(<variable>)', 'p_cluster(<variable>)',
  'cor(<variable>, <variable>)', 'p_cor(<variable>, <variable>)', 'vif(<variable>)', 'vif_max', 'vif_mean',
]

/** A group's name as a fact argument: no white space (expectations drop it), undefined if it cannot be one. */
export function factKey(label: string): string | undefined {
  const k = label.replace(/\s+/g, '')
  return k && !/[(),]/.test(k) ? k : undefined
}

export function describeCsv(rows: readonly Described[], levels?: readonly Level[]): string {
  const out: { role: string; variable: string; label: string; group: string; s: Summary }[] = []
  for (const d of rows) {
    const v = d.variable
    out.push({ role: v.role ?? '', variable: v.name, label: v.label, group: '', s: d.overall })
    d.groups?.forEach((s, g) => out.push({ role: v.role ?? '', variable: v.name, label: v.label, group: levels![g].label, s }))
  }
  return writeCsv(Frame.from({
    role: out.map((r) => r.role), variable: out.map((r) => r.variable), label: out.map((r) => r.label), group: out.map((r) => r.group),
    ...Object.fromEntries(SUMMARY_STATISTICS.map((s) => [s, Float64Array.from(out, (r) => r.s[s])])),
  }))
}

export function differencesCsv(rows: readonly Described[], k: number): string {
  const c = rows.map((d) => d.comparison!)
  const num = (f: (x: (typeof c)[number]) => number | undefined) => Float64Array.from(c, (x) => f(x) ?? NaN)
  return writeCsv(Frame.from({
    variable: rows.map((d) => d.variable.name),
    groups: Float64Array.from(rows, () => k),
    test: rows.map(() => (k === 2 ? 't' : 'F')),
    difference: num((x) => x.difference),
    welch_statistic: num((x) => x.welch.statistic), welch_df1: num((x) => x.welch.df1), welch_df2: num((x) => x.welch.df2), welch_p: num((x) => x.welch.pValue),
    cluster_statistic: num((x) => x.clustered?.statistic), cluster_se: num((x) => x.clustered?.stdError),
    cluster_df1: num((x) => x.clustered?.df1), cluster_df2: num((x) => x.clustered?.df2), cluster_p: num((x) => x.clustered?.pValue),
    clusters: num((x) => x.clustered?.clusters),
  }))
}

export function correlationsCsv(m: CorrelationMatrix): string {
  const pairs: [number, number][] = []
  const k = m.names.length
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) pairs.push([i, j])
  const cell = ([i, j]: [number, number]) => m.cells[i * k + j]
  return writeCsv(Frame.from({
    variable1: pairs.map(([i]) => m.names[i]), variable2: pairs.map(([, j]) => m.names[j]),
    r: Float64Array.from(pairs, (p) => cell(p).r), n: Float64Array.from(pairs, (p) => cell(p).n),
    statistic: Float64Array.from(pairs, (p) => cell(p).statistic), 'p.value': Float64Array.from(pairs, (p) => cell(p).pValue),
  }))
}

export function vifCsv(v: VifResult): string {
  return writeCsv(Frame.from({
    variable: v.vifs.map((x) => x.variable), vif: Float64Array.from(v.vifs, (x) => x.vif),
    'r.squared': Float64Array.from(v.vifs, (x) => x.r2), n: Float64Array.from(v.vifs, () => v.n),
  }))
}

export function describeFacts(rows: readonly Described[], nrows: number, levels: readonly Level[] | undefined, m: CorrelationMatrix | undefined, vif: VifResult | undefined): Record<string, number> {
  const facts: Record<string, number> = { rows: nrows, variables: rows.length }
  const put = (name: string, v: number | undefined) => { if (v !== undefined && Number.isFinite(v)) facts[name] = v }
  const keys = levels?.map((l) => factKey(l.label))
  if (levels) facts.groups = levels.length
  for (const d of rows) {
    const v = d.variable.name
    for (const s of SUMMARY_STATISTICS) put(`${s}(${v})`, d.overall[s])
    d.groups?.forEach((sum, g) => { if (keys![g] !== undefined) for (const s of SUMMARY_STATISTICS) put(`${s}(${v},${keys![g]})`, sum[s]) })
    const c = d.comparison
    if (c) {
      const two = levels!.length === 2
      if (two) put(`diff(${v})`, c.difference)
      put(`${two ? 't' : 'f'}_welch(${v})`, c.welch.statistic)
      put(`p_welch(${v})`, c.welch.pValue)
      put(`${two ? 't' : 'f'}_cluster(${v})`, c.clustered?.statistic)
      if (two) put(`se_cluster(${v})`, c.clustered?.stdError)
      put(`p_cluster(${v})`, c.clustered?.pValue)
    }
  }
  if (m) {
    const k = m.names.length
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        if (i === j) continue
        put(`cor(${m.names[i]},${m.names[j]})`, m.cells[i * k + j].r)
        put(`p_cor(${m.names[i]},${m.names[j]})`, m.cells[i * k + j].pValue)
      }
    }
  }
  if (vif) {
    const values = vif.vifs.map((x) => x.vif).filter(Number.isFinite)
    for (const x of vif.vifs) put(`vif(${x.variable})`, x.vif)
    if (values.length) { put('vif_max', Math.max(...values)); put('vif_mean', values.reduce((a, b) => a + b, 0) / values.length) }
  }
  return facts
}
