/**
 * Absorbing fixed effects: the residual of a variable after (weighted) least-squares
 * projection on the dummies of any number of factors, M_D x = x − D (D'WD)⁻ D'W x,
 * without ever forming D.
 *
 * ## Method
 * Order the factors by number of levels and eliminate the largest one (D₁) in closed
 * form: M₁ x is x minus its (weighted) group mean. For the remaining factors
 * D_r = [D₂ … D_K] (m = G₂ + … + G_K levels), Frisch–Waugh–Lovell gives
 *   M_D x = M₁x − M₁D_r γ,   S γ = D_r'W M₁ x,   S = D_r'W M₁ D_r = D_r'WD_r − C' diag(1/w₁) C,
 * where C = D₁'W D_r is the sparse cross-tabulation of the first factor against the others
 * (nnz ≤ n; for a panel, one entry per unit-year cell). Per variable this costs three
 * passes over the rows plus sparse products with C.
 * - one factor: M₁ x is exact, one pass.
 * - `direct` (m small, e.g. years or region×year): S is formed once (m × m) and factored
 *   by Cholesky; a pivot below `RANK_TOL` × its diagonal marks a redundant level (its
 *   coefficient is fixed at 0). Exact to rounding, and the number of kept pivots gives the
 *   exact rank of [D₁ D_r]. This is the Wansbeek–Kapteyn route for unbalanced two-way
 *   panels; for a balanced panel it reproduces the closed form x − x̄ᵢ − x̄ₜ + x̄.
 * - `cg` (m large): S γ = b by Jacobi-preconditioned conjugate gradients with S applied
 *   matrix-free (two sparse products with C when two factors remain). For two factors, CG
 *   on S is the conjugate-gradient acceleration of alternating projections between the two
 *   sets of group means (the reghdfe default): O(√κ) sweeps instead of MAP's O(κ).
 *
 * ## References
 * T. Wansbeek, A. Kapteyn (1989), "Estimation of the error-components model with
 *   incomplete panels", J. Econometrics 41(3), 341–361.
 * S. Guimarães, P. Portugal (2010), "A simple feasible procedure to fit models with
 *   high-dimensional fixed effects", Stata Journal 10(4), 628–649.
 * S. Correia (2017), "Linear models with high-dimensional fixed effects: an efficient and
 *   feasible estimator", working paper (MAP with CG acceleration), http://scorreia.com/research/hdfe.pdf.
 * F. Hernández-Ramos, R. Escalante, M. Raydan (2011), "Unconstrained optimization
 *   techniques for the acceleration of alternating projection methods", Numer. Funct.
 *   Anal. Optim. 32(10), 1041–1066.
 */
import type { Factor } from './factor.ts'
import { levelWeights } from './factor.ts'
import { bipartiteComponents } from './components.ts'

export type AbsorbMethod = 'auto' | 'direct' | 'cg'

export interface AbsorbOptions {
  /** `auto` (default): one factor → one pass; small remaining dimension → direct; else CG. */
  method?: AbsorbMethod
  /** CG stops when ‖b − Sγ‖₂ ≤ tol · ‖b‖₂. @default 1e-13 */
  tol?: number
  /** CG iteration cap per variable. @default 10000 */
  maxIter?: number
  /**
   * Largest m = G₂ + … + G_K solved directly under `auto` (and, with three or more
   * factors, up to which the rank is counted exactly whatever the method). @default 1000
   */
  directMaxLevels?: number
}

export interface Demeaned {
  readonly values: Float64Array
  /** CG iterations used (0 for the exact methods). */
  readonly iterations: number
  readonly converged: boolean
}

export interface Absorber {
  readonly method: 'none' | 'one-way' | 'direct' | 'cg'
  /** Rank of the dummy matrix [D₁ … D_K]: levels net of redundant ones (includes the intercept). */
  readonly rank: number
  /** False when the rank is an upper bound (three or more factors, too many levels to factor S). */
  readonly rankExact: boolean
  /** M_D x for a variable on the estimation rows (weighted when weights were given). */
  demean(x: Float64Array): Demeaned
}

/**
 * A pivot of S smaller than RANK_TOL × its diagonal entry is treated as zero: the level
 * is a linear combination of the others (e.g. the last year in a connected two-way
 * panel). Exactly redundant levels give pivots at rounding level (~1e-15 relative); a
 * genuinely identified level in a weakly connected panel has pivots far above 1e-9.
 */
