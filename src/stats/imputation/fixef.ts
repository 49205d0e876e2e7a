/**
 * The normal equations of the fixed-effect dummies, D'D c = g, for any right-hand side g
 * (one entry per level of every factor, concatenated in factor order). The imputation
 * estimator needs them twice: for the fixed-effect coefficients of the untreated fit
 * (g = D₀'r) and for the untreated weights of the variance (g = D₁'w, BJS eq. 6).
 *
 * ## Method
 * The largest factor (D₁, e.g. units) is eliminated in closed form and the rest (D_r, e.g.
 * years; m levels) solved densely:
 *   S c_r = g_r − C' N₁⁻¹ g₁,   S = D_r'D_r − C' N₁⁻¹ C,   c₁ = N₁⁻¹ (g₁ − C c_r),
 * with C = D₁'D_r the cross-tabulation and N₁ = diag(counts of the first factor). S is
 * factored once (../fe/absorb.ts `choleskySkipping`: redundant levels, e.g. one year per
 * connected component, are fixed at 0), so each right-hand side costs O(nnz(C) + m²).
 * Building S costs Σ_g nnz(c_g)² (units × years² for a panel): linear in the units.
 * A consistent g (one in the row space of D) gets an exact solution; `residual` reports
 * ‖D'Dc − g‖ so the caller can tell an inconsistent (unidentified) one.
 */
import { choleskySkipping } from '../fe/absorb.ts'
import type { Factor } from '../fe/factor.ts'
import { QuasiError } from '../../errors.ts'

/** Largest number of levels of the factors after the first that are solved densely. */
export const MAX_DENSE_LEVELS = 3000

export interface FeSolver {
  /** Offsets of each factor's levels in the concatenated coefficient vector. */
  readonly offsets: readonly number[]
  readonly size: number
  /** c with D'D c = g (one solution; redundant levels at 0). */
  solve(g: Float64Array): Float64Array
  /** D'D c (per-level sums over the rows of the fitted values D c). */
  normal(c: Float64Array): Float64Array
}

