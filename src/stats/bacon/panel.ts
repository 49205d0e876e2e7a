/**
 * The balanced unit × period layout the Goodman-Bacon decomposition needs: outcome and 0/1
 * treatment for every unit in every period, the treatment never switching off. Errors are
 * kernel errors (code, role, column); the stage says which parameter they belong to.
 */
import { QuasiError } from '../../errors.ts'

export interface BaconPanel {
  /** Units sorted by their key (code-unit order), so that sums do not depend on row order. */
  readonly units: readonly string[]
  /** Distinct periods, ascending. */
  readonly times: readonly number[]
  /** Outcome, unit-major: y[i·T + t]. */
  readonly y: Float64Array
  /** First treated period index of each unit: T for never treated (within the panel). */
  readonly first: Int32Array
}

export interface PanelColumns {
  readonly unit: { readonly name: string; readonly values: ArrayLike<unknown> }
  readonly time: { readonly name: string; readonly values: Float64Array }
  readonly outcome: { readonly name: string; readonly values: Float64Array }
  readonly treatment: { readonly name: string; readonly values: Float64Array }
}

/** How many units an error message names before "and k more". */
const NAMED = 5

export function baconPanel(c: PanelColumns): BaconPanel {
  const nrows = c.time.values.length
  const uIndex = new Map<string, number>()
  const units: string[] = []
  const uOf = new Int32Array(nrows)
  const tset = new Set<number>()
  for (let r = 0; r < nrows; r++) {
    const raw = c.unit.values[r]
    if (raw === null || raw === undefined || (typeof raw === 'number' && Number.isNaN(raw))) {
      throw new QuasiError('BAD_DATA', `the panel unit \`${c.unit.name}\` is missing in row ${r + 1}`, { role: { role: 'design', column: c.unit.name } })
    }
    const u = String(raw)
    let i = uIndex.get(u)
    if (i === undefined) { i = units.length; uIndex.set(u, i); units.push(u) }
    uOf[r] = i
    const t = c.time.values[r]
    if (Number.isNaN(t)) throw new QuasiError('BAD_DATA', `the panel time \`${c.time.name}\` is missing in row ${r + 1}`, { role: { role: 'design', column: c.time.name } })
    tset.add(t)
  }
  // Sums run in unit order: sort the units so that the same panel in another row order gives the same bits.
  const order = units.map((_, i) => i).sort((a, b) => (units[a] < units[b] ? -1 : units[a] > units[b] ? 1 : 0))
  const rank = new Int32Array(units.length)
  order.forEach((i, k) => { rank[i] = k })
  const sortedUnits = order.map((i) => units[i])
  for (let r = 0; r < nrows; r++) uOf[r] = rank[uOf[r]]
  sortedUnits.forEach((u, k) => { units[k] = u })
  const times = [...tset].sort((a, b) => a - b)
  const tIndex = new Map(times.map((t, k) => [t, k]))
  const N = units.length, T = times.length
  const row = new Int32Array(N * T).fill(-1)
  for (let r = 0; r < nrows; r++) {
    const cell = uOf[r] * T + tIndex.get(c.time.values[r])!
    if (row[cell] !== -1) {
      throw new QuasiError('DUPLICATE_PANEL_KEY', `unit \`${units[uOf[r]]}\` appears twice in period ${c.time.values[r]}`, { found: `rows ${row[cell] + 1} and ${r + 1}` })
    }
    row[cell] = r
  }
  if (nrows !== N * T) {
    const gap = row.indexOf(-1)
    throw new QuasiError('UNBALANCED_PANEL', `the panel is unbalanced: ${nrows} rows for ${N} units × ${T} periods (unit \`${units[Math.floor(gap / T)]}\` has no row for period ${times[gap % T]})`, {
      expected: `${N * T} rows, one per unit and period`, found: `${nrows} rows`,
      hint: 'the decomposition holds for balanced panels only: keep the units observed in every period (`sample:` of the did stage), or fill the gaps first',
    })
  }
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
  if (switchOff.length) {
    const named = switchOff.slice(0, NAMED).map((u) => `\`${u}\``).join(', ') + (switchOff.length > NAMED ? ` and ${switchOff.length - NAMED} more` : '')
    throw new QuasiError('BAD_DATA', `the treatment switches off in ${switchOff.length} unit${switchOff.length > 1 ? 's' : ''}: ${named}`, {
      role: { role: 'treatment', column: c.treatment.name }, expected: 'a treatment that stays on once adopted (staggered adoption)',
      found: `${switchOff.length} unit${switchOff.length > 1 ? 's' : ''} treated and then untreated`,
    })
  }
  return { units, times, y, first }
}
