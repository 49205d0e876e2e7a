/**
 * Linear regression with absorbed fixed effects, weights and robust variance:
 *   y = Xβ + D₁α₁ + … + D_Kα_K + ε,   β̂ = argmin Σ w (y − Xβ − Dα)²
 *
 * ## Method
 * 1. Estimation sample: rows with every variable present and finite and weight > 0;
 *    then (by default) fixed-effect singletons dropped iteratively (./fe/singletons.ts).
 * 2. Frisch–Waugh–Lovell: y and each regressor are replaced by their residuals on the
 *    fixed-effect dummies, M_D y and M_D X (../fe/absorb.ts); without fixed effects an
 *    intercept column is added instead.
 * 3. β̂ from the Householder QR of √w M_D X (./qr.ts); regressors collinear with earlier
 *    ones or with the fixed effects are dropped and named (never a silent NaN).
 * 4. Covariance, K, t degrees of freedom: ../vcov/vcov.ts and ./dof.ts.
 *    `smallSample: 'none'` is read as `'cr0'`; the result reports `'cr0'`.
 * 5. Fit statistics: R² = 1 − RSS/TSS (TSS about the weighted mean, so the fixed effects
 *    count as explained), adjusted R² = 1 − (1 − R²)(N − 1)/(N − K_full), within R² =
 *    1 − RSS/Σ w (M_D y)² (fixest `wr2`, plm's R² for within models), and the Wald F of
 *    all slopes under the chosen covariance (equal to the classical F under iid).
 *
 * ## Interactions (./terms.ts)
 * A regressor `a:b` that is not a column is the product of the numeric columns `a` and `b`;
 * a fixed effect or cluster variable `a:b` that is not a column is the interaction of the
 * factors `a` and `b` (one level per observed combination). A column whose name contains `:`
 * takes precedence. `a*b` is not expanded here: callers expand with `expandRegressors`.
 *
 * ## Errors
 * Every QuasiError carries `role` (./../../errors.ts ErrorRole): which part of the model
 * failed (outcome, regressor, fixed_effect, cluster, weights, or design for the model as a
 * whole), the column and its position in its list. Messages name the role and the column;
 * they do not name any stage parameter.
 *
 * ## References
 * R. Frisch, F. V. Waugh (1933), Econometrica 1(4), 387–401; M. C. Lovell (1963),
 *   J. American Statistical Association 58(304), 993–1010.
 * S. Correia (2016), reghdfe; L. Bergé (2018), fixest (conventions followed by default).
 */
import type { Column, Frame } from '../../artifacts/frame.ts'
import { QuasiError, type ErrorRole } from '../../errors.ts'
import { createAbsorber } from '../fe/absorb.ts'
import type { Factor } from '../fe/factor.ts'
import { factorize, interactFactors, subsetFactor } from '../fe/factor.ts'
import { dropSingletons } from '../fe/singletons.ts'
import { fPValue, tPValue, tQuantile } from '../dist.ts'
import { computeVcov, smallSampleConvention } from '../vcov/vcov.ts'
import { kNested, nestedFlags } from './dof.ts'
import { leastSquaresQr } from './qr.ts'
import { interactionParts, missingColumnError, ROLE_WORDS, withInteractionColumns } from './terms.ts'
import type { RegressionResult, RegressionSpec, Term } from './types.ts'

export const INTERCEPT = '(Intercept)'
/** Cluster counts below this get a warning: CR1 over-rejects with few clusters (Cameron & Miller 2015, §VI). */
const FEW_CLUSTERS = 30

