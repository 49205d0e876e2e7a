/**
 * Coefficient covariance under the three variance options, with the finite-sample
 * factor of four conventions for K and the t degrees of freedom.
 *
 *   iid:      V = σ̂² (X̃'WX̃)⁻¹,  σ̂² = Σ w û² / (N − K)               (`cr0`: / N)
 *   hc1:      V = N/(N − K) · B M_HC0 B,  B = (X̃'WX̃)⁻¹                 (`cr0`: HC0)
 *   cluster:  V = G/(G − 1) · (N − 1)/(N − K) · B M_CR0 B               (`cr0`: CR0)
 *   two-way:  V = c₁V₁ + c₂V₂ − c₁₂V₁₂ on clusters A, B and A∩B (Cameron–Gelbach–Miller);
 *             `min` (default, reghdfe/fixest): every c uses G_min = min(G_A, G_B);
 *             `each` (sandwich's cadjust): each term its own G.
 *
 * ## What K is (`smallSample`)
 *
 *   convention  K                                     matches
 *   ----------  ------------------------------------  ------------------------------------------
 *   nested      r + rank[1, D_k : D_k not nested in   reghdfe; fixest default (fixef.K = "nested");
 *   (default)   a cluster variable]; = K_full         Stata `xtreg, fe vce(cluster)`
 *               without clusters
 *   full        K_full = r + rank[D₁ … D_K]           lm with factor dummies + sandwich vcovHC/
 *                                                     vcovCL(type = "HC1"); Stata `areg`;
 *                                                     fixest fixef.K = "full" (+ force_exact)
 *   slopes      r: the kept regressors only (with     plm vcovHC(method = "arellano",
 *               '(Intercept)' when there are no        type = "sss") for `cluster`, and
 *               fixed effects)                        plm vcovHC(method = "white1", type = "sss"
 *                                                     or "HC1") for `hc1`; lm on within-
 *                                                     transformed data + sandwich (all three);
 *                                                     fixest ssc(fixef.K = "none") (all three)
 *   cr0         no factor at all (σ̂² = RSS/N, HC0,    sandwich type = "HC0" (cadjust = FALSE);
 *               CR0)                                  plm type = "HC0"; fixest ssc(adj = FALSE,
 *                                                     cluster.adj = FALSE)
 *   none        deprecated alias of `cr0`
 *
 * plm and sandwich correspondences are checked numerically (test/fixtures/regress/make.R);
 * fixest and Stata ones follow their documentation (fixest was not run).
 * r counts the columns of B (the regressors kept after collinearity checks); see ../ols/dof.ts
 * for K_full and K_nested. Without fixed effects all of nested, full and slopes are r.
 * The convention changes the factor only: the t degrees of freedom are N − K_full for
 * iid/hc1 under every convention (the residual df of the model, as plm's and lm's
 * coeftest use; fixest uses N − K of its own convention there) and G_min − 1 clustered.
 * A two-way V with a negative diagonal entry is repaired by zeroing its negative
 * eigenvalues (Cameron, Gelbach & Miller 2011, §2.3), with a message.
 *
 * ## References
 * J. G. MacKinnon, H. White (1985), J. Econometrics 29(3), 305–325 (HC1).
 * A. C. Cameron, J. B. Gelbach, D. L. Miller (2011), "Robust inference with multiway
 *   clustering", J. Business & Economic Statistics 29(2), 238–249, doi:10.1198/jbes.2010.07136.
 * A. C. Cameron, D. L. Miller (2015), J. Human Resources 50(2), 317–372, doi:10.3368/jhr.50.2.317.
 * S. Correia (2016), reghdfe, Stata module, Boston College SSC S457874; L. Bergé (2018),
 *   fixest, CREA DP 2018-13 (the `nested` count and `min` convention; `ssc()` for `slopes`).
 * Y. Croissant, G. Millo (2008), "Panel data econometrics in R: the plm package", J. Statistical
 *   Software 27(2), doi:10.18637/jss.v027.i02; plm's vcovHC documentation (type = "sss").
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix'
import type { Factor } from '../fe/factor.ts'
import { interactFactors } from '../fe/factor.ts'
import type { Scores } from './meat.ts'
import { meatCR0, meatHC0, sandwich } from './meat.ts'

export type VcovType = 'iid' | 'hc1' | 'cluster'
/**
 * What counts in K for the finite-sample factor (table above): `nested` (default), `full`,
 * `slopes` or `cr0` (no factor). `'none'` is a deprecated alias of `'cr0'`, accepted so that
 * callers written before `slopes` existed keep compiling; results report `'cr0'`.
 */
export type SmallSample = SmallSampleConvention | SmallSampleNone
/** @deprecated `'none'` is the old name of `'cr0'` (no finite-sample factor); write `'cr0'`. */
export type SmallSampleNone = 'none'
/** The four conventions, without the deprecated alias. */
export type SmallSampleConvention = 'nested' | 'full' | 'slopes' | 'cr0'

/** The convention a (possibly deprecated) name stands for: `'none'` → `'cr0'`. */
export function smallSampleConvention(s: SmallSample): SmallSampleConvention {
  return s === 'none' ? 'cr0' : s
}
export type ClusterDf = 'min' | 'each'

