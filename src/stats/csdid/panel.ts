/**
 * The balanced unit × period layout of the Callaway–Sant'Anna estimators: outcome (and
 * covariates) for every unit in every period, and each unit's group, the first period in
 * which it is treated. Errors are kernel errors (code, role, column); the stage says which
 * parameter they belong to.
 */
import { QuasiError } from '../../errors.ts'
import { balancedGrid, namedUnits } from '../balanced.ts'
import { isNeverTreated } from '../treatment.ts'

export interface CsPanel {
  /** Units sorted by their key, so that sums do not depend on row order. */
  readonly units: readonly string[]
  /** Distinct periods, ascending. */
  readonly times: readonly number[]
  /** Outcome, unit-major: y[i·T + t]. */
  readonly y: Float64Array
  /** Covariates, each unit-major like y. */
  readonly x: readonly Float64Array[]
  /** First treated period (a value of `times`) of each unit; 0 for never treated within the panel. */
  readonly group: Float64Array
}

export interface CsColumns {
  readonly unit: { readonly name: string; readonly values: ArrayLike<unknown> }
  readonly time: { readonly name: string; readonly values: Float64Array }
  readonly outcome: { readonly name: string; readonly values: Float64Array }
  /** Adoption period per row (missing or 0: never treated), or a 0/1 treatment indicator. */
  readonly treatment: { readonly name: string; readonly values: Float64Array; readonly kind: 'adoption' | 'indicator' }
  readonly covariates: readonly { readonly name: string; readonly values: Float64Array }[]
}

export function csPanel(c: CsColumns): CsPanel {
  const { units, times, row } = balancedGrid(c.unit, c.time, 'the Callaway–Sant\'Anna panel estimator needs every unit in every period: keep the units observed throughout (`sample:` of the did stage), or fill the gaps first')
  const N = units.length, T = times.length
  const y = new Float64Array(N * T)
  const x = c.covariates.map(() => new Float64Array(N * T))
  const group = new Float64Array(N)
  const switchOff: string[] = []
  const tr = c.treatment.values
  for (let i = 0; i < N; i++) {
    let on = -1, off = false
    const a0 = tr[row[i * T]]
    for (let t = 0; t < T; t++) {
      const r = row[i * T + t]
      const v = c.outcome.values[r]
      if (Number.isNaN(v)) {
        throw new QuasiError('UNBALANCED_PANEL', `the outcome \`${c.outcome.name}\` is missing for unit \`${units[i]}\` in period ${times[t]}: the panel is unbalanced`, {
          role: { role: 'outcome', column: c.outcome.name }, hint: 'the panel estimator needs the outcome of every unit in every period',
        })
      }
      y[i * T + t] = v
      c.covariates.forEach((cv, k) => {
        const w = cv.values[r]
        if (Number.isNaN(w)) {
          throw new QuasiError('BAD_DATA', `the covariate \`${cv.name}\` is missing for unit \`${units[i]}\` in period ${times[t]}`, { role: { role: 'covariate', column: cv.name } })
        }
        x[k][i * T + t] = w
      })
      const d = tr[r]
      if (c.treatment.kind === 'adoption') {
        if (!Object.is(d, a0) && !(isNeverTreated(d) && isNeverTreated(a0))) off = true
      } else {
        if (d !== 0 && d !== 1) {
          throw new QuasiError('BAD_DATA', `the treatment \`${c.treatment.name}\` of unit \`${units[i]}\` in period ${times[t]} is ${d}, not 0 or 1`, { role: { role: 'treatment', column: c.treatment.name } })
        }
        if (d === 1 && on < 0) on = t
        else if (d === 0 && on >= 0) off = true
      }
    }
    if (off) { switchOff.push(units[i]); continue }
    if (c.treatment.kind === 'adoption') {
      // The first period on or after the adoption date; adoption after the last period: not treated within the panel.
      const k = isNeverTreated(a0) ? -1 : times.findIndex((t) => t >= a0)
      group[i] = k < 0 ? 0 : times[k]
    } else {
      group[i] = on < 0 ? 0 : times[on]
    }
  }
  if (switchOff.length) {
    const what = c.treatment.kind === 'adoption' ? `the adoption period \`${c.treatment.name}\` is not constant within ${switchOff.length} unit${switchOff.length > 1 ? 's' : ''}` : `the treatment \`${c.treatment.name}\` switches off in ${switchOff.length} unit${switchOff.length > 1 ? 's' : ''}`
    throw new QuasiError('BAD_DATA', `${what}: ${namedUnits(switchOff)}`, {
      role: { role: 'treatment', column: c.treatment.name }, expected: 'a treatment that stays on once adopted (staggered, absorbing adoption)',
      found: `${switchOff.length} unit${switchOff.length > 1 ? 's' : ''} whose treatment ${c.treatment.kind === 'adoption' ? 'date changes' : 'goes from 1 back to 0'}`,
      hint: 'the Callaway–Sant\'Anna estimators assume that treatment, once on, stays on',
    })
  }
  if (times.some((t) => !Number.isFinite(t))) throw new QuasiError('BAD_DATA', `the panel time \`${c.time.name}\` has a non-finite value`, { role: { role: 'design', column: c.time.name } })
  return { units, times, y, x, group }
}