export function regress(data: Frame, spec: RegressionSpec): RegressionResult {
  // Product columns for regressors `a:b` that are not columns themselves.
  const frame = spec.regressors.some((r) => r.includes(':') && !data.has(r)) ? withInteractionColumns(data, spec.regressors) : data
  const fixedEffects = spec.fixedEffects ?? []
  const vcovType = spec.vcov ?? ((spec.cluster ?? []).length > 0 ? 'cluster' : 'iid')
  // Cluster columns matter only for clustered errors (they would otherwise drop rows).
  const clusterCols = vcovType === 'cluster' ? spec.cluster ?? [] : []
  const smallSample = smallSampleConvention(spec.smallSample ?? 'nested')
  const level = spec.level ?? 0.95
  const messages: string[] = []

  // ---- columns -------------------------------------------------------------------
  const num = (name: string, role: 'outcome' | 'regressor' | 'weights', index?: number): Float64Array => {
    const col = requireColumn(frame, name, role, index)
    if (col.type !== 'number') {
      throw new QuasiError('BAD_DATA', `${ROLE_WORDS[role]} \`${name}\` is not numeric`, {
        expected: 'a numeric column', found: 'a text column',
        hint: 'a text column can be a fixed effect or a cluster variable; as a regressor it must be coded as numbers',
        role: roleOf(role, name, index),
      })
    }
    return col.data
  }
  const y0 = num(spec.outcome, 'outcome')
  const x0 = spec.regressors.map((r, j) => num(r, 'regressor', j))
  const w0 = spec.weights ? num(spec.weights, 'weights') : undefined
  // A column used both as a fixed effect and as the cluster variable is coded once.
  const coded = new Map<string, Factor>()
  const factorOf = (name: string, role: 'fixed_effect' | 'cluster', index: number): Factor => {
    let f = coded.get(name)
    if (!f) { f = factorOfName(frame, name, role, index); coded.set(name, f) }
    return f
  }
  const feF = fixedEffects.map((f, k) => factorOf(f, 'fixed_effect', k))
  const clF = clusterCols.map((c, k) => factorOf(c, 'cluster', k))
  if (clusterCols.length > 2) {
    throw new QuasiError('INVALID_SPEC', `clustering on ${clusterCols.length} variables is not supported`, {
      expected: 'one or two cluster variables', found: clusterCols.join(', '),
      role: { role: 'cluster', index: 2, column: clusterCols[2] },
    })
  }
  if (vcovType === 'cluster' && clusterCols.length === 0) {
    throw new QuasiError('INVALID_SPEC', 'clustered standard errors need a cluster variable', {
      hint: 'give one or two cluster variables, or choose heteroskedasticity-robust (hc1) or iid standard errors',
      role: { role: 'cluster' },
    })
  }
  if (spec.regressors.length === 0 && fixedEffects.length === 0 && spec.intercept === false) {
    throw new QuasiError('INVALID_SPEC', 'the model has no regressors', { role: { role: 'design' } })
  }

  // ---- estimation sample ---------------------------------------------------------
  const N0 = frame.nrows
  const keep = sampleMask(y0, x0, w0, [...feF, ...clF], spec.weights)
  let kept = 0
  for (let i = 0; i < N0; i++) kept += keep[i]
  const droppedMissing = N0 - kept
  if (droppedMissing > 0) {
    messages.push(`${droppedMissing} of ${N0} rows dropped for a missing or non-finite value${w0 ? ' or a zero weight' : ''}`)
  }
  let droppedSingletons = 0
  if ((spec.singletons ?? 'drop') === 'drop' && feF.length > 0) {
    droppedSingletons = dropSingletons(feF, keep)
    if (droppedSingletons > 0) messages.push(`${droppedSingletons} singleton observations dropped (alone in a fixed-effect level)`)
  }
  const rows = new Int32Array(kept - droppedSingletons)
  for (let i = 0, p = 0; i < N0; i++) if (keep[i]) rows[p++] = i
  const n = rows.length
  if (n === 0) {
    throw new QuasiError('NO_VARIATION', 'no observations left after dropping rows with missing values', {
      hint: 'check the outcome, regressors, fixed effects and cluster columns for missing values',
      role: { role: 'design' },
    })
  }
  const take = (d: Float64Array): Float64Array => gather(d, rows)
  const y = take(y0)
  const w = w0 ? take(w0) : undefined
  const fes: Factor[] = feF.map((f) => subsetFactor(f, rows))
  const clusters: Factor[] = clF.map((f) => subsetFactor(f, rows))
  clusters.forEach((c, k) => {
    if (c.levels < 2) {
      throw new QuasiError('INVALID_SPEC', `cluster variable \`${clusterCols[k]}\` has ${c.levels} level on the estimation sample; at least 2 clusters are needed`, {
        expected: 'a cluster variable with 2 or more levels', found: `${c.levels} level`,
        role: { role: 'cluster', column: clusterCols[k], index: k },
      })
    }
    if (c.levels < FEW_CLUSTERS) {
      messages.push(`only ${c.levels} clusters in \`${clusterCols[k]}\`: cluster-robust tests may over-reject (consider a wild cluster bootstrap)`)
    }
  })

  // ---- absorb and fit --------------------------------------------------------------
  const names: string[] = []
  const cols: Float64Array[] = []
  const useIntercept = fes.length === 0 && spec.intercept !== false
  if (useIntercept) { names.push(INTERCEPT); cols.push(new Float64Array(n).fill(1)) }
  spec.regressors.forEach((r, j) => { names.push(r); cols.push(take(x0[j])) })
  const refNorm = cols.map((c) => wnorm(c, w))
  const absorber = createAbsorber(fes, w, spec.absorb)
  let iterations = 0
  let converged = true
  const absorb = (x: Float64Array): Float64Array => {
    if (fes.length === 0) return x
    const d = absorber.demean(x)
    iterations = Math.max(iterations, d.iterations)
    converged &&= d.converged
    return d.values
  }
  const yt = absorb(y)
  const Xt = cols.map(absorb)
  if (!converged) messages.push('fixed-effect absorption did not reach its tolerance; estimates may be inaccurate')

  const sw = w ? w.map(Math.sqrt) : undefined
  const qr = leastSquaresQr(Xt.map((c) => scaledCopy(c, sw)), scaledCopy(yt, sw), refNorm)
  const collinear = qr.dropped.map((j) => names[j])
  if (collinear.length > 0) {
    messages.push(`dropped as collinear${fes.length ? ' (with other regressors or the fixed effects)' : ''}: ${collinear.map((c) => `\`${c}\``).join(', ')}`)
  }
  const keptNames = qr.kept.map((j) => names[j])
  const Xk = qr.kept.map((j) => Xt[j])
  const r = Xk.length
  if (r === 0 && (fes.length === 0 || spec.regressors.length > 0)) {
    throw new QuasiError('SINGULAR_DESIGN', `every regressor is collinear${fes.length ? ' with the fixed effects' : ''}: ${collinear.map((c) => `\`${c}\``).join(', ')}`, {
      hint: 'a regressor that does not vary within the fixed effects cannot be estimated with them',
      role: roleOf('regressor', collinear[0], spec.regressors.indexOf(collinear[0])),
    })
  }
  const beta = qr.coef
  const resid = residuals(yt, Xk, beta)

  // ---- degrees of freedom ----------------------------------------------------------
  const feRank = fes.length ? absorber.rank : 0
  const kFull = r + feRank
  const nestedK = nestedFlags(fes, clusters)
  const kNest = kNested(r, fes, nestedK, feRank)
  const dfResidual = n - kFull
  if (dfResidual <= 0) {
    throw new QuasiError('SINGULAR_DESIGN', `${n} observations for ${kFull} parameters: no residual degrees of freedom`, {
      hint: 'use fewer regressors or fixed effects, or more data',
      role: { role: 'design' },
    })
  }
  if (!absorber.rankExact) messages.push(`the rank of ${fes.length} fixed effects is an upper bound (${feRank}); K may be overstated`)

  // ---- sums of squares -------------------------------------------------------------
  const rss = wsumsq(resid, w)
  const hasConst = fes.length > 0 || useIntercept
  const tss = totalSumOfSquares(y, w, hasConst)
  const tssWithin = fes.length ? wsumsq(yt, w) : NaN
  const r2 = 1 - rss / tss
  const adjR2 = 1 - ((1 - r2) * (n - (hasConst ? 1 : 0))) / dfResidual
  const withinR2 = fes.length ? 1 - rss / tssWithin : NaN

  // ---- covariance and inference ----------------------------------------------------
  const cov = computeVcov(
    { scores: { X: Xk, resid, weights: w }, bread: qr.xtxInv, n, rss, kFull, kNested: kNest, clusters },
    { type: vcovType, smallSample, clusterDf: spec.clusterDf },
  )
  messages.push(...cov.messages)
  const tcrit = tQuantile(1 - (1 - level) / 2, cov.dfT)
  const terms: Term[] = keptNames.map((term, j) => {
    const estimate = beta[j]
    const stdError = Math.sqrt(cov.V[j * r + j])
    const statistic = estimate / stdError
    return {
      term, estimate, stdError, statistic,
      pValue: tPValue(statistic, cov.dfT),
      confLow: estimate - tcrit * stdError,
      confHigh: estimate + tcrit * stdError,
    }
  })
  const slopes = keptNames.flatMap((t, j) => (t === INTERCEPT ? [] : [j]))
  const fStat = waldF(beta, cov.V, r, slopes)
  const logLik = 0.5 * ((w ? sumLog(w) : 0) - n * (Math.log(2 * Math.PI) + 1 - Math.log(n) + Math.log(rss)))

  return {
    terms,
    collinear,
    vcov: cov.V,
    nobs: n,
    rows,
    droppedMissing,
    droppedSingletons,
    fixedEffects: fixedEffects.map((name, k) => ({ name, levels: fes[k].levels, nested: nestedK[k] })),
    feRank,
    feRankExact: absorber.rankExact,
    kFull,
    kNested: kNest,
    vcovK: cov.K,
    dfResidual,
    dfT: cov.dfT,
    nClusters: cov.nClusters,
    vcovType,
    smallSample,
    vcovLabel: cov.label,
    rss, tss, tssWithin, r2, adjR2, withinR2,
    sigma: Math.sqrt(rss / dfResidual),
    fStat,
    fDf1: slopes.length,
    fDf2: cov.dfT,
    fPValue: fPValue(fStat, slopes.length, cov.dfT),
    logLik,
    aic: -2 * logLik + 2 * (kFull + 1),
    bic: -2 * logLik + Math.log(n) * (kFull + 1),
    absorb: { method: absorber.method, iterations, converged },
    residuals: resid,
    messages,
  }
}

/** The term of a result by name, or undefined when it was dropped or never in the model. */
export function term(result: RegressionResult, name: string): Term | undefined {
  return result.terms.find((t) => t.term === name)
}

/** 1 for rows where every variable is present and finite and the weight positive. */
function sampleMask(
  y: Float64Array, xs: readonly Float64Array[], w: Float64Array | undefined, factors: readonly Factor[], wName?: string,
): Uint8Array {
  const n = y.length
  const keep = new Uint8Array(n)
  for (let i = 0; i < n; i++) keep[i] = Number.isFinite(y[i]) ? 1 : 0
  for (const x of xs) for (let i = 0; i < n; i++) if (!Number.isFinite(x[i])) keep[i] = 0
  if (w) {
    for (let i = 0; i < n; i++) {
      const wi = w[i]
      if (wi < 0) {
        throw new QuasiError('BAD_DATA', `weight column \`${wName}\` has a negative value (${wi}) in row ${i + 1}`, {
          expected: 'weights >= 0',
          role: { role: 'weights', column: wName },
        })
      }
      if (!(wi > 0 && Number.isFinite(wi))) keep[i] = 0
    }
  }
  for (const f of factors) {
    const c = f.codes
    for (let i = 0; i < n; i++) if (c[i] < 0) keep[i] = 0
  }
  return keep
}

