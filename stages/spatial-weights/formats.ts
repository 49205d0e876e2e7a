/**
 * Readers of weights files: each gives the unit ids the file declares and its links
 * (from, to, weight) with the line they came from, or a QuasiError naming the line.
 * Assembly into a matrix over the data's units is ./assemble.ts.
 *
 *   long CSV    header with `from`, `to` and optionally `weight` (default 1); a row with weight 0
 *               declares a unit without linking it (how an island is written)
 *   dense CSV   first column the unit ids, the header's other cells the same ids; cell (i, j) = w_ij
 *   GAL         GeoDa contiguity: a header (`n`, or `0 n shapefile idvar`), then per unit a line
 *               `id k` and a line with its k neighbour ids; binary weights
 *   GWT         GeoDa weights: a header (`n` or `0 n shapefile idvar`), then lines `from to weight`
 */
import Papa from 'papaparse'
import { QuasiError } from '../../src/errors.ts'

export type WeightsFormat = 'long' | 'dense' | 'gal' | 'gwt'

export interface Link {
  readonly from: string
  readonly to: string
  readonly weight: number
  /** 1-based line (CSV: row, counting the header as 1). */
  readonly line: number
}

export interface WeightsFile {
  readonly format: WeightsFormat
  /** Ids the file declares, in the order met (each once). */
  readonly ids: readonly string[]
  readonly links: readonly Link[]
}

const PARAM = ['file']

function bad(rel: string, line: number | undefined, message: string, extra: { expected?: string; found?: string; hint?: string } = {}): QuasiError {
  return new QuasiError('BAD_DATA', `${rel}${line !== undefined ? ` line ${line}` : ''}: ${message}`, { param: PARAM, ...extra })
}

/** A weight cell: a finite number ≥ 0. */
function weightOf(cell: string | undefined, rel: string, line: number, where: string): number {
  const t = (cell ?? '').trim()
  const v = t === '' ? NaN : Number(t)
  if (!Number.isFinite(v)) throw bad(rel, line, `${where} is not a number: \`${t}\``, { expected: 'a finite number >= 0', found: t === '' ? 'an empty cell' : `\`${t}\`` })
  if (v < 0) throw bad(rel, line, `${where} is negative: ${t}`, { expected: 'a weight >= 0' })
  return v
}

/** The format of a file: from `format:`, its extension, or (CSV) its header. */
export function sniffFormat(rel: string, text: string, given?: WeightsFormat): WeightsFormat {
  if (given) return given
  const ext = rel.toLowerCase().split('.').pop()
  if (ext === 'gal') return 'gal'
  if (ext === 'gwt') return 'gwt'
  const head = (Papa.parse<string[]>(text.split(/\r?\n/, 1)[0] ?? '').data[0] ?? []).map((h) => h.trim().toLowerCase())
  return head.includes('from') && head.includes('to') ? 'long' : 'dense'
}

export function readWeightsFile(rel: string, bytes: Uint8Array, given?: WeightsFormat): WeightsFile {
  let text = new TextDecoder().decode(bytes)
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const format = sniffFormat(rel, text, given)
  switch (format) {
    case 'long': return readLong(rel, text)
    case 'dense': return readDense(rel, text)
    case 'gal': return readGal(rel, text)
    case 'gwt': return readGwt(rel, text)
  }
}

function csvRows(rel: string, text: string): string[][] {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' })
  const err = parsed.errors.find((e) => e.type === 'Quotes')
  if (err) throw bad(rel, (err.row ?? 0) + 1, 'unclosed quote')
  if (parsed.data.length === 0) throw new QuasiError('EMPTY_DATA', `${rel} is empty`, { param: PARAM })
  return parsed.data
}

function readLong(rel: string, text: string): WeightsFile {
  const rows = csvRows(rel, text)
  const head = rows[0].map((h) => h.trim().toLowerCase())
  const at = { from: head.indexOf('from'), to: head.indexOf('to'), weight: head.indexOf('weight') }
  if (at.from < 0 || at.to < 0) {
    throw new QuasiError('MISSING_COLUMN', `${rel} has no column${at.from < 0 && at.to < 0 ? 's `from`, `to`' : at.from < 0 ? ' `from`' : ' `to`'}`, {
      param: PARAM, expected: 'a long weights CSV with columns `from`, `to`, `weight`', found: rows[0].map((h) => `\`${h.trim()}\``).join(', '),
    })
  }
  const ids = new Set<string>()
  const links: Link[] = []
  for (let r = 1; r < rows.length; r++) {
    const line = r + 1
    const from = (rows[r][at.from] ?? '').trim(), to = (rows[r][at.to] ?? '').trim()
    if (from === '' || to === '') throw bad(rel, line, `\`${from === '' ? 'from' : 'to'}\` is empty`)
    const weight = at.weight < 0 ? 1 : weightOf(rows[r][at.weight], rel, line, '`weight`')
    ids.add(from); ids.add(to)
    links.push({ from, to, weight, line })
  }
  if (!links.length) throw new QuasiError('EMPTY_DATA', `${rel} has no links`, { param: PARAM })
  return { format: 'long', ids: [...ids], links }
}

