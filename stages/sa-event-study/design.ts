/**
 * The design of the saturated Sun–Abraham regression: cohorts, the control restriction,
 * and one indicator per (relative period, treated cohort) cell with observations,
 *   D^{g,k}_it = 1{E_i = g} · 1{e_it = k}  (lo < k < hi),  with e ≤ lo and e ≥ hi binned,
 * the reference period and the control cohort without indicators.
 */
import { numberColumn, type Frame } from '../../src/artifacts/frame.ts'
import { periodLabel } from '../_estimation/relative-time.ts'

/** Column name of the indicator of cohort g at period k. */
export const cellName = (k: number, g: number): string => `${periodLabel(k)}_g${g}`

export interface Design {
  readonly frame: Frame
  /** Estimated relative periods (the reference left out), ascending. */
  readonly periods: readonly number[]
  /** Treated cohorts with indicators, ascending. */
  readonly cohorts: readonly number[]
  /** Cell p·G + g of each frame row, −1 outside the cells. */
  readonly cell: Int32Array
  /** Indicator column per cell ('' when the cell has no observation). */
  readonly names: readonly string[]
  /** Observations per cell before the regression drops any. */
  readonly counts: Float64Array
}

export function saturatedDesign(frame: Frame, time: Float64Array, cohort: Float64Array, treated: readonly number[], window: readonly [number, number], reference: number): Design {
  const [lo, hi] = window
  const periods: number[] = []
  for (let k = lo; k <= hi; k++) if (k !== reference) periods.push(k)
  const pIndex = new Map(periods.map((k, p) => [k, p]))
  const gIndex = new Map(treated.map((g, i) => [g, i]))
  const G = treated.length
  const n = frame.nrows
  const cell = new Int32Array(n).fill(-1)
  const counts = new Float64Array(periods.length * G)
  for (let r = 0; r < n; r++) {
    const gi = gIndex.get(cohort[r])
    if (gi === undefined || time[r] !== time[r]) continue
    const e = Math.min(hi, Math.max(lo, time[r] - cohort[r]))
    const p = pIndex.get(e)
    if (p === undefined) continue
    cell[r] = p * G + gi
    counts[p * G + gi]++
  }
  const names = periods.flatMap((k) => treated.map((g, gi) => (counts[pIndex.get(k)! * G + gi] > 0 ? cellName(k, g) : '')))
  let out = frame
  names.forEach((name, c) => {
    if (!name) return
    const col = new Float64Array(n)
    for (let r = 0; r < n; r++) col[r] = time[r] !== time[r] ? NaN : cell[r] === c ? 1 : 0
    out = out.withColumn(name, numberColumn(col))
  })
  return { frame: out, periods, cohorts: treated, cell, names, counts }
}
