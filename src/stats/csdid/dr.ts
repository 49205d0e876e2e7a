/**
 * One 2×2 comparison of the Callaway–Sant'Anna estimator on a panel: the ATT of the treated
 * (D = 1) against the comparison units (D = 0) from the outcome change Δy between a base and a
 * later period, with its influence function (one value per unit of the comparison, so that
 * var(ATT) ≈ Σ ψ²/n1²).
 *
 * ## Method
 * Without covariates: ATT = mean(Δy | D=1) − mean(Δy | D=0), ψ = D(Δy − m1)/p − (1−D)(Δy − m0)/(1−p).
 * With covariates X (an intercept first), p̂(X) a logit fitted by maximum likelihood, β̂ the OLS
 * fit of Δy on X among the comparison units (Sant'Anna & Zhao 2020, section 3; the estimators of
 * R's DRDID::reg_did_panel, std_ipw_did_panel and drdid_panel that the did package calls):
 *   reg: ATT = mean_{D=1}(Δy − X β̂)
 *   ipw: ATT = Σ D Δy/Σ D − Σ w Δy/Σ w,                    w = p̂(1−D)/(1−p̂)  (normalised weights)
 *   dr:  ATT = Σ D(Δy − Xβ̂)/Σ D − Σ w(Δy − Xβ̂)/Σ w
 * Their influence functions add the estimation effect of β̂ (its asymptotically linear
 * representation (1−D)(Δy − Xβ̂)X'·(E[(1−D)XX'])⁻¹) and of the logit (score (D − p̂)X times
 * (E[p̂(1−p̂)XX'])⁻¹). p̂ is capped at 1 − 1e-6, and comparison units with p̂ ≥ 0.995 get weight
 * 0 (trimmed), as DRDID does by default.
 *
 * ## References
 * P. H. C. Sant'Anna & J. Zhao (2020), "Doubly robust difference-in-differences estimators",
 *   Journal of Econometrics 219(1), 101–122, doi:10.1016/j.jeconom.2020.06.003.
 * B. Callaway & P. H. C. Sant'Anna (2021), "Difference-in-differences with multiple time
 *   periods", Journal of Econometrics 225(2), 200–230, doi:10.1016/j.jeconom.2020.12.001.
 */
import { choleskyFactor } from '../cholesky.ts'
import { QuasiError } from '../../errors.ts'

export type CsMethod = 'none' | 'reg' | 'ipw' | 'dr'

export interface Cell2x2 {
  /** Outcome change, one per unit of the comparison. */
  readonly dy: Float64Array
  /** 1 for the treated group, 0 for the comparison units. */
  readonly d: Uint8Array
  /** Covariates, row-major n1 × k with the intercept in column 0; null without covariates. */
  readonly x: Float64Array | null
  readonly k: number
}

export interface CellEstimate {
  readonly att: number
  /** Influence function on the comparison's units (length n1). */
  readonly inf: Float64Array
  /** Whether the logit reached its tolerance (always true without a propensity score). */
  readonly converged: boolean
}

const PS_CAP = 1 - 1e-6
const PS_TRIM = 0.995

