/**
 * Binary-response models for the propensity score: logit (default) or probit, by iteratively
 * reweighted least squares (Fisher scoring, which for the logit link is Newton's method),
 *   β ← β + (X'WX)⁻¹ X'(∂μ/∂η)(y − μ)/V(μ),   W = (∂μ/∂η)² / V(μ),   V(μ) = μ(1 − μ),
 * with an intercept. The step is computed from the score, not from the working response, so
 * the fixed point is where the score is zero to machine precision even when X'WX is badly
 * conditioned; the covariates are centred and scaled inside (the scores do not change).
 *
 * ## Convergence  R's glm rule |D − D_old| / (|D| + 0.1) < 1e-12 (D the deviance), and the
 * last step below 1e-11 on the standardized scale, at most 100 iterations; a step that raises
 * the deviance (beyond rounding, 1e-9 relative) is halved (up to 30 times).
 * ## Separation  When a fitted probability comes within 1e-10 of 0 or 1 (R warns at
 * 10·DBL_EPSILON, after far fewer iterations) the maximum likelihood estimate does not exist
 * (Albert & Anderson 1984): an error, naming the covariates that separate the groups alone.
 * ## References  McCullagh & Nelder (1989), Generalized Linear Models, 2nd ed., §2.5;
 * Albert & Anderson (1984), Biometrika 71(1), doi:10.1093/biomet/71.1.1.
 */
import { choleskyFactor } from '../cholesky.ts'
import { QuasiError } from '../../errors.ts'
import { normalQuantile } from '../dist.ts'
import { normalCdf, normalDensity } from './normal.ts'

export type BinaryLink = 'logit' | 'probit'

export interface BinaryFit {
  /** Intercept, then one coefficient per covariate, on the original scale. */
  readonly coef: Float64Array
  /** Linear predictor and fitted probability per row. */
  readonly eta: Float64Array
  readonly p: Float64Array
  readonly deviance: number
  readonly iterations: number
}

export const BINARY_TOL = 1e-12
export const BINARY_MAXIT = 100
/** Largest last step (in SDs of the covariates) of a converged fit. */
export const STEP_TOL = 1e-11
/** A fitted probability this close to 0 or 1 means separation. */
export const SEPARATION_EPS = 1e-10

/**
 * Fit P(y = 1 | x) on complete rows. `x[j]` is covariate j (length n), `names[j]` its name for
 * errors (role `covariate`, index j).
 */
