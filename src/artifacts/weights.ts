/**
 * The spatial weights artifact: what a `spatial-weights` stage publishes and `moran`,
 * `spatial-tests` and `spatial` read through `weights:`. Units are named by the panel's
 * unit key (as text), in the order of `units`; every matrix is N × N over that order.
 *
 * A weights stage offers one or more candidate matrices: one for a plain W, one per value of
 * the mixing weight a for a composite a·W1 + (1 − a)·W2 given a grid. A model stage fits
 * each candidate and chooses among them (by AIC/BIC); a statistic of one W (Moran's I) uses
 * the candidate named by its stage, or the only one.
 *
 * Matrices are stored sparse, row by row (compressed sparse rows: the non-zeros of row i are
 * at positions rowStart[i] … rowStart[i + 1] − 1 of `cols` and `values`, columns ascending),
 * because the weights used in practice (contiguity, k nearest, distance bands) are sparse
 * and a dense 3,000 × 3,000 matrix would be 72 MB per candidate. Serialized as canonical
 * JSON, so the bytes and their digest are stable.
 */
import { canonicalJson } from '../cache/canonical.ts'

/** One N × N matrix in compressed sparse rows. */
export interface SparseMatrix {
  readonly n: number
  /** Length n + 1; rowStart[0] = 0, rowStart[n] = number of non-zeros. */
  readonly rowStart: Int32Array
  readonly cols: Int32Array
  readonly values: Float64Array
}

export interface WeightsCandidate {
  /** Short name used in tables and messages, e.g. "W", "a = 0.3". */
  readonly label: string
  /** The mixing weight of a composite candidate (a·W1 + (1 − a)·W2), when there is one. */
  readonly a?: number
  readonly matrix: SparseMatrix
}

export interface Weights {
  /** Unit keys (the panel's unit column as text), in matrix order. */
  readonly units: readonly string[]
  /** `row` (rows sum to 1), `binary` (0/1) or `none` (as built). */
  readonly style: 'row' | 'binary' | 'none'
  /** How the matrix was built, for notes and provenance (e.g. "inverse distance, power 1"). */
  readonly description: string
  readonly candidates: readonly WeightsCandidate[]
}

/** A sparse matrix from dense rows (zeros dropped). */
export function sparseFromDense(rows: readonly ArrayLike<number>[]): SparseMatrix {
  const n = rows.length
  const rowStart = new Int32Array(n + 1)
  const cols: number[] = []
  const values: number[] = []
  for (let i = 0; i < n; i++) {
    const r = rows[i]
    for (let j = 0; j < n; j++) {
      if (r[j] !== 0) {
        cols.push(j)
        values.push(r[j])
      }
    }
    rowStart[i + 1] = cols.length
  }
  return { n, rowStart, cols: Int32Array.from(cols), values: Float64Array.from(values) }
}

/** Dense row-major copy (n × n); for small n and for tests. */
export function sparseToDense(m: SparseMatrix): Float64Array[] {
  const out = Array.from({ length: m.n }, () => new Float64Array(m.n))
  for (let i = 0; i < m.n; i++) for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++) out[i][m.cols[k]] = m.values[k]
  return out
}

/** y = W x. */
export function spatialLag(m: SparseMatrix, x: ArrayLike<number>, out: Float64Array = new Float64Array(m.n)): Float64Array {
  for (let i = 0; i < m.n; i++) {
    let s = 0
    for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++) s += m.values[k] * x[m.cols[k]]
    out[i] = s
  }
  return out
}

