/**
 * Direct, indirect and total effects of a SAR or SDM (LeSage & Pace 2009, Introduction to
 * Spatial Econometrics, §2.7): for regressor k,
 *   S_k = (I − ρW)⁻¹(β_k I + θ_k W),  direct = tr(S_k)/N,  total = 1′S_k1/N,  indirect = total − direct.
 * Exact: the traces from the eigenvalues of W, tr((I − ρW)⁻¹) = Σ 1/(1 − ρω) and
 * tr((I − ρW)⁻¹W) = Σ ω/(1 − ρω); the totals from u = (I − ρW)⁻¹1, which is 1/(1 − ρ) when W
 * is row-stochastic and otherwise the Neumann series 1 + ρWu (|ρ|·max|ω| < 1 on ρ's interval),
 * iterated to 1e-14. Standard errors by simulation: (β, θ, ρ) drawn from the normal with the
 * estimates' asymptotic covariance, draw d from its own stream (stage seed, d); the
 * standard deviation of the draws' effects. Draws whose ρ falls outside its interval are
 * left out (and counted).
 */
import { spatialLag, type SparseMatrix } from '../../artifacts/weights.ts'
import type { Rng } from '../rng.ts'
import { cholesky } from './dense.ts'
import { traceSum, type Spectrum } from './spectrum.ts'

export interface Effect {
  readonly term: string
  readonly direct: number
  readonly indirect: number
  readonly total: number
  readonly seDirect: number
  readonly seIndirect: number
  readonly seTotal: number
}

export interface EffectsInput {
  readonly w: SparseMatrix
  readonly spectrum: Spectrum
  /** Regressor names (their effects are reported). */
  readonly terms: readonly string[]
  /** β (length K), θ (length K, SDM) or undefined (SAR). */
  readonly beta: ArrayLike<number>
  readonly theta?: ArrayLike<number>
  readonly rho: number
  /** Covariance of (β, θ?, ρ), row-major, in that order. */
  readonly vcov: ArrayLike<number>
  readonly interval: readonly [number, number]
}

/** 1′(I − ρW)⁻¹1/N and 1′(I − ρW)⁻¹W1/N. */
function totals(w: SparseMatrix, s: Spectrum, rho: number): [number, number] {
  if (s.rowStochastic) return [1 / (1 - rho), 1 / (1 - rho)]
  const n = w.n
  const solve = (b: Float64Array) => {
    let u = Float64Array.from(b)
    const wu = new Float64Array(n)
    for (let it = 0; it < 100000; it++) {
      spatialLag(w, u, wu)
      let diff = 0, size = 0
      const next = new Float64Array(n)
      for (let i = 0; i < n; i++) { next[i] = b[i] + rho * wu[i]; diff = Math.max(diff, Math.abs(next[i] - u[i])); size = Math.max(size, Math.abs(next[i])) }
      u = next
      if (diff <= 1e-14 * size) break
    }
    return u.reduce((a, v) => a + v, 0) / n
  }
  const ones = new Float64Array(n).fill(1)
  return [solve(ones), solve(spatialLag(w, ones))]
}

function point(inp: EffectsInput, beta: ArrayLike<number>, theta: ArrayLike<number> | undefined, rho: number) {
  const n = inp.w.n
  const tr0 = traceSum(inp.spectrum, rho, 0, 1) / n, tr1 = traceSum(inp.spectrum, rho, 1, 1) / n
  const [t0, t1] = totals(inp.w, inp.spectrum, rho)
  return inp.terms.map((_, k) => {
    const b = beta[k], th = theta ? theta[k] : 0
    const direct = b * tr0 + th * tr1, total = b * t0 + th * t1
    return [direct, total - direct, total] as const
  })
}

export function spatialEffects(inp: EffectsInput, draws: number, rng: Rng): { effects: Effect[]; used: number } {
  const K = inp.terms.length
  const est = point(inp, inp.beta, inp.theta, inp.rho)
  const p = K * (inp.theta ? 2 : 1) + 1
  const mean = [...Array.from(inp.beta), ...(inp.theta ? Array.from(inp.theta) : []), inp.rho]
  const L = cholesky(inp.vcov, p)
  const sums = new Float64Array(K * 3), sq = new Float64Array(K * 3)
  let used = 0
  if (L) {
    const z = new Float64Array(p), v = new Float64Array(p)
    for (let d = 0; d < draws; d++) {
      const r = rng.fork(d)
      for (let i = 0; i < p; i++) z[i] = r.normal()
      for (let i = 0; i < p; i++) { let s = mean[i]; for (let j = 0; j <= i; j++) s += L[i * p + j] * z[j]; v[i] = s }
      const rho = v[p - 1]
      if (!(rho > inp.interval[0] && rho < inp.interval[1])) continue
      used++
      const e = point(inp, v.subarray(0, K), inp.theta ? v.subarray(K, 2 * K) : undefined, rho)
      for (let k = 0; k < K; k++) for (let c = 0; c < 3; c++) { const x = e[k][c]; sums[k * 3 + c] += x; sq[k * 3 + c] += x * x }
    }
  }
  const sd = (i: number) => (used > 1 ? Math.sqrt(Math.max(0, (sq[i] - (sums[i] * sums[i]) / used) / (used - 1))) : NaN)
  return {
    used,
    effects: inp.terms.map((term, k) => ({
      term, direct: est[k][0], indirect: est[k][1], total: est[k][2],
      seDirect: sd(k * 3), seIndirect: sd(k * 3 + 1), seTotal: sd(k * 3 + 2),
    })),
  }
}
