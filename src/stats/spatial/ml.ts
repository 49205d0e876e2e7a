/**
 * Spatial panel models with fixed effects by maximum likelihood, the direct approach
 * (Elhorst 2014, Spatial Econometrics, ch. 3; Elhorst's sar_panel_FE / sem_panel_FE):
 *
 *   SAR  y = ρ(I_T⊗W)y + Xβ + μ + ξ + ε
 *   SDM  y = ρ(I_T⊗W)y + Xβ + (I_T⊗W)Xθ + μ + ξ + ε
 *   SEM  y = Xβ + μ + ξ + u,  u = λ(I_T⊗W)u + ε,      ε ~ N(0, σ²I)
 *
 * with unit (μ), time (ξ) or both effects swept out by demeaning. The lags Wy and WX are
 * formed on the raw data and then demeaned (`elhorst`, as Elhorst and xsmle), or W is
 * applied to the demeaned data (`splm`, as splm's spml).
 *
 * ## Method
 * Log-likelihood LL = −(NT/2) ln(2πσ²) + T ln|I − ρW| − e′e/(2σ²), σ² = e′e/NT, with
 * ln|I − ρW| from the eigenvalues of W (spectrum.ts). β and σ² are concentrated out; the
 * concentrated likelihood in ρ (λ) is searched on (1/ω_min, 1/ω_max) by golden section and
 * its stationary point polished by bisection on the analytic derivative to 1e-12:
 *   SAR/SDM: e(ρ) = e₀ − ρe_d (e₀, e_d residuals of y and Wy on Z), so e′e is a quadratic in ρ;
 *   SEM: β(λ) by least squares of (y − λWy) on (X − λWX), from cross-products fixed once.
 * Standard errors from the inverse of the analytic information matrix of (β, ρ, σ²):
 *   I_ββ = Z′Z/σ²,  I_βρ = Z′(I_T⊗W̃)Zβ/σ²,  I_ρρ = ‖(I_T⊗W̃)Zβ‖²/σ² + T[tr(W̃W̃) + tr(W̃′W̃)],
 *   I_ρσ² = T tr(W̃)/σ²,  I_σ²σ² = NT/(2σ⁴),  W̃ = W(I − ρW)⁻¹
 * (SEM: I_ββ = X̃′X̃/σ² with X̃ = X − λWX, and no β–λ block).
 */
import { QuasiError } from '../../errors.ts'
import type { SparseMatrix } from '../../artifacts/weights.ts'
import { crossprod, dot, invert, leastSquares, spdInverse, spdInverseInPlace, cholesky, cholSolve } from './dense.ts'
import { demean, panelLags, type SpatialEffects } from './panel.ts'
import { applyWA } from './moments.ts'
import { logDet, rhoInterval, traceSum, type Spectrum } from './spectrum.ts'

export type SpatialModel = 'sar' | 'sem' | 'sdm'
export type LagConvention = 'elhorst' | 'splm'

export interface SpatialData {
  readonly n: number
  readonly t: number
  /** Outcome and regressors, raw, stacked time-major. */
  readonly y: Float64Array
  readonly x: readonly Float64Array[]
  readonly names: readonly string[]
  readonly w: SparseMatrix
  readonly spectrum: Spectrum
  readonly effects: SpatialEffects
  readonly convention: LagConvention
}

export interface SpatialFit {
  readonly model: SpatialModel
  /** ρ (SAR, SDM) or λ (SEM). */
  readonly rho: number
  /** β, then θ (SDM) in the order of `names`. */
  readonly beta: Float64Array
  /** Regressor names, then `W*x` for the SDM's lags. */
  readonly names: readonly string[]
  readonly sigma2: number
  readonly logLik: number
  /** Parameters counted by AIC/BIC: β (+θ), ρ, σ². */
  readonly k: number
  readonly aic: number
  readonly bic: number
  /** Covariance of (β…, ρ, σ²), row-major. */
  readonly vcov: Float64Array
  /** ρ's search interval and whether the estimate sits at its edge. */
  readonly interval: readonly [number, number]
  readonly atBoundary: boolean
  readonly nobs: number
  readonly resid: Float64Array
}