export function fitBinary(y: Float64Array, x: readonly Float64Array[], names: readonly string[], link: BinaryLink = 'logit', opts: { maxit?: number } = {}): BinaryFit {
  const maxit = opts.maxit ?? BINARY_MAXIT
  const n = y.length, k = x.length + 1
  // Centred and scaled design, column-major; constant covariates are an error before any fit.
  const Z: Float64Array[] = [new Float64Array(n).fill(1)]
  const centre = new Float64Array(k), scale = new Float64Array(k).fill(1)
  x.forEach((col, j) => {
    let m = 0
    for (let i = 0; i < n; i++) m += col[i]
    m /= n
    let ss = 0
    for (let i = 0; i < n; i++) ss += (col[i] - m) ** 2
    const sd = Math.sqrt(ss / Math.max(1, n - 1))
    if (!(sd > 0)) {
      throw new QuasiError('NO_VARIATION', `covariate \`${names[j]}\` has no variation (${n ? `${col[0]} in every row` : 'no rows'})`, {
        role: { role: 'covariate', column: names[j], index: j },
        hint: 'a constant covariate cannot predict the treatment; leave it out',
      })
    }
    centre[j + 1] = m; scale[j + 1] = sd
    const z = new Float64Array(n)
    for (let i = 0; i < n; i++) z[i] = (col[i] - m) / sd
    Z.push(z)
  })
  checkRank(Z, names)

  const beta = new Float64Array(k)
  const eta = new Float64Array(n), mu = new Float64Array(n)
  const update = (b: Float64Array): number => {
    let dev = 0
    for (let i = 0; i < n; i++) {
      let e = 0
      for (let j = 0; j < k; j++) e += Z[j][i] * b[j]
      eta[i] = e
      mu[i] = link === 'logit' ? 1 / (1 + Math.exp(-e)) : normalCdf(e)
      dev += binomialDeviance(y[i], mu[i])
    }
    return dev
  }
  // Start where glm does: μ = (y + 0.5)/2, η = g(μ); one least-squares step from there is the first IRLS step.
  let dev = Infinity
  let it = 0, converged = false
  {
    const mu0 = Float64Array.from(y, (v) => (v + 0.5) / 2)
    const eta0 = Float64Array.from(mu0, (m) => (link === 'logit' ? Math.log(m / (1 - m)) : normalQuantile(m)))
    const w = new Float64Array(n), zr = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const d = link === 'logit' ? mu0[i] * (1 - mu0[i]) : normalDensity(eta0[i])
      w[i] = (d * d) / (mu0[i] * (1 - mu0[i]))
      zr[i] = eta0[i] + (y[i] - mu0[i]) / d
    }
    beta.set(solveWeighted(Z, w, zr))
    dev = update(beta)
    it = 1
  }
  for (; it < maxit && !converged; it++) {
    const w = new Float64Array(n), r = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const m = mu[i]
      const v = Math.max(m * (1 - m), 1e-300)
      const d = link === 'logit' ? v : Math.max(normalDensity(eta[i]), 1e-300)
      w[i] = (d * d) / v
      r[i] = (d * (y[i] - m)) / v
    }
    // Newton/Fisher step from the score: δ = (Z'WZ)⁻¹ Z'r.
    const step = solveNormal(Z, w, r)
    let t = 1
    let next = new Float64Array(k)
    let nd = Infinity
    for (let h = 0; h <= 30; h++, t /= 2) {
      for (let j = 0; j < k; j++) next[j] = beta[j] + t * step[j]
      nd = update(next)
      // A rise within rounding noise is no rise: near the optimum the deviance cannot tell steps apart.
      if (Number.isFinite(nd) && nd <= dev + 1e-9 * (Math.abs(dev) + 0.1)) break
    }
    if (!Number.isFinite(nd)) break
    beta.set(next)
    // Newton converges quadratically: once the deviance has settled, a step below 1e-11 (in SDs of
    // the covariates) leaves nothing (Newton, logit) or little more than it (Fisher scoring, probit).
    let size = 0
    for (let j = 0; j < k; j++) size = Math.max(size, Math.abs(t * step[j]))
    converged = Math.abs(nd - dev) / (Math.abs(nd) + 0.1) < BINARY_TOL && size < STEP_TOL
    dev = nd
    next = new Float64Array(k)
  }
  update(beta)
  for (let i = 0; i < n; i++) {
    if (mu[i] < SEPARATION_EPS || mu[i] > 1 - SEPARATION_EPS) throw separationError(y, x, names, link)
  }
  if (!converged) {
    throw new QuasiError('NOT_CONVERGED', `the ${link} model of the treatment on ${names.map((c) => `\`${c}\``).join(', ')} did not converge in ${maxit} iterations`, {
      role: { role: 'covariate' },
      hint: 'covariates on very different scales or nearly collinear can cause this; rescale them or leave some out',
    })
  }
  // Back to the original scale: η = b0 + Σ b_j (x_j − m_j)/s_j.
  const coef = new Float64Array(k)
  coef[0] = beta[0]
  for (let j = 1; j < k; j++) { coef[j] = beta[j] / scale[j]; coef[0] -= (beta[j] * centre[j]) / scale[j] }
  return { coef, eta: eta.slice(), p: mu.slice(), deviance: dev, iterations: it }
}

function binomialDeviance(y: number, m: number): number {
  return y === 1 ? -2 * Math.log(m) : -2 * Math.log(1 - m)
}

/** Separation: name the covariates that separate treated and controls on their own (weakly). */
function separationError(y: Float64Array, x: readonly Float64Array[], names: readonly string[], link: BinaryLink): QuasiError {
  const alone: number[] = []
  x.forEach((col, j) => {
    let min1 = Infinity, max1 = -Infinity, min0 = Infinity, max0 = -Infinity
    for (let i = 0; i < y.length; i++) {
      const v = col[i]
      if (y[i] === 1) { if (v < min1) min1 = v; if (v > max1) max1 = v } else { if (v < min0) min0 = v; if (v > max0) max0 = v }
    }
    if (max0 <= min1 || max1 <= min0) alone.push(j)
  })
  const list = (js: readonly number[]) => js.map((j) => `\`${names[j]}\``).join(', ')
  const which = alone.length
    ? `${list(alone)} ${alone.length > 1 ? 'each separate' : 'separates'} treated from control rows on ${alone.length > 1 ? 'their' : 'its'} own`
    : `the covariates ${list(x.map((_, j) => j))} together separate treated from control rows`
  return new QuasiError('SEPARATION', `the ${link} propensity score is perfectly separated: ${which}, so some rows get a probability of 0 or 1`, {
    role: { role: 'covariate', ...(alone.length ? { column: names[alone[0]], index: alone[0] } : {}) },
    hint: 'leave out (or coarsen) the separating covariate, or restrict the sample to where treated and controls overlap',
  })
}

