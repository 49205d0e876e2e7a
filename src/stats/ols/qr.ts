/**
 * Least squares by Householder QR on column-major Float64Arrays, with the regressors
 * kept in the order given and a column dropped when it is (numerically) a linear
 * combination of the columns kept before it, as R's lm (LINPACK dqrdc2) does.
 *
 * ## Method
 * Column j is tested after the reflectors of the kept columns have been applied: its
 * remaining norm ‖x_j⁽ᵏ⁾[k:]‖ is the norm of the part of x_j orthogonal to the kept
 * columns. If it is ≤ `COLLINEAR_TOL` × `refNorm[j]` the column is dropped. `refNorm` is
 * the column's norm *before* fixed effects were absorbed, so a regressor that the fixed
 * effects explain (a time-invariant control under unit effects) is caught as well.
 * The reflector H = I − τ u u' maps x to α e₁ with α = −sign(x₀)‖x‖ (no cancellation).
 *
 * ## References
 * G. H. Golub, C. F. Van Loan (2013), Matrix Computations, 4th ed., §5.1–5.2.
 * J. J. Dongarra et al. (1979), LINPACK Users' Guide, ch. 9 (dqrdc; R's dqrdc2 variant).
 */

/**
 * A column whose part orthogonal to the kept columns (and to the fixed effects) has norm
 * ≤ 1e-9 of its original norm is collinear. Rounding after absorption leaves ~1e-13;
 * R's lm uses 1e-7, fixest 1e-10: 1e-9 drops exact collinearity and keeps any regressor
 * with a billionth of its scale in independent variation.
 */
export const COLLINEAR_TOL = 1e-9

export interface QrFit {
  /** Indices (into the input columns) kept, in order. */
  readonly kept: readonly number[]
  /** Indices dropped as collinear. */
  readonly dropped: readonly number[]
  /** Coefficients of the kept columns. */
  readonly coef: Float64Array
  /** (X'X)⁻¹ of the kept columns, row-major r × r, from R⁻¹R⁻ᵀ. */
  readonly xtxInv: Float64Array
}

/**
 * Solves min ‖y − Xβ‖₂. `cols` and `y` are overwritten (they become the Householder
 * vectors and Q'y). Returns the coefficients of the kept columns and (X'X)⁻¹.
 */
export function leastSquaresQr(
  cols: Float64Array[], y: Float64Array, refNorm: readonly number[], tol = COLLINEAR_TOL,
): QrFit {
  const p = cols.length
  const n = y.length
  const kept: number[] = []
  const dropped: number[] = []
  const alphas: number[] = []
  const taus: number[] = []
  for (let j = 0; j < p; j++) {
    const x = cols[j]
    const k = kept.length
    let ss = 0
    for (let i = k; i < n; i++) ss += x[i] * x[i]
    const norm = Math.sqrt(ss)
    if (!(norm > tol * refNorm[j]) || k >= n) {
      dropped.push(j)
      continue
    }
    const x0 = x[k]
    const alpha = x0 > 0 ? -norm : norm
    x[k] = x0 - alpha // u = x − α e₁ stored in x[k:]
    const uu = 2 * norm * (norm + Math.abs(x0)) // ‖u‖² = ‖x‖² − x₀² + (x₀ − α)²
    const tau = 2 / uu
    kept.push(j)
    alphas.push(alpha)
    taus.push(tau)
    for (let jj = j + 1; jj < p; jj++) applyReflector(x, tau, k, cols[jj], n)
    applyReflector(x, tau, k, y, n)
  }
  const r = kept.length
  // R (r × r upper, row-major): R[a][b] = cols[kept[b]][a] for a < b, diagonal α.
  const R = new Float64Array(r * r)
  for (let b = 0; b < r; b++) {
    const c = cols[kept[b]]
    for (let a = 0; a < b; a++) R[a * r + b] = c[a]
    R[b * r + b] = alphas[b]
  }
  const coef = new Float64Array(r)
  for (let a = r - 1; a >= 0; a--) {
    let s = y[a]
    for (let b = a + 1; b < r; b++) s -= R[a * r + b] * coef[b]
    coef[a] = s / R[a * r + a]
  }
  return { kept, dropped, coef, xtxInv: inverseGram(R, r) }
}

function applyReflector(u: Float64Array, tau: number, k: number, c: Float64Array, n: number): void {
  let s = 0
  for (let i = k; i < n; i++) s += u[i] * c[i]
  s *= tau
  if (s === 0) return
  for (let i = k; i < n; i++) c[i] -= s * u[i]
}

/** (R'R)⁻¹ = R⁻¹ R⁻ᵀ for upper-triangular R (row-major r × r). */
function inverseGram(R: Float64Array, r: number): Float64Array {
  const Ri = new Float64Array(r * r) // R⁻¹, upper triangular
  for (let j = 0; j < r; j++) {
    Ri[j * r + j] = 1 / R[j * r + j]
    for (let i = j - 1; i >= 0; i--) {
      let s = 0
      for (let k = i + 1; k <= j; k++) s += R[i * r + k] * Ri[k * r + j]
      Ri[i * r + j] = -s / R[i * r + i]
    }
  }
  const out = new Float64Array(r * r)
  for (let i = 0; i < r; i++) {
    for (let j = i; j < r; j++) {
      let s = 0
      for (let k = j; k < r; k++) s += Ri[i * r + k] * Ri[j * r + k]
      out[i * r + j] = s
      out[j * r + i] = s
    }
  }
  return out
}
