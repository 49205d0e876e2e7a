/**
 * Ratio tests of the bounded primal simplex: how far the entering variable can move before
 * a basic variable reaches one of its bounds, and which one leaves.
 *
 * Basic variable i changes at rate δᵢ = −dir·αᵢ per unit step (α = B⁻¹a_q, dir = ±1 the
 * direction of the entering variable); it limits the step at (xᵢ − lᵢ)/(−δᵢ) when δᵢ < 0
 * and at (uᵢ − xᵢ)/δᵢ when δᵢ > 0. Entries with |δᵢ| ≤ `LP_TOL.pivot` are treated as zero.
 *
 * ## References
 * P. M. J. Harris (1973), Mathematical Programming 5, 1–28 (two-pass test);
 * R. G. Bland (1977), Mathematics of Operations Research 2(2), 103–107 (smallest index).
 */
import { LP_TOL } from './tolerances.ts'

export interface RatioInput {
  readonly m: number
  readonly alpha: Float64Array
  /** +1 when the entering variable increases, −1 when it decreases (set per pivot). */
  dir: number
  /** Values, bounds and variable indices of the basic variables, by basis position. */
  readonly x: Float64Array
  readonly lo: Float64Array
  readonly up: Float64Array
  readonly index: Int32Array
}

export interface RatioResult {
  /** Leaving basis position, or −1 when no basic variable limits the step. */
  p: number
  theta: number
}

/** Exact ratio of position i, or NaN when it does not limit the step. */
function ratioAt(r: RatioInput, i: number, slack: number): number {
  const di = -r.dir * r.alpha[i]
  if (di < -LP_TOL.pivot) return r.lo[i] === -Infinity ? NaN : (r.x[i] - r.lo[i] + slack) / -di
  if (di > LP_TOL.pivot) return r.up[i] === Infinity ? NaN : (r.up[i] - r.x[i] + slack) / di
  return NaN
}

/**
 * Harris' two-pass test: pass 1 finds the longest step that keeps every basic variable within
 * its bounds widened by `LP_TOL.primal`; pass 2 takes, among the rows whose exact ratio is
 * within that step, the one with the largest |δᵢ| (a stable pivot). θ is clamped at 0.
 */
export function harrisRatio(r: RatioInput, out: RatioResult): void {
  let tmax = Infinity
  for (let i = 0; i < r.m; i++) {
    const t = ratioAt(r, i, LP_TOL.primal)
    if (t < tmax) tmax = t
  }
  out.p = -1
  out.theta = Infinity
  if (tmax === Infinity) return
  let best = 0
  for (let i = 0; i < r.m; i++) {
    const t = ratioAt(r, i, 0)
    if (!(t <= tmax)) continue
    const ad = Math.abs(r.alpha[i])
    if (ad > best) {
      best = ad
      out.p = i
      out.theta = t < 0 ? 0 : t
    }
  }
}

/** Textbook test for Bland's rule: the minimum ratio, ties (within `LP_TOL.blandTie`) to the smallest variable index. */
export function blandRatio(r: RatioInput, out: RatioResult): void {
  out.p = -1
  out.theta = Infinity
  for (let i = 0; i < r.m; i++) {
    let t = ratioAt(r, i, 0)
    if (Number.isNaN(t)) continue
    if (t < 0) t = 0
    const tie = LP_TOL.blandTie * (1 + (out.p < 0 ? t : out.theta))
    if (out.p < 0 || t < out.theta - tie || (t <= out.theta + tie && r.index[i] < r.index[out.p])) {
      out.theta = t
      out.p = i
    }
  }
}
