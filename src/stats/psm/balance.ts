/**
 * Covariate balance before and after matching, per covariate:
 * - means of treated and controls, before (every row of the sample) and after (matched rows,
 *   weighted by the match weights);
 * - %bias, psmatch2's `pstest`: 100 (m̄_T − m̄_C) / √((V_T + V_C)/2), where V_T and V_C are the
 *   variances of the UNMATCHED sample, before and after alike (so the reduction is in the
 *   numerator only); % reduction of |bias|: 100 (1 − |bias_after| / |bias_before|);
 * - t-tests of equal means: before, OLS of the covariate on the treatment indicator (the
 *   pooled-variance two-sample t); after, the same by weighted least squares with the match
 *   weights as analytic weights (R `lm(x ~ t, weights = w)`; n − 2 degrees of freedom);
 * - MatchIt's standardized mean difference: (m̄_T − m̄_C) / s_T, s_T the SD of the unmatched
 *   treated rows (√(p(1 − p)) for a 0/1 covariate); a difference below √DBL_EPSILON is left
 *   unstandardized, and a treated SD below it is replaced by √((V_T + V_C)/2).
 * ## References  Rosenbaum & Rubin (1985), Am. Statistician 39(1), doi:10.2307/2683903;
 * Leuven & Sianesi (2003), psmatch2 (pstest.ado); Ho, Imai, King & Stuart (2011), MatchIt.
 */
import { tPValue } from '../dist.ts'

export interface BalanceRow {
  readonly covariate: string
  readonly meanTreatedBefore: number
  readonly meanControlBefore: number
  readonly meanTreatedAfter: number
  readonly meanControlAfter: number
  readonly biasBefore: number
  readonly biasAfter: number
  readonly reduction: number
  readonly tBefore: number
  readonly pBefore: number
  readonly tAfter: number
  readonly pAfter: number
  readonly smdBefore: number
  readonly smdAfter: number
}

const SQRT_EPS = Math.sqrt(2.220446049250313e-16)

/** `rows`: the sample's rows (frame indices); `w`: match weights on the frame (0 = not matched). */
export function balanceRow(name: string, x: Float64Array, treated: Uint8Array, rows: Int32Array, w: Float64Array): BalanceRow {
  const before = moments(x, treated, rows, null)
  const after = moments(x, treated, rows, w)
  const den = Math.sqrt((before.vT + before.vC) / 2)
  const biasBefore = (100 * (before.mT - before.mC)) / den
  const biasAfter = (100 * (after.mT - after.mC)) / den
  const binary = isBinary(x, rows)
  const sdT = Math.sqrt(binary ? before.mT * (1 - before.mT) : before.vT)
  const pooled = Math.sqrt(binary ? (before.mT * (1 - before.mT) + before.mC * (1 - before.mC)) / 2 : (before.vT + before.vC) / 2)
  const smd = (d: number) => (Math.abs(d) <= SQRT_EPS ? d : d / (sdT >= SQRT_EPS ? sdT : pooled))
  return {
    covariate: name,
    meanTreatedBefore: before.mT, meanControlBefore: before.mC, meanTreatedAfter: after.mT, meanControlAfter: after.mC,
    biasBefore, biasAfter, reduction: 100 * (1 - Math.abs(biasAfter) / Math.abs(biasBefore)),
    tBefore: before.t, pBefore: before.p, tAfter: after.t, pAfter: after.p,
    smdBefore: smd(before.mT - before.mC), smdAfter: smd(after.mT - after.mC),
  }
}

function isBinary(x: Float64Array, rows: Int32Array): boolean {
  for (const i of rows) if (x[i] !== 0 && x[i] !== 1) return false
  return true
}

/** Weighted means, unweighted variances (n − 1) and the WLS t-test of x on the treatment. */
function moments(x: Float64Array, treated: Uint8Array, rows: Int32Array, w: Float64Array | null) {
  let wT = 0, wC = 0, sT = 0, sC = 0, nT = 0, nC = 0, n = 0
  for (const i of rows) {
    const wi = w ? w[i] : 1
    if (!(wi > 0)) continue
    n++
    if (treated[i]) { wT += wi; sT += wi * x[i]; nT++ } else { wC += wi; sC += wi * x[i]; nC++ }
  }
  const mT = sT / wT, mC = sC / wC
  let rss = 0, ssT = 0, ssC = 0
  for (const i of rows) {
    const wi = w ? w[i] : 1
    if (!(wi > 0)) continue
    const d = x[i] - (treated[i] ? mT : mC)
    rss += wi * d * d
    if (treated[i]) ssT += d * d
    else ssC += d * d
  }
  const df = n - 2
  const se = Math.sqrt((rss / df) * (1 / wT + 1 / wC))
  const t = (mT - mC) / se
  return { mT, mC, vT: ssT / (nT - 1), vC: ssC / (nC - 1), t, p: tPValue(t, df) }
}
