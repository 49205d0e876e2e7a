/**
 * Two-way demeaning of a group of units, fast, for permutation draws: when one fixed effect
 * A has levels inside units (the unit effect itself, typically) and groups are unions of
 * units, demeaning by A does not depend on the grouping and is done once; per group only the
 * second factor B (time, typically) is solved for.
 *
 * ## Method
 * With ẋ = M_A x (weighted within-A demeaning, once for all rows), the projection off both
 * factors on the rows of group g is (the direct method of ../fe/absorb.ts, by FWL)
 *   M_{A,B} x = ẋ − (γ_{B(i)} − Σ_t c_{a t} γ_t / w_a),    S γ = b,
 *   b_t = Σ_{i∈g, B(i)=t} w_i ẋ_i,   S = Σ_{a∈g} (diag(c_a) − c_a c_a' / w_a),
 * c_{a t} the weight of A level a in B level t, w_a its total. S is summed from per-level
 * pieces precomputed once, so a group costs O(Σ_a nnz(c_a)² + n_g p) instead of a new
 * absorber. A pivot ≤ RANK_TOL of its diagonal is a redundant B level (γ_t = 0), as there.
 */
import { choleskySkipping } from '../fe/absorb.ts'
import type { Factor } from '../fe/factor.ts'

export interface NestedTwoWay {
  /** M_A x of each column on all rows. */
  readonly demeaned: readonly Float64Array[]
  /** Per A level: the B levels it meets and its weight in each; its total weight. */
  readonly cells: readonly { readonly t: Int32Array; readonly c: Float64Array; readonly w: number; readonly cw: Float64Array }[]
  readonly a: Int32Array
  readonly b: Int32Array
  readonly bLevels: number
  readonly weights?: Float64Array
}

export function nestedTwoWay(A: Factor, B: Factor, columns: readonly Float64Array[], weights?: Float64Array): NestedTwoWay {
  const n = A.codes.length
  const w = (i: number) => (weights ? weights[i] : 1)
  const wa = new Float64Array(A.levels)
  for (let i = 0; i < n; i++) wa[A.codes[i]] += w(i)
  const demeaned = columns.map((x) => {
    const s = new Float64Array(A.levels)
    for (let i = 0; i < n; i++) s[A.codes[i]] += w(i) * x[i]
    for (let g = 0; g < s.length; g++) s[g] /= wa[g]
    return Float64Array.from(x, (v, i) => v - s[A.codes[i]])
  })
  const maps = Array.from({ length: A.levels }, () => new Map<number, number>())
  for (let i = 0; i < n; i++) { const m = maps[A.codes[i]]; m.set(B.codes[i], (m.get(B.codes[i]) ?? 0) + w(i)) }
  const cells = maps.map((m, a) => {
    const t = Int32Array.from([...m.keys()].sort((x, y) => x - y))
    const c = Float64Array.from(t, (k) => m.get(k)!)
    return { t, c, w: wa[a], cw: c.map((v) => v / wa[a]) }
  })
  return { demeaned, cells, a: A.codes, b: B.codes, bLevels: B.levels, ...(weights ? { weights } : {}) }
}

/** M_{A,B} of every column on `rows` (a union of whole A levels, ascending), each of length rows.length. */
export function demeanGroup(d: NestedTwoWay, rows: Int32Array): Float64Array[] {
  const T = d.bLevels, n = rows.length
  const seen = new Uint8Array(d.cells.length)
  const levels: number[] = []
  for (let i = 0; i < n; i++) { const a = d.a[rows[i]]; if (!seen[a]) { seen[a] = 1; levels.push(a) } }
  // B levels present in the group, coded densely, so that absent ones do not enter S.
  const code = new Int32Array(T).fill(-1)
  let m = 0
  for (let i = 0; i < n; i++) { const t = d.b[rows[i]]; if (code[t] < 0) code[t] = m++ }
  // Dense codes in order of first appearance; S is symmetric, so the order only permutes it.
  const S = new Float64Array(m * m)
  const tc = new Int32Array(T)
  for (const a of levels) {
    const { t, c, cw } = d.cells[a]
    const L = t.length
    for (let j = 0; j < L; j++) tc[j] = code[t[j]]
    for (let j = 0; j < L; j++) {
      const row = tc[j] * m, cj = c[j]
      S[row + tc[j]] += cj
      for (let k = 0; k < L; k++) S[row + tc[k]] -= cj * cw[k]
    }
  }
  const chol = choleskySkipping(S, m)
  const mean = new Float64Array(d.cells.length)
  // Per-row codes and weights of the group, gathered once for all columns.
  const rt = new Int32Array(n), ra = new Int32Array(n), rw = new Float64Array(n)
  const wts = d.weights, bc = d.b, ac = d.a
  for (let i = 0; i < n; i++) { const r = rows[i]; rt[i] = code[bc[r]]; ra[i] = ac[r]; rw[i] = wts ? wts[r] : 1 }
  return d.demeaned.map((x) => {
    const out = new Float64Array(n)
    const bvec = new Float64Array(m)
    for (let i = 0; i < n; i++) { const v = x[rows[i]]; out[i] = v; bvec[rt[i]] += rw[i] * v }
    const gamma = chol.solve(bvec)
    for (const a of levels) {
      const { t, cw } = d.cells[a]
      let s = 0
      for (let j = 0; j < t.length; j++) s += cw[j] * gamma[code[t[j]]]
      mean[a] = s
    }
    for (let i = 0; i < n; i++) out[i] -= gamma[rt[i]] - mean[ra[i]]
    return out
  })
}
