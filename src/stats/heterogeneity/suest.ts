/**
 * Seemingly unrelated estimation of several linear models (Stata `suest`): the joint
 * cluster-robust covariance of their coefficients, from the models' scores stacked by cluster.
 *
 * ## Method
 * Model j has kept (fixed-effect absorbed) regressors X̃_j, residuals û_j, weights w_j and
 * bread B_j = (X̃_j' W_j X̃_j)⁻¹. With θ = (β_1', …, β_m')' and, per cluster c, the stacked
 * score sum
 *   S_c = (Σ_{i∈c, i in model 1} w_i x̃_i û_i', …, Σ_{i∈c, i in model m} w_i x̃_i û_i')'
 * (zero in block j when the cluster has no rows in model j),
 *   V(θ̂) = G/(G − 1) · B (Σ_c S_c S_c') B,   B = blockdiag(B_1, …, B_m),
 * G the number of clusters over all models. The diagonal blocks are each model's CR0
 * covariance times G/(G − 1); the off-diagonal blocks carry the covariance between models
 * through the clusters they share. Without clusters every observation is its own cluster
 * (`codes` = 0..N−1), which gives the HC0 sandwich times N/(N − 1). The factor is Stata's
 * suest convention (its `_robust` with M/(M − 1) and no (N − 1)/(N − K)); by FWL the β rows
 * of a model with fixed-effect dummies equal those of the absorbed model, so absorbing the
 * effects changes nothing.
 *
 * ## References
 * J. Weesie (1999), "Seemingly unrelated estimation and the cluster-adjusted sandwich
 *   estimator", Stata Technical Bulletin 52, sg121, 34–47.
 * StataCorp, Stata Base Reference Manual, `suest` (Methods and formulas).
 */

export interface SuestModel {
  /** Kept regressors after absorption (unweighted), one array per column, on the model's rows. */
  readonly X: readonly Float64Array[]
  /** Residuals û on the model's rows. */
  readonly resid: Float64Array
  readonly weights?: Float64Array
  /** (X̃'WX̃)⁻¹, row-major r × r. */
  readonly bread: Float64Array
  /** Cluster of each row, in one coding 0..G−1 shared by all models. */
  readonly cluster: Int32Array
}

export interface SuestVcov {
  /** Row-major P × P, P = Σ r_j, blocks in model order. */
  readonly V: Float64Array
  readonly P: number
  /** Offset of each model's block. */
  readonly offsets: readonly number[]
  readonly G: number
}

/** The joint covariance of the stacked coefficients of `models`, clusters coded 0..G−1. */
export function suestVcov(models: readonly SuestModel[], G: number): SuestVcov {
  const offsets: number[] = []
  let P = 0
  for (const m of models) { offsets.push(P); P += m.X.length }
  // S: G × P score sums.
  const S = new Float64Array(G * P)
  models.forEach((m, j) => {
    const o = offsets[j], n = m.resid.length
    m.X.forEach((x, a) => {
      for (let i = 0; i < n; i++) S[m.cluster[i] * P + o + a] += x[i] * (m.weights ? m.weights[i] : 1) * m.resid[i]
    })
  })
  const M = new Float64Array(P * P)
  for (let g = 0; g < G; g++) {
    const base = g * P
    for (let a = 0; a < P; a++) {
      const sa = S[base + a]
      if (sa === 0) continue
      for (let b = a; b < P; b++) M[a * P + b] += sa * S[base + b]
    }
  }
  for (let a = 0; a < P; a++) for (let b = 0; b < a; b++) M[a * P + b] = M[b * P + a]
  // B M B with B block diagonal.
  const blockOf = new Int32Array(P)
  models.forEach((m, j) => { for (let a = 0; a < m.X.length; a++) blockOf[offsets[j] + a] = j })
  const bread = (a: number, b: number): number => {
    const j = blockOf[a]
    if (blockOf[b] !== j) return 0
    const r = models[j].X.length
    return models[j].bread[(a - offsets[j]) * r + (b - offsets[j])]
  }
  const BM = new Float64Array(P * P)
  for (let a = 0; a < P; a++) {
    const j = blockOf[a], o = offsets[j], r = models[j].X.length
    for (let b = 0; b < P; b++) {
      let s = 0
      for (let k = o; k < o + r; k++) s += bread(a, k) * M[k * P + b]
      BM[a * P + b] = s
    }
  }
  const c = G / (G - 1)
  const V = new Float64Array(P * P)
  for (let a = 0; a < P; a++) {
    for (let b = a; b < P; b++) {
      const j = blockOf[b], o = offsets[j], r = models[j].X.length
      let s = 0
      for (let k = o; k < o + r; k++) s += BM[a * P + k] * bread(k, b)
      V[a * P + b] = V[b * P + a] = c * s
    }
  }
  return { V, P, offsets, G }
}