/** The demeaned outcome, regressors and their lags, by convention. */
export interface Transformed {
  readonly yd: Float64Array
  readonly xd: Float64Array[]
  readonly wyd: Float64Array
  readonly wxd: Float64Array[]
}

export function transform(d: SpatialData): Transformed {
  const dm = (v: Float64Array) => demean(v, d.n, d.t, d.effects)
  const yd = dm(d.y), xd = d.x.map(dm)
  if (d.convention === 'splm') { const [wyd, ...wxd] = panelLags(d.w, [yd, ...xd], d.t); return { yd, xd, wyd, wxd } }
  const [wy, ...wx] = panelLags(d.w, [d.y, ...d.x], d.t)
  return { yd, xd, wyd: dm(wy), wxd: wx.map(dm) }
}

/** Edge margin of ρ's open interval. */
const EDGE = 1e-7

export interface FitOptions {
  /**
   * Compute the covariance (the N × N inverse of I − ρW). Off for the candidates of a weights
   * grid, which are compared by likelihood only; the chosen one is refitted with it.
   * @default true
   */
  readonly information?: boolean
  /**
   * `elhorst`: Lee and Yu's (2010) bias correction as in Elhorst's sar_panel_FE/sem_panel_FE
   * (bc = 1). With time effects θ = (β, ρ, σ²) becomes θ + T·V·[0_k; 1/(1 − ρ); 1/(2σ²)]
   * (V = (information)⁻¹, so T·V = (I/NT)⁻¹/N); then with unit effects σ² is multiplied by T/(T − 1);
   * the covariance is the information's inverse at the corrected values. LL, AIC and BIC stay
   * those of the maximum. @default 'none'
   */
  readonly correction?: Correction
}

/**
 * `elhorst`: see FitOptions.correction. `transformation`: Lee and Yu's (2010) transformation
 * approach, the likelihood of the model transformed by orthonormal bases F_T, F_N of the
 * complements of the constant vectors (unit effects: T − 1 periods; time effects: N − 1 units,
 * W⋆ = F_N′WF_N, which needs a row-stochastic W). Worked on the demeaned data through
 * ‖F′v‖ = ‖Jv‖ and F_N′W = W⋆F_N′ (so the lags must be formed before demeaning):
 *   LL = −(n⋆/2) ln(2πσ²) + T⋆[ln|I − ρW| − ln(1 − ρ)] − e′e/(2σ²),  σ² = e′e/n⋆,
 * n⋆ = N⋆T⋆, the −ln(1 − ρ) term only with time effects (W⋆'s spectrum is W's without the
 * eigenvalue 1). The information uses tr(G⋆) = tr(G) − 1/(1 − ρ), tr(G⋆G⋆) = tr(GG) − 1/(1 − ρ)²,
 * ‖G⋆‖² = ‖J_N G‖² = ‖G‖² − Σ_j (1′G)_j²/N and ‖J_N·G̃Zβ‖² (G = W(I − ρW)⁻¹).
 */
export type Correction = 'none' | 'elhorst' | 'transformation'

/** The sample the likelihood is of: n⋆ observations, T⋆ periods, and whether W's unit eigenvalue is removed. */
interface Dims {
  readonly nobs: number
  readonly periods: number
  readonly dropUnit: boolean
}