/** d on the estimation rows; d itself when every row is used (callers only read it). */
function gather(d: Float64Array, rows: Int32Array): Float64Array {
  if (rows.length === d.length) return d
  const out = new Float64Array(rows.length)
  for (let i = 0; i < rows.length; i++) out[i] = d[rows[i]]
  return out
}

function scaledCopy(c: Float64Array, s: Float64Array | undefined): Float64Array {
  if (!s) return c.slice()
  const out = new Float64Array(c.length)
  for (let i = 0; i < c.length; i++) out[i] = c[i] * s[i]
  return out
}

function residuals(y: Float64Array, X: readonly Float64Array[], beta: Float64Array): Float64Array {
  const out = y.slice()
  for (let j = 0; j < X.length; j++) {
    const x = X[j], b = beta[j]
    for (let i = 0; i < out.length; i++) out[i] -= b * x[i]
  }
  return out
}

/** Σ w (y − ȳ_w)², or Σ w y² for a model without a constant. */
function totalSumOfSquares(y: Float64Array, w: Float64Array | undefined, centred: boolean): number {
  let sw = 0, swy = 0
  for (let i = 0; i < y.length; i++) { const wi = w ? w[i] : 1; sw += wi; swy += wi * y[i] }
  const ybar = centred ? swy / sw : 0
  let tss = 0
  for (let i = 0; i < y.length; i++) { const d = y[i] - ybar; tss += (w ? w[i] : 1) * d * d }
  return tss
}