/** Collinear covariates (after scaling) give a singular X'X: name the first that depends on the others. */
function checkRank(Z: readonly Float64Array[], names: readonly string[]): void {
  const k = Z.length
  const A = gram(Z, null)
  // Cholesky with a relative pivot tolerance; the first column whose pivot vanishes is collinear with the earlier ones.
  const j = choleskyFactor(A, k, 1e-10)
  if (typeof j === 'number') {
    throw new QuasiError('SINGULAR_DESIGN', `covariate \`${names[j - 1]}\` is collinear with ${j > 1 ? 'the covariates before it' : 'the intercept'}`, {
      role: { role: 'covariate', column: names[j - 1], index: j - 1 },
      hint: 'leave it out: a propensity score needs covariates that are not linear combinations of each other',
    })
  }
}

function gram(Z: readonly Float64Array[], w: Float64Array | null): Float64Array {
  const k = Z.length, n = Z[0].length
  const A = new Float64Array(k * k)
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0
      const za = Z[a], zb = Z[b]
      if (w) for (let i = 0; i < n; i++) s += w[i] * za[i] * zb[i]
      else for (let i = 0; i < n; i++) s += za[i] * zb[i]
      A[a * k + b] = A[b * k + a] = s
    }
  }
  return A
}

/** (Z'WZ)⁻¹ Z'r by Cholesky (Z'WZ is positive definite once the rank check passed). */
function solveNormal(Z: readonly Float64Array[], w: Float64Array, r: Float64Array): Float64Array {
  const k = Z.length, n = r.length
  const A = gram(Z, w)
  const b = new Float64Array(k)
  for (let j = 0; j < k; j++) { let s = 0; for (let i = 0; i < n; i++) s += Z[j][i] * r[i]; b[j] = s }
  const L = new Float64Array(k * k)
  for (let j = 0; j < k; j++) {
    let d = A[j * k + j]
    for (let m = 0; m < j; m++) d -= L[j * k + m] ** 2
    const ljj = Math.sqrt(Math.max(d, 1e-300))
    L[j * k + j] = ljj
    for (let i = j + 1; i < k; i++) {
      let s = A[i * k + j]
      for (let m = 0; m < j; m++) s -= L[i * k + m] * L[j * k + m]
      L[i * k + j] = s / ljj
    }
  }
  const z = new Float64Array(k)
  for (let i = 0; i < k; i++) { let s = b[i]; for (let m = 0; m < i; m++) s -= L[i * k + m] * z[m]; z[i] = s / L[i * k + i] }
  const x = new Float64Array(k)
  for (let i = k - 1; i >= 0; i--) { let s = z[i]; for (let m = i + 1; m < k; m++) s -= L[m * k + i] * x[m]; x[i] = s / L[i * k + i] }
  return x
}

/** Weighted least squares of z on Z. */
function solveWeighted(Z: readonly Float64Array[], w: Float64Array, z: Float64Array): Float64Array {
  return solveNormal(Z, w, Float64Array.from(z, (v, i) => w[i] * v))
}
