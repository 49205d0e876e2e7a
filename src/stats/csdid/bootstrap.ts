/**
 * Multiplier bootstrap of influence functions (Callaway & Sant'Anna 2021, section 4; did's
 * mboot): each draw multiplies every unit's (or cluster's) influence function by an i.i.d.
 * weight V with mean 0 and variance 1 and records R*_j = √n · mean_i(V_i ψ_ij) per column.
 *   se_j = IQR(R*_j)/(z_.75 − z_.25)/√n                                  (robust scale, as mboot)
 *   c    = the (1 − α) quantile (type 1) of max_j |R*_j|/(√n se_j)        (uniform band: θ̂_j ± c·se_j)
 * Weights: Mammen's two-point distribution (1 − √5)/2 with probability (√5 + 1)/(2√5), else
 * (1 + √5)/2; or Rademacher ±1. Clustered: ψ is summed within clusters S_c, R* = √C mean_c(V_c S_c)
 * and se = IQR(R*)/(z_.75 − z_.25)·√C/n (did 2.5's mboot; = the unclustered form when C = n). Columns whose se is 0 (a reference period) get NaN and are left out of c.
 */
import type { Rng } from '../rng.ts'
import { normalQuantile } from '../dist.ts'

export type MultiplierWeights = 'mammen' | 'rademacher'

export interface BootstrapResult {
  readonly se: Float64Array
  /** Critical value of the uniform band at the level asked for. */
  readonly crit: number
}

const SQ5 = Math.sqrt(5)
const MAMMEN_LOW = (1 - SQ5) / 2, MAMMEN_HIGH = (1 + SQ5) / 2, MAMMEN_P = (SQ5 + 1) / (2 * SQ5)

/** Multiplier bootstrap of the columns `inf` (each of length n units); `cluster[i]` in [0, C) when clustered. */
export function multiplierBootstrap(inf: readonly Float64Array[], opts: { draws: number; rng: Rng; weights: MultiplierWeights; level: number; cluster?: { index: Int32Array; count: number } }): BootstrapResult {
  let cols = inf
  const n = inf.length ? inf[0].length : 0
  if (opts.cluster) {
    const { index, count } = opts.cluster
    cols = inf.map((f) => {
      const s = new Float64Array(count)
      for (let i = 0; i < n; i++) s[index[i]] += f[i]
      return s
    })
  }
  // Units (n) and clusters (C, = n unclustered): R*_b = √C mean_c(V_c S_c), se = IQR·√C/n.
  const C = cols.length ? cols[0].length : 0
  const J = cols.length, B = opts.draws
  // ATT(g,t) influence functions are zero outside their comparison: loop over the non-zeros when they are few.
  const sparse = cols.map((f) => {
    let nnz = 0
    for (let i = 0; i < C; i++) if (f[i] !== 0) nnz++
    if (nnz > 0.6 * C) return null
    const idx = new Int32Array(nnz), val = new Float64Array(nnz)
    for (let i = 0, k = 0; i < C; i++) if (f[i] !== 0) { idx[k] = i; val[k++] = f[i] }
    return { idx, val }
  })
  const draws = Array.from({ length: J }, () => new Float64Array(B))
  const v = new Float64Array(C)
  const root = Math.sqrt(C)
  for (let b = 0; b < B; b++) {
    const r = opts.rng.fork(b)
    for (let i = 0; i < C; i++) {
      const u = r.uniform()
      v[i] = opts.weights === 'mammen' ? (u < MAMMEN_P ? MAMMEN_LOW : MAMMEN_HIGH) : (u < 0.5 ? -1 : 1)
    }
    for (let j = 0; j < J; j++) {
      let s = 0
      const sp = sparse[j]
      if (sp) {
        const { idx, val } = sp
        for (let k = 0; k < idx.length; k++) s += v[idx[k]] * val[k]
      } else {
        const f = cols[j]
        for (let i = 0; i < C; i++) s += v[i] * f[i]
      }
      draws[j][b] = root * (s / C)
    }
  }
  const zq = normalQuantile(0.75) - normalQuantile(0.25)
  const sigma = draws.map((d) => {
    const sorted = Float64Array.from(d).sort()
    const s = (quantile1(sorted, 0.75) - quantile1(sorted, 0.25)) / zq
    return s <= Math.sqrt(2.220446049250313e-16) * 10 ? NaN : s
  })
  const tmax = new Float64Array(B)
  for (let b = 0; b < B; b++) {
    let m = -Infinity
    for (let j = 0; j < J; j++) if (Number.isFinite(sigma[j])) m = Math.max(m, Math.abs(draws[j][b] / sigma[j]))
    tmax[b] = m
  }
  const crit = quantile1(tmax.sort(), opts.level)
  return { se: Float64Array.from(sigma, (s) => (s * root) / n), crit }
}

/** R's quantile(type = 1) of sorted values: the smallest x with F̂(x) ≥ p. */
export function quantile1(sorted: Float64Array, p: number): number {
  const n = sorted.length
  const k = Math.max(1, Math.ceil(n * p - 1e-12))
  return sorted[Math.min(n, k) - 1]
}
