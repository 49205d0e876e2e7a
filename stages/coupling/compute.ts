/**
 * coupling's numbers: each subsystem's index (entropy-weighted over the panel or per period,
 * or a given column), then C, T, D, the class of D and the lagging subsystem per row.
 * Kernel problems come back as data (EntropyInputError) and are worded here.
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { unknownColumn } from '../../src/columns/names.ts'
import { QuasiError } from '../../src/errors.ts'
import { coordinate, SYNCHRONOUS } from '../../src/stats/coupling/ccd.ts'
import { EntropyInputError, entropyIndex, type IndicatorWeight } from '../../src/stats/entropy/weights.ts'
import type { CouplingParams } from './params.ts'
import type { Param, Subsystem } from './subsystems.ts'

export interface WeightRow extends IndicatorWeight {
  readonly subsystem: string
  /** The period the weights were computed on, or undefined for the whole panel. */
  readonly period?: number
  readonly n: number
}

export interface Coupled {
  /** u of each subsystem by frame row (NaN where it cannot be computed). */
  readonly u: readonly Float64Array[]
  readonly C: Float64Array
  readonly T: Float64Array
  readonly D: Float64Array
  /** Class level 1–10 (0 where D is missing) and its label (null there). */
  readonly level: Float64Array
  readonly label: (string | null)[]
  /** Name of the lagging subsystem, `synchronous`, or null where D is missing. */
  readonly lagging: (string | null)[]
  readonly weights: readonly WeightRow[]
}

export function numeric(frame: Frame, name: string, param: Param, stage: string): Float64Array {
  const c = frame.column(name)
  if (!c) throw unknownColumn(name, frame.names, `stage \`${stage}\``, param)
  if (c.type !== 'number') {
    throw new QuasiError('BAD_DATA', `\`${name}\` is a text column of stage \`${stage}\`; indicators must be numbers`, {
      param, expected: 'a numeric column', found: `text, e.g. ${JSON.stringify(c.data.find((v) => v !== null) ?? '')}`,
    })
  }
  return c.data
}

export function couple(frame: Frame, p: CouplingParams, subs: readonly Subsystem[], alpha: readonly number[], time: Float64Array, stage: string): Coupled {
  const n = frame.nrows
  const weights: WeightRow[] = []
  const u = subs.map((s) => (s.given ? givenIndex(frame, s, stage) : entropyColumn(frame, p, s, time, stage, weights)))
  const C = new Float64Array(n), T = new Float64Array(n), D = new Float64Array(n), level = new Float64Array(n)
  const label: (string | null)[] = new Array(n).fill(null)
  const lagging: (string | null)[] = new Array(n).fill(null)
  const row = new Float64Array(subs.length)
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < subs.length; k++) row[k] = u[k][i]
    const c = coordinate(row, alpha, p.tolerance)
    C[i] = c.C; T[i] = c.T; D[i] = c.D; level[i] = c.level
    if (c.D === c.D) {
      label[i] = c.label
      lagging[i] = c.lagging < 0 ? SYNCHRONOUS : subs[c.lagging].name
    }
  }
  return { u, C, T, D, level, label, lagging, weights }
}

/** A given index: numbers in [0, 1] (missing allowed). */
function givenIndex(frame: Frame, s: Subsystem, stage: string): Float64Array {
  const x = numeric(frame, s.given!.column, s.given!.param, stage)
  for (let i = 0; i < x.length; i++) {
    if (x[i] < 0 || x[i] > 1) {
      throw new QuasiError('BAD_DATA', `subsystem \`${s.name}\`: the given index \`${s.given!.column}\` is ${x[i]} in row ${i + 1}, outside [0, 1]`, {
        param: s.given!.param, expected: 'an index in [0, 1]', found: String(x[i]),
        hint: 'a column name stands for a ready index; to build one from raw indicators, write them as a list: `[' + s.given!.column + ']`',
      })
    }
  }
  return x
}

function entropyColumn(frame: Frame, p: CouplingParams, s: Subsystem, time: Float64Array, stage: string, out: WeightRow[]): Float64Array {
  const inds = s.indicators.map((ind) => ({ column: ind.column, direction: ind.direction, values: numeric(frame, ind.column, ind.param, stage) }))
  const u = new Float64Array(frame.nrows).fill(NaN)
  const groups: { period?: number; rows: number[] }[] = []
  if (p.pool === 'period') {
    const at = new Map<number, number[]>()
    for (let i = 0; i < frame.nrows; i++) {
      const t = time[i]
      if (t !== t) continue
      let rows = at.get(t)
      if (!rows) at.set(t, (rows = []))
      rows.push(i)
    }
    for (const t of [...at.keys()].sort((a, b) => a - b)) groups.push({ period: t, rows: at.get(t)! })
  } else {
    groups.push({ rows: Array.from({ length: frame.nrows }, (_, i) => i) })
  }
  for (const g of groups) {
    let r
    try {
      r = entropyIndex(inds, g.rows, { normalization: p.normalization, shift: p.shift })
    } catch (e) {
      if (e instanceof EntropyInputError) throw entropyError(e, s, g.period, p)
      throw e
    }
    g.rows.forEach((i, k) => (u[i] = r.index[k]))
    for (const w of r.indicators) out.push({ ...w, subsystem: s.name, ...(g.period === undefined ? {} : { period: g.period }), n: r.n })
  }
  return u
}

function entropyError(e: EntropyInputError, s: Subsystem, period: number | undefined, p: CouplingParams): QuasiError {
  const where = period === undefined ? '' : ` in period ${period}`
  const q = e.problem
  switch (q.reason) {
    case 'all-constant':
      return new QuasiError('BAD_DATA', `subsystem \`${s.name}\`: every indicator is constant${where} (${q.columns.map((c) => '`' + c + '`').join(', ')}), so entropy weights cannot be computed`, {
        param: s.param, expected: 'at least one indicator that varies', found: 'all constant',
        hint: period === undefined ? 'add an indicator that varies across units and periods, or give the subsystem\'s index as a column' : 'use `pool: panel` (weights over all periods), or add an indicator that varies within each period',
      })
    case 'too-few-rows':
      return new QuasiError('BAD_DATA', `subsystem \`${s.name}\`: ${q.n} row${q.n === 1 ? '' : 's'}${where} with every indicator observed; entropy weights need at least 2`, { param: s.param, expected: 'at least 2 complete rows' })
    case 'non-positive': {
      const ind = s.indicators.find((i) => i.column === q.column)!
      const need = q.direction === 'negative' ? 'positive values (min/x)' : 'values ≥ 0 (x/max)'
      return new QuasiError('BAD_DATA', `subsystem \`${s.name}\`: \`${q.column}\` is ${q.value} in row ${q.row + 1}; ratio normalisation of a ${q.direction} indicator needs ${need}`, {
        param: ind.param, expected: need, found: String(q.value),
        hint: p.normalization === 'ratio' ? 'use `normalization: min-max`, which takes any values, or transform the indicator first (derive)' : undefined,
      })
    }
  }
}
