/**
 * A balanced panel's grid: units sorted (so sums that run in unit order give the same bits for
 * any row order), periods sorted, and the row of each unit × period cell. Shared by the
 * kernels that need every unit in every period (the Goodman-Bacon decomposition, the
 * Callaway–Sant'Anna panel estimator). Errors name the columns by role; the caller adds why
 * balance is needed (`hint`).
 */
import { QuasiError } from '../errors.ts'

export interface BalancedGrid {
  /** Unit keys, sorted. */
  readonly units: readonly string[]
  /** Periods, ascending. */
  readonly times: readonly number[]
  /** Row of unit i in period t at i·T + t. */
  readonly row: Int32Array
}

/** How many units an error message names before "and k more". */
const NAMED = 5

/** `\`a\`, \`b\`, … and k more`, for messages that name units. */
export function namedUnits(us: readonly string[]): string {
  return us.slice(0, NAMED).map((u) => `\`${u}\``).join(', ') + (us.length > NAMED ? ` and ${us.length - NAMED} more` : '')
}

export function balancedGrid(unit: { readonly name: string; readonly values: ArrayLike<unknown> }, time: { readonly name: string; readonly values: Float64Array }, hint: string): BalancedGrid {
  const nrows = time.values.length
  const uIndex = new Map<string, number>()
  const keys: string[] = []
  const uOf = new Int32Array(nrows)
  const tset = new Set<number>()
  for (let r = 0; r < nrows; r++) {
    const raw = unit.values[r]
    if (raw === null || raw === undefined || (typeof raw === 'number' && Number.isNaN(raw))) {
      throw new QuasiError('BAD_DATA', `the panel unit \`${unit.name}\` is missing in row ${r + 1}`, { role: { role: 'design', column: unit.name } })
    }
    const u = String(raw)
    let i = uIndex.get(u)
    if (i === undefined) { i = keys.length; uIndex.set(u, i); keys.push(u) }
    uOf[r] = i
    const t = time.values[r]
    if (Number.isNaN(t)) throw new QuasiError('BAD_DATA', `the panel time \`${time.name}\` is missing in row ${r + 1}`, { role: { role: 'design', column: time.name } })
    tset.add(t)
  }
  const order = keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0))
  const rank = new Int32Array(keys.length)
  order.forEach((i, k) => { rank[i] = k })
  const units = order.map((i) => keys[i])
  const times = [...tset].sort((a, b) => a - b)
  const tIndex = new Map(times.map((t, k) => [t, k]))
  const N = units.length, T = times.length
  const row = new Int32Array(N * T).fill(-1)
  for (let r = 0; r < nrows; r++) {
    const u = rank[uOf[r]]
    const cell = u * T + tIndex.get(time.values[r])!
    if (row[cell] !== -1) {
      throw new QuasiError('DUPLICATE_PANEL_KEY', `unit \`${units[u]}\` appears twice in period ${time.values[r]}`, { found: `rows ${row[cell] + 1} and ${r + 1}` })
    }
    row[cell] = r
  }
  if (nrows !== N * T) {
    const gap = row.indexOf(-1)
    throw new QuasiError('UNBALANCED_PANEL', `the panel is unbalanced: ${nrows} rows for ${N} units × ${T} periods (unit \`${units[Math.floor(gap / T)]}\` has no row for period ${times[gap % T]})`, {
      expected: `${N * T} rows, one per unit and period`, found: `${nrows} rows`, hint,
    })
  }
  return { units, times, row }
}
