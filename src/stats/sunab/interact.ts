/**
 * The interaction-weighted (IW) estimator of Sun & Abraham (2021), given the cohort ×
 * relative-period coefficients δ̂(g, e) of the saturated regression and their covariance:
 *
 *   ν̂_e = Σ_g ŝ(g | e) δ̂(g, e),   ŝ(g | e) = n(g, e) / Σ_h n(h, e),
 *
 * n(g, e) the estimation-sample observations of cohort g at relative period e (the sample
 * analogue of Pr(E_i = g | E_i ∈ [−e, T − e]), as eventstudyinteract and fixest compute it).
 * Variance by the delta method,
 *
 *   V(ν̂) = W V(δ̂) W′ + Δ V(ŝ) Δ′,
 *
 * W the share weights and Δ the δ̂'s arranged by period. The second term (the estimated
 * shares, as eventstudyinteract adds it; fixest's aggregation leaves it out) uses the
 * influence function of ŝ: an observation of cohort g at period e moves ν̂_e by
 * (δ̂(g, e) − ν̂_e) / N_e, N_e = Σ_h n(h, e); these are summed within clusters (each
 * observation its own cluster without clustering) and V = Σ_c φ_c φ_c′, no finite-sample
 * factor (eventstudyinteract's avar … robust). Covariances between δ̂ and ŝ are left out, as
 * there. See docs/methods.md, "Sun–Abraham event study".
 */

export interface InteractInput {
  /** Number of estimated relative periods P and treated cohorts G; cell p·G + g. */
  readonly periods: number
  readonly cohorts: number
  /** Cell of each estimation-sample observation, −1 when it is in no cell (reference period, control cohort). */
  readonly cell: Int32Array
  /** Cluster of each observation (0 … nClusters − 1), or undefined: each observation its own. */
  readonly cluster?: Int32Array
  /** δ̂ per cell (NaN for cells without observations). */
  readonly delta: Float64Array
  /** Covariance of δ̂ over cells, row-major (P·G)²; entries of empty cells are ignored. */
  readonly vcovDelta: Float64Array
  /** Include the variance of the estimated shares. */
  readonly shareVariance: boolean
}

export interface InteractResult {
  readonly estimate: Float64Array
  /** V(ν̂), P × P row-major, and its two parts. */
  readonly vcov: Float64Array
  readonly vcovDelta: Float64Array
  readonly vcovShares: Float64Array
  /** ŝ(g | e) per cell (0 for empty cells) and n(g, e). */
  readonly weights: Float64Array
  readonly counts: Float64Array
}

export function interactionWeights(x: InteractInput): InteractResult {
  const P = x.periods, G = x.cohorts, C = P * G
  const counts = new Float64Array(C)
  for (let r = 0; r < x.cell.length; r++) if (x.cell[r] >= 0) counts[x.cell[r]]++
  const weights = new Float64Array(C)
  const total = new Float64Array(P)
  for (let p = 0; p < P; p++) {
    for (let g = 0; g < G; g++) total[p] += counts[p * G + g]
    for (let g = 0; g < G; g++) weights[p * G + g] = total[p] > 0 ? counts[p * G + g] / total[p] : 0
  }
  const estimate = new Float64Array(P)
  for (let p = 0; p < P; p++) {
    let s = 0
    for (let g = 0; g < G; g++) if (counts[p * G + g] > 0) s += weights[p * G + g] * x.delta[p * G + g]
    estimate[p] = total[p] > 0 ? s : NaN
  }
  // W V(δ̂) W′ over the nonempty cells.
  const vcovDelta = new Float64Array(P * P)
  for (let p = 0; p < P; p++) {
    for (let q = 0; q < P; q++) {
      let s = 0
      for (let g = 0; g < G; g++) {
        const a = p * G + g
        if (counts[a] === 0) continue
        for (let h = 0; h < G; h++) {
          const b = q * G + h
          if (counts[b] === 0) continue
          s += weights[a] * x.vcovDelta[a * C + b] * weights[b]
        }
      }
      vcovDelta[p * P + q] = s
    }
  }
  const vcovShares = new Float64Array(P * P)
  if (x.shareVariance) {
    // φ_c[p] = Σ_{obs in c at p} (δ̂(g, p) − ν̂_p) / N_p
    const nc = x.cluster ? maxPlusOne(x.cluster) : x.cell.length
    const phi = new Float64Array(nc * P)
    for (let r = 0; r < x.cell.length; r++) {
      const a = x.cell[r]
      if (a < 0) continue
      const p = Math.floor(a / G)
      const c = x.cluster ? x.cluster[r] : r
      phi[c * P + p] += (x.delta[a] - estimate[p]) / total[p]
    }
    for (let c = 0; c < nc; c++) {
      for (let p = 0; p < P; p++) {
        const u = phi[c * P + p]
        if (u === 0) continue
        for (let q = 0; q < P; q++) vcovShares[p * P + q] += u * phi[c * P + q]
      }
    }
  }
  const vcov = new Float64Array(P * P)
  for (let i = 0; i < P * P; i++) vcov[i] = vcovDelta[i] + vcovShares[i]
  return { estimate, vcov, vcovDelta, vcovShares, weights, counts }
}

function maxPlusOne(a: Int32Array): number {
  let m = -1
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i]
  return m + 1
}
