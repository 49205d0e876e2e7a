/**
 * The imputation estimator of Borusyak, Jaravel & Spiess (2024), "Revisiting event-study
 * designs: robust and efficient estimation", Review of Economic Studies 91(6), 3253–3285.
 *
 * 1. Fit Y_it(0) = α_i + λ_t (+ further fixed effects) + X_it'β + ε_it by OLS on the
 *    untreated observations Ω₀ (never treated, and treated ones before adoption − anticipation).
 * 2. τ̂_it = Y_it − Ŷ_it(0) for every treated observation whose effects step 1 identifies.
 * 3. An estimand τ_w = Σ_{Ω₁} w_it τ_it (weights summing to 1) is estimated by Σ w_it τ̂_it.
 *
 * Variance (their Theorem 3, eq. 6–10; as the didimputation R package and Stata's
 * did_imputation compute it): the estimator is linear in Y, τ̂_w = Σ_it v_it Y_it with
 *   v_it = w_it on Ω₁,   v₀ = −Z₀ (Z₀'Z₀)⁻¹ Z₁'w on Ω₀   (Z = [fixed-effect dummies, X]),
 * and the conservative clustered variance is
 *   σ̂² = Σ_clusters (Σ_{it ∈ c} v_it ε̃_it)²,
 * with ε̃_it = Y_it − Ŷ_it(0) on Ω₀ (the step-1 residual) and ε̃_it = τ̂_it − τ̄_{g,h} on Ω₁,
 * τ̄_{g,h} = Σ v_it² τ̂_it / Σ v_it² over the treated observations of adoption cohort g at
 * event time h (the default `avgeffectsby` cells; no leave-out correction, no
 * finite-sample factor). Everything is unweighted.
 *
 * v₀ without forming Z: with h = D₀(D₀'D₀)⁻¹ D₁'w (fixef.ts) and X̃₀ = M_D X₀ (the untreated
 * controls with the fixed effects absorbed), block elimination of (Z₀'Z₀)⁻¹ gives
 *   β_v = (X̃₀'X̃₀)⁻¹ (X₁'w − X₀'h),   v₀ = −(h + X̃₀ β_v).
 */
import { choleskyFactor } from '../cholesky.ts'
import { QuasiError } from '../../errors.ts'
import { createAbsorber } from '../fe/absorb.ts'
import type { Factor } from '../fe/factor.ts'
import { feSolver, levelComponents, type FeSolver } from './fixef.ts'

export interface ImputationData {
  readonly y: Float64Array
  /** Fixed-effect factors on all rows (no missing codes). */
  readonly factors: readonly Factor[]
  readonly controls: readonly { readonly name: string; readonly values: Float64Array }[]
  /** 1 = treated (to impute), 0 = untreated (estimation sample of step 1). */
  readonly treated: Uint8Array
  /** Adoption cohort and event time of each row (used for the τ̄ cells on treated rows). */
  readonly cohort: Float64Array
  readonly event: Float64Array
  readonly cluster: Factor
}

/** Why a treated observation cannot be imputed. */
export type Unidentified = { readonly factor: number; readonly level: number } | { readonly factor: -1; readonly level: -1 }

export interface ImputationFit {
  /** τ̂ on identified treated rows; NaN elsewhere. */
  readonly tau: Float64Array
  /** 1 for treated rows with an imputed Y(0). */
  readonly identified: Uint8Array
  /** The treated set given (1 = treated). */
  readonly treated: Uint8Array
  /** Treated rows not identified, with the first factor level absent from Ω₀ (factor −1: disconnected). */
  readonly dropped: ReadonlyMap<number, Unidentified>
  /** β̂ of the controls. */
  readonly beta: Float64Array
  readonly untreatedRows: number
  /**
   * Estimate and conservative standard error of Σ w τ̂ (w over all rows, summing to 1 on
   * identified rows), with the cluster scores s_c = Σ_{it∈c} v_it ε̃_it (σ̂² = Σ s_c²; the
   * covariance of two estimands is Σ s_c s'_c).
   */
  estimand(w: Float64Array): Estimand
}

export interface Estimand {
  readonly estimate: number
  readonly se: number
  readonly treated: number
  readonly scores: Float64Array
}

const COLLINEAR_TOL = 1e-9

