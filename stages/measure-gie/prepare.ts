/**
 * From the input frame to DEA data: resolve the model's options, check the columns, key the
 * unit-years, leave out rows with missing values, substitute or exclude zeros, and report
 * everything that was done to the data.
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { describeValue, QuasiError } from '../../src/errors.ts'
import type { DeaData } from '../../src/stats/dea/data.ts'
import { frontierGroups, type FrontierGroup } from '../../src/stats/dea/frontier.ts'
import { suggest } from '../../src/suggest.ts'
import type { MeasureGieParams } from './params.ts'

export interface Resolved {
  readonly returns: 'constant' | 'variable'
  readonly orientation: 'none' | 'input'
}

/** Defaults that depend on the model, and the combinations that make no sense. */
export function resolveOptions(p: MeasureGieParams): Resolved {
  const radial = p.model === 'ccr' || p.model === 'bcc'
  const implied = p.model === 'bcc' ? 'variable' : 'constant'
  if (radial && p.returns !== undefined && p.returns !== implied) {
    throw new QuasiError('INVALID_VALUE', `model \`${p.model}\` has ${implied} returns to scale by definition`, {
      param: ['returns'],
      expected: `\`${implied}\` or nothing`,
      found: describeValue(p.returns),
      hint: p.model === 'ccr' ? 'for variable returns use `model: bcc`' : 'for constant returns use `model: ccr`',
    })
  }
  if (radial && p.orientation === 'none') {
    throw new QuasiError('INVALID_VALUE', 'the radial models here are input-oriented', {
      param: ['orientation'],
      expected: '`input` or nothing',
      found: describeValue(p.orientation),
      hint: 'a non-oriented measure with slacks in the score is `model: sbm` or `super-sbm`',
    })
  }
  if (p.model === 'gml') {
    if (p.orientation !== undefined && p.orientation !== 'none') {
      throw new QuasiError('INVALID_VALUE', 'the GML index uses a directional distance function and has no orientation', {
        param: ['orientation'],
        expected: 'nothing',
        found: describeValue(p.orientation),
      })
    }
    if (p.frontier !== 'global') {
      throw new QuasiError('INVALID_VALUE', 'the global Malmquist–Luenberger index is defined on the global frontier', {
        param: ['frontier'],
        expected: '`global`',
        found: describeValue(p.frontier),
        hint: 'its efficiency-change part already uses each year\'s contemporaneous frontier',
      })
    }
  }
  return { returns: radial ? implied : (p.returns ?? 'constant'), orientation: radial ? 'input' : (p.orientation ?? 'none') }
}

export interface Prepared {
  readonly data: DeaData
  /** Frame row of each DMU. */
  readonly rows: Int32Array
  /** Year index of each DMU, and the sorted distinct years. */
  readonly period: Int32Array
  readonly periods: readonly string[]
  /** Unit index of each DMU, and the units' labels. */
  readonly unit: Int32Array
  readonly units: readonly string[]
  /** Column names in data order: inputs, desirable, undesirable. */
  readonly columns: readonly string[]
  /** Rows left out because a DEA column, the unit or the time is missing, per column. */
  readonly missing: { readonly rows: number; readonly byColumn: Readonly<Record<string, number>> }
  /** Zero values per column, and what was done with them. */
  readonly zeros: { readonly byColumn: Readonly<Record<string, number>>; readonly substitute: Readonly<Record<string, number>>; readonly excludedRows: number }
  /**
   * Groups of unit-years with identical input–output vectors (after substitution) that meet
   * in a reference set: one is evaluated against a set holding the other.
   */
  readonly twins: readonly (readonly number[])[]
}