export function estimate2x2(c: Cell2x2, method: CsMethod): CellEstimate {
  if (method === 'none' || c.x === null) return meanDifference(c)
  const n = c.dy.length, k = c.k, x = c.x, d = c.d, dy = c.dy
  let n1 = 0
  for (let i = 0; i < n; i++) n1 += d[i]
  const p = n1 / n
  let m1 = 0
  for (let i = 0; i < n; i++) if (d[i]) m1 += dy[i]
  m1 /= n1

  // Outcome regression among the comparison units: β̂, fitted Δy and the linear representation's matrix (E[(1−D)XX'])⁻¹.
  let out: Float64Array | null = null, xxInv0: Float64Array | null = null
  if (method === 'reg' || method === 'dr') {
    const xx = new Float64Array(k * k), xy = new Float64Array(k)
    for (let i = 0; i < n; i++) {
      if (d[i]) continue
      const o = i * k
      for (let a = 0; a < k; a++) {
        const xa = x[o + a]
        xy[a] += xa * dy[i]
        for (let b = 0; b <= a; b++) xx[a * k + b] += xa * x[o + b]
      }
    }
    symmetrize(xx, k)
    const inv = spdInverse(xx, k, 'outcome regression among the comparison units')
    const beta = new Float64Array(k)
    for (let a = 0; a < k; a++) { let s = 0; for (let b = 0; b < k; b++) s += inv[a * k + b] * xy[b]; beta[a] = s }
    out = new Float64Array(n)
    for (let i = 0; i < n; i++) { let s = 0; for (let a = 0; a < k; a++) s += x[i * k + a] * beta[a]; out[i] = s }
    xxInv0 = inv.map((v) => v * n)
  }
  // Propensity score: logit by Newton's method; (E[p(1−p)XX'])⁻¹ for the score's representation.
  let ps: Float64Array | null = null, hInv: Float64Array | null = null, converged = true
  if (method === 'ipw' || method === 'dr') {
    const fit = logit(x, d, n, k)
    ps = fit.p; converged = fit.converged
    for (let i = 0; i < n; i++) if (ps[i] > PS_CAP) ps[i] = PS_CAP
    const h = new Float64Array(k * k)
    for (let i = 0; i < n; i++) {
      const w = ps[i] * (1 - ps[i]), o = i * k
      for (let a = 0; a < k; a++) for (let b = 0; b <= a; b++) h[a * k + b] += w * x[o + a] * x[o + b]
    }
    symmetrize(h, k)
    hInv = spdInverse(h, k, 'propensity score').map((v) => v * n)
  }

  const inf = new Float64Array(n)
  if (method === 'reg') {
    const o = out!
    let eta0 = 0
    for (let i = 0; i < n; i++) if (d[i]) eta0 += o[i]
    eta0 /= n1
    // M1 = E[D X]; the comparison term's estimation effect is (1−D)(Δy − Xβ̂)X' A⁻¹ M1.
    const m = colMeans(x, n, k, (i) => d[i])
    const am = matVec(xxInv0!, m, k)
    for (let i = 0; i < n; i++) {
      const lin = d[i] ? 0 : (dy[i] - o[i]) * dot(x, i * k, am, k)
      const treat = d[i] ? (dy[i] - m1) / p : 0
      const cont = ((d[i] ? o[i] - eta0 : 0) + lin) / p
      inf[i] = treat - cont
    }
    return { att: m1 - eta0, inf, converged }
  }
  const e = ps!
  const w = new Float64Array(n)
  let sw = 0
  // Comparison units with p̂ ≥ 0.995 get no weight (DRDID's trim.level, which did leaves at its default).
  for (let i = 0; i < n; i++) { w[i] = d[i] || e[i] >= PS_TRIM ? 0 : e[i] / (1 - e[i]); sw += w[i] }
  const mw = sw / n
  if (method === 'ipw') {
    let eta0 = 0
    for (let i = 0; i < n; i++) eta0 += w[i] * dy[i]
    eta0 /= sw
    const m2 = colMeans(x, n, k, (i) => w[i] * (dy[i] - eta0))
    const hm = matVec(hInv!, m2, k)
    for (let i = 0; i < n; i++) {
      const treat = d[i] ? (dy[i] - m1) / p : 0
      const score = (d[i] - e[i]) * dot(x, i * k, hm, k)
      inf[i] = treat - (w[i] * (dy[i] - eta0) + score) / mw
    }
    return { att: m1 - eta0, inf, converged }
  }
  // dr
  const o = out!
  let eta1 = 0, eta0 = 0
  for (let i = 0; i < n; i++) {
    const r = dy[i] - o[i]
    if (d[i]) eta1 += r
    else eta0 += w[i] * r
  }
  eta1 /= n1; eta0 /= sw
  const m1v = colMeans(x, n, k, (i) => d[i])
  const m2 = colMeans(x, n, k, (i) => w[i] * (dy[i] - o[i] - eta0))
  const m3 = colMeans(x, n, k, (i) => w[i])
  const a1 = matVec(xxInv0!, m1v, k), a3 = matVec(xxInv0!, m3, k), hm = matVec(hInv!, m2, k)
  for (let i = 0; i < n; i++) {
    const r = dy[i] - o[i]
    const ols = d[i] ? 0 : r // (1−D)(Δy − Xβ̂), times X'A⁻¹M below
    const treat = ((d[i] ? r - eta1 : 0) - ols * dot(x, i * k, a1, k)) / p
    const cont = (w[i] * (r - eta0) + (d[i] - e[i]) * dot(x, i * k, hm, k) - ols * dot(x, i * k, a3, k)) / mw
    inf[i] = treat - cont
  }
  return { att: eta1 - eta0, inf, converged }
}

