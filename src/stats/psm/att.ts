/**
 * The average treatment effect on the treated from matches, and its Abadie–Imbens standard
 * error.
 *   τ = (1/N₁) Σ_t (Y_t − Ŷ₀_t),   Ŷ₀_t = Σ_c w_tc Y_c   (N₁ matched treated rows)
 *   V = (1/N₁²) [ Σ_t (Y_t − Ŷ₀_t − τ)² + Σ_c ((Σ_t w_tc)² − Σ_t w_tc²) σ̂²_c ]
 * the variance of the population ATT of Abadie, Drukker, Herr & Imbens (2004, eq. 9;
 * Abadie & Imbens 2006, Theorem 7), whose K_M(c)(K_M(c) − 1)/M² is written for general
 * match weights (1:k nearest: w_tc = 1/k gives it exactly). σ̂²_c, the conditional variance
 * of a control's outcome, is estimated by matching it to its J = 2 nearest other controls on
 * the score (ties: the earlier row): σ̂²_c = J/(J+1) (Y_c − mean of their Y)². It treats the
 * propensity score as known (Abadie & Imbens 2016 adjust for its estimation; not done here).
 * ## References  Abadie & Imbens (2006), Econometrica 74(1), doi:10.1111/j.1468-0262.2006.00655.x;
 * Abadie, Drukker, Herr & Imbens (2004), Stata Journal 4(3), doi:10.1177/1536867X0400400307.
 */
import { kNearest, sortControls, type Matches } from './match.ts'

/** Neighbours per control in the conditional-variance estimate. */
export const VARIANCE_NEIGHBOURS = 2

export interface AttResult {
  readonly att: number
  readonly se: number
  readonly treated: number
}

/**
 * `groups`: per group its score, treatment and outcome arrays (group-local) and the frame rows
 * they are; `m`: matches in frame rows.
 */
export function attAbadieImbens(m: Matches, y: Float64Array, groups: readonly { rows: Int32Array; ps: Float64Array; treated: Uint8Array }[]): AttResult {
  const n = y.length
  const y0 = new Float64Array(n), isT = new Uint8Array(n)
  const sumW = new Float64Array(n), sumW2 = new Float64Array(n)
  const tOrder: number[] = []
  for (let j = 0; j < m.t.length; j++) {
    const t = m.t[j], c = m.c[j], w = m.w[j]
    if (!isT[t]) { isT[t] = 1; tOrder.push(t) }
    y0[t] += w * y[c]
    sumW[c] += w
    sumW2[c] += w * w
  }
  const N1 = tOrder.length
  let att = 0
  for (const t of tOrder) att += y[t] - y0[t]
  att /= N1
  let v = 0
  for (const t of tOrder) v += (y[t] - y0[t] - att) ** 2
  for (const g of groups) {
    const sc = sortControls(g.ps, g.treated)
    for (let q = 0; q < sc.idx.length; q++) {
      const c = g.rows[sc.idx[q]]
      if (sumW[c] === 0) continue
      const k = sumW[c] * sumW[c] - sumW2[c]
      if (k === 0) continue
      const nb = kNearest(sc, sc.ps[q], VARIANCE_NEIGHBOURS, q)
      let mean = 0
      for (const r of nb) mean += y[g.rows[sc.idx[r]]]
      mean /= nb.length
      const J = nb.length
      v += k * (J / (J + 1)) * (y[c] - mean) ** 2
    }
  }
  return { att, se: Math.sqrt(v / (N1 * N1)), treated: N1 }
}
