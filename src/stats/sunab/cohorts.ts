/**
 * Cohorts of a staggered design for the Sun–Abraham (2021) event study: each unit's first
 * treated period E_i (its cohort; Infinity for units never treated within the panel) from
 * a treatment path D_it that must stay on once it is on. Kernel errors carry a role, not a
 * parameter: the stage says which `with:` key they belong to.
 */
import { QuasiError } from '../../errors.ts'
import { namedUnits } from '../balanced.ts'

export interface CohortInput {
  /** Unit key per row. */
  readonly unit: ArrayLike<unknown>
  readonly unitName: string
  /** Time per row (numeric). */
  readonly time: ArrayLike<number>
  /** Treatment path per row: 1 from the first treated period on, 0 before and for never-treated units; NaN unknown. */
  readonly treated: ArrayLike<number>
  readonly treatmentName: string
  /** The cohort of a unit when the data give it directly (adoption years); else the first treated period. */
  readonly adoption?: ArrayLike<number>
}

export interface Cohorts {
  /** E_i per row: the unit's cohort, Infinity for never treated. */
  readonly cohort: Float64Array
  /** Distinct periods of the panel, ascending. */
  readonly times: readonly number[]
}

/** Units as strings in first-appearance order, and the row → unit index. */
function unitIndex(values: ArrayLike<unknown>, name: string): { keys: string[]; of: Int32Array } {
  const index = new Map<string, number>()
  const keys: string[] = []
  const of = new Int32Array(values.length)
  for (let r = 0; r < values.length; r++) {
    const raw = values[r]
    if (raw === null || raw === undefined || (typeof raw === 'number' && Number.isNaN(raw))) {
      throw new QuasiError('BAD_DATA', `the panel unit \`${name}\` is missing in row ${r + 1}`, { role: { role: 'design', column: name } })
    }
    const k = String(raw)
    let i = index.get(k)
    if (i === undefined) { i = keys.length; index.set(k, i); keys.push(k) }
    of[r] = i
  }
  return { keys, of }
}

/**
 * Each unit's cohort. A unit whose treatment is 1 in some period and 0 in a later one is an
 * error naming the units (Sun–Abraham needs absorbing treatment); so is an adoption year
 * that differs between the rows of one unit.
 */
export function unitCohorts(c: CohortInput): Cohorts {
  const n = c.time.length
  const { keys, of } = unitIndex(c.unit, c.unitName)
  const U = keys.length
  const order = Array.from({ length: n }, (_, r) => r).sort((a, b) => of[a] - of[b] || c.time[a] - c.time[b])
  const first = new Float64Array(U).fill(Infinity)
  const switched: string[] = []
  const seen = new Uint8Array(U)
  let prevUnit = -1, on = false
  for (const r of order) {
    const u = of[r]
    if (u !== prevUnit) { prevUnit = u; on = false }
    const d = c.treated[r]
    if (d !== d) continue
    if (d === 1) {
      if (!on) { on = true; if (first[u] === Infinity) first[u] = c.time[r] }
    } else if (on && !seen[u]) {
      seen[u] = 1
      switched.push(keys[u])
    }
  }
  if (switched.length) {
    throw new QuasiError('BAD_DATA', `the treatment switches off in ${switched.length} unit${switched.length > 1 ? 's' : ''}: ${namedUnits(switched)}`, {
      role: { role: 'treatment', column: c.treatmentName },
      expected: 'a treatment that stays on once adopted (staggered adoption)',
      found: `${switched.length} unit${switched.length > 1 ? 's' : ''} treated and then untreated`,
      hint: 'the Sun–Abraham estimator is for absorbing treatments; drop the units whose treatment ends (`sample:`), or study the switch-off as a separate event',
    })
  }
  const cohortOfUnit = first
  const times = [...new Set(Array.from(c.time).filter((t) => t === t))].sort((x, y) => x - y)
  if (c.adoption) {
    const a = new Float64Array(U).fill(NaN)
    const varies: string[] = []
    const flagged = new Uint8Array(U)
    for (let r = 0; r < n; r++) {
      const u = of[r]
      const v = c.adoption[r] !== c.adoption[r] || c.adoption[r] === 0 ? Infinity : c.adoption[r]
      if (Number.isNaN(a[u])) a[u] = v
      else if (a[u] !== v && !flagged[u]) { flagged[u] = 1; varies.push(keys[u]) }
    }
    if (varies.length) {
      throw new QuasiError('BAD_DATA', `the adoption year differs between the rows of ${varies.length} unit${varies.length > 1 ? 's' : ''}: ${namedUnits(varies)}`, {
        role: { role: 'treatment', column: c.treatmentName }, expected: 'one adoption year per unit (empty or 0 for never treated)',
      })
    }
    // The cohort is the first period of the panel from the adoption year on (2006.5 joins 2007;
    // a year after the panel's last period, or none, is never treated within the panel).
    for (let u = 0; u < U; u++) {
      const k = times.findIndex((t) => t >= a[u])
      cohortOfUnit[u] = k < 0 ? Infinity : times[k]
    }
  }
  const cohort = new Float64Array(n)
  for (let r = 0; r < n; r++) cohort[r] = cohortOfUnit[of[r]]
  return { cohort, times }
}