function meanDifference(c: Cell2x2): CellEstimate {
  const n = c.dy.length, d = c.d, dy = c.dy
  let n1 = 0, s1 = 0, s0 = 0
  for (let i = 0; i < n; i++) { if (d[i]) { n1++; s1 += dy[i] } else s0 += dy[i] }
  const n0 = n - n1, m1 = s1 / n1, m0 = s0 / n0, p = n1 / n
  const inf = new Float64Array(n)
  for (let i = 0; i < n; i++) inf[i] = d[i] ? (dy[i] - m1) / p : -(dy[i] - m0) / (1 - p)
  return { att: m1 - m0, inf, converged: true }
}

/** Logistic regression of d on x by Newton–Raphson from β = 0, to machine precision. */
export function logit(x: Float64Array, d: Uint8Array, n: number, k: number): { p: Float64Array; beta: Float64Array; converged: boolean } {
  const beta = new Float64Array(k)
  const p = new Float64Array(n)
  const g = new Float64Array(k), h = new Float64Array(k * k)
  let converged = false
  for (let iter = 0; iter < 100; iter++) {
    g.fill(0); h.fill(0)
    for (let i = 0; i < n; i++) {
      const o = i * k
      let eta = 0
      for (let a = 0; a < k; a++) eta += x[o + a] * beta[a]
      const pi = 1 / (1 + Math.exp(-eta))
      p[i] = pi
      const w = pi * (1 - pi), r = d[i] - pi
      for (let a = 0; a < k; a++) {
        const xa = x[o + a]
        g[a] += xa * r
        for (let b = 0; b <= a; b++) h[a * k + b] += w * xa * x[o + b]
      }
    }
    if (converged) break
    symmetrize(h, k)
    const inv = spdInverse(h, k, 'propensity score')
    let step = 0, size = 0
    for (let a = 0; a < k; a++) {
      let s = 0
      for (let b = 0; b < k; b++) s += inv[a * k + b] * g[b]
      beta[a] += s
      step = Math.max(step, Math.abs(s)); size = Math.max(size, Math.abs(beta[a]))
    }
    if (size > 30) break // separation: the fitted probabilities run to 0 or 1
    // One more pass recomputes p at the final β.
    if (step <= 1e-10 * Math.max(1, size)) converged = true
  }
  return { p, beta, converged }
}

function symmetrize(a: Float64Array, k: number): void {
  for (let r = 0; r < k; r++) for (let c = r + 1; c < k; c++) a[r * k + c] = a[c * k + r]
}

/** Inverse of a symmetric positive definite k × k matrix by Cholesky; SINGULAR_DESIGN when it is not. */
export function spdInverse(a: Float64Array, k: number, what: string): Float64Array {
  const l = choleskyFactor(a, k, 1e-10, { floor: 1 })
  if (typeof l === 'number') {
    throw new QuasiError('SINGULAR_DESIGN', `the covariates are collinear in the ${what} of a comparison`, {
      hint: 'drop a covariate that is constant or collinear within a cohort and its comparison units',
    })
  }
  // L⁻¹ then (L⁻¹)'L⁻¹
  const li = new Float64Array(k * k)
  for (let j = 0; j < k; j++) {
    li[j * k + j] = 1 / l[j * k + j]
    for (let i = j + 1; i < k; i++) {
      let s = 0
      for (let m = j; m < i; m++) s -= l[i * k + m] * li[m * k + j]
      li[i * k + j] = s / l[i * k + i]
    }
  }
  const inv = new Float64Array(k * k)
  for (let r = 0; r < k; r++) for (let c = 0; c <= r; c++) {
    let s = 0
    for (let m = r; m < k; m++) s += li[m * k + r] * li[m * k + c]
    inv[r * k + c] = s; inv[c * k + r] = s
  }
  return inv
}

function colMeans(x: Float64Array, n: number, k: number, w: (i: number) => number): Float64Array {
  const m = new Float64Array(k)
  for (let i = 0; i < n; i++) {
    const wi = w(i)
    if (wi === 0) continue
    for (let a = 0; a < k; a++) m[a] += wi * x[i * k + a]
  }
  for (let a = 0; a < k; a++) m[a] /= n
  return m
}

function matVec(a: Float64Array, v: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k)
  for (let r = 0; r < k; r++) { let s = 0; for (let c = 0; c < k; c++) s += a[r * k + c] * v[c]; out[r] = s }
  return out
}

function dot(x: Float64Array, o: number, v: Float64Array, k: number): number {
  let s = 0
  for (let a = 0; a < k; a++) s += x[o + a] * v[a]
  return s
}