function likelihoodDims(d: SpatialData, correction: Correction): Dims {
  const { n, t, effects } = d
  if (correction !== 'transformation') return { nobs: n * t, periods: t, dropUnit: false }
  const unit = effects === 'unit' || effects === 'twoways', time = effects === 'time' || effects === 'twoways'
  if (time && !d.spectrum.rowStochastic) {
    throw new QuasiError('INVALID_VALUE', 'the transformation approach with time effects needs a row-standardized W', { role: { role: 'weights' }, hint: 'use `style: row` weights, or `correction: none | elhorst`' })
  }
  if (time && d.convention === 'splm') {
    throw new QuasiError('INVALID_VALUE', 'the transformation approach with time effects transforms the model before demeaning, so the spatial lags must be formed on the raw data', { role: { role: 'design' }, hint: 'use `lag_convention: elhorst` with `correction: transformation`' })
  }
  return { nobs: (time ? n - 1 : n) * (unit ? t - 1 : t), periods: unit ? t - 1 : t, dropUnit: time }
}

export function fitSpatial(model: SpatialModel, d: SpatialData, tr: Transformed = transform(d), opts: FitOptions = {}): SpatialFit {
  const { n, t } = d
  const NT = n * t
  const dims = likelihoodDims(d, opts.correction ?? 'none')
  const { nobs, periods } = dims
  // ln|I − ρW|, less ln(1 − ρ) when the transformation removes W's unit eigenvalue
  const ld = (r: number) => logDet(d.spectrum, r) - (dims.dropUnit ? Math.log(1 - r) : 0)
  const [lo, hi] = rhoInterval(d.spectrum, d.w)
  const a = lo + EDGE * (hi - lo), b = hi - EDGE * (hi - lo)
  const z = model === 'sdm' ? [...tr.xd, ...tr.wxd] : tr.xd
  const names = model === 'sdm' ? [...d.names, ...d.names.map((x) => `W*${x}`)] : [...d.names]
  const k = z.length
  const zz = crossprod(z)
  if (!cholesky(zz, k)) throw new QuasiError('SINGULAR_DESIGN', 'the regressors are collinear after the fixed effects are removed', { found: names.join(', '), role: { role: 'design' }, hint: 'a regressor constant within units or periods is absorbed by the fixed effects' })
  const trW = (r: number) => traceSum(d.spectrum, r, 1, 1) - (dims.dropUnit ? 1 / (1 - r) : 0)

  let llc: (r: number) => number, dll: (r: number) => number
  let finish: (r: number) => { beta: Float64Array; resid: Float64Array }
  if (model === 'sem') {
    const X = tr.xd, WX = tr.wxd
    const yy = dot(tr.yd, tr.yd), yWy = dot(tr.yd, tr.wyd), WyWy = dot(tr.wyd, tr.wyd)
    const Xy = X.map((c) => dot(c, tr.yd)), XWy = X.map((c) => dot(c, tr.wyd)), WXy = WX.map((c) => dot(c, tr.yd)), WXWy = WX.map((c) => dot(c, tr.wyd))
    const XX = zz, XWX = new Float64Array(k * k), WXWX = crossprod(WX)
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) XWX[i * k + j] = dot(X[i], WX[j])
    const at = (l: number) => {
      const A = new Float64Array(k * k), c = new Float64Array(k)
      for (let i = 0; i < k; i++) {
        c[i] = Xy[i] - l * (XWy[i] + WXy[i]) + l * l * WXWy[i]
        for (let j = 0; j < k; j++) A[i * k + j] = XX[i * k + j] - l * (XWX[i * k + j] + XWX[j * k + i]) + l * l * WXWX[i * k + j]
      }
      const L = cholesky(A, k)
      if (!L) throw new QuasiError('SINGULAR_DESIGN', `the transformed regressors are collinear at λ = ${l}`, { role: { role: 'design' } })
      const beta = cholSolve(L, k, c)
      const ee = yy - 2 * l * yWy + l * l * WyWy - dot(beta, c)
      return { beta, ee }
    }
    llc = (l) => -(nobs / 2) * Math.log(at(l).ee / nobs) + periods * ld(l)
    dll = (l) => {
      const { beta, ee } = at(l)
      // e′(Wy − WXβ) with e = (y − λWy) − (X − λWX)β, all from the cross-products
      let eWy = yWy - l * WyWy, eWXb = 0
      for (let i = 0; i < k; i++) {
        eWy -= beta[i] * (XWy[i] - l * WXWy[i])
        eWXb += beta[i] * (WXy[i] - l * WXWy[i])
        for (let j = 0; j < k; j++) eWXb -= beta[i] * beta[j] * (XWX[i * k + j] - l * WXWX[i * k + j])
      }
      return (nobs * (eWy - eWXb)) / ee - periods * trW(l)
    }
    finish = (l) => {
      const { beta } = at(l)
      const resid = new Float64Array(NT)
      for (let r = 0; r < NT; r++) {
        let s = tr.yd[r] - l * tr.wyd[r]
        for (let j = 0; j < k; j++) s -= beta[j] * (X[j][r] - l * WX[j][r])
        resid[r] = s
      }
      return { beta, resid }
    }
  } else {
    const f0 = leastSquares(z, tr.yd, zz)!, fd = leastSquares(z, tr.wyd, zz)!
    const e00 = dot(f0.resid, f0.resid), e0d = dot(f0.resid, fd.resid), edd = dot(fd.resid, fd.resid)
    const ee = (r: number) => e00 - 2 * r * e0d + r * r * edd
    llc = (r) => -(nobs / 2) * Math.log(ee(r) / nobs) + periods * ld(r)
    dll = (r) => (nobs * (e0d - r * edd)) / ee(r) - periods * trW(r)
    finish = (r) => ({
      beta: f0.coef.map((v, j) => v - r * fd.coef[j]),
      resid: f0.resid.map((v, i) => v - r * fd.resid[i]),
    })
  }

  const rho = maximize(llc, dll, a, b)
  const atBoundary = rho - a < 1e-5 * (b - a) || b - rho < 1e-5 * (b - a)
  const { beta, resid } = finish(rho)
  const ee = dot(resid, resid)
  const sigma2 = ee / nobs
  const logLik = -(nobs / 2) * Math.log(2 * Math.PI * sigma2) + periods * ld(rho) - ee / (2 * sigma2)
  let vcov = opts.information === false && opts.correction !== 'elhorst' ? new Float64Array(0) : information(model, d, tr, z, beta, rho, sigma2, dims)
  const npar = k + 2
  if (opts.correction === 'elhorst' && d.effects !== 'none') {
    const c = biasCorrected(model, d, tr, z, beta, rho, sigma2, vcov)
    vcov = information(model, d, tr, z, c.beta, c.rho, c.sigma2, dims)
    return {
      model, rho: c.rho, beta: c.beta, names, sigma2: c.sigma2, logLik, k: npar,
      aic: -2 * logLik + 2 * npar, bic: -2 * logLik + npar * Math.log(NT),
      vcov, interval: [lo, hi], atBoundary, nobs: NT, resid: c.resid,
    }
  }
  return {
    model, rho, beta, names, sigma2, logLik, k: npar,
    aic: -2 * logLik + 2 * npar, bic: -2 * logLik + npar * Math.log(nobs),
    vcov, interval: [lo, hi], atBoundary, nobs: NT, resid,
  }
}