export const RANK_TOL = 1e-9
/** CG relative residual: tight enough that coefficients match exact solutions to ~1e-10. */
export const CG_TOL = 1e-13
export const CG_MAX_ITER = 10_000
export const DIRECT_MAX_LEVELS = 1000
/** Budget of multiply-adds for building S directly (Σ_g nnz_g²); above it, `auto` uses CG. */
const DIRECT_MAX_WORK = 4e8

export function createAbsorber(
  factors: readonly Factor[],
  weights: Float64Array | undefined,
  opts: AbsorbOptions = {},
): Absorber {
  if (factors.length === 0) {
    return { method: 'none', rank: 0, rankExact: true, demean: (x) => ({ values: x.slice(), iterations: 0, converged: true }) }
  }
  const n = factors[0].codes.length
  const w = weights ?? new Float64Array(n).fill(1)
  // Largest factor first: it is eliminated in closed form.
  const fes = [...factors].sort((a, b) => b.levels - a.levels)
  const f1 = fes[0]
  const a = f1.codes
  const invW1 = levelWeights(f1, w).map((v) => 1 / v)

  /** out = M₁ x (weighted group demeaning by the first factor). */
  const demean1 = (x: Float64Array, out: Float64Array): void => {
    const s = new Float64Array(f1.levels)
    for (let i = 0; i < n; i++) s[a[i]] += w[i] * x[i]
    for (let g = 0; g < s.length; g++) s[g] *= invW1[g]
    for (let i = 0; i < n; i++) out[i] = x[i] - s[a[i]]
  }

  if (fes.length === 1) {
    return {
      method: 'one-way',
      rank: f1.levels,
      rankExact: true,
      demean(x) {
        const out = new Float64Array(n)
        demean1(x, out)
        return { values: out, iterations: 0, converged: true }
      },
    }
  }

  const rest = fes.slice(1)
  const offsets: number[] = []
  let m = 0
  for (const f of rest) { offsets.push(m); m += f.levels }
  const kr = rest.length
  // Flattened rest indices, row-major n × kr (only needed with three or more factors;
  // with two, the second factor's codes are read directly).
  const c2 = kr === 1 ? rest[0].codes : undefined
  const ridx = c2 ?? new Int32Array(n * kr)
  if (!c2) {
    for (let k = 0; k < kr; k++) {
      const c = rest[k].codes, off = offsets[k]
      for (let i = 0; i < n; i++) ridx[i * kr + k] = off + c[i]
    }
  }
  const groups = groupRows(f1)
  const cross = crossTab(n, m, kr, ridx, w, groups)
  const wr = new Float64Array(m)
  for (let i = 0; i < n; i++) for (let k = 0; k < kr; k++) wr[ridx[i * kr + k]] += w[i]

  const method = chooseMethod(opts, m, cross, kr)
  const tol = opts.tol ?? CG_TOL
  const maxIter = opts.maxIter ?? CG_MAX_ITER

  /** out ← M₁x; returns b = D_r'W M₁x. Two passes over the rows. */
  const demeanAndProject = (x: Float64Array, out: Float64Array): Float64Array => {
    const s = new Float64Array(f1.levels)
    for (let i = 0; i < n; i++) s[a[i]] += w[i] * x[i]
    for (let g = 0; g < s.length; g++) s[g] *= invW1[g]
    const b = new Float64Array(m)
    if (c2) {
      for (let i = 0; i < n; i++) {
        const r = x[i] - s[a[i]]
        out[i] = r
        b[c2[i]] += w[i] * r
      }
    } else {
      for (let i = 0; i < n; i++) {
        const r = x[i] - s[a[i]]
        out[i] = r
        const v = w[i] * r, base = i * kr
        for (let k = 0; k < kr; k++) b[ridx[base + k]] += v
      }
    }
    return b
  }
  /**
   * out ← out − M₁D_rγ. The FE1 group means of D_rγ come from the cross-tabulation
   * (mean_g = Σ_j c_gj γ_j / w_g, no pass over rows); then one pass over the rows.
   */
  const subtractFit = (gamma: Float64Array, out: Float64Array): void => {
    const mg = cross.groupMeans(gamma, invW1)
    if (c2) {
      for (let i = 0; i < n; i++) out[i] -= gamma[c2[i]] - mg[a[i]]
      return
    }
    for (let i = 0; i < n; i++) {
      let z = 0
      const base = i * kr
      for (let k = 0; k < kr; k++) z += gamma[ridx[base + k]]
      out[i] -= z - mg[a[i]]
    }
  }

  if (method === 'direct') {
    const chol = choleskySkipping(schurMatrix(n, m, kr, ridx, w, wr, cross, invW1), m)
    return {
      method: 'direct',
      rank: f1.levels + chol.rank,
      rankExact: true,
      demean(x) {
        const out = new Float64Array(n)
        const gamma = chol.solve(demeanAndProject(x, out))
        subtractFit(gamma, out)
        return { values: out, iterations: 0, converged: true }
      },
    }
  }

  // CG on S γ = b with S = D_r'WD_r − C' diag(1/w₁) C applied matrix-free. With two
  // factors D_r'WD_r = diag(w_r) and S p costs two sparse products with C (nnz ≤ n).
  const diag = new Float64Array(m)
  for (let j = 0; j < m; j++) diag[j] = wr[j]
  cross.subtractSquares(diag, invW1)
  const invDiag = diag.map((d) => (d > 0 ? 1 / d : 0))
  const zbuf = c2 ? undefined : new Float64Array(n)
  const applyS = (p: Float64Array, q: Float64Array): void => {
    if (c2) {
      for (let j = 0; j < m; j++) q[j] = wr[j] * p[j]
    } else {
      // (D_r'WD_r) p has cross terms between the remaining factors: one pass over rows.
      q.fill(0)
      for (let i = 0; i < n; i++) {
        let t = 0
        const base = i * kr
        for (let k = 0; k < kr; k++) t += p[ridx[base + k]]
        zbuf![i] = w[i] * t
      }
      for (let i = 0; i < n; i++) {
        const base = i * kr, v = zbuf![i]
        for (let k = 0; k < kr; k++) q[ridx[base + k]] += v
      }
    }
    cross.subtractProjection(p, q, invW1)
  }
  let rank: number
  let rankExact = true
  if (fes.length === 2) {
    rank = f1.levels + rest[0].levels - bipartiteComponents(f1, rest[0])
  } else if (directFeasible(opts, m, cross, kr)) {
    // Three or more factors: count the pivots of S, as the direct method does.
    rank = f1.levels + choleskySkipping(schurMatrix(n, m, kr, ridx, w, wr, cross, invW1), m).rank
  } else {
    // Too large to factor: exact for the first two factors, one normalisation assumed for
    // each further factor (the reghdfe/fixest default). May overstate the rank, never understate it.
    rank = f1.levels + rest[0].levels - bipartiteComponents(f1, rest[0])
    for (let k = 1; k < rest.length; k++) rank += rest[k].levels - 1
    rankExact = false
  }
  return {
    method: 'cg',
    rank,
    rankExact,
    demean(x) {
      const out = new Float64Array(n)
      const b = demeanAndProject(x, out)
      const { gamma, iterations, converged } = conjugateGradient(applyS, invDiag, b, tol, maxIter)
      subtractFit(gamma, out)
      return { values: out, iterations, converged }
    },
  }
}

