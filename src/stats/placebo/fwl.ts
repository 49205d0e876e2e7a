/**
 * Placebo re-estimation by Frisch–Waugh–Lovell: only the treatment changes between draws,
 * so everything else is partialled out once.
 *
 * ## Method
 * The model is y = βD + Xγ + FE + ε with weights w, fitted on fixed estimation rows. Let
 * M_F be the (weighted) fixed-effect demeaning and Q an orthonormal basis of √w·M_F X
 * (modified Gram–Schmidt, twice). Once:
 *   ỹ = (I − QQ')·√w·M_F y.
 * Per draw, for a fake treatment D:
 *   D̃ = (I − QQ')·√w·M_F D,   β̂ = D̃'ỹ / D̃'D̃,   ẽ = ỹ − β̂D̃ (= √w·û of the full fit).
 * By FWL, β̂ and û are those of the full regression, and the row of (X̃'WX̃)⁻¹X̃'W belonging
 * to D is D̃'√w/D̃'D̃, so the sandwich variance of β̂ is
 *   V = c · Σ_g (Σ_{i∈g} D̃_i ẽ_i)² / (D̃'D̃)²      (cluster; hc1: Σ_i (D̃_i ẽ_i)²; two-way:
 *                                                    c₁m₁ + c₂m₂ − c₁₂m₁₂, floored at 0)
 *   V = Σ ẽ² / (N − K) / D̃'D̃                       (iid)
 * with the factor c and K of the full fit (../vcov/vcov.ts): they depend on N, K and the
 * clusters, which no draw changes as long as D is not collinear. A fake treatment whose
 * part outside the fixed effects and controls has norm ≤ 1e-9 of its own (COLLINEAR_TOL,
 * as the full fit would drop it) gives NaN.
 *
 * Per draw the cost is one demeaning of one column plus O(N·k); the full fit demeans k + 2
 * columns and factors a QR each time.
 *
 * ## References
 * R. Frisch, F. V. Waugh (1933), Econometrica 1(4), 387–401; M. C. Lovell (1963), JASA
 * 58(304), 993–1010; M. C. Lovell (2008), J. Economic Education 39(1), 88–91.
 */
import type { Frame } from '../../artifacts/frame.ts'
import { createAbsorber, type Absorber, type AbsorbOptions } from '../fe/absorb.ts'
import { interactFactors, subsetFactor, type Factor } from '../fe/factor.ts'
import { tPValue } from '../dist.ts'
import { COLLINEAR_TOL } from '../ols/qr.ts'
import { factorOfName } from '../ols/regress.ts'
import type { RegressionResult, RegressionSpec } from '../ols/types.ts'

export interface DrawFit {
  readonly estimate: number
  readonly se: number
  readonly t: number
  readonly p: number
}

/** Everything a draw needs, as plain arrays (so that it can be sent to a worker thread). */
export interface FwlDesign {
  readonly n: number
  /** Fixed-effect codes on the estimation rows, one array per factor, and their level counts. */
  readonly fe: readonly { readonly codes: Int32Array; readonly levels: number }[]
  readonly weights?: Float64Array
  /** √w (absent without weights). */
  readonly sw?: Float64Array
  /** Orthonormal basis of √w·M_F X (controls kept by the full fit), column by column. */
  readonly Q: readonly Float64Array[]
  /** (I − QQ')√w M_F y. */
  readonly yt: Float64Array
  readonly vcov: 'iid' | 'hc1' | 'cluster'
  /** Cluster codes on the estimation rows (one or two; for two, the intersection is the third). */
  readonly clusters: readonly { readonly codes: Int32Array; readonly levels: number }[]
  /** Factors of the meat terms: one per cluster meat (two-way: c₁, c₂, −c₁₂), or the hc1 factor. */
  readonly factors: readonly number[]
  /** iid: the divisor of Σẽ² (N − K, or N under cr0). */
  readonly iidDivisor: number
  readonly dfT: number
  readonly absorb?: AbsorbOptions
}

/**
 * The design of a fitted model for placebo draws: `fit` is the full fit of `spec` on `data`
 * with the treatment first among `spec.regressors` (its estimation rows and conventions are
 * reused); `controls` are the regressors other than the treatment that the fit kept.
 */
