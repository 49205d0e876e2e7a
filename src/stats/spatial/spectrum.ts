/**
 * The eigenvalues ω of an N × N weights matrix W, for log-determinants and traces:
 *   ln|I − ρW| = Σ ln|1 − ρω_i|,  tr(W(I − ρW)⁻¹) = Σ Re ω_i/(1 − ρω_i),  …
 * (Ord 1975). A W that is similar to a symmetric matrix — symmetric, or row-standardized
 * from a symmetric one (contiguity, inverse distance), W = D⁻¹C — has real eigenvalues, those
 * of S = D^{1/2} W D^{-1/2}; they come from a Householder tridiagonal reduction and
 * implicit QL (Press et al., Numerical Recipes, §11.2–11.3), about 4N³/3 flops. Any other W
 * (an asymmetric composite, k nearest neighbours) goes through the general route: balancing,
 * Hessenberg reduction and shifted QR without eigenvectors (hqr.ts; complex pairs as real +
 * imaginary parts), a few times slower, with ml-matrix's EigenvalueDecomposition as the
 * fallback should QR not converge.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix'
import type { SparseMatrix } from '../../artifacts/weights.ts'
import type { Rng } from '../rng.ts'
import { generalEigenvalues } from './hqr.ts'
import { logDetMoments, traceMoments, traceSumMoments, type TraceMoments } from './moments.ts'

export interface Spectrum {
  readonly n: number
  readonly re: Float64Array
  readonly im: Float64Array
  /** Every row sums to 1 (to 1e-12): then W1 = 1 and (I − ρW)⁻¹1 = 1/(1 − ρ). */
  readonly rowStochastic: boolean
  /** Which route computed it. */
  readonly method: 'symmetric' | 'general' | 'moments'
  /** The trace moments (method `moments`: large sparse W; re and im are then empty). */
  readonly moments?: TraceMoments
  /** Method `symmetric`: the d with D^{1/2} W D^{-1/2} symmetric (then I − ρW inverts through a Cholesky factor). */
  readonly similarity?: Float64Array
}

export interface MomentOptions {
  /** Number of trace moments K. @default 100 */
  readonly K?: number
  /** Hutchinson probes m. @default 100 */
  readonly probes?: number
  readonly rng: Rng
}

/** The Monte Carlo route (moments.ts) for a large sparse W: no eigenvalues, no dense matrices. */
export function momentSpectrum(w: SparseMatrix, o: MomentOptions): Spectrum {
  const empty = new Float64Array(0)
  return { n: w.n, re: empty, im: empty, rowStochastic: isRowStochastic(w), method: 'moments', moments: traceMoments(w, o.K ?? 100, o.probes ?? 100, o.rng) }
}

function isRowStochastic(w: SparseMatrix): boolean {
  for (let i = 0; i < w.n; i++) {
    let s = 0
    for (let k = w.rowStart[i]; k < w.rowStart[i + 1]; k++) s += w.values[k]
    if (Math.abs(s - 1) > 1e-12) return false
  }
  return true
}

/**
 * ρ's interval: (1/ω_min, 1/ω_max) from the eigenvalues (real parts); for the moments route
 * (−1/r, 1/r) with r the largest absolute row sum, a bound on the spectral radius (= 1 for a
 * row-stochastic W).
 */
export function rhoInterval(s: Spectrum, w: SparseMatrix): [number, number] {
  if (s.method === 'moments') {
    let r = 0
    for (let i = 0; i < w.n; i++) { let a = 0; for (let k = w.rowStart[i]; k < w.rowStart[i + 1]; k++) a += Math.abs(w.values[k]); r = Math.max(r, a) }
    return [-1 / r, 1 / r]
  }
  let maxRe = -Infinity
  for (const v of s.re) maxRe = Math.max(maxRe, v)
  const minRe = minReal(s)
  // a W with no negative eigenvalue (not a usual weights matrix: its trace is then positive) gets a symmetric interval
  const hi = 1 / maxRe
  return [minRe < 0 ? 1 / minRe : -hi, hi]
}