function chooseMethod(opts: AbsorbOptions, m: number, cross: CrossTab, kr: number): 'direct' | 'cg' {
  const method = opts.method ?? 'auto'
  if (method !== 'auto') return method
  return directFeasible(opts, m, cross, kr) ? 'direct' : 'cg'
}

/** Whether S (m × m) is small and cheap enough to form and factor. */
function directFeasible(opts: AbsorbOptions, m: number, cross: CrossTab, kr: number): boolean {
  if (m > (opts.directMaxLevels ?? DIRECT_MAX_LEVELS)) return false
  let work = 0
  for (let g = 0; g + 1 < cross.start.length; g++) {
    const nnz = cross.start[g + 1] - cross.start[g]
    work += nnz * nnz
  }
  return work + (m * m * m) / 6 <= DIRECT_MAX_WORK
}

interface Grouping {
  /** Rows of group g are order[start[g] .. start[g+1]). */
  readonly start: Int32Array
  readonly order: Int32Array
}

/** Rows grouped by factor level (counting sort, stable). */
function groupRows(f: Factor): Grouping {
  const n = f.codes.length
  const start = new Int32Array(f.levels + 1)
  for (let i = 0; i < n; i++) start[f.codes[i] + 1]++
  for (let g = 0; g < f.levels; g++) start[g + 1] += start[g]
  const fill = start.slice(0, f.levels)
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[fill[f.codes[i]]++] = i
  return { start, order }
}

