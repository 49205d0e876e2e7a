/**
 * What measure-gie writes: scores.csv (one row per frame row), summary.csv and summary.md
 * (by year), the facts for `expect:` and the stage data. Numbers are printed with 12
 * significant digits, so the files are byte-identical wherever the scores are.
 */
import type { Json } from '../../src/stage.ts'
import type { GmlResult } from '../../src/stats/dea/gml.ts'
import { EFFICIENT_TOL, type DeaResult } from '../../src/stats/dea/run.ts'
import type { Resolved, Prepared } from './prepare.ts'
import type { MeasureGieParams } from './params.ts'

/** Slacks below this fraction of the unit's own value are printed as 0 (LP rounding, not slack). */
const SLACK_PRINT_TOL = 1e-10

/**
 * Scores in the human-facing files carry 12 significant digits: far below any meaningful
 * difference (the solver agrees with HiGHS to ~1e-15), and the printed bytes do not depend on
 * last-bit differences of the LP path. The frame passed downstream keeps full precision.
 */
export function fmt(v: number, digits = 12): string {
  if (!Number.isFinite(v)) return ''
  if (v === 0) return '0'
  return String(Number(v.toPrecision(digits)))
}

/**
 * Below this magnitude a unit-free number (a score, a distance β, an index, a λ) prints as 0.
 * These quantities are of order 1, printed to 12 significant digits, so 5e-13 is half a unit
 * in the last digit printed for a value near 1; the LPs behind them run on rows scaled to
 * O(1) with tolerances of 1e-9, so anything smaller is rounding, such as the β of −3.3e-16 or
 * 3.6e-15 (a few ulps) of a unit on the frontier. The frame keeps the value as computed.
 */
export const PRINT_ZERO = 5e-13

/** fmt for unit-free numbers: values within PRINT_ZERO of 0 print as 0. */
export function fmtRatio(v: number, digits = 12): string {
  return fmt(Math.abs(v) < PRINT_ZERO ? 0 : v, digits)
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function csv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n'
}

export interface Labels {
  readonly unit: string
  readonly time: string
  /** Unit and time label of every frame row. */
  readonly unitOf: (row: number) => string
  readonly timeOf: (row: number) => string
  readonly nrows: number
}

/** scores.csv for SBM, super-SBM and radial models. */
export function scoresCsv(prep: Prepared, res: DeaResult, labels: Labels, windowed: boolean): string {
  const { d, values } = prep.data
  const dmuOfRow = new Int32Array(labels.nrows).fill(-1)
  prep.rows.forEach((r, k) => (dmuOfRow[r] = k))
  const header = [labels.unit, labels.time, 'score', 'sbm', 'super', 'status', 'unique']
  if (windowed) header.push('windows')
  for (const c of prep.columns) header.push(`slack_${c}`)
  for (const c of prep.columns) header.push(`target_${c}`)
  header.push('peers')
  const rows: string[][] = []
  for (let r = 0; r < labels.nrows; r++) {
    const k = dmuOfRow[r]
    const row = [labels.unitOf(r), labels.timeOf(r)]
    if (k < 0) {
      row.push('', '', '', 'excluded', '')
      if (windowed) row.push('0')
      for (let i = 0; i < 2 * d + 1; i++) row.push('')
      rows.push(row)
      continue
    }
    row.push(fmtRatio(res.score[k]), fmtRatio(res.first[k]), fmtRatio(res.superScore[k]), res.status[k], res.unique[k] ? '1' : '0')
    if (windowed) row.push(String(res.evaluations[k]))
    for (let i = 0; i < d; i++) {
      const s = res.slacks[k * d + i]
      row.push(Math.abs(s) <= SLACK_PRINT_TOL * values[k * d + i] ? '0' : fmt(s))
    }
    for (let i = 0; i < d; i++) row.push(fmt(res.targets[k * d + i]))
    const pe = res.peers[k]
    row.push(pe.idx.map((j, q) => `${prep.units[prep.unit[j]]}@${prep.periods[prep.period[j]]}:${fmtRatio(pe.lambda[q], 6)}`).join('; '))
    rows.push(row)
  }
  return csv(header, rows)
}

