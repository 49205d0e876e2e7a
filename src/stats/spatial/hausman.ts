/**
 * Hausman test of fixed against random effects, as plm::phtest(within, random) with
 * Swamy–Arora variance components on a balanced panel (Baltagi 2013, Econometric Analysis
 * of Panel Data, §2.3 and §3.3; Hausman 1978):
 *   within: b_FE on the demeaned data (unit, or two-way), σ²_ν = e′e/df,
 *     df = NT − N − K (unit) or NT − N − T + 1 − K (two-way);
 *   between units: σ²₁ = T·ê′ê/(N − K − 1) from the regression of unit means on the unit
 *     means of X with an intercept; between periods (two-way): σ²₂ = N·ê′ê/(T − K − 1);
 *   θ₁ = 1 − σ_ν/σ₁, θ₂ = 1 − σ_ν/σ₂, θ₃ = θ₁ + θ₂ + σ_ν/σ₃ − 1, σ²₃ = σ²₁ + σ²₂ − σ²_ν;
 *   y* = y − θ₁ȳ_i. (− θ₂ȳ_.t + θ₃ȳ_..), likewise X and the intercept; b_RE by OLS of y* on
 *     them with V_RE = s²(X*′X*)⁻¹, s² = ê′ê/(NT − K − 1);
 *   H = (b_FE − b_RE)′(V_FE − V_RE)⁻¹(b_FE − b_RE) ~ χ²(K), V_FE = σ²_ν(X̃′X̃)⁻¹.
 */
import { chisqPValue } from '../dist.ts'
import { crossprod, dot, invert, leastSquares, spdInverse } from './dense.ts'
import { demean } from './panel.ts'

export interface Hausman {
  readonly statistic: number
  readonly df: number
  readonly p: number
}

/** Means over units (per period, length T) or over periods (per unit, length N) of a time-major panel. */
function means(v: Float64Array, n: number, t: number, over: 'time' | 'unit'): Float64Array {
  const out = new Float64Array(over === 'time' ? n : t)
  for (let k = 0; k < t; k++) for (let i = 0; i < n; i++) out[over === 'time' ? i : k] += v[k * n + i]
  return out.map((s) => s / (over === 'time' ? t : n))
}

function between(y: Float64Array, x: readonly Float64Array[], n: number, t: number, over: 'time' | 'unit', m: number): number {
  const yb = means(y, n, t, over)
  const xb = x.map((c) => means(c, n, t, over))
  const r = leastSquares([new Float64Array(yb.length).fill(1), ...xb], yb)
  if (!r) return NaN
  const K = x.length
  return ((over === 'time' ? t : n) * dot(r.resid, r.resid)) / (m - K - 1)
}

export function hausman(y: Float64Array, x: readonly Float64Array[], n: number, t: number, effect: 'unit' | 'twoways'): Hausman | undefined {
  const K = x.length, NT = n * t
  const yw = demean(y, n, t, effect), xw = x.map((c) => demean(c, n, t, effect))
  const fe = leastSquares(xw, yw)
  if (!fe) return undefined
  const df = effect === 'unit' ? NT - n - K : NT - n - t + 1 - K
  const s2v = dot(fe.resid, fe.resid) / df
  const s21 = between(y, x, n, t, 'time', n)
  const th1 = 1 - Math.sqrt(s2v / s21)
  let th2 = 0, th3 = 0
  if (effect === 'twoways') {
    const s22 = between(y, x, n, t, 'unit', t)
    th2 = 1 - Math.sqrt(s2v / s22)
    th3 = th1 + th2 + Math.sqrt(s2v / (s21 + s22 - s2v)) - 1
  }
  const quasi = (v: Float64Array) => {
    const mu = means(v, n, t, 'time'), mt = means(v, n, t, 'unit')
    const all = v.reduce((a, b) => a + b, 0) / NT
    return v.map((val, r) => val - th1 * mu[r % n] - th2 * mt[Math.floor(r / n)] + th3 * all)
  }
  const xs = [new Float64Array(NT).fill(1 - th1 - th2 + th3), ...x.map(quasi)]
  const re = leastSquares(xs, quasi(y))
  if (!re || ![s21, th1, th2, th3].every(Number.isFinite)) return undefined
  const s2r = dot(re.resid, re.resid) / (NT - K - 1)
  const Vfe = spdInverse(crossprod(xw), K), VreAll = spdInverse(crossprod(xs), K + 1)
  if (!Vfe || !VreAll) return undefined
  const D = new Float64Array(K * K)
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) D[i * K + j] = s2v * Vfe[i * K + j] - s2r * VreAll[(i + 1) * (K + 1) + j + 1]
  const diff = Array.from({ length: K }, (_, j) => fe.coef[j] - re.coef[j + 1])
  // V_FE − V_RE need not be positive definite in a sample (then H can be negative, as in plm).
  const Di = invert(D, K)
  if (!Di) return undefined
  let h = 0
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) h += diff[i] * Di[i * K + j] * diff[j]
  return { statistic: h, df: K, p: chisqPValue(h, K) }
}