export function fwlDesign(data: Frame, spec: RegressionSpec, fit: RegressionResult, controls: readonly string[]): FwlDesign {
  const rows = fit.rows
  const n = rows.length
  const take = (d: Float64Array): Float64Array => { const o = new Float64Array(n); for (let i = 0; i < n; i++) o[i] = d[rows[i]]; return o }
  const fes = (spec.fixedEffects ?? []).map((f, k) => subsetFactor(factorOfName(data, f, 'fixed_effect', k), rows))
  const w = spec.weights ? take(data.numbers(spec.weights)) : undefined
  const sw = w ? w.map(Math.sqrt) : undefined
  const absorber = createAbsorber(fes, w, spec.absorb)
  const project = (x: Float64Array): Float64Array => scale(fes.length ? absorber.demean(x).values : x.slice(), sw)
  const cols = controls.map((c) => project(take(controlColumn(data, c))))
  if (fes.length === 0) cols.unshift(scale(new Float64Array(n).fill(1), sw))
  const Q: Float64Array[] = []
  for (const c of cols) {
    const ref = norm(c)
    const q = c.slice()
    orthogonalize(q, Q)
    orthogonalize(q, Q)
    const s = norm(q)
    if (s <= COLLINEAR_TOL * ref || s === 0) continue
    for (let i = 0; i < n; i++) q[i] /= s
    Q.push(q)
  }
  const yt = project(take(data.numbers(spec.outcome)))
  orthogonalize(yt, Q)
  orthogonalize(yt, Q)

  const type = fit.vcovType
  const cr0 = fit.smallSample === 'cr0'
  const K = fit.vcovK
  const clF = type === 'cluster' ? (spec.cluster ?? []).map((c, k) => subsetFactor(factorOfName(data, c, 'cluster', k), rows)) : []
  let clusters: Factor[] = clF
  let factors: number[] = []
  if (type === 'hc1') factors = [cr0 ? 1 : n / (n - K)]
  if (type === 'cluster') {
    const adj = cr0 ? 1 : (n - 1) / (n - K)
    const g = (levels: number) => (cr0 ? 1 : levels / (levels - 1))
    if (clF.length === 1) factors = [g(clF[0].levels) * adj]
    else {
      const both = interactFactors(clF[0], clF[1])
      const gmin = Math.min(clF[0].levels, clF[1].levels)
      const each = (spec.clusterDf ?? 'min') === 'each'
      clusters = [clF[0], clF[1], both]
      factors = [g(each ? clF[0].levels : gmin) * adj, g(each ? clF[1].levels : gmin) * adj, -g(each ? both.levels : gmin) * adj]
    }
  }
  return {
    n,
    fe: fes.map((f) => ({ codes: f.codes, levels: f.levels })),
    ...(w ? { weights: w, sw } : {}),
    Q, yt,
    vcov: type,
    clusters: clusters.map((c) => ({ codes: c.codes, levels: c.levels })),
    factors,
    iidDivisor: cr0 ? n : n - K,
    dfT: fit.dfT,
    ...(spec.absorb ? { absorb: spec.absorb } : {}),
  }
}

/** A product column `a:b` that is not a column, as the kernel builds it. */
function controlColumn(data: Frame, name: string): Float64Array {
  if (data.has(name) || !name.includes(':')) return data.numbers(name)
  const parts = name.split(':').map((p) => data.numbers(p.trim()))
  return parts.reduce((a, b) => a.map((v, i) => v * b[i]))
}

/**
 * Fits draws against one design; holds the absorber and the work buffers, reused by every draw.
 *
 * D̃ = x − Q(Q'x) for x = √w M_F D takes one pass for the k dot products and one for the
 * subtraction (Q is orthonormal, so Q'x are the coefficients of x on the controls); the
 * columns of Q are stored four to a row so a pass reads them together. One projection
 * loses no accuracy unless most of x lies in the span of the controls: when ‖D̃‖ < ‖x‖/√2
 * it is projected once more (Kahan's "twice is enough"; Parlett 1980, §6.9).
 */
export class FwlFitter {
  readonly #d: FwlDesign
  readonly #absorber: Absorber | undefined
  readonly #sums: Float64Array[]
  readonly #balanced: boolean
  /** Q by blocks of four or two columns, row-major (n × w each; a missing column is zeros). */
  readonly #blocks: { readonly w: 2 | 4; readonly B: Float64Array }[]
  /** Q'x for one block. */
  readonly #c: Float64Array
  /** D̃ of the current draw. */
  readonly #x: Float64Array
  /** Closed-form two-way demeaning: the means by level of each factor. */
  readonly #ma: Float64Array
  readonly #mb: Float64Array