/** Residuals of the transformed model at (β, ρ). */
function residuals(model: SpatialModel, tr: Transformed, z: readonly Float64Array[], beta: ArrayLike<number>, rho: number): Float64Array {
  const NT = tr.yd.length, out = new Float64Array(NT)
  for (let r = 0; r < NT; r++) {
    let s = tr.yd[r] - rho * tr.wyd[r]
    for (let j = 0; j < z.length; j++) s -= beta[j] * (model === 'sem' ? z[j][r] - rho * tr.wxd[j][r] : z[j][r])
    out[r] = s
  }
  return out
}

/** Lee–Yu's correction as Elhorst applies it (FitOptions.correction). */
function biasCorrected(model: SpatialModel, d: SpatialData, tr: Transformed, z: readonly Float64Array[], beta: Float64Array, rho: number, sigma2: number, V: Float64Array) {
  const k = z.length, m = k + 2
  let b = Float64Array.from(beta), r = rho, s2 = sigma2
  if (d.effects === 'time' || d.effects === 'twoways') {
    const v = new Float64Array(m)
    v[k] = 1 / (1 - rho)
    v[k + 1] = 1 / (2 * sigma2)
    const shift = new Float64Array(m)
    for (let i = 0; i < m; i++) { let s = 0; for (let j = 0; j < m; j++) s += V[i * m + j] * v[j]; shift[i] = d.t * s }
    b = b.map((x, j) => x + shift[j])
    r = rho + shift[k]
    s2 = sigma2 + shift[k + 1]
  }
  const resid = residuals(model, tr, z, b, r)
  if (d.effects === 'unit' || d.effects === 'twoways') s2 *= d.t / (d.t - 1)
  return { beta: b, rho: r, sigma2: s2, resid }
}

