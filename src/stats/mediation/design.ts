/**
 * The cluster bootstrap of mediation coefficients as weighted sums by cluster.
 *
 * ## Method
 * For mediator M the steps are, on one estimation sample with fixed effects F, controls X and
 * model weights w:   M = aD + Xγ + F + e,   Y = c'D + bM + Xδ + F + u   (and Y = cD + … + F).
 * A cluster bootstrap draw takes G clusters with replacement; a cluster drawn k times enters k
 * times, each copy a distinct unit with its own fixed effects (what a re-fit on the resampled
 * panel with `id = position in the draw` does). Copies are identical, so their fixed effects
 * are equal at the optimum, and the re-fit equals a weighted fit on the original rows with
 * weight w_i·k_g(i), k_g the number of times cluster g was drawn (0: left out).
 *
 * Fixed effects nested in the clusters (unit effects under clustering by unit or coarser) do
 * not depend on the draw: within a cluster the weights are multiplied by one constant, and
 * the nested dummies live inside clusters, so the weighted projection on them is the same.
 * They are demeaned away once. Fixed effects not nested in the clusters (year effects) are
 * re-estimated in every draw: they enter as explicit dummy columns, one level of each left out
 * (demeaned by the nested ones). With no nested fixed effect an intercept column is added.
 *
 * With Z = [C, D, Y, M₁ … M_k] (C: the dummies and controls), each cluster's cross-product
 * P_g = Σ_{i∈g} w_i z_i z_i' is computed once; a draw's normal equations are Σ_g k_g P_g. A
 * symmetric elimination of C (a column whose pivot falls to ≤ 1e-10 of its diagonal is
 * collinear with the earlier ones and dropped, as the year dummy a unit effect makes
 * redundant) leaves S, the cross-products of D, Y and the Ms partialled on C (FWL). Then
 *   a = S_DM / S_DD,   c = S_DY / S_DD,
 *   b = (S_MY − S_DM S_DY / S_DD) / (S_MM − S_DM² / S_DD),   c' = (S_DY − b S_DM) / S_DD.
 * A draw with D (or M given D) collinear with C gives NaN.
 *
 * Per draw the cost is (clusters drawn) × q(q+1)/2 multiply-adds plus a q³/3 elimination,
 * whatever the number of rows. Mediators with the same estimation rows share one Z.
 *
 * ## References
 * A. C. Cameron, J. B. Gelbach, D. L. Miller (2008), "Bootstrap-based improvements for
 *   inference with clustered errors", Rev. Economics and Statistics 90(3), 414–427 (the
 *   pairs cluster bootstrap); R. Frisch, F. V. Waugh (1933), Econometrica 1(4), 387–401.
 */
import { QuasiError } from '../../errors.ts'
import { createAbsorber } from '../fe/absorb.ts'
import { isNested, subsetFactor, type Factor } from '../fe/factor.ts'

export interface MediationData {
  /** Columns over the rows of one table. */
  readonly y: Float64Array
  readonly d: Float64Array
  readonly mediators: readonly Float64Array[]
  readonly controls: readonly Float64Array[]
  readonly fixedEffects: readonly Factor[]
  /** The clusters that are resampled (codes over the same rows). */
  readonly cluster: Factor
  readonly weights?: Float64Array
  /** Estimation rows (ascending) of each mediator's three steps. */
  readonly rows: readonly Int32Array[]
}

/** One set of mediators with the same estimation rows. */
export interface BootGroup {
  /** Columns of Z: nc nuisance columns, then D, Y and the mediators. */
  readonly q: number
  readonly nc: number
  /** Mediator indices (into MediationData.mediators) of this group, in Z order. */
  readonly mediators: readonly number[]
  /** G × q(q+1)/2: each cluster's packed upper triangle of Σ w z z'. */
  readonly sums: Float64Array
}

/** Everything a draw needs, as plain arrays (sent to worker threads as is). */
export interface BootDesign {
  /** Clusters in the union of the estimation samples: what a draw resamples. */
  readonly clusters: number
  /** Code in MediationData.cluster of each resampled cluster. */
  readonly clusterCodes: Int32Array
  readonly groups: readonly BootGroup[]
  readonly mediators: number
}