/** scores.csv for the GML index. */
export function gmlCsv(prep: Prepared, res: GmlResult, labels: Labels): string {
  const dmuOfRow = new Int32Array(labels.nrows).fill(-1)
  prep.rows.forEach((r, k) => (dmuOfRow[r] = k))
  const header = [labels.unit, labels.time, 'gml', 'ec', 'tc', 'cum', 'd_global', 'd_contemporaneous', 'status']
  const rows: string[][] = []
  for (let r = 0; r < labels.nrows; r++) {
    const k = dmuOfRow[r]
    if (k < 0) {
      rows.push([labels.unitOf(r), labels.timeOf(r), '', '', '', '', '', '', 'excluded'])
      continue
    }
    const failed = !Number.isFinite(res.dGlobal[k]) || !Number.isFinite(res.dContemporaneous[k])
    rows.push([
      labels.unitOf(r),
      labels.timeOf(r),
      fmtRatio(res.gml[k]),
      fmtRatio(res.ec[k]),
      fmtRatio(res.tc[k]),
      fmtRatio(res.cum[k]),
      fmtRatio(res.dGlobal[k]),
      fmtRatio(res.dContemporaneous[k]),
      failed ? 'failed' : Number.isFinite(res.gml[k]) ? 'ok' : 'first-year',
    ])
  }
  return csv(header, rows)
}

interface YearStats {
  n: number
  mean: number
  sd: number
  min: number
  max: number
}

/** Count, mean, sd (n − 1), min and max of the finite values. Loops, not Math.min(...v): spreading 125,000 values into a call overflows the stack. */
export function stats(xs: ArrayLike<number>): YearStats {
  let n = 0
  let sum = 0
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]
    if (!Number.isFinite(x)) continue
    n++
    sum += x
    if (x < min) min = x
    if (x > max) max = x
  }
  if (n === 0) return { n, mean: NaN, sd: NaN, min: NaN, max: NaN }
  const mean = sum / n
  let ss = 0
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i])) ss += (xs[i] - mean) ** 2
  return { n, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN, min, max }
}

/** Scores by year (plus `all`): count, mean, sd, min, max, share efficient. */
export function summaryTable(prep: Prepared, score: Float64Array, timeLabel: string): { header: string[]; rows: string[][] } {
  const header = [timeLabel, 'n', 'mean', 'sd', 'min', 'max', 'efficient', 'share_efficient']
  const rows: string[][] = []
  const line = (label: string, xs: number[]): string[] => {
    const s = stats(xs)
    const eff = xs.filter((x) => x >= 1 - EFFICIENT_TOL).length
    return [label, String(s.n), fmtRatio(s.mean, 6), fmtRatio(s.sd, 6), fmtRatio(s.min, 6), fmtRatio(s.max, 6), String(eff), s.n ? fmt(eff / s.n, 6) : '']
  }
  prep.periods.forEach((t, p) => {
    const xs: number[] = []
    for (let k = 0; k < prep.data.n; k++) if (prep.period[k] === p) xs.push(score[k])
    rows.push(line(t, xs))
  })
  rows.push(line('all', Array.from(score)))
  return { header, rows }
}

export function gmlSummaryTable(prep: Prepared, res: GmlResult, timeLabel: string): { header: string[]; rows: string[][] } {
  const header = [timeLabel, 'n', 'mean_gml', 'mean_ec', 'mean_tc', 'mean_cum']
  const rows: string[][] = []
  const line = (label: string, pick: (k: number) => boolean): string[] => {
    const ks = [...Array(prep.data.n).keys()].filter(pick)
    const m = (a: Float64Array): string => fmtRatio(stats(ks.map((k) => a[k])).mean, 6)
    return [label, String(ks.filter((k) => Number.isFinite(res.gml[k])).length), m(res.gml), m(res.ec), m(res.tc), m(res.cum)]
  }
  prep.periods.forEach((t, p) => rows.push(line(t, (k) => prep.period[k] === p)))
  rows.push(line('all', () => true))
  return { header, rows }
}

export function summaryCsv(t: { header: string[]; rows: string[][] }): string {
  return csv(t.header, t.rows)
}

function mdTable(t: { header: string[]; rows: string[][] }): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|')
  return [`| ${t.header.map(esc).join(' | ')} |`, `|${t.header.map(() => ' --- ').join('|')}|`, ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n')
}

export interface Notes {
  readonly superInfeasible: readonly string[]
  readonly noReference: readonly string[]
  readonly failed: readonly string[]
  readonly twins: readonly string[]
}

