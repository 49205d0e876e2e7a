/**
 * coupling's files and facts:
 *
 *   weights.csv   subsystem, indicator, direction, period ('all' when pooled over the panel), n,
 *                 entropy, divergence, weight, constant — every number at full precision
 *   means.*       mean u of each subsystem, C, T and D per period (rows) and over all periods,
 *                 with mean D per `by` group; md, tex, html, csv (as displayed, 4 decimals)
 *
 * Means are over the unit-periods where D is defined, so every column of a row uses the same
 * units. Facts: `rows`, `units`, `subsystems`, `mean(<column>)` and `mean(<column>, <time>)`
 * for the u columns, C, T and D, `weight(<subsystem>, <indicator>)` (pooled weights) or
 * `weight(<subsystem>, <indicator>, <period>)` (per period), `share(<level>)` (level 1–10),
 * `lagging(<subsystem>)` and `synchronous` (shares of unit-periods).
 */
import { writeCsv } from '../../src/artifacts/csv.ts'
import { Frame } from '../../src/artifacts/frame.ts'
import { gridFiles, type GridTable } from '../../src/report/grid.ts'
import { CCD_CLASSES, SYNCHRONOUS } from '../../src/stats/coupling/ccd.ts'
import { factKey } from '../_describe/outputs.ts'
import type { Coupled, WeightRow } from './compute.ts'
import type { Subsystem } from './subsystems.ts'

export const COUPLING_FACTS: readonly string[] = [
  'rows', 'units', 'subsystems', 'mean(<column>)', 'mean(<column>, <time>)', 'mean(D, <group>)',
  'weight(<subsystem>, <indicator>)', 'weight(<subsystem>, <indicator>, <period>)',
  'share(<level>)', 'lagging(<subsystem>)', 'synchronous',
]

export function weightsCsv(rows: readonly WeightRow[]): string {
  return writeCsv(Frame.from({
    subsystem: rows.map((r) => r.subsystem),
    indicator: rows.map((r) => r.column),
    direction: rows.map((r) => r.direction),
    period: rows.map((r) => (r.period === undefined ? 'all' : String(r.period))),
    n: Float64Array.from(rows, (r) => r.n),
    entropy: Float64Array.from(rows, (r) => r.entropy),
    divergence: Float64Array.from(rows, (r) => r.divergence),
    weight: Float64Array.from(rows, (r) => r.weight),
    constant: rows.map((r) => (r.constant ? 'true' : 'false')),
  }))
}

/** Rows of the means table: one per period, then all periods. */
export interface MeanRow {
  /** The period, or undefined for all periods. */
  readonly time?: number
  /** Means of u per subsystem, then C, T, D. */
  readonly values: readonly number[]
  /** Mean D per group (NaN where the group has no row in the period). */
  readonly groups: readonly number[]
  readonly n: number
}

export interface Groups {
  readonly labels: readonly string[]
  /** Group of each row, −1 where `by` is missing. */
  readonly index: Int32Array
}

export function meanRows(c: Coupled, time: Float64Array, groups: Groups | undefined): MeanRow[] {
  const cols = [...c.u, c.C, c.T, c.D]
  const periods = [...new Set(Array.from(time).filter((t, i) => t === t && c.D[i] === c.D[i]))].sort((a, b) => a - b)
  const at = new Map(periods.map((t, k) => [t, k]))
  const g = groups?.labels.length ?? 0
  // One pass: sums per period (rows 0 … P−1) and over all periods (row P).
  const P = periods.length
  const sums = Array.from({ length: P + 1 }, () => new Float64Array(cols.length))
  const gsum = Array.from({ length: P + 1 }, () => new Float64Array(g))
  const gn = Array.from({ length: P + 1 }, () => new Float64Array(g))
  const n = new Float64Array(P + 1)
  for (let i = 0; i < c.D.length; i++) {
    if (!(c.D[i] === c.D[i])) continue
    const gi = groups?.index[i] ?? -1
    for (const k of [at.get(time[i]), P]) {
      if (k === undefined) continue
      n[k]++
      for (let j = 0; j < cols.length; j++) sums[k][j] += cols[j][i]
      if (gi >= 0) { gsum[k][gi] += c.D[i]; gn[k][gi]++ }
    }
  }
  return sums.map((s, k) => ({
    ...(k < P ? { time: periods[k] } : {}),
    values: Array.from(s, (v) => v / n[k]),
    groups: Array.from(gsum[k], (v, j) => v / gn[k][j]),
    n: n[k],
  }))
}

export function meansTable(rows: readonly MeanRow[], subs: readonly Subsystem[], timeName: string, by: string | undefined, groups: Groups | undefined, method: string): Record<string, string> {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : '')
  const g = groups?.labels ?? []
  const table: GridTable = {
    title: `Coupling coordination: means by ${timeName}${by ? ` and ${by}` : ''}`,
    spans: [[
      { text: '', span: 1 },
      { text: 'Subsystem index u', span: subs.length },
      { text: 'All units', span: 3 },
      ...(g.length ? [{ text: `D by ${by}`, span: g.length }] : []),
    ]],
    header: [timeName, ...subs.map((s) => s.name), 'C', 'T', 'D', ...g],
    align: ['l', ...subs.map(() => 'c' as const), 'c', 'c', 'c', ...g.map(() => 'c' as const)],
    sections: [{ rows: rows.map((r) => ({ cells: [r.time === undefined ? 'All' : String(r.time), ...r.values.map(f), ...r.groups.map(f)] })) }],
    notes: [
      'C = n·[Π u_i / (Σ u_i)ⁿ]^(1/n), T = Σ α_i u_i, D = √(C·T); means over the unit-periods where D is defined.',
      method,
      ...(rows.length ? [`${rows[rows.length - 1].n} unit-periods.`] : []),
    ],
  }
  return gridFiles('means', table)
}

export function couplingFacts(c: Coupled, subs: readonly Subsystem[], rows: readonly MeanRow[], units: number | undefined, groups: Groups | undefined): Record<string, number> {
  const facts: Record<string, number> = {}
  const put = (name: string, v: number) => { if (Number.isFinite(v)) facts[name] = v }
  const all = rows[rows.length - 1]
  put('rows', all.n)
  if (units !== undefined) put('units', units)
  put('subsystems', subs.length)
  const names = [...subs.map((s) => s.column), 'C', 'T', 'D']
  names.forEach((name, k) => {
    put(`mean(${name})`, all.values[k])
    for (const r of rows) if (r.time !== undefined) put(`mean(${name},${r.time})`, r.values[k])
  })
  groups?.labels.forEach((label, j) => { const key = factKey(label); if (key) put(`mean(D,${key})`, all.groups[j]) })
  for (const w of c.weights) {
    const s = factKey(w.subsystem)
    if (s) put(w.period === undefined ? `weight(${s},${w.column})` : `weight(${s},${w.column},${w.period})`, w.weight)
  }
  const n = all.n
  for (const cls of CCD_CLASSES) put(`share(${cls.level})`, count(c.level, (v) => v === cls.level) / n)
  for (const s of subs) { const key = factKey(s.name); if (key) put(`lagging(${key})`, count(c.lagging, (v) => v === s.name) / n) }
  put('synchronous', count(c.lagging, (v) => v === SYNCHRONOUS) / n)
  return facts
}

function count<T>(xs: ArrayLike<T>, f: (v: T, i: number) => boolean): number {
  let k = 0
  for (let i = 0; i < xs.length; i++) if (f(xs[i], i)) k++
  return k
}
