/**
 * One column through one method: the numeric kernels in src/stats/impute applied unit by
 * unit (linear, locf, nocb, unit-mean) or period by period (time-mean).
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { carrySeries } from '../../src/stats/impute/carry.ts'
import { interpolateSeries } from '../../src/stats/impute/linear.ts'
import { fillGroupMean } from '../../src/stats/impute/mean.ts'
import type { ImputeMethod } from './params.ts'
import type { PanelIndex } from './panel.ts'
import { groupRows } from '../../src/artifacts/groups.ts'

/** Groups for the mean methods: a group number per row (−1: in no group) and group names. */
export interface Groups {
  readonly of: Int32Array
  readonly names: readonly string[]
}

export interface Filled {
  readonly values: Float64Array
  /** Rows filled from beyond the unit's observed time span (`ends: nearest`). */
  readonly atEnds: number
}

export function imputeColumn(
  y: Float64Array,
  method: ImputeMethod,
  panel: PanelIndex,
  nearestEnds: boolean,
  groups: Groups | undefined,
): Filled {
  if (method === 'unit-mean') return { values: fillGroupMean(y, panel.unitOf, panel.units.length), atEnds: 0 }
  if (method === 'time-mean') return { values: fillGroupMean(y, groups!.of, groups!.names.length), atEnds: 0 }
  const t = panel.times!
  const out = Float64Array.from(y)
  let atEnds = 0
  for (const rows of panel.rowsOf) {
    const tu = new Float64Array(rows.length)
    const yu = new Float64Array(rows.length)
    for (let k = 0; k < rows.length; k++) {
      tu[k] = t[rows[k]]
      yu[k] = y[rows[k]]
    }
    const fu =
      method === 'linear'
        ? interpolateSeries(tu, yu, nearestEnds ? 2 : 1)
        : carrySeries(tu, yu, method === 'locf' ? 'forward' : 'backward', nearestEnds)
    let lo = Infinity
    let hi = -Infinity
    for (let k = 0; k < rows.length; k++) {
      if (Number.isNaN(yu[k])) continue
      lo = Math.min(lo, tu[k])
      hi = Math.max(hi, tu[k])
    }
    for (let k = 0; k < rows.length; k++) {
      out[rows[k]] = fu[k]
      if (Number.isNaN(yu[k]) && !Number.isNaN(fu[k]) && (tu[k] < lo || tu[k] > hi)) {
        // locf fills after the last observation and nocb before the first by their nature;
        // only the side that `ends: nearest` added counts here.
        if (method === 'linear' || (method === 'locf' ? tu[k] < lo : tu[k] > hi)) atEnds++
      }
    }
  }
  return { values: out, atEnds }
}

/**
 * time-mean groups: one per period, or per period × `by` values. Rows with a missing `by`
 * value belong to no group and stay missing. Names read `year=2010` or `year=2010, region="East"`.
 */
export function periodGroups(frame: Frame, panel: PanelIndex, by: readonly string[]): Groups & { readonly noGroup: number[] } {
  const cols = [panel.time, ...by.filter((c) => c !== panel.time)]
  const g = groupRows(frame, cols)
  const names = g.keys.map((parts) => cols.map((c, j) => `${c}=${frame.column(c)!.type === 'string' ? JSON.stringify(parts[j]) : parts[j]}`).join(', '))
  return { of: g.id, names, noGroup: [...g.missing] }
}