function requireColumn(frame: Frame, name: string, role: ErrorRole['role'], index?: number): Column {
  const col = frame.column(name)
  if (col) return col
  throw missingColumnError(frame, name, role, index)
}

function roleOf(role: ErrorRole['role'], column: string, index?: number): ErrorRole {
  return index === undefined || index < 0 ? { role, column } : { role, column, index }
}

/**
 * The factor of a fixed effect or cluster variable: the column itself, or for `a:b` that is
 * not a column, the interaction of the factors of its parts (./terms.ts interactionParts).
 */
export function factorOfName(frame: Frame, name: string, role: 'fixed_effect' | 'cluster', index: number): Factor {
  const col = frame.column(name)
  if (col) return factorize(col)
  const parts = name.includes(':') ? interactionParts(name, (c) => frame.has(c)) : undefined
  if (!parts) throw missingColumnError(frame, name, role, index)
  return parts.map((p) => factorize(frame.column(p)!)).reduce((a, b) => interactFactors(a, b))
}

function wnorm(x: Float64Array, w?: Float64Array): number {
  return Math.sqrt(wsumsq(x, w))
}

function wsumsq(x: Float64Array, w?: Float64Array): number {
  let s = 0
  if (w) for (let i = 0; i < x.length; i++) s += w[i] * x[i] * x[i]
  else for (let i = 0; i < x.length; i++) s += x[i] * x[i]
  return s
}