interface WeightsJson {
  units: string[]
  style: Weights['style']
  description: string
  /** Arrays as base64 of their little-endian bytes: a dense 280 × 280 grid of 11 candidates is
   *  7 MB this way against 22 MB of decimal numbers, and encodes without formatting each number. */
  candidates: { label: string; a?: number; n: number; rowStart: string; cols: string; values: string }[]
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

function toBase64(a: Int32Array | Float64Array): string {
  if (!LITTLE_ENDIAN) throw new Error('weights serialization assumes a little-endian machine')
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')
}

function fromBase64<T extends Int32Array | Float64Array>(s: string, make: (b: ArrayBuffer) => T): T {
  const b = Buffer.from(s, 'base64')
  // Copy into a fresh, aligned buffer: Buffer's pool offsets need not be multiples of 8.
  const copy = new ArrayBuffer(b.byteLength)
  new Uint8Array(copy).set(b)
  return make(copy)
}

export function serializeWeights(w: Weights): string {
  const json: WeightsJson = {
    units: [...w.units],
    style: w.style,
    description: w.description,
    candidates: w.candidates.map((c) => ({
      label: c.label,
      ...(c.a === undefined ? {} : { a: c.a }),
      n: c.matrix.n,
      rowStart: toBase64(c.matrix.rowStart),
      cols: toBase64(c.matrix.cols),
      values: toBase64(c.matrix.values),
    })),
  }
  return canonicalJson(json as never)
}

export function deserializeWeights(bytes: Uint8Array): Weights {
  const j = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as WeightsJson
  return {
    units: j.units,
    style: j.style,
    description: j.description,
    candidates: j.candidates.map((c) => ({
      label: c.label,
      ...(c.a === undefined ? {} : { a: c.a }),
      matrix: {
        n: c.n,
        rowStart: fromBase64(c.rowStart, (b) => new Int32Array(b)),
        cols: fromBase64(c.cols, (b) => new Int32Array(b)),
        values: fromBase64(c.values, (b) => new Float64Array(b)),
      },
    })),
  }
}

export function isWeights(v: unknown): v is Weights {
  if (typeof v !== 'object' || v === null) return false
  const w = v as Weights
  if (!Array.isArray(w.units) || !Array.isArray(w.candidates) || w.candidates.length === 0) return false
  return w.candidates.every(
    (c) =>
      c.matrix?.n === w.units.length &&
      c.matrix.rowStart instanceof Int32Array &&
      c.matrix.rowStart.length === c.matrix.n + 1 &&
      c.matrix.cols instanceof Int32Array &&
      c.matrix.values instanceof Float64Array &&
      c.matrix.cols.length === c.matrix.values.length &&
      c.matrix.rowStart[c.matrix.n] === c.matrix.cols.length,
  )
}

// ---- Operations on sparse rows (additions for the stages that build and read weights) ----

/** A sparse matrix from per-row lists of (column, value); columns sorted, zeros dropped. */
export function sparseFromRows(n: number, rows: readonly (readonly (readonly [number, number])[])[]): SparseMatrix {
  const rowStart = new Int32Array(n + 1)
  let nnz = 0
  for (let i = 0; i < n; i++) for (const [, v] of rows[i] ?? []) if (v !== 0) nnz++
  const cols = new Int32Array(nnz)
  const values = new Float64Array(nnz)
  let k = 0
  for (let i = 0; i < n; i++) {
    const r = [...(rows[i] ?? [])].filter(([, v]) => v !== 0).sort((a, b) => a[0] - b[0])
    for (const [j, v] of r) { cols[k] = j; values[k] = v; k++ }
    rowStart[i + 1] = k
  }
  return { n, rowStart, cols, values }
}

/** Number of non-zeros (links) in each row. */
export function neighbourCounts(m: SparseMatrix): Int32Array {
  const out = new Int32Array(m.n)
  for (let i = 0; i < m.n; i++) out[i] = m.rowStart[i + 1] - m.rowStart[i]
  return out
}

/** Row sums. */
export function rowSums(m: SparseMatrix): Float64Array {
  const out = new Float64Array(m.n)
  for (let i = 0; i < m.n; i++) for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++) out[i] += m.values[k]
  return out
}

/** Indices of the rows with no non-zero (islands: units without neighbours). */
export function islands(m: SparseMatrix): number[] {
  const out: number[] = []
  for (let i = 0; i < m.n; i++) if (m.rowStart[i + 1] === m.rowStart[i]) out.push(i)
  return out
}

