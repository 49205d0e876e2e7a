/**
 * Fake treatments for placebo draws, on the estimation rows of a panel.
 *
 * Each unit's treatment is a path over the panel's times (the observed values; a time the
 * unit is not observed at takes the unit's nearest earlier observed value, or the nearest
 * later one before its first observation). Its adoption time is the first time its
 * treatment is 1 (none for a never-treated unit).
 *
 *   units   a permutation π of the units: unit u takes the whole path of donor π(u), so
 *           the number of treated units and the distribution of adoption times are kept;
 *   mixed   as many units as are treated, drawn at random without replacement, each with
 *           an adoption time drawn with replacement from the treated units' adoption times;
 *           D = 1 from that time on;
 *   time    no draw: adoption moved k periods earlier, D = 1[t ≥ a_u − k], on the
 *           rows before the true adoption (t < a_u) and the never-treated units' rows.
 *
 * Units are ordered by their label (numbers by value, text by code units), so a draw
 * depends on the seed and the set of units, not on the row order of the data.
 */
import type { Column } from '../../artifacts/frame.ts'
import type { Rng } from '../rng.ts'

export interface PanelPaths {
  /** Unit labels in canonical order. */
  readonly units: readonly string[]
  /** Per estimation row: the unit's index in `units`, and the time's index in `times`. */
  readonly unitOf: Int32Array
  readonly timeOf: Int32Array
  readonly times: Float64Array
  /** U × T row-major: unit u's treatment at time index t. */
  readonly path: Float64Array
  /** Adoption time per unit (NaN for never treated). */
  readonly adoption: Float64Array
}

/** The paths of `treatment` on `rows` of the unit and time columns. */
export function panelPaths(unit: Column, time: Float64Array, treatment: Float64Array, rows: Int32Array): PanelPaths {
  const n = rows.length
  const label = (i: number): string => {
    const v = unit.data[i]
    return v === null ? '' : String(v)
  }
  const numeric = unit.type === 'number'
  const seen = new Map<string, number>()
  for (let i = 0; i < n; i++) { const l = label(rows[i]); if (!seen.has(l)) seen.set(l, numeric ? Number(l) : 0) }
  const units = [...seen.keys()].sort(numeric ? (a, b) => seen.get(a)! - seen.get(b)! : (a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const uIndex = new Map(units.map((u, k) => [u, k]))
  const times = Float64Array.from(new Set(Array.from(rows, (r) => time[r]))).sort()
  const tIndex = new Map(Array.from(times, (t, k) => [t, k]))
  const U = units.length, T = times.length
  const unitOf = new Int32Array(n), timeOf = new Int32Array(n)
  const path = new Float64Array(U * T).fill(NaN)
  for (let i = 0; i < n; i++) {
    const r = rows[i]
    unitOf[i] = uIndex.get(label(r))!
    timeOf[i] = tIndex.get(time[r])!
    path[unitOf[i] * T + timeOf[i]] = treatment[r]
  }
  const adoption = new Float64Array(U).fill(NaN)
  for (let u = 0; u < U; u++) {
    const base = u * T
    let last = NaN
    for (let t = 0; t < T; t++) { if (Number.isNaN(path[base + t])) path[base + t] = last; else last = path[base + t] }
    let next = NaN
    for (let t = T - 1; t >= 0; t--) { if (Number.isNaN(path[base + t])) path[base + t] = next; else next = path[base + t] }
    for (let t = 0; t < T; t++) if (path[base + t] === 1) { adoption[u] = times[t]; break }
  }
  return { units, unitOf, timeOf, times, path, adoption }
}

/** A uniform random permutation of 0..U−1 (Fisher–Yates): unit u takes donor perm[u]. */
export function permutation(rng: Rng, U: number): Int32Array {
  const a = new Int32Array(U)
  for (let i = 0; i < U; i++) a[i] = i
  for (let i = U - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    const t = a[i]; a[i] = a[j]; a[j] = t
  }
  return a
}

/** The fake treatment on the estimation rows when unit u takes donor[u]'s path. */
export function donorTreatment(p: PanelPaths, donor: Int32Array, out = new Float64Array(p.unitOf.length)): Float64Array {
  const T = p.times.length
  for (let i = 0; i < out.length; i++) out[i] = p.path[donor[p.unitOf[i]] * T + p.timeOf[i]]
  return out
}

/** Units and adoption times at random (the `mixed` scheme): the adoption time per unit, NaN for untreated. */
export function mixedAdoption(p: PanelPaths, rng: Rng): Float64Array {
  const U = p.units.length
  const observed: number[] = []
  for (let u = 0; u < U; u++) if (!Number.isNaN(p.adoption[u])) observed.push(p.adoption[u])
  const order = permutation(rng, U)
  const out = new Float64Array(U).fill(NaN)
  for (let k = 0; k < observed.length; k++) out[order[k]] = observed[rng.int(observed.length)]
  return out
}

/** D = 1[t ≥ a_u] on the estimation rows for adoption times a (NaN: never). */
export function adoptionTreatment(p: PanelPaths, adoption: Float64Array, out = new Float64Array(p.unitOf.length)): Float64Array {
  for (let i = 0; i < out.length; i++) {
    const a = adoption[p.unitOf[i]]
    out[i] = !Number.isNaN(a) && p.times[p.timeOf[i]] >= a ? 1 : 0
  }
  return out
}

/** The `time` scheme for shift k: the pre-adoption rows (indices into the estimation rows) and the fake treatment there. */
export function timeShift(p: PanelPaths, k: number): { keep: Int32Array; treatment: Float64Array } {
  const keep: number[] = []
  for (let i = 0; i < p.unitOf.length; i++) {
    const a = p.adoption[p.unitOf[i]]
    if (Number.isNaN(a) || p.times[p.timeOf[i]] < a) keep.push(i)
  }
  const treatment = new Float64Array(keep.length)
  keep.forEach((i, j) => {
    const a = p.adoption[p.unitOf[i]]
    treatment[j] = !Number.isNaN(a) && p.times[p.timeOf[i]] >= a - k ? 1 : 0
  })
  return { keep: Int32Array.from(keep), treatment }
}
