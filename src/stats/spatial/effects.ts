/**
 * Direct, indirect and total effects of a SAR or SDM (LeSage & Pace 2009, Introduction to
 * Spatial Econometrics, §2.7): for regressor k,
 *   S_k = (I − ρW)⁻¹(β_k I + θ_k W),  direct = tr(S_k)/N,  total = 1′S_k1/N,  indirect = total − direct.
 * Exact: the traces from the eigenvalues of W, tr((I − ρW)⁻¹) = Σ 1/(1 − ρω) and
 * tr((I − ρW)⁻¹W) = Σ ω/(1 − ρω); the totals 1′(I − ρW)⁻¹1 are N/(1 − ρ) when W is
 * row-stochastic and otherwise a power series in ρ over moments 1′W^k1 (class Totals). Standard errors by simulation: (β, θ, ρ) drawn from the normal with the
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

/**
 * 1′(I − ρW)⁻¹1/N and 1′(I − ρW)⁻¹W1/N. Row-stochastic W: both 1/(1 − ρ). Otherwise the
 * series Σ_k ρ^k·1′W^k b/N over moments 1′W^k b computed once (one sparse product each,
 * extended as a draw needs more) and summed until a term is below 10⁻¹⁵ of the sum: each draw
 * then costs a polynomial, not a solve. The series converges on ρ's interval, where
 * |ρ|·max|ω| < 1, slowly near its ends.
 */
class Totals {
  readonly #w: SparseMatrix
  readonly #rowStochastic: boolean
  readonly #moments: [number[], number[]] = [[], []]
  readonly #vectors: Float64Array[]

  constructor(w: SparseMatrix, s: Spectrum) {
    this.#w = w
    this.#rowStochastic = s.rowStochastic
    const ones = new Float64Array(w.n).fill(1)
    this.#vectors = [ones, spatialLag(w, ones)]
  }

  #moment(which: 0 | 1, k: number): number {
    const m = this.#moments[which]
    while (m.length <= k) {
      const v = this.#vectors[which]
      m.push(v.reduce((a, x) => a + x, 0) / this.#w.n)
      this.#vectors[which] = spatialLag(this.#w, v)
    }
    return m[k]
  }

  at(rho: number): [number, number] {
    if (this.#rowStochastic) return [1 / (1 - rho), 1 / (1 - rho)]
    const sum = (which: 0 | 1) => {
      let total = 0, p = 1
      for (let k = 0; k < 1_000_000; k++) {
        const term = p * this.#moment(which, k)
        total += term
        if (k > 2 && Math.abs(term) <= 1e-15 * Math.abs(total)) break
        p *= rho
      }
      return total
    }
    return [sum(0), sum(1)]
  }
}

function point(inp: EffectsInput, totals: Totals, beta: ArrayLike<number>, theta: ArrayLike<number> | undefined, rho: number) {
  const n = inp.w.n
  const tr0 = traceSum(inp.spectrum, rho, 0, 1) / n, tr1 = traceSum(inp.spectrum, rho, 1, 1) / n
  const [t0, t1] = totals.at(rho)
  return inp.terms.map((_, k) => {
    const b = beta[k], th = theta ? theta[k] : 0
    const direct = b * tr0 + th * tr1, total = b * t0 + th * t1
    return [direct, total - direct, total] as const
  })
}

export function spatialEffects(inp: EffectsInput, draws: number, rng: Rng): { effects: Effect[]; used: number } {
  const K = inp.terms.length
  const totals = new Totals(inp.w, inp.spectrum)
  const est = point(inp, totals, inp.beta, inp.theta, inp.rho)
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
      const e = point(inp, totals, v.subarray(0, K), inp.theta ? v.subarray(K, 2 * K) : undefined, rho)
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
