/**
 * The balanced unit × period layout the Goodman-Bacon decomposition needs: outcome, 0/1
 * treatment (and covariates, when decomposed with them) for every unit in every period, the
 * treatment never switching off. Errors are
 * kernel errors (code, role, column); the stage says which parameter they belong to.
 */
import { QuasiError } from '../../errors.ts'
import { balancedGrid, namedUnits } from '../balanced.ts'

export interface BaconPanel {
  /** Units sorted by their key (code-unit order), so that sums do not depend on row order. */
  readonly units: readonly string[]
  /** Distinct periods, ascending. */
  readonly times: readonly number[]
  /** Outcome, unit-major: y[i·T + t]. */
  readonly y: Float64Array
  /** First treated period index of each unit: T for never treated (within the panel). */
  readonly first: Int32Array
  /** Covariates (when given), unit-major like y. */
  readonly covariates: readonly { readonly name: string; readonly values: Float64Array }[]
}

export interface PanelColumns {
  readonly unit: { readonly name: string; readonly values: ArrayLike<unknown> }
  readonly time: { readonly name: string; readonly values: Float64Array }
  readonly outcome: { readonly name: string; readonly values: Float64Array }
  readonly treatment: { readonly name: string; readonly values: Float64Array }
  /** For the decomposition with covariates: each must be present in every cell, like the outcome. */
  readonly covariates?: readonly { readonly name: string; readonly values: Float64Array }[]
}

export function baconPanel(c: PanelColumns): BaconPanel {
  const { units, times, row } = balancedGrid(c.unit, c.time, 'the decomposition holds for balanced panels only: keep the units observed in every period (`sample:` of the did stage), or fill the gaps first')
  const N = units.length, T = times.length
  const y = new Float64Array(N * T)
  const first = new Int32Array(N).fill(T)
  const switchOff: string[] = []
  for (let i = 0; i < N; i++) {
    let on = false, off = false
    for (let t = 0; t < T; t++) {
      const r = row[i * T + t]
      const v = c.outcome.values[r], d = c.treatment.values[r]
      if (Number.isNaN(v)) {
        throw new QuasiError('UNBALANCED_PANEL', `the outcome \`${c.outcome.name}\` is missing for unit \`${units[i]}\` in period ${times[t]}: the panel is unbalanced`, {
          role: { role: 'outcome', column: c.outcome.name }, hint: 'the decomposition needs the outcome of every unit in every period',
        })
      }
      if (d !== 0 && d !== 1) {
        throw new QuasiError('BAD_DATA', `the treatment \`${c.treatment.name}\` of unit \`${units[i]}\` in period ${times[t]} is ${d}, not 0 or 1`, { role: { role: 'treatment', column: c.treatment.name } })
      }
      y[i * T + t] = v
      if (d === 1 && !on) { on = true; first[i] = t }
      else if (d === 0 && on) off = true
    }
    if (off) switchOff.push(units[i])
  }
  const covariates = (c.covariates ?? []).map((x) => {
    const values = new Float64Array(N * T)
    for (let cell = 0; cell < N * T; cell++) {
      const v = x.values[row[cell]]
      if (Number.isNaN(v)) {
        const i = Math.floor(cell / T), t = cell % T
        throw new QuasiError('UNBALANCED_PANEL', `the covariate \`${x.name}\` is missing for unit \`${units[i]}\` in period ${times[t]}: the panel is unbalanced`, {
          role: { role: 'covariate', column: x.name }, hint: 'the decomposition with covariates needs every covariate of every unit in every period',
        })
      }
      values[cell] = v
    }
    return { name: x.name, values }
  })
  if (switchOff.length) {
    const named = namedUnits(switchOff)
    throw new QuasiError('BAD_DATA', `the treatment switches off in ${switchOff.length} unit${switchOff.length > 1 ? 's' : ''}: ${named}`, {
      role: { role: 'treatment', column: c.treatment.name }, expected: 'a treatment that stays on once adopted (staggered adoption)',
      found: `${switchOff.length} unit${switchOff.length > 1 ? 's' : ''} treated and then untreated`,
    })
  }
  return { units, times, y, first, covariates }
}
