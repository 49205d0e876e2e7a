/**
 * Goodman-Bacon decomposition of the two-way fixed-effects DID coefficient with covariates,
 * y_it = α_i + λ_t + β D_it + X_it γ + ε_it, on a balanced panel with staggered adoption.
 *
 * ## Method (Goodman-Bacon 2021, section 5)
 * Frisch–Waugh: d_it is the residual of D_it on X_it and the unit and period effects, so
 * β̂ = Σ y·d / Σ d². On a balanced panel the effects are removed exactly by two-way demeaning
 * (v − v̄_i − v̄_t + v̄), then D̃ is regressed on X̃ (Householder QR, ../ols/qr.ts, with lm's
 * rule for a covariate the effects absorb). With d̄_kt the mean of d in timing group k and
 * period t, d = (d − d̄_kt) + d̄_kt splits into two orthogonal parts:
 *   within:  β̂_w = Σ y(d − d̄_kt) / Σ (d − d̄_kt)²,   Ω = V(d − d̄_kt) / V(d);
 *   between: the regression of the group × period means ȳ_kt on d̄_kt with group and period
 *            effects, weighted by group size, which is Σ_{k<l} s_kl β̂_kl over pairs of groups:
 *     β̂_kl = Σ_t Δȳ_t Δd_t / Σ_t Δd_t²,   Δv_t = (v_kt − v_lt) − mean_t(v_kt − v_lt),
 *     s_kl ∝ n_k n_l Σ_t Δd_t² / T = (n_k + n_l)² V_kl,
 *   V_kl the variance of d̄_kt two-way demeaned within the pair, n the groups' unit shares.
 * So β̂ = Ω β̂_w + (1 − Ω) Σ s_kl β̂_kl with Σ s_kl = 1; the weights returned are Ω and
 * (1 − Ω) s_kl, which sum to 1. β̂_kl is the paper's covariate-adjusted 2×2 (eq. for β̂^b_kl:
 * a variance-weighted mix of the controlled 2×2 DD and the term in the first-stage fitted
 * values; bacondecomp computes it in that form), here in its one-regression form: both are
 * the same number (test/fixtures/bacon/covariates.R checks it).
 * Each pair of groups is compared once over all periods: with covariates a later-treated
 * group is not split into its "earlier vs later" and "later vs earlier" windows. Types, as
 * in bacondecomp: Both Treated, Treated vs Never Treated (also the always-treated group
 * against the never treated, whose d̄_kt differ through the covariates), Treated vs Always
 * Treated. A comparison, or the within part, whose variance share is at rounding level
 * (≤ ZERO_SHARE of V(d); e.g. covariates constant within group × period leave no within
 * variation) is left out: its estimate is 0/0.
 *
 * ## References
 * A. Goodman-Bacon (2021), "Difference-in-differences with variation in treatment timing",
 *   Journal of Econometrics 225(2), 254–277, doi:10.1016/j.jeconom.2021.03.014, section 5.
 * E. Flack, E. Jee, bacondecomp (R package): `bacon()` with controls (types; Ω, β̂_w).
 */
import { QuasiError } from '../../errors.ts'
import { leastSquaresQr } from '../ols/qr.ts'
import { cohortLayout, cohortMeans, hasComparison, noComparison, type Cohort, type Comparison, type ComparisonType } from './decompose.ts'
import type { BaconPanel } from './panel.ts'

/** A variance share of V(d) at or below this is rounding (an exact zero computed in floating point). */
const ZERO_SHARE = 1e-20

export interface CovariateDecomposition {
  readonly cohorts: readonly Cohort[]
  /** The between 2×2 comparisons; weights include the factor 1 − Ω. */
  readonly comparisons: readonly Comparison[]
  /** Ω and β̂_w; null when there is no variation within timing groups (Ω = 0). */
  readonly within: { readonly weight: number; readonly estimate: number } | null
  /** Covariates used, and those the unit and period effects (or earlier covariates) absorb. */
  readonly kept: readonly string[]
  readonly absorbed: readonly string[]
  /** Ω β̂_w + Σ weight · estimate: the TWFE coefficient with the covariates. */
  readonly total: number
}

/** v − v̄_i − v̄_t + v̄ for a unit-major N × T variable: exact removal of unit and period effects on a balanced panel. */
function twoWayDemean(v: ArrayLike<number>, N: number, T: number): Float64Array {
  const ui = new Float64Array(N), tt = new Float64Array(T)
  let all = 0
  for (let i = 0; i < N; i++) {
    for (let t = 0; t < T; t++) { const x = v[i * T + t]; ui[i] += x; tt[t] += x; all += x }
  }
  const out = new Float64Array(N * T)
  const g = all / (N * T)
  for (let i = 0; i < N; i++) {
    const a = ui[i] / T
    for (let t = 0; t < T; t++) out[i * T + t] = v[i * T + t] - a - tt[t] / N + g
  }
  return out
}