export interface VcovInput {
  readonly scores: Scores
  /** (X̃'WX̃)⁻¹, row-major r × r. */
  readonly bread: Float64Array
  readonly n: number
  /** Weighted residual sum of squares Σ w û². */
  readonly rss: number
  /** Regressors + all absorbed levels (net of redundant ones). */
  readonly kFull: number
  /** Regressors + absorbed levels not nested in a cluster variable (+1 for the intercept). */
  readonly kNested: number
  // K under `slopes` is the number of columns of `bread` (the kept regressors).
  /** One or two cluster factors on the estimation rows (required for `cluster`). */
  readonly clusters: readonly Factor[]
}

export interface VcovOptions {
  readonly type: VcovType
  readonly smallSample: SmallSample
  readonly clusterDf?: ClusterDf
}

export interface Vcov {
  /** Row-major r × r. */
  readonly V: Float64Array
  /** Degrees of freedom of the t (and F denominator) distribution. */
  readonly dfT: number
  /** The K entering (N−1)/(N−K), N/(N−K) or RSS/(N−K) under the convention; NaN under `cr0`. */
  readonly K: number
  /** Clusters per cluster variable (empty unless clustered). */
  readonly nClusters: readonly number[]
  /** Human-readable description, e.g. "clustered (state), CR1, nested K = 21, G − 1 = 47 df". */
  readonly label: string
  readonly messages: readonly string[]
}

export function computeVcov(inp: VcovInput, opts: VcovOptions): Vcov {
  const r = inp.scores.X.length
  const { n } = inp
  const convention = smallSampleConvention(opts.smallSample)
  const cr0 = convention === 'cr0'
  const dfResid = n - inp.kFull
  const messages: string[] = []
  // K of the convention; nested differs from full only when clustered.
  const kOf = (clustered: boolean): number =>
    convention === 'slopes' ? r : convention === 'nested' && clustered ? inp.kNested : convention === 'cr0' ? NaN : inp.kFull
  // iid/hc1 labels as before for nested/full (the same K there); slopes says so.
  const kNote = (K: number): string => (convention === 'slopes' ? `K = ${K}, slopes only` : `K = ${K}`)
  if (opts.type === 'iid') {
    const K = kOf(false)
    const sigma2 = inp.rss / (cr0 ? n : n - K)
    return {
      V: inp.bread.map((v) => v * sigma2),
      dfT: dfResid,
      K,
      nClusters: [],
      label: cr0 ? 'iid (σ² = RSS/N)' : `iid (σ² = RSS/(N − K), ${kNote(K)})`,
      messages,
    }
  }
  if (opts.type === 'hc1') {
    const K = kOf(false)
    const c = cr0 ? 1 : n / (n - K)
    return {
      V: sandwich(inp.bread, meatHC0(inp.scores), r).map((v) => v * c),
      dfT: dfResid,
      K,
      nClusters: [],
      label: cr0 ? 'heteroskedasticity-robust (HC0)' : `heteroskedasticity-robust (HC1, ${kNote(K)})`,
      messages,
    }
  }
  const cl = inp.clusters
  const G = cl.map((f) => f.levels)
  const K = kOf(true)
  const adj = cr0 ? 1 : (n - 1) / (n - K)
  const gmin = Math.min(...G)
  const gFactor = (g: number): number => (cr0 ? 1 : g / (g - 1))
  let V: Float64Array
  if (cl.length === 1) {
    V = sandwich(inp.bread, meatCR0(inp.scores, cl[0]), r).map((v) => v * gFactor(G[0]) * adj)
  } else {
    const both = interactFactors(cl[0], cl[1])
    const each = (opts.clusterDf ?? 'min') === 'each'
    const c1 = gFactor(each ? G[0] : gmin), c2 = gFactor(each ? G[1] : gmin), c12 = gFactor(each ? both.levels : gmin)
    const m1 = meatCR0(inp.scores, cl[0]), m2 = meatCR0(inp.scores, cl[1]), m12 = meatCR0(inp.scores, both)
    const meat = new Float64Array(r * r)
    for (let i = 0; i < meat.length; i++) meat[i] = (c1 * m1[i] + c2 * m2[i] - c12 * m12[i]) * adj
    V = sandwich(inp.bread, meat, r)
    let negative = false
    for (let i = 0; i < r; i++) if (V[i * r + i] < 0) negative = true
    if (negative) {
      V = nearestPsd(V, r)
      messages.push('two-way clustered covariance had a negative variance; negative eigenvalues set to zero (Cameron, Gelbach & Miller 2011)')
    }
  }
  const kText = cr0 ? 'no finite-sample factor (CR0)' : `CR1, ${convention} K = ${K}`
  return {
    V,
    dfT: gmin - 1,
    K,
    nClusters: G,
    label: `clustered (${cl.length === 1 ? 'one-way' : 'two-way'}), ${kText}, t with G − 1 = ${gmin - 1} df`,
    messages,
  }
}

/** V with its negative eigenvalues replaced by 0 (V symmetric, row-major r × r). */
function nearestPsd(V: Float64Array, r: number): Float64Array {
  const rows = Array.from({ length: r }, (_, i) => Array.from(V.subarray(i * r, i * r + r)))
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true })
  const lambda = evd.realEigenvalues.map((l) => Math.max(l, 0))
  const Q = evd.eigenvectorMatrix
  const out = new Float64Array(r * r)
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      let s = 0
      for (let k = 0; k < r; k++) s += Q.get(i, k) * lambda[k] * Q.get(j, k)
      out[i * r + j] = s
    }
  }
  return out
}
