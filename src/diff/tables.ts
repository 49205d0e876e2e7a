/**
 * Cell-by-cell comparison of two CSV tables (the broom files tidy.csv and glance.csv, and
 * every other CSV a stage writes). Rows are matched by a key, not by position, so a term
 * added to a model shows as one added row rather than every later row changed.
 *
 * The key: tidy.csv is keyed by (model, term), glance.csv by model; any other table whose
 * first column holds text by that column (a rendered table's row labels, a panel's unit),
 * extended by the next identifier-like columns (integers such as the year, or text without
 * decimal numbers in it, never a rendered value like `0.766***`) while
 * it is not unique; repeats are numbered in order. A table whose first column is numeric is
 * matched by row number.
 * Numbers are compared with a tolerance (numpy's `isclose` rule, see `within`); other cells
 * as text.
 */
import Papa from 'papaparse'

export interface Tolerance {
  /** Absolute tolerance: |a − b| ≤ atol + rtol·|b|. Default 0. */
  readonly atol: number
  /** Relative tolerance, scaled by the second run's value. Default 0. */
  readonly rtol: number
}

export interface CellChange {
  readonly key: string
  readonly column: string
  readonly a: string
  readonly b: string
}

export interface TableDiff {
  readonly keyColumns: readonly string[]
  readonly changed: readonly CellChange[]
  readonly rowsOnlyA: readonly string[]
  readonly rowsOnlyB: readonly string[]
  readonly columnsOnlyA: readonly string[]
  readonly columnsOnlyB: readonly string[]
}

const KNOWN_KEYS: Record<string, readonly string[]> = {
  'tidy.csv': ['model', 'term'],
  'glance.csv': ['model'],
}

/** Extra columns tried after the text columns before falling back to row numbers. */
const MAX_EXTRA_KEY_COLUMNS = 3

interface Table {
  readonly header: readonly string[]
  readonly rows: readonly (readonly string[])[]
}

export function readCsv(text: string): Table {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: true })
  const [header = [], ...rows] = parsed.data
  return { header, rows }
}

/** A cell as a number when it is one: plain numbers, NA/NaN/empty as NaN, ±Inf. */
function asNumber(s: string): number | undefined {
  const t = s.trim()
  if (t === '' || t === 'NA' || t === 'NaN') return NaN
  if (/^[+-]?(Inf|Infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity
  const n = Number(t)
  return Number.isFinite(n) && /^[+-]?(\d|\.\d)/.test(t) ? n : undefined
}

/** Two cells agree: equal text, or both numbers within the tolerance (NaN equals NaN: both missing). */
export function within(a: string, b: string, tol: Tolerance): boolean {
  if (a === b) return true
  const x = asNumber(a)
  const y = asNumber(b)
  if (x === undefined || y === undefined) return false
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y)
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y
  return Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y)
}

function isTextColumn(t: Table, j: number): boolean {
  return j >= 0 && t.rows.some((r) => asNumber(r[j] ?? '') === undefined)
}

function isIntegerColumn(t: Table, j: number): boolean {
  return j >= 0 && t.rows.every((r) => /^[+-]?\d+$/.test((r[j] ?? '').trim()))
}

/**
 * Row keys from `cols`. A blank first cell continues the row above it (a rendered table's
 * standard-error line under its coefficient): `did`, `did #2`.
 */
function keysOf(t: Table, cols: readonly string[]): string[] {
  const idx = cols.map((c) => t.header.indexOf(c))
  let label = ''
  let n = 1
  const keys = t.rows.map((r) => {
    const first = r[idx[0]] ?? ''
    if (first.trim() !== '' || label === '') {
      label = first
      n = 1
    } else n++
    return [n === 1 ? label : `${label} #${n}`, ...idx.slice(1).map((j) => r[j] ?? '')].join(' / ')
  })
  return keys
}

/** Keys still repeated get their occurrence number, so rows pair up in order within a key. */
function numberRepeats(keys: readonly string[]): string[] {
  const seen = new Map<string, number>()
  return keys.map((k) => {
    const n = (seen.get(k) ?? 0) + 1
    seen.set(k, n)
    return n === 1 ? k : `${k} (${n})`
  })
}

const unique = (keys: readonly string[]) => new Set(keys).size === keys.length

function unfilledUnique(t: Table, cols: readonly string[]): boolean {
  const idx = cols.map((c) => t.header.indexOf(c))
  return unique(t.rows.map((r) => idx.map((j) => r[j] ?? '').join('\u0000')))
}

/** The key columns (see the file comment); [] means rows are matched by number. */
function chooseKey(file: string, a: Table, b: Table): string[] {
  const shared = a.header.filter((h) => b.header.includes(h))
  const known = KNOWN_KEYS[file]
  if (known && known.every((k) => shared.includes(k))) return [...known]
  const first = a.header[0]
  if (first === undefined || first !== b.header[0]) return []
  if (!isTextColumn(a, 0) && !isTextColumn(b, 0)) return []
  const key = [first]
  if (unique(keysOf(a, key)) && unique(keysOf(b, key))) return key
  // a panel: unit, then identifier-like columns: integers (the year) or text without decimal
  // numbers in it (a region, a group), never a rendered value such as `0.766***` or `(0.070)`
  const idIn = (t: Table, j: number) => isIntegerColumn(t, j) || (isTextColumn(t, j) && !t.rows.some((r) => /\d\.\d/.test(r[j] ?? '')))
  const idLike = (h: string) => idIn(a, a.header.indexOf(h)) && idIn(b, b.header.indexOf(h))
  for (const h of a.header.slice(1, 1 + MAX_EXTRA_KEY_COLUMNS)) {
    if (!shared.includes(h) || !idLike(h)) break
    key.push(h)
    if (unfilledUnique(a, key) && unfilledUnique(b, key)) return key
  }
  return [first]
}

export function diffTables(file: string, textA: string, textB: string, tol: Tolerance): TableDiff {
  const a = readCsv(textA)
  const b = readCsv(textB)
  const keyColumns = chooseKey(file, a, b)
  const rowKeys = (t: Table) => (keyColumns.length === 0 ? t.rows.map((_, i) => `row ${i + 1}`) : numberRepeats(keysOf(t, keyColumns)))
  const ka = rowKeys(a)
  const kb = rowKeys(b)
  const inB = new Map(kb.map((k, i) => [k, i]))
  const inA = new Set(ka)
  const columns = a.header.filter((h) => b.header.includes(h) && !keyColumns.includes(h))
  const changed: CellChange[] = []
  ka.forEach((key, i) => {
    const j = inB.get(key)
    if (j === undefined) return
    for (const c of columns) {
      const va = a.rows[i][a.header.indexOf(c)] ?? ''
      const vb = b.rows[j][b.header.indexOf(c)] ?? ''
      if (!within(va, vb, tol)) changed.push({ key, column: c, a: va, b: vb })
    }
  })
  return {
    keyColumns,
    changed,
    rowsOnlyA: ka.filter((k) => !inB.has(k)),
    rowsOnlyB: kb.filter((k) => !inA.has(k)),
    columnsOnlyA: a.header.filter((h) => !b.header.includes(h)),
    columnsOnlyB: b.header.filter((h) => !a.header.includes(h)),
  }
}

export function tableDiffers(d: TableDiff): boolean {
  return d.changed.length + d.rowsOnlyA.length + d.rowsOnlyB.length + d.columnsOnlyA.length + d.columnsOnlyB.length > 0
}