  constructor(design: FwlDesign) {
    this.#d = design
    this.#balanced = isBalancedTwoWay(design)
    const fes = design.fe.map((f) => ({ codes: f.codes, levels: f.levels }) as Factor)
    this.#absorber = fes.length && !this.#balanced ? createAbsorber(fes, design.weights, design.absorb) : undefined
    this.#sums = design.clusters.map((c) => new Float64Array(c.levels))
    const n = design.n
    const k = design.Q.length
    this.#blocks = []
    for (let j0 = 0; j0 < k; ) {
      // Four columns a block; what remains (1 to 3) goes in blocks of two, so at most one column is padding.
      const w = k - j0 >= 4 ? 4 : 2
      const B = new Float64Array(w * n)
      for (let j = j0; j < Math.min(j0 + w, k); j++) {
        const q = design.Q[j]
        for (let i = 0; i < n; i++) B[w * i + j - j0] = q[i]
      }
      this.#blocks.push({ w, B })
      j0 += w
    }
    this.#c = new Float64Array(4)
    this.#x = new Float64Array(n)
    this.#ma = new Float64Array(this.#balanced ? design.fe[0].levels : 0)
    this.#mb = new Float64Array(this.#balanced ? design.fe[1].levels : 0)
  }

  /** β̂, its standard error, t and p for fake treatment `d` on the estimation rows. */
  fit(d: Float64Array): DrawFit {
    const D = this.#d
    const n = D.n
    const x = this.#x
    const y = D.yt
    // x ← √w M_F d; ‖√w d‖ is the scale of the collinearity test.
    let ref2 = 0
    if (this.#balanced) {
      // M_F d = d − d̄_a − d̄_b + d̄ (no weights on this path).
      const [fa, fb] = D.fe
      const a = fa.codes, bc = fb.codes
      const ma = this.#ma, mb = this.#mb
      ma.fill(0); mb.fill(0)
      let m = 0
      // Rows of a level usually come together: sum each run in a register, then add it to its level.
      let g = -1, run = 0
      for (let i = 0; i < n; i++) {
        const v = d[i], ai = a[i]
        if (ai !== g) { if (g >= 0) ma[g] += run; g = ai; run = 0 }
        run += v; mb[bc[i]] += v; m += v; ref2 += v * v
      }
      if (g >= 0) ma[g] += run
      for (let k = 0; k < ma.length; k++) ma[k] /= fb.levels
      for (let k = 0; k < mb.length; k++) mb[k] /= fa.levels
      m /= n
      for (let i = 0; i < n; i++) x[i] = d[i] - ma[a[i]] - mb[bc[i]] + m
    } else {
      const src = this.#absorber ? this.#absorber.demean(d).values : d
      const sw = D.sw
      if (sw) {
        for (let i = 0; i < n; i++) { x[i] = src[i] * sw[i]; const t = d[i] * sw[i]; ref2 += t * t }
      } else {
        x.set(src)
        for (let i = 0; i < n; i++) ref2 += d[i] * d[i]
      }
    }
    let [dd, dy, xx] = this.#project(x, y)
    if (dd < 0.5 * xx) [dd, dy] = this.#project(x, y)
    if (!(Math.sqrt(dd) > COLLINEAR_TOL * Math.sqrt(ref2))) return { estimate: NaN, se: NaN, t: NaN, p: NaN }
    const b = dy / dd
    let v: number
    if (D.vcov === 'iid') {
      let ee = 0
      for (let i = 0; i < n; i++) { const e = y[i] - b * x[i]; ee += e * e }
      v = ee / D.iidDivisor / dd
    } else if (D.vcov === 'hc1') {
      let m = 0
      for (let i = 0; i < n; i++) { const s = x[i] * (y[i] - b * x[i]); m += s * s }
      v = (D.factors[0] * m) / (dd * dd)
    } else {
      // ẽ = ỹ − β̂D̃ (ỹ already has the controls and fixed effects partialled out).
      let total = 0
      for (let c = 0; c < D.clusters.length; c++) {
        const S = this.#sums[c]
        S.fill(0)
        const codes = D.clusters[c].codes
        let g = -1, run = 0
        for (let i = 0; i < n; i++) {
          const ci = codes[i]
          if (ci !== g) { if (g >= 0) S[g] += run; g = ci; run = 0 }
          run += x[i] * (y[i] - b * x[i])
        }
        if (g >= 0) S[g] += run
        let m = 0
        for (let g = 0; g < S.length; g++) m += S[g] * S[g]
        total += D.factors[c] * m
      }
      v = Math.max(total, 0) / (dd * dd)
    }
    const se = Math.sqrt(v)
    const t = b / se
    return { estimate: b, se, t, p: tPValue(t, D.dfT) }
  }

