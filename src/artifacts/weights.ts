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
  candidates: { label: string; a?: number; n: number; rowStart: number[]; cols: number[]; values: number[] }[]
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
      rowStart: Array.from(c.matrix.rowStart),
      cols: Array.from(c.matrix.cols),
      values: Array.from(c.matrix.values),
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
      matrix: { n: c.n, rowStart: Int32Array.from(c.rowStart), cols: Int32Array.from(c.cols), values: Float64Array.from(c.values) },
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
