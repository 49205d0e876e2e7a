/** The column as one vector per period, in the weights' unit order, with the problems worded for the pipeline. */
import type { Frame } from '../../src/artifacts/frame.ts'
import type { Weights } from '../../src/artifacts/weights.ts'
import { unknownColumn } from '../../src/columns/names.ts'
import { QuasiError } from '../../src/errors.ts'
import { byCodeUnit, keyNormalizer, listUnits, unitIndex, unitMismatch } from '../_spatial/panel-units.ts'

export interface Period {
  /** The period's key as text ('' for a cross-section). */
  readonly label: string
  /** Values in the weights' unit order. */
  readonly x: Float64Array
  /** Row of each unit (weights order) in the frame. */
  readonly rows: Int32Array
}

export function periodsOf(frame: Frame, w: Weights, opts: { unit: string; unitParam: readonly string[]; time?: string; column: string; weightsStage: string }): Period[] {
  const idx = unitIndex(frame, opts.unit, opts.unitParam)
  const norm = keyNormalizer(idx.numeric)
  const wUnits = w.units.map(norm)
  const problem = unitMismatch(idx.units, wUnits, 'the data', `the weights \`${opts.weightsStage}\``)
  if (problem) throw new QuasiError('BAD_DATA', `the data and the weights name different units: ${problem}`, { param: ['weights'], hint: 'build the weights from the same table (`from:` of the spatial-weights stage), or filter the data to the units of the matrix' })
  const col = frame.column(opts.column)
  if (!col) throw unknownColumn(opts.column, frame.names, 'the data', ['column'])
  if (col.type !== 'number') throw new QuasiError('BAD_DATA', `\`${opts.column}\` is not numeric`, { param: ['column'], expected: 'a numeric column' })
  const toW = new Map(wUnits.map((u, i) => [u, i]))
  const unitPos = Int32Array.from(idx.rowUnit, (u) => toW.get(idx.units[u])!)
  let keys: string[]
  let order: string[]
  if (opts.time !== undefined) {
    const tcol = frame.column(opts.time)
    if (!tcol) throw unknownColumn(opts.time, frame.names, 'the data', ['time'])
    keys = Array.from({ length: frame.nrows }, (_, r) => frame.key(opts.time!, r) ?? '')
    const distinct = [...new Set(keys)]
    order = tcol.type === 'number' ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct.sort(byCodeUnit)
  } else {
    keys = new Array<string>(frame.nrows).fill('')
    order = ['']
  }
  const at = new Map(order.map((t, k) => [t, k]))
  const N = w.units.length
  const rows = order.map(() => new Int32Array(N).fill(-1))
  for (let r = 0; r < frame.nrows; r++) {
    const per = rows[at.get(keys[r])!]
    const u = unitPos[r]
    if (per[u] !== -1) {
      throw new QuasiError('BAD_DATA', `unit \`${w.units[u]}\` has two rows${opts.time !== undefined ? ` in period ${keys[r]}` : ''}`, {
        param: opts.time !== undefined ? ['time'] : ['from'], expected: opts.time !== undefined ? 'one row per unit and period' : 'one row per unit (or name the period column with `time:`)',
      })
    }
    per[u] = r
  }
  return order.map((label, k) => {
    const x = new Float64Array(N)
    const gaps: string[] = []
    for (let u = 0; u < N; u++) {
      const r = rows[k][u]
      x[u] = r < 0 ? NaN : col.data[r]
      if (Number.isNaN(x[u])) gaps.push(w.units[u])
    }
    if (gaps.length) {
      throw new QuasiError('BAD_DATA', `\`${opts.column}\` is missing${label ? ` in period ${label}` : ''} for ${gaps.length} unit${gaps.length > 1 ? 's' : ''}: ${listUnits(gaps)}`, {
        param: ['column'], expected: 'a value for every unit of the weights in every period', hint: 'fill the gaps (`impute`) or filter the periods first; Moran\'s I needs every unit',
      })
    }
    return { label, x, rows: rows[k] }
  })
}