export function imputationFit(d: ImputationData): ImputationFit {
  const n = d.y.length
  if (d.factors.length === 0) throw new QuasiError('INVALID_SPEC', 'the imputation model needs fixed effects (unit and period)', { role: { role: 'fixed_effect' } })
  const rows0: number[] = []
  for (let i = 0; i < n; i++) if (!d.treated[i]) rows0.push(i)
  const n0 = rows0.length
  if (n0 === 0) throw new QuasiError('NO_VARIATION', 'there are no untreated observations to fit the model of Y(0) on', { role: { role: 'treatment' } })
  // Factors on Ω₀, recoded; map from the all-row code to the Ω₀ code (−1: absent from Ω₀).
  const maps = d.factors.map((f) => new Int32Array(f.levels).fill(-1))
  const f0: Factor[] = d.factors.map((f, k) => {
    const map = maps[k]
    const codes = new Int32Array(n0)
    let levels = 0
    for (let r = 0; r < n0; r++) {
      const c = f.codes[rows0[r]]
      if (map[c] < 0) map[c] = levels++
      codes[r] = map[c]
    }
    return { codes, levels }
  })
  const solver: FeSolver = feSolver(f0)
  const comp = levelComponents(f0, solver.offsets, solver.size)

  // Identification of each treated row.
  const identified = new Uint8Array(n)
  const dropped = new Map<number, Unidentified>()
  for (let i = 0; i < n; i++) {
    if (!d.treated[i]) continue
    let why: Unidentified | undefined
    let c0 = -1
    for (let k = 0; k < d.factors.length && !why; k++) {
      const code = maps[k][d.factors[k].codes[i]]
      if (code < 0) { why = { factor: k, level: d.factors[k].codes[i] }; break }
      const c = comp[solver.offsets[k] + code]
      if (c0 < 0) c0 = c
      else if (c !== c0) why = { factor: -1, level: -1 }
    }
    if (why) dropped.set(i, why)
    else identified[i] = 1
  }

  // Controls: absorbed on Ω₀, β̂ from the normal equations of X̃₀.
  const p = d.controls.length
  const absorber = createAbsorber(f0, undefined)
  const demean = (x: Float64Array): Float64Array => {
    const r = absorber.demean(x)
    if (!r.converged) throw new QuasiError('NOT_CONVERGED', 'absorbing the fixed effects did not converge', { role: { role: 'fixed_effect' } })
    return r.values
  }
  const pick = (x: Float64Array): Float64Array => Float64Array.from(rows0, (i) => x[i])
  const y0 = pick(d.y)
  const X0 = d.controls.map((c) => pick(c.values))
  const Xt = X0.map(demean)
  const xtx = new Float64Array(p * p)
  for (let a = 0; a < p; a++) for (let b = 0; b <= a; b++) xtx[a * p + b] = xtx[b * p + a] = dot(Xt[a], Xt[b])
  const chol = cholesky(xtx, p, (j) => {
    throw new QuasiError('SINGULAR_DESIGN', `control \`${d.controls[j].name}\` is collinear with the fixed effects and the other controls on the untreated observations`, {
      role: { role: 'design', column: d.controls[j].name, index: j },
    })
  })
  const yt = demean(y0)
  const beta = chol(Float64Array.from(Xt, (x) => dot(x, yt)))

  // Fixed-effect coefficients of the untreated fit: D₀'D₀ c = D₀'(y₀ − X₀β̂).
  const r0 = y0.slice()
  for (let j = 0; j < p; j++) for (let r = 0; r < n0; r++) r0[r] -= X0[j][r] * beta[j]
  const coef = solver.solve(levelSums(f0, solver, r0))
  const resid0 = r0.slice()
  for (let k = 0; k < f0.length; k++) {
    const codes = f0[k].codes, off = solver.offsets[k]
    for (let r = 0; r < n0; r++) resid0[r] -= coef[off + codes[r]]
  }
  const tau = new Float64Array(n).fill(NaN)
  for (let i = 0; i < n; i++) {
    if (!identified[i]) continue
    let yhat = 0
    for (let k = 0; k < d.factors.length; k++) yhat += coef[solver.offsets[k] + maps[k][d.factors[k].codes[i]]]
    for (let j = 0; j < p; j++) yhat += d.controls[j].values[i] * beta[j]
    tau[i] = d.y[i] - yhat
  }

  const cells = cohortEventCells(d, identified)
  return {
    tau, identified, treated: d.treated, dropped, beta, untreatedRows: n0,
    estimand(w) {
      let estimate = 0, sumW = 0, treated = 0
      const g = new Float64Array(solver.size)
      const gx = new Float64Array(p)
      for (let i = 0; i < n; i++) {
        const wi = w[i]
        if (wi === 0) continue
        if (!identified[i]) throw new QuasiError('INTERNAL', `estimand weight on row ${i + 1}, which has no imputed Y(0)`)
        estimate += wi * tau[i]
        sumW += wi
        treated++
        for (let k = 0; k < d.factors.length; k++) g[solver.offsets[k] + maps[k][d.factors[k].codes[i]]] += wi
        for (let j = 0; j < p; j++) gx[j] += wi * d.controls[j].values[i]
      }
      if (Math.abs(sumW - 1) > 1e-9) throw new QuasiError('INTERNAL', `estimand weights sum to ${sumW}, not 1`)
      // h = D₀ (D₀'D₀)⁻¹ D₁'w; D₀'h must give back D₁'w (else the estimand is not identified).
      const ch = solver.solve(g)
      const back = solver.normal(ch)
      let gap = 0, scale = 0
      for (let j = 0; j < g.length; j++) { gap = Math.max(gap, Math.abs(back[j] - g[j])); scale = Math.max(scale, Math.abs(g[j])) }
      if (gap > 1e-8 * scale) throw new QuasiError('INTERNAL', `the estimand is not identified by the untreated fit (normal equations off by ${gap})`)
      const v0 = new Float64Array(n0)
      for (let k = 0; k < f0.length; k++) {
        const codes = f0[k].codes, off = solver.offsets[k]
        for (let r = 0; r < n0; r++) v0[r] += ch[off + codes[r]]
      }
      if (p > 0) {
        const rhs = Float64Array.from(gx, (v, j) => v - dot(X0[j], v0))
        const bv = chol(rhs)
        for (let j = 0; j < p; j++) for (let r = 0; r < n0; r++) v0[r] += Xt[j][r] * bv[j]
      }
      for (let r = 0; r < n0; r++) v0[r] = -v0[r]
      // τ̄ by cohort × event time, weighted by v² (= w² on treated rows).
      const num = new Float64Array(cells.count), den = new Float64Array(cells.count)
      for (let i = 0; i < n; i++) {
        const wi = w[i]
        if (wi === 0) continue
        num[cells.id[i]] += wi * wi * tau[i]
        den[cells.id[i]] += wi * wi
      }
      const byCluster = new Float64Array(d.cluster.levels)
      for (let i = 0; i < n; i++) {
        const wi = w[i]
        if (wi === 0) continue
        byCluster[d.cluster.codes[i]] += wi * (tau[i] - num[cells.id[i]] / den[cells.id[i]])
      }
      for (let r = 0; r < n0; r++) byCluster[d.cluster.codes[rows0[r]]] += v0[r] * resid0[r]
      let s2 = 0
      for (const s of byCluster) s2 += s * s
      return { estimate, se: Math.sqrt(s2), treated, scores: byCluster }
    },
  }
}

