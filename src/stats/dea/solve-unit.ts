/**
 * One DMU's envelopment LP by column generation over its reference set.
 *
 * ## Method
 * The LP keeps only the explicit columns (layout.ts) and a working set of data columns:
 * the evaluated unit itself where it belongs to its reference set (so SBM, radial and DDF
 * start feasible) and the peers of recent units (`WorkingSet`). After each solve every
 * other reference DMU is priced with the simplex multipliers, d_j = −Σᵢ yᵢ âᵢⱼ − y_vrs
 * (O(d) per DMU); the most negative ones enter and the solve resumes from the current
 * basis. When no column prices out, the restricted optimum is optimal for the full
 * reference set: this is the certificate, so a working set can only cost time, never
 * accuracy. An infeasible restricted LP is priced with its phase-1 multipliers in the same
 * way, so "infeasible" is only reported when no reference DMU can remove the infeasibility.
 *
 * Dominated DMUs cannot be peers of an optimal solution that uses the dominating DMU
 * instead, and with the working set they are never brought in: the pricing step only adds
 * columns that improve the objective, i.e. the reference set is reduced on the fly.
 */
import { DenseSimplex, SingularBasisError, type LpStatus } from '../lp/simplex.ts'
import { LP_TOL } from '../lp/tolerances.ts'
import type { DeaData } from './data.ts'
import type { Layout } from './layout.ts'

/** Columns added per pricing round (the most negative reduced costs first). */
export const ENTER_PER_ROUND = 8
/** The working set keeps at most this many peers; the least recently used go first. */
export const WORKING_SET_MAX = 192
/**
 * The optimum is reported unique when every nonbasic column's reduced cost exceeds this
 * (dual nondegeneracy with a margin: a reduced cost of 1e-9 is a near-tie, and slacks on
 * such a near-tie move with the last digits of the data).
 */
export const UNIQUE_MARGIN = 1e-7
/** Pivots allowed per solve call; a DEA LP of about ten rows needs tens (a cap on cycling, not a budget). */
export const MAX_PIVOTS = 5000

export type UnitStatus = 'optimal' | 'infeasible' | 'failed'

/**
 * The DMUs whose columns are priced, with their data copied contiguously. With d ≤ 8 rows are
 * padded to a stride of 8, so the pricing loop is one fixed, unrolled 8-term dot product.
 */
export interface PricingSet {
  readonly idx: Int32Array
  readonly pack: Float64Array
  readonly stride: number
}

/** Stride of packed pricing rows when d ≤ PACK_STRIDE. */
export const PACK_STRIDE = 8

export function packPricing(data: DeaData, idx: Int32Array): PricingSet {
  const { d, values } = data
  const stride = d <= PACK_STRIDE ? PACK_STRIDE : d
  const pack = new Float64Array(idx.length * stride)
  for (let k = 0; k < idx.length; k++) pack.set(values.subarray(idx[k] * d, idx[k] * d + d), k * stride)
  return { idx, pack, stride }
}

export interface UnitOutcome {
  status: UnitStatus
  /** Optimal objective in the model's own sense (ρ, δ, θ or β); NaN unless optimal. */
  score: number
  /** Slacks in the data's own units, d of them (input, desirable, undesirable). */
  slacks: Float64Array
  /** Reference DMUs with λ > 0 and their λ (original, not Charnes–Cooper scaled). */
  peers: number[]
  lambdas: number[]
  /** Dual nondegenerate at the optimum, so slacks and λ are the unique optimum. */
  unique: boolean
  /** Pivots spent. */
  iterations: number
  /** Pricing passes over the reference set (each O(|reference set| · d)). */
  rounds: number
}

/** Peers of recently solved units, kept between units of one chunk (deterministic LRU). */
export class WorkingSet {
  readonly list: number[] = []
  readonly #lastUse: Map<number, number> = new Map()
  #clock = 0

  constructor(seed: ArrayLike<number> = []) {
    for (let k = 0; k < seed.length; k++) this.touch(seed[k])
  }