/**
 * The maximiser of a smooth function on [a, b]: golden section to 1e-6 of the interval, then
 * bisection on the derivative inside a bracket around it (to machine precision), which
 * resolves ρ far below the √ε a search on the flat likelihood alone can.
 */
export function maximize(f: (x: number) => number, df: (x: number) => number, a: number, b: number): number {
  const g = (Math.sqrt(5) - 1) / 2
  let lo = a, hi = b
  let x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo), f1 = f(x1), f2 = f(x2)
  while (hi - lo > 1e-6 * (b - a)) {
    if (f1 < f2) { lo = x1; x1 = x2; f1 = f2; x2 = lo + g * (hi - lo); f2 = f(x2) }
    else { hi = x2; x2 = x1; f2 = f1; x1 = hi - g * (hi - lo); f1 = f(x1) }
  }
  let x = (lo + hi) / 2
  // a bracket of the derivative's sign change around x
  let step = 2e-6 * (b - a), l = Math.max(a, x - step), r = Math.min(b, x + step)
  while (df(l) < 0 && l > a) { step *= 2; l = Math.max(a, x - step) }
  while (df(r) > 0 && r < b) { step *= 2; r = Math.min(b, x + step) }
  if (df(l) < 0 || df(r) > 0) return f(a) > f(b) ? (f(a) > f(x) ? a : x) : f(b) > f(x) ? b : x
  for (let i = 0; i < 200 && r - l > 1e-15 * Math.max(1, Math.abs(x)); i++) {
    x = (l + r) / 2
    if (df(x) > 0) l = x
    else r = x
  }
  return (l + r) / 2
}

