/**
 * The panel structure impute works on: rows grouped by unit (in order of first appearance)
 * and, for the methods that follow time, numeric time values, unique within each unit.
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import { suggest } from '../../src/suggest.ts'

/** How many example rows, units or keys a message lists before "…". */
export const EXAMPLES_SHOWN = 5

export interface PanelIndex {
  readonly unit: string
  readonly time: string
  /** Unit number of each row, in [0, units.length). */
  readonly unitOf: Int32Array
  /** Units as written (`Frame.key`), in order of first appearance. */
  readonly units: readonly string[]
  /** Rows of each unit: in time order for the methods that follow time, else in row order. */
  readonly rowsOf: readonly (readonly number[])[]
  /** Time of each row, when the time column is numeric (always for linear, locf, nocb). */
  readonly times?: Float64Array
}

export interface PanelKeys {
  readonly unit: string
  readonly time: string
}

/**
 * Index the frame by the pipeline's panel keys. `ordered`: the method follows time, so
 * times must be numeric and (unit, time) unique.
 */
export function panelIndex(frame: Frame, stage: string, panel: PanelKeys | undefined, method: string, ordered: boolean): PanelIndex {
  if (!panel) {
    throw new QuasiError('INVALID_SPEC', `impute (method ${method}) needs the panel's unit and time, and the pipeline declares no \`panel\``, {
      expected: 'a top-level `panel: { unit: <column>, time: <column> }` in the pipeline file',
      hint: 'add e.g. `panel: { unit: city, time: year }` next to `name:` and `seed:`.',
    })
  }
  for (const [role, name] of [['unit', panel.unit], ['time', panel.time]] as const) {
    if (frame.has(name)) continue
    const near = suggest(name, frame.names)
    throw new QuasiError('MISSING_COLUMN', `the panel ${role} column \`${name}\` is not in stage \`${stage}\``, {
      param: ['from'],
      expected: `a column \`${name}\` (declared by \`panel: { ${role}: ${name} }\`)`,
      hint: near ? `did you mean \`${near}\`? (fix \`panel:\` or rename the column)` : `\`${stage}\` has: ${frame.names.slice(0, 12).join(', ')}`,
    })
  }

  const n = frame.nrows
  const unitOf = new Int32Array(n)
  const ids = new Map<string, number>()
  const units: string[] = []
  const rowsOf: number[][] = []
  const noUnit: number[] = []
  for (let i = 0; i < n; i++) {
    const k = frame.key(panel.unit, i)
    if (k === null) {
      noUnit.push(i)
      continue
    }
    let id = ids.get(k)
    if (id === undefined) {
      id = units.length
      ids.set(k, id)
      units.push(k)
      rowsOf.push([])
    }
    unitOf[i] = id
    rowsOf[id].push(i)
  }
  if (noUnit.length > 0) {
    throw new QuasiError('BAD_DATA', `${noUnit.length} row${noUnit.length === 1 ? ' has' : 's have'} no panel unit (\`${panel.unit}\` is missing): ${rowList(noUnit)}`, {
      param: ['from'],
      hint: `drop or fix these rows before \`impute\` (e.g. a \`filter\` stage on \`${panel.unit}\`).`,
    })
  }

  const tcol = frame.column(panel.time)!
  const noTime: number[] = []
  for (let i = 0; i < n; i++) if (frame.key(panel.time, i) === null) noTime.push(i)
  if (noTime.length > 0) {
    throw new QuasiError('BAD_PANEL_TIME', `${noTime.length} row${noTime.length === 1 ? ' has' : 's have'} no time value (\`${panel.time}\` is missing): ${rowList(noTime)}`, {
      param: ['from'],
      hint: 'every row of a panel needs its period; drop or fix these rows first.',
    })
  }
  if (tcol.type !== 'number') {
    if (!ordered) return { unit: panel.unit, time: panel.time, unitOf, units, rowsOf }
    throw new QuasiError('BAD_PANEL_TIME', `method ${method} orders each unit's values by time, but the time column \`${panel.time}\` is text`, {
      param: ['method'],
      expected: 'a numeric time column (e.g. year 2007, 2008, …)',
      found: `text such as ${JSON.stringify(tcol.data.find((v) => v !== null))}`,
      hint: 'read the time column as numbers, or derive a numeric period from it.',
    })
  }
  const times = tcol.data
  const infinite: number[] = []
  for (let i = 0; i < n; i++) if (!Number.isFinite(times[i])) infinite.push(i)
  if (infinite.length > 0) {
    throw new QuasiError('BAD_PANEL_TIME', `time \`${panel.time}\` is infinite in ${rowList(infinite)}`, { param: ['from'] })
  }
  if (ordered) {
    // Time order within each unit once, so the per-column kernels sort already sorted input.
    for (const rows of rowsOf) rows.sort((a, b) => times[a] - times[b] || a - b)
    checkUniqueTimes(panel, units, rowsOf, times)
  }
  return { unit: panel.unit, time: panel.time, unitOf, units, rowsOf, times }
}

function checkUniqueTimes(panel: PanelKeys, units: readonly string[], rowsOf: readonly number[][], times: Float64Array): void {
  const dups: string[] = []
  let ndup = 0
  for (let u = 0; u < units.length; u++) {
    const first = new Map<number, number>()
    for (const i of rowsOf[u]) {
      const j = first.get(times[i])
      if (j === undefined) first.set(times[i], i)
      else if (ndup++ < EXAMPLES_SHOWN) dups.push(`${panel.unit}=${units[u]}, ${panel.time}=${times[i]} (rows ${j + 1}, ${i + 1})`)
    }
  }
  if (ndup === 0) return
  throw new QuasiError(
    'DUPLICATE_PANEL_KEY',
    `${ndup} row${ndup === 1 ? ' repeats' : 's repeat'} a (${panel.unit}, ${panel.time}) pair, so the order within a unit is ambiguous: ${dups.join('; ')}${ndup > dups.length ? '; …' : ''}`,
    { param: ['from'], hint: 'remove the duplicate rows first (often left by a merge or an append upstream).' },
  )
}

/** `row 3, row 8, … (12 rows)`, 1-based as in the data file. */
export function rowList(rows: readonly number[]): string {
  const shown = rows.slice(0, EXAMPLES_SHOWN).map((r) => `row ${r + 1}`)
  return shown.join(', ') + (rows.length > shown.length ? `, … (${rows.length} rows)` : '')
}

/** `Lhasa, Sansha, … (12 in all)`. */
export function nameList(names: readonly string[]): string {
  const shown = names.slice(0, EXAMPLES_SHOWN)
  return shown.join(', ') + (names.length > shown.length ? `, … (${names.length} in all)` : '')
}
