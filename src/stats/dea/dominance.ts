/**
 * Reference-set reduction by dominance. DMU j dominates DMU k when xⱼ ≤ xₖ, yᵍⱼ ≥ yᵍₖ and
 * yᵇⱼ ≤ yᵇₖ in every component, with at least one strict inequality.
 *
 * ## Why pricing the nondominated DMUs suffices
 * In the SBM, super-SBM and radial LPs every input row, desirable-output row and
 * undesirable-output row has a slack (or surplus) column of the right sign, so at any basis
 * that is optimal for the restricted LP (phase 1 or 2) the multipliers satisfy
 * y_x ≤ 0, y_g ≥ 0, y_b ≤ 0 (for SBM: y_x ≤ −1/m, y_g ≥ w⁺ρ ≥ 0, y_b ≤ −w⁺ρ ≤ 0, because
 * y₀ = ρ > 0). The reduced cost of a data column is d_j = −Σᵢ yᵢ âᵢⱼ − y_vrs, so if j
 * dominates k then d_k − d_j = −Σᵢ yᵢ (âᵢₖ − âᵢⱼ) ≥ 0 term by term (the convexity row
 * cancels): a dominated column never prices out before its dominator. Following dominators
 * ends at a nondominated DMU, so "no nondominated column prices out" certifies optimality
 * over the whole reference set. For super-SBM the reference set lacks o, so DMUs dominated
 * by o alone join the priced set (`dominatedOnlyBy`). The DDF rows of undesirable outputs
 * are equalities (weak disposability), their multipliers have no sign, and the DDF prices
 * every reference DMU.
 *
 * ## Method
 * Sort-filter skyline (Chomicki et al. 2003): visit DMUs by increasing
 * f(j) = Σ (xᵢⱼ/x̄ᵢ) − Σ (yᵍᵣⱼ/ȳᵍᵣ) + Σ (yᵇ_qj/ȳᵇ_q) (column means x̄, ȳ); a dominator has
 * a strictly smaller f, so each DMU need only be compared with the nondominated DMUs
 * already kept. Cost O(n · |nondominated| · d), with an early exit at the first dominator.
 */
import type { DeaData } from './data.ts'

/** Sign of each dimension so that "smaller is better": +1 inputs and bad outputs, −1 good outputs. */
function signs(data: DeaData): Float64Array {
  const { m, s1, d } = data
  const s = new Float64Array(d)
  for (let i = 0; i < d; i++) s[i] = i >= m && i < m + s1 ? -1 : 1
  return s
}

/** True if j dominates k. */
export function dominates(data: DeaData, j: number, k: number, sign = signs(data)): boolean {
  const { d, values } = data
  let strict = false
  const bj = j * d
  const bk = k * d
  for (let i = 0; i < d; i++) {
    const a = sign[i] * values[bj + i]
    const b = sign[i] * values[bk + i]
    if (a > b) return false
    if (a < b) strict = true
  }
  return strict
}

/**
 * `units`' data with good outputs negated (so smaller is better in every component), DMU-major.
 */
function signedPack(data: DeaData, units: ArrayLike<number>): Float64Array {
  const { d, values } = data
  const sign = signs(data)
  const out = new Float64Array(units.length * d)
  for (let k = 0; k < units.length; k++) for (let i = 0; i < d; i++) out[k * d + i] = sign[i] * values[units[k] * d + i]
  return out
}

/** True if packed row a dominates packed row b (both offsets into `p`). */
function dominatesPacked(p: Float64Array, a: number, b: number, d: number): boolean {
  let strict = false
  for (let i = 0; i < d; i++) {
    const u = p[a + i]
    const v = p[b + i]
    if (u > v) return false
    if (u < v) strict = true
  }
  return strict
}

/** The nondominated DMUs among `units`, ascending. */
export function nondominated(data: DeaData, units: ArrayLike<number>): Int32Array {
  const { d } = data
  const n = units.length
  if (n === 0) return new Int32Array(0)
  const p = signedPack(data, units)
  const mean = new Float64Array(d)
  for (let k = 0; k < n; k++) for (let i = 0; i < d; i++) mean[i] += Math.abs(p[k * d + i])
  for (let i = 0; i < d; i++) mean[i] = mean[i] / n || 1
  const f = new Float64Array(n)
  for (let k = 0; k < n; k++) {
    let s = 0
    for (let i = 0; i < d; i++) s += p[k * d + i] / mean[i]
    f[k] = s
  }
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => f[a] - f[b] || units[a] - units[b])
  const kept: number[] = [] // offsets into p
  const out: number[] = []
  for (const k of order) {
    const b = k * d
    let dominated = false
    for (let q = 0; q < kept.length; q++) {
      if (dominatesPacked(p, kept[q], b, d)) {
        dominated = true
        break
      }
    }
    if (!dominated) {
      kept.push(b)
      out.push(units[k])
    }
  }
  return Int32Array.from(out).sort()
}

/**
 * DMUs of `ref` dominated by o and by no member of `nondom` other than o: with o left out
 * of the reference set they may become nondominated, so super-efficiency prices them too.
 */
export function dominatedOnlyBy(data: DeaData, o: number, ref: ArrayLike<number>, nondom: ArrayLike<number>): Int32Array {
  const { d, values } = data
  const sign = signs(data)
  const po = new Float64Array(d)
  for (let i = 0; i < d; i++) po[i] = sign[i] * values[o * d + i]
  const out: number[] = []
  for (let k = 0; k < ref.length; k++) {
    const u = ref[k]
    if (u === o) continue
    // is u dominated by o?
    let le = true
    let strict = false
    for (let i = 0; i < d; i++) {
      const v = sign[i] * values[u * d + i]
      if (po[i] > v) {
        le = false
        break
      }
      if (po[i] < v) strict = true
    }
    if (!le || !strict) continue
    let other = false
    for (let q = 0; q < nondom.length; q++) {
      const j = nondom[q]
      if (j !== o && dominates(data, j, u, sign)) {
        other = true
        break
      }
    }
    if (!other) out.push(u)
  }
  return Int32Array.from(out)
}

/**
 * The set to price for each reference set: its nondominated DMUs. Groups whose reference
 * sets grow year by year (sequential frontier) are filtered incrementally:
 * N(R_t) = N(N(R_{t−1}) ∪ P_t).
 */
export function pricingSets(data: DeaData, refs: readonly Int32Array[], nested: boolean): Int32Array[] {
  const out: Int32Array[] = []
  let prev: Int32Array | undefined
  let prevRef: Int32Array | undefined
  for (const ref of refs) {
    let cand: ArrayLike<number> = ref
    if (nested && prev && prevRef) {
      // ref ⊇ prevRef: the new DMUs plus the previous nondominated ones
      const old = new Set(prevRef)
      cand = Int32Array.from([...prev, ...ref.filter((j) => !old.has(j))])
    }
    const nd = nondominated(data, cand)
    out.push(nd)
    prev = nd
    prevRef = ref
  }
  return out
}
