/**
 * Inverse of a small dense matrix by Gauss–Jordan elimination with partial pivoting, for the
 * simplex basis (rows ≲ 30, so O(m³) is cheaper than maintaining an LU factorisation).
 *
 * ## Method
 * Row-reduce [B | I] to [I | B⁻¹]; at column c the row with the largest |entry| at or below
 * c becomes the pivot row. A pivot below `LP_TOL.singular` means B is numerically singular.
 * ## References
 * G. H. Golub, C. F. Van Loan (2013), Matrix Computations, 4th ed., §3.4 (pivoting).
 */
import { LP_TOL } from './tolerances.ts'

/** Raised when a fresh inversion finds the basis numerically singular; callers may restart cold. */
export class SingularBasisError extends Error {
  constructor() {
    super('simplex: basis matrix is numerically singular')
    this.name = 'SingularBasisError'
  }
}

/**
 * Invert the m × m matrix given column by column through `column(i, out)` (out: a zeroed
 * column of length m) into `inv` (row-major). `work` must hold 2m² numbers.
 */
export function invertDense(m: number, column: (i: number, out: Float64Array) => void, inv: Float64Array, work: Float64Array): void {
  const w = 2 * m
  work.fill(0)
  const col = new Float64Array(m)
  for (let i = 0; i < m; i++) {
    col.fill(0)
    column(i, col)
    for (let r = 0; r < m; r++) work[r * w + i] = col[r]
    work[i * w + m + i] = 1
  }
  for (let c = 0; c < m; c++) {
    let p = c
    let pv = Math.abs(work[c * w + c])
    for (let r = c + 1; r < m; r++) {
      const v = Math.abs(work[r * w + c])
      if (v > pv) {
        pv = v
        p = r
      }
    }
    if (pv < LP_TOL.singular) throw new SingularBasisError()
    if (p !== c) {
      for (let j = 0; j < w; j++) {
        const t = work[c * w + j]
        work[c * w + j] = work[p * w + j]
        work[p * w + j] = t
      }
    }
    const s = 1 / work[c * w + c]
    for (let j = 0; j < w; j++) work[c * w + j] *= s
    for (let r = 0; r < m; r++) {
      if (r === c) continue
      const f = work[r * w + c]
      if (f === 0) continue
      for (let j = 0; j < w; j++) work[r * w + j] -= f * work[c * w + j]
    }
  }
  for (let i = 0; i < m; i++) for (let r = 0; r < m; r++) inv[i * m + r] = work[i * w + m + r]
}