/** An integer id per cohort × event-time cell of the identified treated rows (−1 elsewhere). */
function cohortEventCells(d: ImputationData, identified: Uint8Array): { id: Int32Array; count: number } {
  const id = new Int32Array(identified.length).fill(-1)
  const map = new Map<number, Map<number, number>>()
  let count = 0
  for (let i = 0; i < id.length; i++) {
    if (!identified[i]) continue
    let byEvent = map.get(d.cohort[i])
    if (!byEvent) { byEvent = new Map(); map.set(d.cohort[i], byEvent) }
    let c = byEvent.get(d.event[i])
    if (c === undefined) { c = count++; byEvent.set(d.event[i], c) }
    id[i] = c
  }
  return { id, count }
}

function levelSums(f0: readonly Factor[], solver: FeSolver, x: Float64Array): Float64Array {
  const g = new Float64Array(solver.size)
  for (let k = 0; k < f0.length; k++) {
    const codes = f0[k].codes, off = solver.offsets[k]
    for (let r = 0; r < x.length; r++) g[off + codes[r]] += x[r]
  }
  return g
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * b[i]
  return s
}

/** Cholesky of a small SPD matrix; `singular(j)` is called (and must throw) on a vanishing pivot. Returns a solver. */
function cholesky(A: Float64Array, p: number, singular: (j: number) => never): (b: Float64Array) => Float64Array {
  const L = choleskyFactor(A, p, COLLINEAR_TOL)
  if (typeof L === 'number') singular(L)
  return (b) => {
    const z = new Float64Array(p)
    for (let i = 0; i < p; i++) {
      let s = b[i]
      for (let k = 0; k < i; k++) s -= L[i * p + k] * z[k]
      z[i] = s / L[i * p + i]
    }
    for (let i = p - 1; i >= 0; i--) {
      let s = z[i]
      for (let k = i + 1; k < p; k++) s -= L[k * p + i] * z[k]
      z[i] = s / L[i * p + i]
    }
    return z
  }
}