/** Covariance of (β…, ρ, σ²) from the analytic information matrix. */
function information(model: SpatialModel, d: SpatialData, tr: Transformed, z: readonly Float64Array[], beta: Float64Array, rho: number, s2: number, dims: Dims): Float64Array {
  const { n, t } = d
  if (d.spectrum.moments) return informationMoments(model, d, tr, z, beta, rho, s2, dims)
  const w = d.w
  const Ai = (d.spectrum.similarity && symmetricInverse(w, d.spectrum.similarity, rho)) || invert(identityMinus(w, rho), n)
  if (!Ai) throw new QuasiError('SINGULAR_DESIGN', `I − ρW is singular at ρ = ${rho}`, { role: { role: 'weights' }, hint: 'a W with an eigenvalue at 1/ρ; check the weights (duplicated or disconnected units)' })
  // W̃ = W A⁻¹, which is (A⁻¹ − I)/ρ since A⁻¹ = I + ρWA⁻¹; the product itself only when ρ is near 0
  let WA: Float64Array
  if (Math.abs(rho) > 1e-2) {
    WA = Ai
    for (let i = 0; i < n; i++) WA[i * n + i] -= 1
    for (let i = 0; i < WA.length; i++) WA[i] /= rho
  } else {
    WA = new Float64Array(n * n)
    for (let i = 0; i < n; i++) for (let p = w.rowStart[i]; p < w.rowStart[i + 1]; p++) {
      const j = w.cols[p], v = w.values[p], ro = i * n, rj = j * n
      for (let c = 0; c < n; c++) WA[ro + c] += v * Ai[rj + c]
    }
  }
  // tr(W̃) = Σ ω/(1 − ρω) and tr(W̃W̃) = Σ ω²/(1 − ρω)² from the eigenvalues; tr(W̃′W̃) = ‖W̃‖² is not spectral
  const trWA = traceSum(d.spectrum, rho, 1, 1), trWAWA = traceSum(d.spectrum, rho, 2, 2)
  let trWAtWA = 0
  for (let i = 0; i < WA.length; i++) trWAtWA += WA[i] * WA[i]
  if (dims.dropUnit) {
    // ‖J_N W̃‖² = ‖W̃‖² − Σ_j c_j²/N, c the column sums of W̃
    const c = new Float64Array(n)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) c[j] += WA[i * n + j]
    trWAtWA -= dot(c, c) / n
  }
  // W̃v for one period's N-vector v, by the dense W̃
  const applyG = (v: Float64Array) => {
    const out = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      let s = 0
      const ro = i * n
      for (let c = 0; c < n; c++) s += WA[ro + c] * v[c]
      out[i] = s
    }
    return out
  }
  const V = assembleInformation(model, tr, z, beta, rho, s2, n, t, dims, applyG, [trWA, trWAWA, trWAtWA])
  if (!V) throw new QuasiError('SINGULAR_DESIGN', 'the information matrix is singular', { role: { role: 'design' }, hint: 'ρ may be at the edge of its interval, or a regressor nearly collinear with its spatial lag' })
  return V
}

/**
 * The information matrix of (β, ρ, σ²) from its parts, inverted: the β block (Z′Z/σ², or X̃′X̃/σ²
 * for the SEM), the β–ρ column Z′(I⊗W̃)Zβ/σ² and ‖(I⊗W̃)Zβ‖²/σ² (not in the SEM), with W̃v per period
 * by `applyG` (dense or by its series), then the trace terms (finishInformation).
 */
function assembleInformation(model: SpatialModel, tr: Transformed, z: readonly Float64Array[], beta: Float64Array, rho: number, s2: number, n: number, t: number, dims: Dims, applyG: (v: Float64Array) => Float64Array, traces: readonly [number, number, number]): Float64Array | undefined {
  const k = z.length, m = k + 2, NT = n * t
  const I = new Float64Array(m * m)
  const set = (i: number, j: number, v: number) => { I[i * m + j] = v; I[j * m + i] = v }
  if (model === 'sem') {
    const xs = tr.xd.map((c, j) => c.map((v, r) => v - rho * tr.wxd[j][r]))
    const xx = crossprod(xs)
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) I[i * m + j] = xx[i * k + j] / s2
  } else {
    const zz = crossprod(z)
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) I[i * m + j] = zz[i * k + j] / s2
    const zb = new Float64Array(NT)
    for (let j = 0; j < k; j++) for (let r = 0; r < NT; r++) zb[r] += beta[j] * z[j][r]
    const wzb = new Float64Array(NT)
    for (let p = 0; p < t; p++) wzb.set(applyG(zb.subarray(p * n, (p + 1) * n)), p * n)
    for (let j = 0; j < k; j++) set(j, k, dot(z[j], wzb) / s2)
    I[k * m + k] = dotProjected(wzb, n, dims) / s2
  }
  finishInformation(I, k, traces[0], traces[1], traces[2], rho, s2, dims)
  return spdInverse(I, m)
}

/**
 * The ρ and σ² blocks of the information: T⋆[tr(W̃W̃) + tr(W̃′W̃)] on ρρ, T⋆ tr(W̃)/σ² on ρσ²,
 * n⋆/(2σ⁴) on σ²σ²; with W's unit eigenvalue removed (the transformation with time effects)
 * tr(W̃) and tr(W̃W̃) lose 1/(1 − ρ) and 1/(1 − ρ)², and trWAtWA is expected already projected.
 */