/**
 * C = D₁'W D_r, the weighted cross-tabulation of the first factor against the remaining
 * levels, as a sparse matrix by rows (one row per level g of D₁: c_g). nnz ≤ n·k_r.
 */
interface CrossTab {
  readonly start: Int32Array
  readonly idx: Int32Array
  readonly val: Float64Array
  /** (C γ)_g / w_g: the D₁-group means of D_r γ. */
  groupMeans(gamma: Float64Array, invW1: Float64Array): Float64Array
  /** q ← q − C' diag(1/w₁) C p. */
  subtractProjection(p: Float64Array, q: Float64Array, invW1: Float64Array): void
  /** d_j ← d_j − Σ_g c_gj² / w_g (the diagonal of C' diag(1/w₁) C). */
  subtractSquares(d: Float64Array, invW1: Float64Array): void
}

function crossTab(n: number, m: number, kr: number, ridx: Int32Array, w: Float64Array, groups: Grouping): CrossTab {
  const G = groups.start.length - 1
  const start = new Int32Array(G + 1)
  let idx = new Int32Array(Math.min(n * kr, 1024))
  let val = new Float64Array(idx.length)
  const acc = new Float64Array(m)
  const touched = new Int32Array(m)
  let nnz = 0
  for (let g = 0; g < G; g++) {
    let cnt = 0
    for (let p = groups.start[g]; p < groups.start[g + 1]; p++) {
      const i = groups.order[p], base = i * kr
      for (let k = 0; k < kr; k++) {
        const j = ridx[base + k]
        if (acc[j] === 0) touched[cnt++] = j
        acc[j] += w[i]
      }
    }
    if (nnz + cnt > idx.length) {
      const size = Math.max(nnz + cnt, Math.min(n * kr, idx.length * 2))
      const ni = new Int32Array(size); ni.set(idx); idx = ni
      const nv = new Float64Array(size); nv.set(val); val = nv
    }
    for (let u = 0; u < cnt; u++) {
      const j = touched[u]
      idx[nnz] = j
      val[nnz++] = acc[j]
      acc[j] = 0
    }
    start[g + 1] = nnz
  }
  return {
    start, idx, val,
    groupMeans(gamma, invW1) {
      const out = new Float64Array(G)
      for (let g = 0; g < G; g++) {
        let s = 0
        for (let p = start[g]; p < start[g + 1]; p++) s += val[p] * gamma[idx[p]]
        out[g] = s * invW1[g]
      }
      return out
    },
    subtractProjection(p, q, invW1) {
      for (let g = 0; g < G; g++) {
        let s = 0
        for (let t = start[g]; t < start[g + 1]; t++) s += val[t] * p[idx[t]]
        s *= invW1[g]
        if (s === 0) continue
        for (let t = start[g]; t < start[g + 1]; t++) q[idx[t]] -= s * val[t]
      }
    },
    subtractSquares(d, invW1) {
      for (let g = 0; g < G; g++) {
        for (let t = start[g]; t < start[g + 1]; t++) d[idx[t]] -= val[t] * val[t] * invW1[g]
      }
    },
  }
}

/**
 * S = D_r'W D_r − Σ_g c_g c_g' / w_g (row-major m × m). D_r'W D_r is diagonal (w_r) for
 * one remaining factor; with more it has cross terms, accumulated row by row.
 */
function schurMatrix(
  n: number, m: number, kr: number, ridx: Int32Array, w: Float64Array, wr: Float64Array, cross: CrossTab, invW1: Float64Array,
): Float64Array {
  const S = new Float64Array(m * m)
  if (kr === 1) {
    for (let j = 0; j < m; j++) S[j * m + j] = wr[j]
  } else {
    for (let i = 0; i < n; i++) {
      const base = i * kr
      for (let k = 0; k < kr; k++) {
        const row = ridx[base + k] * m
        for (let l = 0; l < kr; l++) S[row + ridx[base + l]] += w[i]
      }
    }
  }
  const { start, idx, val } = cross
  for (let g = 0; g + 1 < start.length; g++) {
    const iw = invW1[g]
    for (let u = start[g]; u < start[g + 1]; u++) {
      const au = val[u] * iw, row = idx[u] * m
      for (let v = start[g]; v < start[g + 1]; v++) S[row + idx[v]] -= au * val[v]
    }
  }
  return S
}