  touch(j: number): void {
    if (!this.#lastUse.has(j)) this.list.push(j)
    this.#lastUse.set(j, this.#clock++)
  }

  /** Drop the least recently used members beyond the cap (ties cannot occur: the clock is strict). */
  prune(max = WORKING_SET_MAX): void {
    if (this.list.length <= max) return
    const keep = [...this.list].sort((a, b) => this.#lastUse.get(b)! - this.#lastUse.get(a)!).slice(0, max)
    const keepSet = new Set(keep)
    for (const j of this.list) if (!keepSet.has(j)) this.#lastUse.delete(j)
    const kept = this.list.filter((j) => keepSet.has(j))
    this.list.length = 0
    this.list.push(...kept)
  }
}

/** Reusable buffers of one solver thread. */
export class UnitSolver {
  readonly data: DeaData
  readonly layout: Layout
  readonly lp: DenseSimplex
  readonly #stamp: Int32Array
  #stampNow = 0
  readonly #colDmu: Int32Array
  readonly #scratch: Float64Array
  readonly #w: Float64Array
  readonly #candIdx: Int32Array
  readonly #candVal: Float64Array

  constructor(data: DeaData, layout: Layout) {
    this.data = data
    this.layout = layout
    this.lp = new DenseSimplex(layout.rows, layout.extras.length + data.n)
    this.#stamp = new Int32Array(data.n)
    this.#colDmu = new Int32Array(layout.extras.length + data.n)
    this.#scratch = new Float64Array(layout.rows)
    this.#w = new Float64Array(Math.max(PACK_STRIDE, data.d))
    this.#candIdx = new Int32Array(ENTER_PER_ROUND)
    this.#candVal = new Float64Array(ENTER_PER_ROUND)
  }

  /**
   * Solve the LP of DMU `o`. `price` is the set of reference DMUs whose columns certify
   * optimality (the whole reference set, or its nondominated part: dominance.ts), `extra`
   * more DMUs to price (super-SBM: those dominated by o alone). With `excludeSelf` o is not
   * a column (super-efficiency); otherwise o's own column starts in the LP, which makes the
   * SBM, radial and DDF LPs feasible from the start.
   */
  solve(o: number, price: PricingSet | Int32Array, excludeSelf: boolean, ws: WorkingSet, extra?: Int32Array): UnitOutcome {
    const set = price instanceof Int32Array ? packPricing(this.data, price) : price
    const more = extra ?? EMPTY
    // a numerically singular basis, an iteration limit or a (numerically) unbounded ray: start
    // again once with every priced column in the LP from the first pivot; then give up on this DMU
    for (const all of [false, true]) {
      try {
        const r = this.#solve(o, set, more, excludeSelf, ws, all)
        if (r) return r
      } catch (e) {
        if (!(e instanceof SingularBasisError)) throw e
      }
    }
    return failed(this.data.d)
  }

  /** The outcome, or undefined when the simplex stopped without a verdict (iteration limit, unbounded). */
  #solve(o: number, set: PricingSet, extra: Int32Array, excludeSelf: boolean, ws: WorkingSet, all: boolean): UnitOutcome | undefined {
    const { data, layout, lp } = this
    const { d } = data
    const stamp = ++this.#stampNow
    const inLp = this.#stamp
    lp.reset(layout.b)
    const scratch = this.#scratch
    for (const c of layout.extras) {
      scratch.fill(0)
      for (const [r, v] of c.entries) scratch[r] = v
      lp.addColumn(scratch, c.cost, c.lo, c.up)
    }
    const first = layout.extras.length
    if (!excludeSelf) this.#addData(o, o, stamp)
    if (all) {
      for (const ref of [set.idx, extra]) {
        for (let k = 0; k < ref.length; k++) {
          const j = ref[k]
          if (inLp[j] !== stamp && !(excludeSelf && j === o)) this.#addData(j, o, stamp)
        }
      }
    } else {
      for (const j of ws.list) if (inLp[j] !== stamp && !(excludeSelf && j === o)) this.#addData(j, o, stamp)
    }

    let status: LpStatus
    let minOutside = Infinity
    this.#rounds = 0
    for (;;) {
      status = lp.solve(MAX_PIVOTS)
      if (status === 'unbounded' || status === 'iteration-limit') return undefined
      minOutside = this.#priceOutside(o, set, extra, excludeSelf, stamp)
      if (this.#entering === 0) break
      for (let k = 0; k < this.#entering; k++) this.#addData(this.#candIdx[k], o, stamp)
    }
    if (status === 'infeasible') return { ...failed(d, lp.iterations, this.#rounds), status: 'infeasible' }

    if (layout.spec.kind === 'radial') {
      // phase 2 of the radial model: θ fixed at θ*, maximise the sum of relative slacks
      const theta = lp.value(0)
      lp.setCost(0, 0)
      lp.setBounds(0, theta, theta)
      for (let k = 1; k <= layout.slackCount; k++) lp.setCost(k, -1)
      for (;;) {
        status = lp.solve(MAX_PIVOTS)
        if (status !== 'optimal') return undefined
        minOutside = this.#priceOutside(o, set, extra, excludeSelf, stamp)
        if (this.#entering === 0) break
        for (let k = 0; k < this.#entering; k++) this.#addData(this.#candIdx[k], o, stamp)
      }
    }
    return this.#extract(o, first, minOutside, ws)
  }

  #entering = 0
  #rounds = 0

  /** Price reference DMUs outside the LP; keep the most negative few in #candIdx. Returns min d_j. */
  #priceOutside(o: number, set: PricingSet, extra: Int32Array, excludeSelf: boolean, stamp: number): number {
    const { data, layout, lp } = this
    const { d, values } = data
    const y = lp.duals()
    const w = this.#w
    const base0 = o * d
    w.fill(0)
    for (let i = 0; i < d; i++) w[i] = y[layout.dataRow0 + i] / values[base0 + i]
    const yv = layout.vrsRow >= 0 ? y[layout.vrsRow] : 0
    this.#rounds++
    this.#count = 0
    this.#worst = 0
    let minD = Infinity
    const inLp = this.#stamp
    const idx = set.idx
    const pack = set.pack
    if (set.stride === PACK_STRIDE) {
      // d_j = −(y_vrs + Σᵢ wᵢ aᵢⱼ), wᵢ = yᵢ / aᵢₒ; unused lanes of the stride hold 0
      const w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5], w6 = w[6], w7 = w[7]
      for (let k = 0, b = 0; k < idx.length; k++, b += PACK_STRIDE) {
        const dj = -(yv + w0 * pack[b] + w1 * pack[b + 1] + w2 * pack[b + 2] + w3 * pack[b + 3] + w4 * pack[b + 4] + w5 * pack[b + 5] + w6 * pack[b + 6] + w7 * pack[b + 7])
        if (dj < minD || dj < -LP_TOL.dual) {
          const j = idx[k]
          if (inLp[j] === stamp || (excludeSelf && j === o)) continue
          if (dj < minD) minD = dj
          if (dj < -LP_TOL.dual) this.#offer(j, dj)
        }
      }
    } else {
      const stride = set.stride
      for (let k = 0; k < idx.length; k++) {
        const j = idx[k]
        if (inLp[j] === stamp || (excludeSelf && j === o)) continue
        let s = yv
        const b = k * stride
        for (let i = 0; i < d; i++) s += w[i] * pack[b + i]
        const dj = -s
        if (dj < minD) minD = dj
        if (dj < -LP_TOL.dual) this.#offer(j, dj)
      }
    }
    for (let k = 0; k < extra.length; k++) {
      const j = extra[k]
      if (inLp[j] === stamp || (excludeSelf && j === o)) continue
      let s = yv
      const b = j * d
      for (let i = 0; i < d; i++) s += w[i] * values[b + i]
      const dj = -s
      if (dj < minD) minD = dj
      if (dj < -LP_TOL.dual) this.#offer(j, dj)
    }
    this.#entering = this.#count
    return minD
  }

  #count = 0
  #worst = 0

  /** Keep the ENTER_PER_ROUND most negative reduced costs (ties: the first offered stays). */
  #offer(j: number, dj: number): void {
    const idx = this.#candIdx
    const val = this.#candVal
    if (this.#count < ENTER_PER_ROUND) {
      idx[this.#count] = j
      val[this.#count] = dj
      this.#count++
      if (this.#count === ENTER_PER_ROUND) this.#worst = argMax(val, this.#count)
    } else if (dj < val[this.#worst]) {
      idx[this.#worst] = j
      val[this.#worst] = dj
      this.#worst = argMax(val, this.#count)
    }
  }

  #addData(j: number, o: number, stamp: number): void {
    const { data, layout, lp } = this
    const { d, values } = data
    const col = this.#scratch
    col.fill(0)
    const bj = j * d
    const bo = o * d
    for (let i = 0; i < d; i++) col[layout.dataRow0 + i] = values[bj + i] / values[bo + i]
    if (layout.vrsRow >= 0) col[layout.vrsRow] = 1
    const k = lp.addColumn(col, 0, 0, Infinity)
    this.#colDmu[k] = j
    this.#stamp[j] = stamp
  }

  #extract(o: number, first: number, minOutside: number, ws: WorkingSet): UnitOutcome {
    const { data, layout, lp } = this
    const { d, values } = data
    const kind = layout.spec.kind
    const cc = kind === 'sbm' || kind === 'super-sbm'
    const t = cc ? lp.value(0) : 1
    let score: number
    if (kind === 'radial') score = lp.value(0)
    else if (kind === 'ddf') score = lp.value(0)
    else score = lp.objective
    const slacks = new Float64Array(d)
    for (let i = 0; i < layout.slackCount; i++) slacks[i] = (Math.max(0, lp.value(1 + i)) * values[o * d + i]) / t
    const peers: number[] = []
    const lambdas: number[] = []
    const n = lp.columns
    for (let k = first; k < n; k++) {
      const v = lp.value(k)
      if (v > LP_TOL.primal) {
        const j = this.#colDmu[k]
        peers.push(j)
        lambdas.push(v / t)
        if (!(kind === 'super-sbm' && j === o)) ws.touch(j)
      }
    }
    ws.prune()
    const unique = Math.min(minOutside, lp.minNonbasicReducedCost()) > UNIQUE_MARGIN
    return { status: 'optimal', score, slacks, peers, lambdas, unique, iterations: lp.iterations, rounds: this.#rounds }
  }
}

const EMPTY = new Int32Array(0)

function argMax(a: Float64Array, n: number): number {
  let k = 0
  for (let i = 1; i < n; i++) if (a[i] > a[k]) k = i
  return k
}

function failed(d: number, iterations = 0, rounds = 0): UnitOutcome {
  return { status: 'failed', score: NaN, slacks: new Float64Array(d).fill(NaN), peers: [], lambdas: [], unique: false, iterations, rounds }
}
