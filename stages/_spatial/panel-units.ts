/**
 * What the spatial stage kinds share: the units of a frame in matrix order, unit-level
 * attributes of a panel, and the check that a weights matrix and the data name the same units.
 *
 * Unit order: the distinct keys of the unit column, sorted numerically when the column is
 * numeric and by code unit (byte order for ASCII) when it is text — the order placebo uses too.
 * Keys are the frame's display keys (numbers in shortest round-trip form).
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import type { Weights, WeightsCandidate } from '../../src/artifacts/weights.ts'
import { unknownColumn } from '../../src/columns/names.ts'
import { QuasiError } from '../../src/errors.ts'

export interface UnitIndex {
  /** Unit keys in matrix order. */
  readonly units: readonly string[]
  /** Row → position of its unit in `units`. */
  readonly rowUnit: Int32Array
  /** The unit column is numeric (file ids are then compared as numbers). */
  readonly numeric: boolean
}

export const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The frame's units in matrix order; a missing unit key is an error at `param`. */
export function unitIndex(frame: Frame, unit: string, param: readonly (string | number)[]): UnitIndex {
  const col = frame.column(unit)
  if (!col) throw new QuasiError('MISSING_COLUMN', `the unit column \`${unit}\` is not a column of the data`, { param, hint: 'name the unit column with `unit:`, or declare `panel: { unit, time }` in the pipeline' })
  const numeric = col.type === 'number'
  const keys: string[] = []
  for (let r = 0; r < frame.nrows; r++) {
    const k = frame.key(unit, r)
    if (k === null) throw new QuasiError('BAD_DATA', `row ${r + 1} of the data has no \`${unit}\``, { param, expected: 'a unit key in every row' })
    keys.push(k)
  }
  const distinct = [...new Set(keys)]
  const units = numeric ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct.sort(byCodeUnit)
  const at = new Map(units.map((u, i) => [u, i]))
  return { units, rowUnit: Int32Array.from(keys, (k) => at.get(k)!), numeric }
}

/** How a unit id read from a file compares with the data's keys (as numbers when the unit column is numeric). */
export function keyNormalizer(numeric: boolean): (id: string) => string {
  return numeric
    ? (id) => { const t = id.trim(); const v = Number(t); return t !== '' && Number.isFinite(v) ? String(v) : t }
    : (id) => id.trim()
}

const list = (xs: readonly string[], max = 8) => xs.slice(0, max).map((u) => `\`${u}\``).join(', ') + (xs.length > max ? `, … (${xs.length} in all)` : '')

/**
 * Units in `a` and not in `b`, and in `b` and not in `a`; null when the sets are equal.
 * The message names both sides' extras.
 */
export function unitMismatch(a: readonly string[], b: readonly string[], aName: string, bName: string): string | null {
  const sa = new Set(a), sb = new Set(b)
  const onlyA = a.filter((u) => !sb.has(u)), onlyB = b.filter((u) => !sa.has(u))
  if (!onlyA.length && !onlyB.length) return null
  const parts: string[] = []
  if (onlyA.length) parts.push(`${onlyA.length} unit${onlyA.length > 1 ? 's' : ''} of ${aName} not in ${bName}: ${list(onlyA)}`)
  if (onlyB.length) parts.push(`${onlyB.length} unit${onlyB.length > 1 ? 's' : ''} of ${bName} not in ${aName}: ${list(onlyB)}`)
  return parts.join('; ')
}

/**
 * One value per unit of a unit-level attribute in a panel (coordinates): the value must be the
 * same in every row of the unit (missing cells are skipped); a unit without any value, or
 * with two, is an error at `param`.
 */
export function unitConstant(frame: Frame, column: string, idx: UnitIndex, param: readonly (string | number)[]): Float64Array {
  const col = frame.column(column)
  if (!col) throw unknownColumn(column, frame.names, 'the data', param)
  if (col.type !== 'number') throw new QuasiError('BAD_DATA', `\`${column}\` is not numeric`, { param, expected: 'a numeric column' })
  const out = new Float64Array(idx.units.length).fill(NaN)
  for (let r = 0; r < frame.nrows; r++) {
    const v = col.data[r]
    if (Number.isNaN(v)) continue
    const u = idx.rowUnit[r]
    if (Number.isNaN(out[u])) out[u] = v
    else if (out[u] !== v) {
      throw new QuasiError('BAD_DATA', `\`${column}\` is not constant within unit \`${idx.units[u]}\`: ${out[u]} and ${v}`, {
        param, expected: 'one value per unit (a unit-level attribute)', hint: 'fix the data, or derive a unit-level column first',
      })
    }
  }
  const missing = idx.units.filter((_, u) => Number.isNaN(out[u]))
  if (missing.length) throw new QuasiError('BAD_DATA', `\`${column}\` is missing for ${missing.length} unit${missing.length > 1 ? 's' : ''}: ${list(missing)}`, { param })
  return out
}

/** Mean over the unit's rows of a numeric column (missing cells skipped). */
export function unitMeans(frame: Frame, column: string, idx: UnitIndex, param: readonly (string | number)[]): Float64Array {
  const col = frame.column(column)
  if (!col) throw unknownColumn(column, frame.names, 'the data', param)
  if (col.type !== 'number') throw new QuasiError('BAD_DATA', `\`${column}\` is not numeric`, { param, expected: 'a numeric column' })
  const sum = new Float64Array(idx.units.length), cnt = new Float64Array(idx.units.length)
  for (let r = 0; r < frame.nrows; r++) {
    const v = col.data[r]
    if (Number.isNaN(v)) continue
    sum[idx.rowUnit[r]] += v
    cnt[idx.rowUnit[r]]++
  }
  const missing = idx.units.filter((_, u) => cnt[u] === 0)
  if (missing.length) throw new QuasiError('BAD_DATA', `\`${column}\` has no value for ${missing.length} unit${missing.length > 1 ? 's' : ''}: ${list(missing)}`, { param })
  return Float64Array.from(sum, (s, u) => s / cnt[u])
}

/** The candidate a statistic uses: the one named by `candidate` (its label or its a), or the only one. */
export function pickCandidate(w: Weights, candidate: string | number | undefined, stage: string, param: readonly (string | number)[]): WeightsCandidate {
  const labels = w.candidates.map((c) => `\`${c.label}\``).join(', ')
  if (candidate === undefined) {
    if (w.candidates.length === 1) return w.candidates[0]
    throw new QuasiError('INVALID_VALUE', `stage \`${stage}\` offers ${w.candidates.length} weights matrices; say which with \`candidate\``, {
      param, expected: `one of ${labels}`, hint: 'e.g. `candidate: "a = 0.5"` or `candidate: 0.5`',
    })
  }
  const hit = w.candidates.find((c) => (typeof candidate === 'number' ? c.a !== undefined && Math.abs(c.a - candidate) <= 1e-9 : c.label === candidate.trim()))
  if (!hit) throw new QuasiError('INVALID_VALUE', `stage \`${stage}\` has no weights matrix \`${candidate}\``, { param: ['candidate'], expected: `one of ${labels}`, found: `\`${candidate}\`` })
  return hit
}

export { list as listUnits }