function finishInformation(I: Float64Array, k: number, trWA: number, trWAWA: number, trWAtWA: number, rho: number, s2: number, dims: Dims): void {
  const m = k + 2, T = dims.periods
  const drop = dims.dropUnit ? 1 / (1 - rho) : 0
  I[k * m + k] += T * (trWAWA - drop * drop + trWAtWA)
  I[k * m + k + 1] = I[(k + 1) * m + k] = (T * (trWA - drop)) / s2
  I[(k + 1) * m + k + 1] = dims.nobs / (2 * s2 * s2)
}

/** ‖v‖², or ‖J_N v‖² per period (each period's cross-section demeaned) when W's unit eigenvalue is removed. */
function dotProjected(v: Float64Array, n: number, dims: Dims): number {
  if (!dims.dropUnit) return dot(v, v)
  let out = 0
  for (let off = 0; off < v.length; off += n) {
    let s = 0, q = 0
    for (let i = 0; i < n; i++) { s += v[off + i]; q += v[off + i] * v[off + i] }
    out += q - (s * s) / n
  }
  return out
}

/** I − ρW, dense row-major. */
function identityMinus(w: SparseMatrix, rho: number): Float64Array {
  const n = w.n, A = new Float64Array(n * n)
  for (let i = 0; i < n; i++) A[i * n + i] = 1
  for (let i = 0; i < n; i++) for (let p = w.rowStart[i]; p < w.rowStart[i + 1]; p++) A[i * n + w.cols[p]] -= rho * w.values[p]
  return A
}

/**
 * (I − ρW)⁻¹ for a W with D^{1/2} W D^{-1/2} = S symmetric: D^{-1/2}(I − ρS)⁻¹D^{1/2}, where
 * I − ρS is positive definite for ρ inside its interval, so a Cholesky inverse (half the work of
 * Gauss–Jordan) serves; undefined when it is not (ρ outside, as a bias correction can put it).
 */
function symmetricInverse(w: SparseMatrix, d: Float64Array, rho: number): Float64Array | undefined {
  const n = w.n, sq = d.map(Math.sqrt)
  const B = new Float64Array(n * n)
  for (let i = 0; i < n; i++) B[i * n + i] = 1
  for (let i = 0; i < n; i++) for (let p = w.rowStart[i]; p < w.rowStart[i + 1]; p++) {
    const j = w.cols[p]
    if (j <= i) B[i * n + j] -= rho * w.values[p] * (sq[i] / sq[j])
  }
  const Bi = spdInverseInPlace(B, n)
  if (!Bi) return undefined
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Bi[i * n + j] *= sq[j] / sq[i]
  return Bi
}

/**
 * The same information matrix without an N × N inverse (the moments route, large sparse W):
 * tr(W̃) and tr(W̃W̃) from the trace moments, tr(W̃′W̃) ≈ (1/m) Σ ‖W̃z_i‖² over the probes, and
 * W̃v by its power series (moments.ts).
 */
function informationMoments(model: SpatialModel, d: SpatialData, tr: Transformed, z: readonly Float64Array[], beta: Float64Array, rho: number, s2: number, dims: Dims): Float64Array {
  const { n, t } = d
  const mo = d.spectrum.moments!
  const trWA = traceSum(d.spectrum, rho, 1, 1), trWAWA = traceSum(d.spectrum, rho, 2, 2)
  let trWAtWA = 0
  for (const p of mo.probes) trWAtWA += dotProjected(applyWA(d.w, rho, p), n, dims) / mo.probes.length
  const V = assembleInformation(model, tr, z, beta, rho, s2, n, t, dims, (v) => applyWA(d.w, rho, v), [trWA, trWAWA, trWAtWA])
  if (!V) throw new QuasiError('SINGULAR_DESIGN', 'the information matrix is singular', { role: { role: 'design' } })
  return V
}