  /** x ← (I − QQ')x in place; returns x'x and x'y after, and x'x before. */
  #project(x: Float64Array, y: Float64Array): [number, number, number] {
    const n = x.length
    const blocks = this.#blocks
    const c = this.#c
    let xx = 0, dd = 0, dy = 0
    if (blocks.length === 0) {
      for (let i = 0; i < n; i++) { const v = x[i]; dd += v * v; dy += v * y[i] }
      return [dd, dy, dd]
    }
    // The coefficients of every block come from x before any subtraction (classical Gram–Schmidt).
    const coef = new Float64Array(4 * blocks.length)
    for (let k = 0; k < blocks.length; k++) {
      const s = blockDots(blocks[k].w, blocks[k].B, x, n, c)
      if (k === 0) xx = s
      coef.set(c, 4 * k)
    }
    for (let k = 0; k < blocks.length; k++) {
      c.set(coef.subarray(4 * k, 4 * k + 4))
      const last = k === blocks.length - 1
      const r = blockSubtract(blocks[k].w, blocks[k].B, x, n, c, last ? y : undefined)
      if (last) { dd = r[0]; dy = r[1] }
    }
    return [dd, dy, xx]
  }
}

/** c ← B'x for a row-major block of width w; returns x'x. */
function blockDots(w: 2 | 4, B: Float64Array, x: Float64Array, n: number, c: Float64Array): number {
  let c0 = 0, c1 = 0, c2 = 0, c3 = 0, s = 0
  if (w === 4) {
    for (let i = 0, o = 0; i < n; i++, o += 4) {
      const v = x[i]
      c0 += B[o] * v; c1 += B[o + 1] * v; c2 += B[o + 2] * v; c3 += B[o + 3] * v; s += v * v
    }
  } else {
    for (let i = 0, o = 0; i < n; i++, o += 2) { const v = x[i]; c0 += B[o] * v; c1 += B[o + 1] * v; s += v * v }
  }
  c[0] = c0; c[1] = c1; c[2] = c2; c[3] = c3
  return s
}

/** x ← x − B c for a row-major block of width w; with y, also returns x'x and x'y after. */
function blockSubtract(w: 2 | 4, B: Float64Array, x: Float64Array, n: number, c: Float64Array, y?: Float64Array): [number, number] {
  const c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3]
  let dd = 0, dy = 0
  if (w === 4 && y) {
    for (let i = 0, o = 0; i < n; i++, o += 4) {
      const v = x[i] - c0 * B[o] - c1 * B[o + 1] - c2 * B[o + 2] - c3 * B[o + 3]
      x[i] = v; dd += v * v; dy += v * y[i]
    }
  } else if (w === 4) {
    for (let i = 0, o = 0; i < n; i++, o += 4) x[i] = x[i] - c0 * B[o] - c1 * B[o + 1] - c2 * B[o + 2] - c3 * B[o + 3]
  } else if (y) {
    for (let i = 0, o = 0; i < n; i++, o += 2) { const v = x[i] - c0 * B[o] - c1 * B[o + 1]; x[i] = v; dd += v * v; dy += v * y[i] }
  } else {
    for (let i = 0, o = 0; i < n; i++, o += 2) x[i] = x[i] - c0 * B[o] - c1 * B[o + 1]
  }
  return [dd, dy]
}

/** Two factors, no weights, every (a, b) cell exactly once: two-way demeaning has a closed form. */
function isBalancedTwoWay(d: FwlDesign): boolean {
  if (d.fe.length !== 2 || d.weights) return false
  const [a, b] = d.fe
  if (d.n !== a.levels * b.levels) return false
  const seen = new Uint8Array(d.n)
  for (let i = 0; i < d.n; i++) {
    const c = a.codes[i] * b.levels + b.codes[i]
    if (seen[c]) return false
    seen[c] = 1
  }
  return true
}

function scale(x: Float64Array, s: Float64Array | undefined): Float64Array {
  if (s) for (let i = 0; i < x.length; i++) x[i] *= s[i]
  return x
}

function norm(x: Float64Array): number {
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i] * x[i]
  return Math.sqrt(s)
}

/** x ← (I − QQ')x for orthonormal columns Q. */
function orthogonalize(x: Float64Array, Q: readonly Float64Array[]): void {
  const n = x.length
  for (const q of Q) {
    let s = 0
    for (let i = 0; i < n; i++) s += q[i] * x[i]
    for (let i = 0; i < n; i++) x[i] -= s * q[i]
  }
}