export function spectrum(w: SparseMatrix): Spectrum {
  const n = w.n
  const rowStochastic = isRowStochastic(w)
  const sym = symmetrized(w)
  if (sym) return { n, re: symmetricEigenvalues(sym.s, n), im: new Float64Array(n), rowStochastic, method: 'symmetric', similarity: sym.d }
  const dense = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let k = w.rowStart[i]; k < w.rowStart[i + 1]; k++) dense[i * n + w.cols[k]] = w.values[k]
  const g = generalEigenvalues(dense, n)
  if (g) return { n, re: Float64Array.from(g.re), im: Float64Array.from(g.im), rowStochastic, method: 'general' }
  // QR without convergence in 60 iterations for some eigenvalue: the slower route that accumulates vectors
  const rows = Array.from({ length: n }, (_, i) => Array.from(dense.subarray(i * n, (i + 1) * n)))
  const evd = new EigenvalueDecomposition(new Matrix(rows))
  return { n, re: Float64Array.from(evd.realEigenvalues), im: Float64Array.from(evd.imaginaryEigenvalues), rowStochastic, method: 'general' }
}

/** The smallest real part among the eigenvalues (the lower end of ρ's interval is its reciprocal). */
export function minReal(s: Spectrum): number {
  let m = Infinity
  for (let i = 0; i < s.n; i++) if (s.re[i] < m) m = s.re[i]
  return m
}

/**
 * S = D^{1/2} W D^{-1/2} (dense, row-major) when there are positive d with d_i w_ij = d_j w_ji
 * for all i, j (then S is symmetric); undefined otherwise. d is found by walking the graph of W
 * from each component's first unit (d = 1 there).
 */
function symmetrized(w: SparseMatrix): { s: Float64Array; d: Float64Array } | undefined {
  const n = w.n
  const dense = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let k = w.rowStart[i]; k < w.rowStart[i + 1]; k++) dense[i * n + w.cols[k]] = w.values[k]
  const d = new Float64Array(n)
  const stack: number[] = []
  for (let root = 0; root < n; root++) {
    if (d[root] !== 0) continue
    d[root] = 1
    stack.push(root)
    while (stack.length) {
      const i = stack.pop()!
      for (let k = w.rowStart[i]; k < w.rowStart[i + 1]; k++) {
        const j = w.cols[k], wij = w.values[k], wji = dense[j * n + i]
        if (wij === 0) continue
        if (!(wji > 0 && wij > 0)) return undefined
        const dj = (d[i] * wij) / wji
        if (d[j] === 0) { d[j] = dj; stack.push(j) }
        else if (Math.abs(d[j] - dj) > 1e-10 * d[j]) return undefined
      }
    }
  }
  const s = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    const v = dense[i * n + j]
    if (v !== 0) s[i * n + j] = v * Math.sqrt(d[i] / d[j])
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) {
    const a = s[i * n + j], b = s[j * n + i]
    if (Math.abs(a - b) > 1e-10 * Math.max(Math.abs(a), Math.abs(b))) return undefined
    s[i * n + j] = s[j * n + i] = (a + b) / 2
  }
  return { s, d }
}