/**
 * Cholesky factor L (lower, row-major) of a symmetric positive semi-definite S, skipping
 * pivots below RANK_TOL × S_jj: those unknowns are fixed at 0, which picks one solution
 * of the consistent singular system (any solution gives the same M_D x).
 */
export function choleskySkipping(S: Float64Array, m: number): { rank: number; solve(b: Float64Array): Float64Array } {
  const L = S // factor in place, lower triangle
  const skip = new Uint8Array(m)
  let rank = 0
  for (let j = 0; j < m; j++) {
    const rj = j * m
    const orig = L[rj + j]
    let d = orig
    for (let k = 0; k < j; k++) d -= L[rj + k] * L[rj + k]
    if (!(orig > 0) || d <= RANK_TOL * orig) {
      skip[j] = 1
      for (let i = j; i < m; i++) L[i * m + j] = 0
      continue
    }
    rank++
    const ljj = Math.sqrt(d)
    L[rj + j] = ljj
    for (let i = j + 1; i < m; i++) {
      const ri = i * m
      let s = L[ri + j]
      for (let k = 0; k < j; k++) s -= L[ri + k] * L[rj + k]
      L[ri + j] = s / ljj
    }
  }
  return {
    rank,
    solve(b) {
      const z = new Float64Array(m)
      for (let i = 0; i < m; i++) {
        if (skip[i]) continue
        const ri = i * m
        let s = b[i]
        for (let k = 0; k < i; k++) s -= L[ri + k] * z[k]
        z[i] = s / L[ri + i]
      }
      for (let i = m - 1; i >= 0; i--) {
        if (skip[i]) { z[i] = 0; continue }
        let s = z[i]
        for (let k = i + 1; k < m; k++) s -= L[k * m + i] * z[k]
        z[i] = s / L[i * m + i]
      }
      return z
    },
  }
}

/**
 * Preconditioned conjugate gradients for S γ = b, S symmetric positive semi-definite and
 * b in its range (true here: b = A'Wx with S = A'WA). Starting from γ = 0 the iterates
 * stay in the range of S, so CG converges to a solution although S is singular.
 * ## References  M. R. Hestenes, E. Stiefel (1952), J. Res. Nat. Bur. Standards 49(6), 409–436.
 */
function conjugateGradient(
  applyS: (p: Float64Array, q: Float64Array) => void,
  invDiag: Float64Array, b: Float64Array, tol: number, maxIter: number,
): { gamma: Float64Array; iterations: number; converged: boolean } {
  const m = b.length
  const gamma = new Float64Array(m)
  const bnorm = Math.sqrt(dot(b, b))
  if (bnorm === 0) return { gamma, iterations: 0, converged: true }
  const r = b.slice()
  const z = new Float64Array(m)
  for (let j = 0; j < m; j++) z[j] = invDiag[j] * r[j]
  const p = z.slice()
  const q = new Float64Array(m)
  let rz = dot(r, z)
  for (let it = 1; it <= maxIter; it++) {
    applyS(p, q)
    const pq = dot(p, q)
    if (!(pq > 0)) return { gamma, iterations: it, converged: Math.sqrt(dot(r, r)) <= tol * bnorm }
    const alpha = rz / pq
    for (let j = 0; j < m; j++) { gamma[j] += alpha * p[j]; r[j] -= alpha * q[j] }
    if (Math.sqrt(dot(r, r)) <= tol * bnorm) return { gamma, iterations: it, converged: true }
    for (let j = 0; j < m; j++) z[j] = invDiag[j] * r[j]
    const rzNew = dot(r, z)
    const beta = rzNew / rz
    rz = rzNew
    for (let j = 0; j < m; j++) p[j] = z[j] + beta * p[j]
  }
  return { gamma, iterations: maxIter, converged: false }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * b[i]
  return s
}
