/**
 * The "meat" of sandwich variance estimators, from the scores s_i = w_i x̃_i û_i of the
 * (fixed-effects absorbed, weighted) regression:
 *   HC0:  Σ_i s_i s_i'
 *   CR0:  Σ_g S_g S_g',   S_g = Σ_{i∈g} s_i  (one cluster level g)
 * Matrices are row-major r × r.
 *
 * ## References
 * H. White (1980), Econometrica 48(4), 817–838 (HC0).
 * K.-Y. Liang, S. L. Zeger (1986), Biometrika 73(1), 13–22; A. C. Cameron, D. L. Miller
 * (2015), "A practitioner's guide to cluster-robust inference", J. Human Resources 50(2),
 * 317–372, doi:10.3368/jhr.50.2.317 (CR0 and its finite-sample factors).
 */
import type { Factor } from '../fe/factor.ts'

export interface Scores {
  /** Kept regressors after absorption (unweighted), one array per column. */
  readonly X: readonly Float64Array[]
  /** Residuals û on the estimation rows. */
  readonly resid: Float64Array
  readonly weights?: Float64Array
}

/** Σ_i (w_i û_i)² x̃_i x̃_i'. */
export function meatHC0(s: Scores): Float64Array {
  const r = s.X.length, n = s.resid.length
  const out = new Float64Array(r * r)
  const e2 = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const e = (s.weights ? s.weights[i] : 1) * s.resid[i]
    e2[i] = e * e
  }
  for (let a = 0; a < r; a++) {
    const xa = s.X[a]
    for (let b = a; b < r; b++) {
      const xb = s.X[b]
      let acc = 0
      for (let i = 0; i < n; i++) acc += e2[i] * xa[i] * xb[i]
      out[a * r + b] = acc
      out[b * r + a] = acc
    }
  }
  return out
}

/** Σ_g S_g S_g' with S_g the sum of scores within cluster level g. */
export function meatCR0(s: Scores, cluster: Factor): Float64Array {
  const r = s.X.length, n = s.resid.length, G = cluster.levels
  const S = new Float64Array(G * r) // G × r, row-major
  const c = cluster.codes
  for (let a = 0; a < r; a++) {
    const xa = s.X[a]
    for (let i = 0; i < n; i++) {
      const e = (s.weights ? s.weights[i] : 1) * s.resid[i]
      S[c[i] * r + a] += xa[i] * e
    }
  }
  const out = new Float64Array(r * r)
  for (let g = 0; g < G; g++) {
    const base = g * r
    for (let a = 0; a < r; a++) {
      const sa = S[base + a]
      if (sa === 0) continue
      for (let b = a; b < r; b++) out[a * r + b] += sa * S[base + b]
    }
  }
  for (let a = 0; a < r; a++) for (let b = 0; b < a; b++) out[a * r + b] = out[b * r + a]
  return out
}

/** bread · meat · bread (all r × r, row-major, bread symmetric). */
export function sandwich(bread: Float64Array, meat: Float64Array, r: number): Float64Array {
  const tmp = new Float64Array(r * r)
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      let s = 0
      for (let k = 0; k < r; k++) s += bread[i * r + k] * meat[k * r + j]
      tmp[i * r + j] = s
    }
  }
  const out = new Float64Array(r * r)
  for (let i = 0; i < r; i++) {
    for (let j = i; j < r; j++) {
      let s = 0
      for (let k = 0; k < r; k++) s += tmp[i * r + k] * bread[k * r + j]
      out[i * r + j] = s
      out[j * r + i] = s
    }
  }
  return out
}