/** Above this many nuisance columns (controls + dummies of non-nested fixed effects) the design is refused. */
export const MAX_NUISANCE = 400
/** Relative pivot below which a column is collinear with the earlier ones (normal equations: a squared norm ratio). */
export const PIVOT_TOL = 1e-10

export function bootDesign(data: MediationData): BootDesign {
  // The resampled clusters: those with a row in some estimation sample.
  const dense = new Int32Array(data.cluster.levels).fill(-1)
  const codes: number[] = []
  for (const rows of data.rows) {
    for (const i of rows) {
      const c = data.cluster.codes[i]
      if (c < 0) throw new QuasiError('BAD_DATA', 'the cluster variable is missing in a row of the estimation sample', { role: { role: 'cluster' } })
      if (dense[c] < 0) { dense[c] = codes.length; codes.push(c) }
    }
  }
  const G = codes.length
  const groups: { key: Int32Array; members: number[] }[] = []
  data.rows.forEach((rows, k) => {
    const same = groups.find((g) => g.key.length === rows.length && g.key.every((v, i) => v === rows[i]))
    if (same) same.members.push(k)
    else groups.push({ key: rows, members: [k] })
  })
  return {
    clusters: G,
    clusterCodes: Int32Array.from(codes),
    mediators: data.mediators.length,
    groups: groups.map((g) => buildGroup(data, g.key, g.members, dense, G)),
  }
}

function buildGroup(data: MediationData, rows: Int32Array, members: readonly number[], dense: Int32Array, G: number): BootGroup {
  const m = rows.length
  const take = (x: Float64Array) => { const o = new Float64Array(m); for (let i = 0; i < m; i++) o[i] = x[rows[i]]; return o }
  const cl = new Int32Array(m)
  for (let i = 0; i < m; i++) cl[i] = dense[data.cluster.codes[rows[i]]]
  const clusterF: Factor = { codes: cl, levels: G }
  const fes = data.fixedEffects.map((f) => subsetFactor(f, rows))
  const nested = fes.filter((f) => isNested(f, clusterF))
  const crossed = fes.filter((f) => !isNested(f, clusterF))
  const w = data.weights ? take(data.weights) : undefined
  const nuisance = (nested.length ? 0 : 1) + data.controls.length + crossed.reduce((s, f) => s + f.levels - 1, 0)
  if (nuisance > MAX_NUISANCE) {
    const big = data.fixedEffects.findIndex((f, k) => !isNested(fes[k], clusterF) && f.levels > 0)
    throw new QuasiError('INVALID_SPEC', `the cluster bootstrap re-estimates fixed effects that are not nested in the clusters as dummies; these have ${nuisance - data.controls.length} levels (at most ${MAX_NUISANCE} are supported)`, {
      role: { role: 'fixed_effect', ...(big >= 0 ? { index: big } : {}) },
      hint: 'cluster on a variable the many-level fixed effect is nested in (e.g. the unit)',
    })
  }
  const absorber = createAbsorber(nested, w)
  const demean = (x: Float64Array) => (nested.length ? absorber.demean(x).values : x)
  const cols: Float64Array[] = []
  if (!nested.length) cols.push(new Float64Array(m).fill(1))
  for (const x of data.controls) cols.push(demean(take(x)))
  // Level 0 of each crossed factor is left out: the intercept (or the nested effects, which span it) stands for it.
  for (const f of crossed) {
    for (let level = 1; level < f.levels; level++) {
      const dummy = new Float64Array(m)
      for (let i = 0; i < m; i++) if (f.codes[i] === level) dummy[i] = 1
      cols.push(demean(dummy))
    }
  }
  const nc = cols.length
  cols.push(demean(take(data.d)), demean(take(data.y)))
  for (const k of members) cols.push(demean(take(data.mediators[k])))
  const q = cols.length
  const P = (q * (q + 1)) / 2
  const sums = new Float64Array(G * P)
  const z = new Float64Array(q)
  for (let i = 0; i < m; i++) {
    const wi = w ? w[i] : 1
    for (let j = 0; j < q; j++) z[j] = cols[j][i]
    let at = cl[i] * P
    for (let a = 0; a < q; a++) {
      const za = wi * z[a]
      for (let b = a; b < q; b++) sums[at++] += za * z[b]
    }
  }
  return { q, nc, mediators: [...members], sums }
}