export function summaryMd(p: MeasureGieParams, r: Resolved, prep: Prepared, table: { header: string[]; rows: string[][] }, notes: Notes, labels: Labels): string {
  const lines: string[] = []
  const model =
    p.model === 'gml'
      ? `global Malmquist–Luenberger index (DDF, direction (0, yᵍ, −yᵇ)), ${r.returns} returns`
      : `${p.model}, ${r.returns} returns, orientation ${r.orientation}, ${p.frontier} frontier${p.frontier === 'window' ? ` (${p.window} years)` : ''}`
  lines.push(`# ${p.as}: ${model}`, '')
  lines.push(`- inputs: ${p.inputs.join(', ')}`)
  lines.push(`- desirable outputs: ${p.desirable.join(', ')}`)
  lines.push(`- undesirable outputs: ${p.undesirable.length ? p.undesirable.join(', ') : '(none)'}`)
  lines.push(`- unit-years evaluated: ${prep.data.n} of ${labels.nrows}`)
  if (prep.missing.rows > 0) {
    const by = Object.entries(prep.missing.byColumn).map(([c, k]) => `${c} ${k}`)
    lines.push(`- left out for missing values: ${prep.missing.rows}${by.length ? ` (${by.join(', ')})` : ''}`)
  }
  const zeroCols = Object.entries(prep.zeros.byColumn)
  if (zeroCols.length > 0) {
    if (p.zeros === 'replace') {
      lines.push(`- zeros replaced by ${p.zero_value} × the column's smallest positive value: ${zeroCols.map(([c, k]) => `${c} ${k} (→ ${fmt(prep.zeros.substitute[c], 6)})`).join(', ')}`)
    } else {
      lines.push(`- left out for zero values: ${prep.zeros.excludedRows} (${zeroCols.map(([c, k]) => `${c} ${k}`).join(', ')})`)
    }
  }
  if (notes.superInfeasible.length > 0) {
    lines.push(
      `- super-SBM infeasible for ${notes.superInfeasible.length} unit-year(s), ${p.super_infeasible === 'one' ? 'kept at their SBM score 1' : 'score missing'}: ${notes.superInfeasible.join(', ')}`,
    )
  }
  if (notes.noReference.length > 0) {
    lines.push(`- super-SBM undefined (no other unit-year in the reference set), score missing, for ${notes.noReference.length} unit-year(s): ${notes.noReference.join(', ')}`)
  }
  if (notes.failed.length > 0) lines.push(`- LP failed (score missing) for ${notes.failed.length} unit-year(s): ${notes.failed.join(', ')}`)
  if (notes.twins.length > 0) lines.push(`- identical input–output vectors (a twin in the reference set caps super-efficiency at 1): ${notes.twins.join('; ')}`)
  lines.push('', mdTable(table), '')
  return lines.join('\n')
}

export function deaFacts(as: string, prep: Prepared, score: Float64Array, res: { superInfeasible: readonly number[]; failed: readonly number[] }): Record<string, number> {
  const s = stats(Array.from(score))
  const eff = Array.from(score).filter((x) => x >= 1 - EFFICIENT_TOL).length
  return {
    [`mean(${as})`]: s.mean,
    [`sd(${as})`]: s.sd,
    [`min(${as})`]: s.min,
    [`max(${as})`]: s.max,
    [`n(${as})`]: s.n,
    [`share_efficient(${as})`]: s.n ? eff / s.n : NaN,
    excluded: prep.missing.rows + prep.zeros.excludedRows,
    zeros_replaced: Object.keys(prep.zeros.substitute).reduce((t, c) => t + prep.zeros.byColumn[c], 0),
    super_infeasible: res.superInfeasible.length,
    failed: res.failed.length,
  }
}

export function gmlFacts(as: string, prep: Prepared, res: GmlResult): Record<string, number> {
  const mean = (a: Float64Array): number => stats(Array.from(a)).mean
  return {
    [`mean(${as})`]: mean(res.gml),
    [`mean(${as}_ec)`]: mean(res.ec),
    [`mean(${as}_tc)`]: mean(res.tc),
    [`n(${as})`]: Array.from(res.gml).filter(Number.isFinite).length,
    excluded: prep.missing.rows + prep.zeros.excludedRows,
    zeros_replaced: Object.keys(prep.zeros.substitute).reduce((t, c) => t + prep.zeros.byColumn[c], 0),
    failed: res.failed.length,
  }
}

export function stageData(p: MeasureGieParams, r: Resolved, prep: Prepared, extra: Record<string, Json>): Json {
  return {
    model: p.model,
    returns: r.returns,
    orientation: p.model === 'gml' ? null : r.orientation,
    frontier: p.frontier,
    window: p.frontier === 'window' ? p.window : null,
    column: p.as,
    evaluated: prep.data.n,
    missing: prep.missing.rows,
    zeros: { ...prep.zeros.byColumn },
    zeroSubstitutes: { ...prep.zeros.substitute },
    ...extra,
  }
}