/** Each row divided by its sum (rows summing to 0 stay 0): w_ij / Σ_j w_ij. */
export function rowStandardize(m: SparseMatrix): SparseMatrix {
  const s = rowSums(m)
  const values = new Float64Array(m.values.length)
  for (let i = 0; i < m.n; i++) for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++) values[k] = s[i] === 0 ? 0 : m.values[k] / s[i]
  return { n: m.n, rowStart: m.rowStart, cols: m.cols, values }
}

/** 1 for every non-zero. */
export function binarize(m: SparseMatrix): SparseMatrix {
  return { n: m.n, rowStart: m.rowStart, cols: m.cols, values: new Float64Array(m.values.length).fill(1) }
}

/** The transpose W'. */
export function transpose(m: SparseMatrix): SparseMatrix {
  const rowStart = new Int32Array(m.n + 1)
  for (let k = 0; k < m.cols.length; k++) rowStart[m.cols[k] + 1]++
  for (let j = 0; j < m.n; j++) rowStart[j + 1] += rowStart[j]
  const fill = rowStart.slice(0, m.n)
  const cols = new Int32Array(m.cols.length)
  const values = new Float64Array(m.values.length)
  // Rows are visited in order, so each column of the transpose comes out ascending.
  for (let i = 0; i < m.n; i++) {
    for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++) {
      const at = fill[m.cols[k]]++
      cols[at] = i
      values[at] = m.values[k]
    }
  }
  return { n: m.n, rowStart, cols, values }
}

/** Whether j is a neighbour of i exactly when i is one of j (the links, not the values: spdep's `is.symmetric.nb`). */
export function symmetricLinks(m: SparseMatrix): boolean {
  const t = transpose(m)
  if (t.cols.length !== m.cols.length) return false
  for (let i = 0; i <= m.n; i++) if (t.rowStart[i] !== m.rowStart[i]) return false
  for (let k = 0; k < m.cols.length; k++) if (t.cols[k] !== m.cols[k]) return false
  return true
}

/** a·A + (1 − a)·B over the same units (the composite of two weights matrices): a merge of sorted rows. */
export function mixSparse(a: number, A: SparseMatrix, B: SparseMatrix): SparseMatrix {
  if (A.n !== B.n) throw new RangeError(`mixSparse: ${A.n} × ${A.n} and ${B.n} × ${B.n}`)
  const n = A.n, b = 1 - a
  const rowStart = new Int32Array(n + 1)
  const cap = A.cols.length + B.cols.length
  const cols = new Int32Array(cap), values = new Float64Array(cap)
  let k = 0
  for (let i = 0; i < n; i++) {
    let p = A.rowStart[i], q = B.rowStart[i]
    const pe = A.rowStart[i + 1], qe = B.rowStart[i + 1]
    while (p < pe || q < qe) {
      const ja = p < pe ? A.cols[p] : n, jb = q < qe ? B.cols[q] : n
      let j: number, v: number
      if (ja === jb) { j = ja; v = a * A.values[p++] + b * B.values[q++] }
      else if (ja < jb) { j = ja; v = a * A.values[p++] }
      else { j = jb; v = b * B.values[q++] }
      if (v !== 0) { cols[k] = j; values[k++] = v }
    }
    rowStart[i + 1] = k
  }
  return { n, rowStart, cols: cols.slice(0, k), values: values.slice(0, k) }
}

/** The same matrix over units in another order: out[i][j] = m[from[i]][from[j]]. */
export function permuteSparse(m: SparseMatrix, from: ArrayLike<number>): SparseMatrix {
  const to = new Int32Array(m.n)
  for (let i = 0; i < m.n; i++) to[from[i]] = i
  const rows: [number, number][][] = []
  for (let i = 0; i < m.n; i++) {
    const src = from[i]
    const r: [number, number][] = []
    for (let k = m.rowStart[src]; k < m.rowStart[src + 1]; k++) r.push([to[m.cols[k]], m.values[k]])
    rows.push(r)
  }
  return sparseFromRows(m.n, rows)
}