/** a, b, c (total) and c' (direct) per draw and mediator, draw-major: entry r·(mediators) + k. */
export interface DrawCoefficients {
  readonly a: Float64Array
  readonly b: Float64Array
  readonly c: Float64Array
  readonly direct: Float64Array
}

/** Solves draws against one design; holds the work buffers. */
/** Draws accumulated together: each cluster's cross-products are read once (from cache) for the whole batch. */
export const BATCH = 16

export class BootSolver {
  readonly #d: BootDesign
  /** Per group, BATCH accumulators of the packed normal equations. */
  readonly #acc: Float64Array[][]
  readonly #diag: Float64Array

  constructor(design: BootDesign) {
    this.#d = design
    this.#acc = design.groups.map((g) => Array.from({ length: BATCH }, () => new Float64Array((g.q * (g.q + 1)) / 2)))
    this.#diag = new Float64Array(Math.max(0, ...design.groups.map((g) => g.q)))
  }

  /** Coefficients under cluster multiplicities `counts` (length G), written as draw `at` of `out`. */
  solve(counts: Float64Array, out: DrawCoefficients, at: number): void {
    this.solveBatch([counts], out, at)
  }

  /** Draws at, at + 1, … under the multiplicities of `batch` (at most BATCH of them). */
  solveBatch(batch: readonly Float64Array[], out: DrawCoefficients, at: number): void {
    const D = this.#d
    const B = batch.length
    D.groups.forEach((g, gi) => {
      const P = (g.q * (g.q + 1)) / 2
      const acc = this.#acc[gi]
      for (let r = 0; r < B; r++) acc[r].fill(0)
      const s = g.sums
      for (let c = 0; c < D.clusters; c++) {
        const row = s.subarray(c * P, (c + 1) * P)
        for (let r = 0; r < B; r++) {
          const k = batch[r][c]
          if (k === 0) continue
          const A = acc[r]
          // Unrolled by four: about 40 % faster in V8 than the plain loop.
          let j = 0
          for (; j + 3 < P; j += 4) { A[j] += k * row[j]; A[j + 1] += k * row[j + 1]; A[j + 2] += k * row[j + 2]; A[j + 3] += k * row[j + 3] }
          for (; j < P; j++) A[j] += k * row[j]
        }
      }
      for (let r = 0; r < B; r++) this.#finish(g, acc[r], out, at + r)
    })
  }

  /** Eliminates the nuisance columns from the normal equations A and writes a, b, c, c′. */
  #finish(g: BootGroup, A: Float64Array, out: DrawCoefficients, at: number): void {
    const q = g.q, M = this.#d.mediators
    // Row start of the packed upper triangle: row r begins at off(r) = r·q − r(r−1)/2.
    const off = (r: number) => r * q - (r * (r - 1)) / 2
    const diag = this.#diag
    for (let r = 0; r < q; r++) diag[r] = A[off(r)]
    for (let j = 0; j < g.nc; j++) {
      const oj = off(j)
      const piv = A[oj]
      if (!(piv > PIVOT_TOL * diag[j])) continue
      for (let i = j + 1; i < q; i++) {
        const f = A[oj + i - j] / piv
        if (f === 0) continue
        const oi = off(i)
        for (let l = i; l < q; l++) A[oi + l - i] -= f * A[oj + l - j]
      }
    }
    const dI = g.nc, yI = g.nc + 1
    const sdd = A[off(dI)], sdy = A[off(dI) + 1]
    g.mediators.forEach((k, s) => {
      const mI = g.nc + 2 + s
      const idx = at * M + k
      if (!(sdd > PIVOT_TOL * diag[dI])) { out.a[idx] = out.b[idx] = out.c[idx] = out.direct[idx] = NaN; return }
      const sdm = A[off(dI) + mI - dI]
      const smm = A[off(mI)]
      const smy = A[off(yI) + mI - yI]
      const a = sdm / sdd
      const mm = smm - sdm * a
      const b = mm > PIVOT_TOL * diag[mI] ? (smy - a * sdy) / mm : NaN
      out.a[idx] = a
      out.c[idx] = sdy / sdd
      out.b[idx] = b
      out.direct[idx] = (sdy - b * sdm) / sdd
    })
  }
}