function sumLog(w: Float64Array): number {
  let s = 0
  for (let i = 0; i < w.length; i++) s += Math.log(w[i])
  return s
}

/**
 * F = β_s' V_s⁻¹ β_s / q for the slope block (Cholesky of V_s); NaN when V_s is not
 * positive definite (e.g. more slopes than clusters − 1) or there are no slopes.
 */
function waldF(beta: Float64Array, V: Float64Array, r: number, idx: readonly number[]): number {
  const q = idx.length
  if (q === 0) return NaN
  const L = new Float64Array(q * q)
  for (let a = 0; a < q; a++) {
    for (let b = 0; b <= a; b++) {
      let s = V[idx[a] * r + idx[b]]
      for (let k = 0; k < b; k++) s -= L[a * q + k] * L[b * q + k]
      if (a === b) {
        if (!(s > 0)) return NaN
        L[a * q + a] = Math.sqrt(s)
      } else {
        L[a * q + b] = s / L[b * q + b]
      }
    }
  }
  const z = new Float64Array(q)
  let acc = 0
  for (let a = 0; a < q; a++) {
    let s = beta[idx[a]]
    for (let k = 0; k < a; k++) s -= L[a * q + k] * z[k]
    z[a] = s / L[a * q + a]
    acc += z[a] * z[a]
  }
  return acc / q
}