function readDense(rel: string, text: string): WeightsFile {
  const rows = csvRows(rel, text)
  const cols = rows[0].slice(1).map((h) => h.trim())
  const rowIds = rows.slice(1).map((r) => (r[0] ?? '').trim())
  const dup = (xs: string[]) => xs.find((x, i) => xs.indexOf(x) !== i)
  if (dup(cols) !== undefined) throw bad(rel, 1, `unit \`${dup(cols)}\` heads two columns`)
  if (dup(rowIds) !== undefined) throw bad(rel, rowIds.indexOf(dup(rowIds)!, rowIds.indexOf(dup(rowIds)!) + 1) + 2, `unit \`${dup(rowIds)}\` has two rows`)
  const sr = new Set(rowIds)
  const notRows = cols.filter((c) => !sr.has(c)), notCols = rowIds.filter((c) => !cols.includes(c))
  if (notRows.length || notCols.length || cols.length !== rowIds.length) {
    throw bad(rel, undefined, 'a dense weights matrix must have one row and one column per unit, with the same ids', {
      found: [notCols.length ? `rows without a column: ${notCols.slice(0, 5).join(', ')}` : '', notRows.length ? `columns without a row: ${notRows.slice(0, 5).join(', ')}` : ''].filter(Boolean).join('; ') || `${rowIds.length} rows and ${cols.length} columns`,
      hint: 'first column: the unit ids; header: the same ids (its first cell is ignored)',
    })
  }
  const links: Link[] = []
  rows.slice(1).forEach((r, i) => {
    const line = i + 2
    if (r.length !== cols.length + 1) throw bad(rel, line, `${r.length} cells, expected ${cols.length + 1}`)
    for (let j = 0; j < cols.length; j++) {
      const w = weightOf(r[j + 1], rel, line, `the weight of \`${rowIds[i]}\` → \`${cols[j]}\``)
      if (w !== 0) links.push({ from: rowIds[i], to: cols[j], weight: w, line })
    }
  })
  return { format: 'dense', ids: rowIds, links }
}

/** Lines with their 1-based numbers, trailing comments and blanks kept as empty strings. */
function linesOf(text: string): string[] {
  return text.split(/\r?\n/)
}

/** The unit count of a GeoDa header: `n` or `0 n [shapefile idvar]`. */
function galHeader(rel: string, line: string): number {
  const t = line.trim().split(/\s+/)
  const n = Number(t.length >= 2 ? t[1] : t[0])
  if (!Number.isInteger(n) || n < 1) throw bad(rel, 1, `cannot read the header \`${line.trim()}\``, { expected: '`n` or `0 n shapefile idvar`' })
  return n
}

function readGal(rel: string, text: string): WeightsFile {
  const lines = linesOf(text)
  const n = galHeader(rel, lines[0] ?? '')
  const ids: string[] = []
  const links: Link[] = []
  let i = 1
  const nextNonBlank = () => { while (i < lines.length && lines[i].trim() === '') i++; return i < lines.length }
  while (nextNonBlank()) {
    const headLine = i + 1
    const t = lines[i++].trim().split(/\s+/)
    const k = Number(t[1])
    if (t.length !== 2 || !Number.isInteger(k) || k < 0) throw bad(rel, headLine, `expected \`id k\` (a unit and its number of neighbours), got \`${t.join(' ')}\``)
    const id = t[0]
    if (ids.includes(id)) throw bad(rel, headLine, `unit \`${id}\` is listed twice`)
    ids.push(id)
    const nb: string[] = []
    while (nb.length < k) {
      if (!nextNonBlank()) throw bad(rel, headLine, `unit \`${id}\` announces ${k} neighbours; the file ends after ${nb.length}`)
      const line = i + 1
      for (const tok of lines[i++].trim().split(/\s+/)) nb.push(tok)
      if (nb.length > k) throw bad(rel, line, `unit \`${id}\` announces ${k} neighbours; this line lists ${nb.length}`)
    }
    for (const to of nb) links.push({ from: id, to, weight: 1, line: headLine + 1 })
  }
  if (ids.length !== n) throw bad(rel, 1, `the header announces ${n} units; the file lists ${ids.length}`)
  return { format: 'gal', ids, links }
}

function readGwt(rel: string, text: string): WeightsFile {
  const lines = linesOf(text)
  const n = galHeader(rel, lines[0] ?? '')
  const ids = new Set<string>()
  const links: Link[] = []
  for (let i = 1; i < lines.length; i++) {
    const s = lines[i].trim()
    if (s === '') continue
    const t = s.split(/\s+/)
    if (t.length !== 3) throw bad(rel, i + 1, `expected \`from to weight\`, got \`${s}\``)
    const weight = weightOf(t[2], rel, i + 1, 'the weight')
    ids.add(t[0]); ids.add(t[1])
    links.push({ from: t[0], to: t[1], weight, line: i + 1 })
  }
  if (ids.size > n) throw bad(rel, 1, `the header announces ${n} units; the links name ${ids.size}`)
  return { format: 'gwt', ids: [...ids], links }
}
