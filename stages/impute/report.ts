/**
 * What impute did, counted per column (and per unit): for the log, imputed.csv,
 * imputed_by_unit.csv, the facts `imputed(col)` / `still_missing(col)`, and the stage data.
 */
import type { Json } from '../../src/stage.ts'
import type { PanelIndex } from './panel.ts'

export interface ColumnReport {
  readonly column: string
  readonly imputed: number
  readonly stillMissing: number
  /** Of `imputed`, values taken from beyond the unit's observed span (`ends: nearest`). */
  readonly atEnds: number
  /** Per unit (index as in PanelIndex.units). */
  readonly imputedBy: Int32Array
  readonly missingBy: Int32Array
  /** Units with no observed value of the column (whose rows all stay missing). */
  readonly emptyUnits: string[]
  /** Missing values in units that have some observation but were not filled. */
  readonly missingInObservedUnits: number
}

export function countColumn(column: string, before: Float64Array, after: Float64Array, atEnds: number, panel: PanelIndex): ColumnReport {
  const nu = panel.units.length
  const imputedBy = new Int32Array(nu)
  const missingBy = new Int32Array(nu)
  const observedBy = new Int32Array(nu)
  for (let i = 0; i < before.length; i++) {
    const u = panel.unitOf[i]
    if (!Number.isNaN(before[i])) observedBy[u]++
    else if (Number.isNaN(after[i])) missingBy[u]++
    else imputedBy[u]++
  }
  let imputed = 0
  let stillMissing = 0
  let missingInObservedUnits = 0
  const emptyUnits: string[] = []
  for (let u = 0; u < nu; u++) {
    imputed += imputedBy[u]
    stillMissing += missingBy[u]
    if (observedBy[u] === 0) emptyUnits.push(panel.units[u])
    else missingInObservedUnits += missingBy[u]
  }
  return { column, imputed, stillMissing, atEnds, imputedBy, missingBy, emptyUnits, missingInObservedUnits }
}

export function totalsCsv(reports: readonly ColumnReport[]): string {
  const lines = ['column,imputed,still_missing']
  for (const r of reports) lines.push(`${csvField(r.column)},${r.imputed},${r.stillMissing}`)
  return lines.join('\n') + '\n'
}

/** One row per column × unit, units in order of first appearance; the unit header is the unit column's name. */
export function perUnitCsv(reports: readonly ColumnReport[], panel: PanelIndex): string {
  const unitHeader = ['column', 'imputed', 'still_missing'].includes(panel.unit) ? 'unit' : panel.unit
  const lines = [`column,${csvField(unitHeader)},imputed,still_missing`]
  for (const r of reports) {
    for (let u = 0; u < panel.units.length; u++) {
      lines.push(`${csvField(r.column)},${csvField(panel.units[u])},${r.imputedBy[u]},${r.missingBy[u]}`)
    }
  }
  return lines.join('\n') + '\n'
}

/** Log lines per unit that had anything imputed or left missing: `Beijing: imputed gdp 2, so2 1; still missing fdi 3`. */
export function perUnitLines(reports: readonly ColumnReport[], panel: PanelIndex): string[] {
  const lines: string[] = []
  for (let u = 0; u < panel.units.length; u++) {
    const imp = reports.filter((r) => r.imputedBy[u] > 0).map((r) => `${r.column} ${r.imputedBy[u]}`)
    const miss = reports.filter((r) => r.missingBy[u] > 0).map((r) => `${r.column} ${r.missingBy[u]}`)
    if (imp.length + miss.length === 0) continue
    const parts = [imp.length ? `imputed ${imp.join(', ')}` : '', miss.length ? `still missing ${miss.join(', ')}` : ''].filter(Boolean)
    lines.push(`${panel.unit} ${panel.units[u]}: ${parts.join('; ')}`)
  }
  return lines
}

export function facts(reports: readonly ColumnReport[]): Record<string, number> {
  const f: Record<string, number> = {}
  let imputed = 0
  let still = 0
  for (const r of reports) {
    f[`imputed(${r.column})`] = r.imputed
    f[`still_missing(${r.column})`] = r.stillMissing
    imputed += r.imputed
    still += r.stillMissing
  }
  f.imputed = imputed
  f.still_missing = still
  return f
}

export function reportData(reports: readonly ColumnReport[], extra: Record<string, Json>): Json {
  return {
    ...extra,
    columns: reports.map((r) => ({
      column: r.column,
      imputed: r.imputed,
      still_missing: r.stillMissing,
      at_ends: r.atEnds,
      units_without_data: r.emptyUnits,
    })),
  }
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}
