/**
 * Panel functions: lags and leads within unit on the time index, and treatment timing.
 *
 * lag(x, k)  at (i, t) = x at (i, t − k);  lead(x, k) = x at (i, t + k);  diff(x, k) = x − lag(x, k).
 * The row is found by its (unit, time) key, never by row order: if year t − k of the same unit
 * is absent (a gap, or before the first year), the result is missing. k defaults to 1.
 *
 * adopted(g)    = 1 if t ≥ g, 0 if t < g, and 0 for never-treated units (g missing or 0);
 * event_time(g) = t − g, missing for never-treated units.
 * g is the adoption (pilot) year of the row's unit, t the panel time; both in the same units (years).
 */
import type { Call } from '../ast.ts'
import { exprError } from '../errors.ts'
import type { CheckContext, EvalContext, FnSpec } from '../spec.ts'
import { constNumber, num, nums } from './util.ts'
import { adoptedIndicator, eventTime } from '../../stats/treatment.ts'

/** Largest |k| for lag/lead: a panel longer than this is not a yearly panel. */
const MAX_SHIFT = 10_000

function checkShift(call: Call, cx: CheckContext): void {
  const kExpr = call.args[1]
  if (!kExpr) return
  const k = constNumber(kExpr)
  if (k === undefined || !Number.isInteger(k) || k < 0 || k > MAX_SHIFT) {
    cx.errors.push(
      exprError('BAD_EXPRESSION', cx.source, kExpr, `${call.name}'s k must be a whole number >= 0 written as a constant, as in ${call.name}(x, 2)`, {
        expected: 'a whole number >= 0',
        found: cx.source.slice(kExpr.start, kExpr.end),
      }),
    )
  }
}

function shifted(call: Call, x: Float64Array, by: number, ex: EvalContext): Float64Array {
  const panel = ex.panelIndex(call)
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) {
    const u = panel.unitId[i]
    const t = panel.time[i]
    const r = u < 0 || t !== t ? -1 : panel.row(u, t + by)
    out[i] = r < 0 ? NaN : x[r]
  }
  return out
}

const shiftOf = (call: Call) => (call.args[1] ? constNumber(call.args[1])! : 1)

export const panelFunctions: readonly FnSpec[] = [
  {
    name: 'lag',
    signature: 'lag(x, k = 1)',
    minArgs: 1,
    maxArgs: 2,
    panel: 'unit-time',
    check: (call, _t, cx) => checkShift(call, cx),
    evaluate: (call, [x], ex) => num(shifted(call, nums(x), -shiftOf(call), ex)),
  },
  {
    name: 'lead',
    signature: 'lead(x, k = 1)',
    minArgs: 1,
    maxArgs: 2,
    panel: 'unit-time',
    check: (call, _t, cx) => checkShift(call, cx),
    evaluate: (call, [x], ex) => num(shifted(call, nums(x), shiftOf(call), ex)),
  },
  {
    name: 'diff',
    signature: 'diff(x, k = 1)',
    minArgs: 1,
    maxArgs: 2,
    panel: 'unit-time',
    check: (call, _t, cx) => checkShift(call, cx),
    evaluate(call, [a], ex) {
      const x = nums(a)
      const prev = shifted(call, x, -shiftOf(call), ex)
      for (let i = 0; i < x.length; i++) prev[i] = x[i] - prev[i]
      return num(prev)
    },
  },
  {
    name: 'adopted',
    signature: 'adopted(adoption_year)',
    minArgs: 1,
    maxArgs: 1,
    panel: 'time',
    evaluate(call, [a], ex) {
      return num(adoptedIndicator(ex.panelTime(call), nums(a)))
    },
  },
  {
    name: 'event_time',
    signature: 'event_time(adoption_year)',
    minArgs: 1,
    maxArgs: 1,
    panel: 'time',
    evaluate(call, [a], ex) {
      return num(eventTime(ex.panelTime(call), nums(a)))
    },
  },
]

/** Row lookup by (unit, time): one Map of time → row per unit. */
export function buildPanelIndex(
  source: string,
  call: Call,
  unitKeys: readonly (string | null)[],
  time: Float64Array,
  names: { unit: string; time: string },
): { unitId: Int32Array; time: Float64Array; row(u: number, t: number): number } {
  const n = time.length
  const unitId = new Int32Array(n)
  const ids = new Map<string, number>()
  const byUnit: Map<number, number>[] = []
  for (let i = 0; i < n; i++) {
    const key = unitKeys[i]
    if (key === null) {
      unitId[i] = -1
      continue
    }
    let u = ids.get(key)
    if (u === undefined) {
      u = ids.size
      ids.set(key, u)
      byUnit.push(new Map())
    }
    unitId[i] = u
    const t = time[i]
    if (t !== t) continue
    if (!Number.isInteger(t)) {
      throw exprError('BAD_PANEL_TIME', source, call,
        `${call.name} needs whole-number times, but ${names.time} is ${t} in row ${i + 1}`)
    }
    const seen = byUnit[u].get(t)
    if (seen !== undefined) {
      throw exprError('DUPLICATE_PANEL_KEY', source, call,
        `${call.name} needs one row per (${names.unit}, ${names.time}), but ${names.unit} ${JSON.stringify(key)} has rows ${seen + 1} and ${i + 1} in ${names.time} ${t}`,
        { hint: 'merge or aggregate the duplicates before deriving lags' })
    }
    byUnit[u].set(t, i)
  }
  return {
    unitId,
    time,
    row: (u, t) => byUnit[u].get(t) ?? -1,
  }
}