/** Check columns and build the DEA data set. */
export function prepare(frame: Frame, p: MeasureGieParams, panel: { unit: string; time: string } | undefined): Prepared {
  if (!panel) {
    throw new QuasiError('INVALID_SPEC', 'measure-gie needs the panel keys to build frontiers by year', {
      hint: 'declare `panel: { unit: <column>, time: <column> }` at the top of the pipeline file',
    })
  }
  for (const key of [panel.unit, panel.time]) {
    if (!frame.has(key)) {
      throw new QuasiError('MISSING_COLUMN', `panel column \`${key}\` is not in the frame of \`${p.from}\``, { param: ['from'], hint: nearHint(key, frame.names) })
    }
  }
  const lists: [keyof MeasureGieParams & ('inputs' | 'desirable' | 'undesirable'), string[]][] = [
    ['inputs', p.inputs],
    ['desirable', p.desirable],
    ['undesirable', p.undesirable],
  ]
  const seen = new Map<string, string>()
  for (const [list, names] of lists) {
    names.forEach((name, k) => {
      const col = frame.column(name)
      if (!col) {
        throw new QuasiError('MISSING_COLUMN', `unknown column \`${name}\` in \`${list}\``, {
          param: [list, k],
          hint: nearHint(name, frame.names),
        })
      }
      if (col.type !== 'number') throw notNumeric(frame, name, [list, k], panel)
      if (name === panel.unit || name === panel.time) {
        throw new QuasiError('INVALID_VALUE', `\`${name}\` is a panel key, not an input or output`, { param: [list, k] })
      }
      const prev = seen.get(name)
      if (prev !== undefined) {
        throw new QuasiError('INVALID_VALUE', `column \`${name}\` is listed in both \`${prev}\` and \`${list}\``, { param: [list, k], hint: 'each column is an input, a desirable output or an undesirable output' })
      }
      seen.set(name, list)
    })
  }
  const columns = [...p.inputs, ...p.desirable, ...p.undesirable]
  const d = columns.length
  const n0 = frame.nrows
  const unitKey = (r: number): string | null => frame.key(panel.unit, r)
  const timeKey = (r: number): string | null => frame.key(panel.time, r)

  // duplicates of (unit, time) make "the unit-year itself" ambiguous
  const keyRow = new Map<string, number>()
  for (let r = 0; r < n0; r++) {
    const u = unitKey(r)
    const t = timeKey(r)
    if (u === null || t === null) continue
    const k = JSON.stringify([u, t])
    const first = keyRow.get(k)
    if (first !== undefined) {
      throw new QuasiError('DUPLICATE_PANEL_KEY', `${panel.unit} ${u} appears twice in ${panel.time} ${t} (rows ${first + 1} and ${r + 1})`, {
        param: ['from'],
        hint: 'each unit-year is one DMU: aggregate or filter the duplicates first',
      })
    }
    keyRow.set(k, r)
  }

  // rows with anything missing are left out
  const data = columns.map((c) => frame.numbers(c))
  const missingBy: Record<string, number> = {}
  const keep: number[] = []
  let missingRows = 0
  for (let r = 0; r < n0; r++) {
    let ok = unitKey(r) !== null && timeKey(r) !== null
    for (let i = 0; i < d; i++) {
      if (Number.isNaN(data[i][r])) {
        missingBy[columns[i]] = (missingBy[columns[i]] ?? 0) + 1
        ok = false
      }
    }
    if (ok) keep.push(r)
    else missingRows++
  }

  // negative values are a data error, not something to substitute
  for (let i = 0; i < d; i++) {
    for (const r of keep) {
      const v = data[i][r]
      if (v < 0 || !Number.isFinite(v)) {
        throw new QuasiError('BAD_DATA', `column \`${columns[i]}\` has ${describeValue(v)} for ${panel.unit} ${unitKey(r)} in ${panel.time} ${timeKey(r)}`, {
          expected: 'finite values ≥ 0 in every input and output',
          hint: 'DEA needs non-negative data: shift or rescale the column in a `derive` stage first',
        })
      }
    }
  }

  // zeros
  const zerosBy: Record<string, number> = {}
  const substitute: Record<string, number> = {}
  let rows = keep
  let excludedRows = 0
  if (p.zeros === 'exclude') {
    rows = keep.filter((r) => data.every((col) => col[r] > 0))
    excludedRows = keep.length - rows.length
    for (let i = 0; i < d; i++) for (const r of keep) if (data[i][r] === 0) zerosBy[columns[i]] = (zerosBy[columns[i]] ?? 0) + 1
  }
  const values = new Float64Array(rows.length * d)
  for (let i = 0; i < d; i++) {
    let minPos = Infinity
    let zeros = 0
    for (const r of rows) {
      const v = data[i][r]
      if (v > 0 && v < minPos) minPos = v
      if (v === 0) zeros++
    }
    if (zeros > 0) {
      if (minPos === Infinity) {
        throw new QuasiError('BAD_DATA', `column \`${columns[i]}\` is zero in every unit-year`, { hint: 'a column without any positive value carries no information for DEA: drop it' })
      }
      zerosBy[columns[i]] = zeros
      substitute[columns[i]] = p.zero_value * minPos
    }
    const sub = substitute[columns[i]]
    rows.forEach((r, k) => {
      const v = data[i][r]
      values[k * d + i] = v === 0 ? sub : v
    })
  }

  // keys
  const times = frame.column(panel.time)!
  const periodKeys = [...new Set(rows.map((r) => timeKey(r)!))]
  if (times.type === 'number') periodKeys.sort((a, b) => Number(a) - Number(b))
  else periodKeys.sort()
  const periodIndex = new Map(periodKeys.map((t, k) => [t, k]))
  const unitKeys = [...new Set(rows.map((r) => unitKey(r)!))]
  const unitIndex = new Map(unitKeys.map((u, k) => [u, k]))
  const period = Int32Array.from(rows, (r) => periodIndex.get(timeKey(r)!)!)
  const unit = Int32Array.from(rows, (r) => unitIndex.get(unitKey(r)!)!)

  // twins: identical vectors
  const byVector = new Map<string, number[]>()
  for (let k = 0; k < rows.length; k++) {
    const key = Array.from(values.subarray(k * d, k * d + d)).join(',')
    const list = byVector.get(key)
    if (list) list.push(k)
    else byVector.set(key, [k])
  }
  const twins = meetingTwins([...byVector.values()].filter((g) => g.length > 1), frontierGroups(period, periodKeys.length, p.frontier, p.window))

  return {
    data: { n: rows.length, m: p.inputs.length, s1: p.desirable.length, s2: p.undesirable.length, d, values },
    rows: Int32Array.from(rows),
    period,
    periods: periodKeys,
    unit,
    units: unitKeys,
    columns,
    missing: { rows: missingRows, byColumn: missingBy },
    zeros: { byColumn: zerosBy, substitute, excludedRows },
    twins,
  }
}