export function feSolver(factors: readonly Factor[]): FeSolver {
  const K = factors.length
  if (K === 0) throw new QuasiError('INTERNAL', 'feSolver needs at least one factor')
  const n = factors[0].codes.length
  const offsets: number[] = []
  let size = 0
  for (const f of factors) { offsets.push(size); size += f.levels }
  // Largest factor first.
  const order = factors.map((_, k) => k).sort((a, b) => factors[b].levels - factors[a].levels)
  const first = order[0], rest = order.slice(1)
  const f1 = factors[first]
  const n1 = new Float64Array(f1.levels)
  for (let i = 0; i < n; i++) n1[f1.codes[i]]++

  const fitted = (c: Float64Array): Float64Array => {
    const out = new Float64Array(n)
    for (let k = 0; k < K; k++) {
      const codes = factors[k].codes, off = offsets[k]
      for (let i = 0; i < n; i++) out[i] += c[off + codes[i]]
    }
    return out
  }
  const normal = (c: Float64Array): Float64Array => {
    const fit = fitted(c)
    const g = new Float64Array(size)
    for (let k = 0; k < K; k++) {
      const codes = factors[k].codes, off = offsets[k]
      for (let i = 0; i < n; i++) g[off + codes[i]] += fit[i]
    }
    return g
  }

  if (rest.length === 0) {
    return {
      offsets, size, normal,
      solve(g) {
        const c = new Float64Array(size)
        for (let l = 0; l < f1.levels; l++) c[offsets[first] + l] = g[offsets[first] + l] / n1[l]
        return c
      },
    }
  }

  // Rest levels, concatenated: index of row i in rest factor j is roff[j] + codes.
  const roff: number[] = []
  let m = 0
  for (const k of rest) { roff.push(m); m += factors[k].levels }
  if (m > MAX_DENSE_LEVELS) {
    throw new QuasiError('INVALID_SPEC', `the fixed effects other than the largest have ${m} levels together; the imputation solver handles at most ${MAX_DENSE_LEVELS}`, {
      role: { role: 'fixed_effect' },
      hint: 'use unit and period effects (the period effects are solved densely)',
    })
  }
  const kr = rest.length
  const ridx = new Int32Array(n * kr)
  for (let j = 0; j < kr; j++) {
    const codes = factors[rest[j]].codes
    for (let i = 0; i < n; i++) ridx[i * kr + j] = roff[j] + codes[i]
  }
  // Rows grouped by first-factor level.
  const start = new Int32Array(f1.levels + 1)
  for (let i = 0; i < n; i++) start[f1.codes[i] + 1]++
  for (let g = 0; g < f1.levels; g++) start[g + 1] += start[g]
  const fill = start.slice(0, f1.levels)
  const rows = new Int32Array(n)
  for (let i = 0; i < n; i++) rows[fill[f1.codes[i]]++] = i
  // C by first-factor level (sparse rows) and S.
  const cStart = new Int32Array(f1.levels + 1)
  const cIdx: number[] = [], cVal: number[] = []
  const acc = new Float64Array(m)
  const touched = new Int32Array(m)
  const S = new Float64Array(m * m)
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < kr; a++) {
      const ra = ridx[i * kr + a] * m
      for (let b = 0; b < kr; b++) S[ra + ridx[i * kr + b]] += 1
    }
  }
  for (let g = 0; g < f1.levels; g++) {
    let cnt = 0
    for (let p = start[g]; p < start[g + 1]; p++) {
      const i = rows[p]
      for (let a = 0; a < kr; a++) {
        const j = ridx[i * kr + a]
        if (acc[j] === 0) touched[cnt++] = j
        acc[j] += 1
      }
    }
    const from = cIdx.length
    for (let u = 0; u < cnt; u++) { cIdx.push(touched[u]); cVal.push(acc[touched[u]]); acc[touched[u]] = 0 }
    cStart[g + 1] = cIdx.length
    const inv = 1 / n1[g]
    for (let u = from; u < cIdx.length; u++) {
      const row = cIdx[u] * m, au = cVal[u] * inv
      for (let v = from; v < cIdx.length; v++) S[row + cIdx[v]] -= au * cVal[v]
    }
  }
  const chol = choleskySkipping(S, m)
  return {
    offsets, size, normal,
    solve(g) {
      const o1 = offsets[first]
      const b = new Float64Array(m)
      for (let j = 0; j < kr; j++) {
        const o = offsets[rest[j]], r = roff[j]
        for (let l = 0; l < factors[rest[j]].levels; l++) b[r + l] = g[o + l]
      }
      for (let l = 0; l < f1.levels; l++) {
        const s = g[o1 + l] / n1[l]
        for (let u = cStart[l]; u < cStart[l + 1]; u++) b[cIdx[u]] -= cVal[u] * s
      }
      const cr = chol.solve(b)
      const c = new Float64Array(size)
      for (let l = 0; l < f1.levels; l++) {
        let s = g[o1 + l]
        for (let u = cStart[l]; u < cStart[l + 1]; u++) s -= cVal[u] * cr[cIdx[u]]
        c[o1 + l] = s / n1[l]
      }
      for (let j = 0; j < kr; j++) {
        const o = offsets[rest[j]], r = roff[j]
        for (let l = 0; l < factors[rest[j]].levels; l++) c[o + l] = cr[r + l]
      }
      return c
    },
  }
}

/**
 * Connected components of the levels of all factors (two levels are linked when a row has
 * both): with two factors, α_i + λ_t is identified exactly when unit i and period t are in
 * one component. Returns the component of each level (concatenated as in feSolver).
 */
export function levelComponents(factors: readonly Factor[], offsets: readonly number[], size: number): Int32Array {
  const parent = new Int32Array(size)
  for (let j = 0; j < size; j++) parent[j] = j
  const find = (x: number): number => {
    while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x] }
    return x
  }
  const n = factors[0].codes.length
  for (let i = 0; i < n; i++) {
    const a = find(offsets[0] + factors[0].codes[i])
    for (let k = 1; k < factors.length; k++) {
      const b = find(offsets[k] + factors[k].codes[i])
      if (a !== b) parent[b] = a
    }
  }
  const out = new Int32Array(size)
  for (let j = 0; j < size; j++) out[j] = find(j)
  return out
}