const sumSq = (v: ArrayLike<number>) => { let s = 0; for (let i = 0; i < v.length; i++) s += v[i] * v[i]; return s }

/** The Frisch–Waugh residual of D on the covariates and the unit and period effects. */
function treatmentResidual(p: BaconPanel): { d: Float64Array; scale: number; kept: string[]; absorbed: string[] } {
  const N = p.units.length, T = p.times.length
  const D = new Float64Array(N * T)
  for (let i = 0; i < N; i++) for (let t = p.first[i]; t < T; t++) D[i * T + t] = 1
  const Dt = twoWayDemean(D, N, T)
  const Xt = p.covariates.map((x) => twoWayDemean(x.values, N, T))
  // Collinearity is judged against the covariate's norm before the effects are removed, as the regression kernel does.
  const fit = leastSquaresQr(Xt.map((x) => x.slice()), Dt.slice(), p.covariates.map((x) => Math.sqrt(sumSq(x.values))))
  const scale = sumSq(Dt)
  const d = Dt
  fit.kept.forEach((j, b) => { const x = Xt[j], g = fit.coef[b]; for (let c = 0; c < d.length; c++) d[c] -= g * x[c] })
  return { d, scale, kept: fit.kept.map((j) => p.covariates[j].name), absorbed: fit.dropped.map((j) => p.covariates[j].name) }
}

export function baconDecomposeCovariates(p: BaconPanel): CovariateDecomposition {
  const N = p.units.length, T = p.times.length
  const { cohorts, firsts, at, share, means: ybar } = cohortLayout(p)
  if (!hasComparison(cohorts, T)) throw noComparison(cohorts, T)
  const { d, scale, kept, absorbed } = treatmentResidual(p)
  const dbar = cohortMeans(p, d, at, cohorts)

  // Within and between variances of d (over the N·T cells); they add up to V(d).
  let vw = 0, cw = 0
  for (let i = 0; i < N; i++) {
    const m = dbar[at.get(p.first[i])!]
    for (let t = 0; t < T; t++) { const w = d[i * T + t] - m[t]; vw += w * w; cw += p.y[i * T + t] * w }
  }
  let vb = 0
  cohorts.forEach((c, k) => { vb += c.units * sumSq(dbar[k]) })
  const vd = vw + vb
  if (!(vd > ZERO_SHARE * scale)) {
    throw new QuasiError('SINGULAR_DESIGN', 'the treatment is collinear with the covariates and the unit and period effects: nothing is left to decompose', {
      role: { role: 'treatment' }, hint: 'a covariate that moves one for one with the treatment absorbs it',
    })
  }
  const withinShare = vw > ZERO_SHARE * vd ? vw / vd : 0
  const within = withinShare > 0 ? { weight: withinShare, estimate: cw / vw } : null

  const raw: { treated: number; control: number; type: ComparisonType; estimate: number; s: number }[] = []
  const delta = (v: readonly Float64Array[], k: number, l: number) => {
    const e = new Float64Array(T)
    let mean = 0
    for (let t = 0; t < T; t++) { e[t] = v[k][t] - v[l][t]; mean += e[t] }
    mean /= T
    for (let t = 0; t < T; t++) e[t] -= mean
    return e
  }
  for (let k = 0; k < firsts.length; k++) {
    for (let l = k + 1; l < firsts.length; l++) {
      const db = delta(dbar, k, l), dy = delta(ybar, k, l)
      const ss = sumSq(db)
      // N n_k n_l Σ_t Δd²: the pair's part of the between sum of squares Σ_k N n_k Σ_t d̄_kt².
      const s = N * share[k] * share[l] * ss
      if (!(s > ZERO_SHARE * vd)) continue
      let c = 0
      for (let t = 0; t < T; t++) c += dy[t] * db[t]
      const never = firsts[l] === T, always = firsts[k] === 0
      const type: ComparisonType = never ? 'Treated vs Never Treated' : always ? 'Treated vs Always Treated' : 'Both Treated'
      // The always-treated group is the control of its comparisons; otherwise the earlier group is listed as treated (bacondecomp's order).
      raw.push(type === 'Treated vs Always Treated' ? { treated: l, control: k, type, estimate: c / ss, s } : { treated: k, control: l, type, estimate: c / ss, s })
    }
  }
  let sum = 0
  for (const r of raw) sum += r.s
  const between = 1 - withinShare
  let total = within ? within.weight * within.estimate : 0
  const comparisons = raw.map((r) => {
    const weight = between * r.s / sum
    total += weight * r.estimate
    return { treated: cohorts[r.treated].label, control: cohorts[r.control].label, type: r.type, estimate: r.estimate, weight }
  })
  return { cohorts, comparisons, within, kept, absorbed, total }
}