/**
 * The members of each group of twins that meet in a reference set of the frontier: at least
 * two of them in one set, one of them evaluated there. Twins in different years under a
 * contemporaneous frontier never meet, and cap nothing; under a sequential frontier the later
 * one meets the earlier.
 */
function meetingTwins(groups: readonly number[][], frontier: readonly FrontierGroup[]): number[][] {
  const out: number[][] = []
  const seen = new Set<string>()
  for (const g of groups) {
    for (const f of frontier) {
      const met = g.filter((k) => holds(f.ref, k))
      if (met.length < 2 || !met.some((k) => holds(f.evaluate, k))) continue
      const key = met.join(',')
      if (!seen.has(key)) {
        seen.add(key)
        out.push(met)
      }
    }
  }
  return out
}

/** Whether the ascending array `sorted` holds `k`. */
function holds(sorted: Int32Array, k: number): boolean {
  let lo = 0
  let hi = sorted.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (sorted[mid] === k) return true
    if (sorted[mid] < k) lo = mid + 1
    else hi = mid - 1
  }
  return false
}

/** How many offending cells a message names. */
const SHOW = 3

/**
 * A text column listed as an input or output: which cells are not numbers (row of the input
 * table, its unit-year, the value), or, when every cell reads as a number, that the column
 * holds numbers stored as text.
 */
function notNumeric(frame: Frame, name: string, param: readonly [string, number], panel: { unit: string; time: string }): QuasiError {
  const cells = frame.strings(name)
  const bad: string[] = []
  let first = ''
  let count = 0
  for (let r = 0; r < cells.length; r++) {
    const v = cells[r]
    if (v === null || (v.trim() !== '' && Number.isFinite(Number(v)))) continue
    if (count === 0) first = v
    if (++count <= SHOW) bad.push(`row ${r + 1} (${panel.unit} ${frame.key(panel.unit, r)}, ${panel.time} ${frame.key(panel.time, r)}): ${JSON.stringify(v)}`)
  }
  const where = `column \`${name}\` in \`${param[0]}\``
  if (count === 0) {
    return new QuasiError('WRONG_TYPE', `${where} holds numbers stored as text`, {
      param,
      expected: 'a numeric column',
      found: 'a text column whose cells all read as numbers',
      hint: `declare it in the ingest stage: \`types: { ${name}: number }\``,
    })
  }
  return new QuasiError('WRONG_TYPE', `${where} is text, not numbers: ${count} cell${count > 1 ? 's are' : ' is'} not a number: ${bad.join('; ')}${count > SHOW ? '; …' : ''}`, {
    param,
    expected: 'a numeric column',
    found: `text such as ${JSON.stringify(first)}`,
    hint: 'correct those cells, or list such codes in the ingest stage\'s `na:` (e.g. `na: ["", "NA", "n/a"]`) so that they read as missing',
  })
}

function nearHint(name: string, candidates: readonly string[]): string | undefined {
  const near = suggest(name, candidates)
  return near ? `did you mean \`${near}\`?` : undefined
}