/** Eigenvalues of a symmetric matrix (destroyed): tridiagonal reduction, then implicit QL. */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  const d = new Float64Array(n), e = new Float64Array(n)
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1, ri = i * n
    let h = 0, scale = 0
    if (l > 0) {
      for (let k = 0; k <= l; k++) scale += Math.abs(a[ri + k])
      if (scale === 0) e[i] = a[ri + l]
      else {
        for (let k = 0; k <= l; k++) { a[ri + k] /= scale; h += a[ri + k] * a[ri + k] }
        let f = a[ri + l]
        let g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h)
        e[i] = scale * g
        h -= f * g
        a[ri + l] = f - g
        f = 0
        // p = A·u/h from the lower triangle read along rows (each entry serves row j and column j)
        e.fill(0, 0, l + 1)
        for (let j = 0; j <= l; j++) {
          const rj = j * n, uj = a[ri + j]
          // two partial sums: the dot product is bound by the latency of its adds
          let g0 = a[rj + j] * uj, g1 = 0, k = 0
          for (; k + 1 < j; k += 2) {
            const v0 = a[rj + k], v1 = a[rj + k + 1]
            g0 += v0 * a[ri + k]; g1 += v1 * a[ri + k + 1]
            e[k] += v0 * uj; e[k + 1] += v1 * uj
          }
          for (; k < j; k++) { const v = a[rj + k]; g0 += v * a[ri + k]; e[k] += v * uj }
          e[j] += g0 + g1
        }
        for (let j = 0; j <= l; j++) { e[j] /= h; f += e[j] * a[ri + j] }
        const hh = f / (h + h)
        for (let j = 0; j <= l; j++) {
          f = a[ri + j]
          e[j] = g = e[j] - hh * f
          const rj = j * n
          for (let k = 0; k <= j; k++) a[rj + k] -= f * e[k] + g * a[ri + k]
        }
      }
    } else e[i] = a[ri + l]
    d[i] = h
  }
  for (let i = 0; i < n; i++) d[i] = a[i * n + i]
  for (let i = 1; i < n; i++) e[i - 1] = e[i]
  e[n - 1] = 0
  for (let l = 0; l < n; l++) {
    let iter = 0, m: number
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1])
        if (Math.abs(e[m]) <= Number.EPSILON * dd) break
      }
      if (m !== l) {
        if (iter++ === 60) throw new Error('symmetricEigenvalues: QL did not converge')
        let g = (d[l + 1] - d[l]) / (2 * e[l])
        let r = Math.hypot(g, 1)
        g = d[m] - d[l] + e[l] / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)))
        let s = 1, c = 1, p = 0, i: number
        for (i = m - 1; i >= l; i--) {
          const f = s * e[i], b = c * e[i]
          e[i + 1] = r = Math.hypot(f, g)
          if (r === 0) { d[i + 1] -= p; e[m] = 0; break }
          s = f / r; c = g / r; g = d[i + 1] - p; r = (d[i] - g) * s + 2 * c * b; p = s * r; d[i + 1] = g + p; g = c * r - b
        }
        if (r === 0 && i >= l) continue
        d[l] -= p; e[l] = g; e[m] = 0
      }
    } while (m !== l)
  }
  return d.sort()
}

/** ln|I − ρW| = Σ ln|1 − ρω| (the real part of Σ ln(1 − ρω); conjugate pairs cancel the rest). */
export function logDet(s: Spectrum, rho: number): number {
  if (s.moments) return logDetMoments(s.moments, rho)
  let out = 0
  for (let i = 0; i < s.n; i++) {
    const a = 1 - rho * s.re[i], b = rho * s.im[i]
    out += b === 0 ? Math.log(Math.abs(a)) : 0.5 * Math.log(a * a + b * b)
  }
  return out
}

/** Σ Re ω^p/(1 − ρω)^q for p ∈ {0, 1, 2}, q ∈ {1, 2}: tr((I − ρW)⁻¹), tr(W(I − ρW)⁻¹), tr((W(I − ρW)⁻¹)²). */
export function traceSum(s: Spectrum, rho: number, p: 0 | 1 | 2, q: 1 | 2): number {
  if (s.moments) return traceSumMoments(s.moments, rho, p, q)
  let out = 0
  for (let i = 0; i < s.n; i++) {
    const ar = s.re[i], ai = s.im[i]
    if (ai === 0) { out += ar ** p / (1 - rho * ar) ** q; continue }
    // complex: num = ω^p, den = (1 − ρω)^q
    let nr = 1, ni = 0
    for (let k = 0; k < p; k++) [nr, ni] = [nr * ar - ni * ai, nr * ai + ni * ar]
    let dr = 1, di = 0
    for (let k = 0; k < q; k++) [dr, di] = [dr * (1 - rho * ar) - di * (-rho * ai), dr * (-rho * ai) + di * (1 - rho * ar)]
    out += (nr * dr + ni * di) / (dr * dr + di * di)
  }
  return out
}
