/**
 * Dense bounded revised simplex for LPs with few rows and many columns:
 *
 *   min  cᵀx + offset   s.t.  A x = b,   lo ≤ x ≤ up        (A is rows × n, rows ≲ 30)
 *
 * This is the shape of every DEA envelopment LP (about ten rows, one column per reference
 * unit). Inequality rows are written by the caller as equalities with explicit slack columns.
 *
 * ## Method
 * Revised simplex with an explicit dense basis inverse B⁻¹ (rows × rows), updated by the
 * product form at every pivot and recomputed by Gauss–Jordan elimination with partial
 * pivoting every `REFACTOR_EVERY` pivots and before optimality is declared. Nonbasic
 * variables sit at a finite bound (or at 0 when free), so bounded variables cost no rows.
 * Phase 1 minimises the sum of artificial variables, one per row not covered by a
 * feasible unit (slack) column of the caller's; the crash basis is therefore diagonal.
 * Pricing is Dantzig's largest reduced cost; the ratio test is Harris' two-pass test with
 * the bound-flip of the entering variable. After `BLAND_AFTER` consecutive degenerate
 * pivots the solver switches to Bland's smallest-index rule (which cannot cycle) until a
 * step makes progress.
 *
 * Columns may be appended after a solve (column generation): a new column enters as
 * nonbasic at a bound, the current basis stays valid, and `solve()` resumes from it in the
 * phase it ended in. The caller can therefore keep only a working set of columns in the
 * LP, price the others with `duals()`, and add the ones with negative reduced cost.
 *
 * ## References
 * - R. J. Vanderbei (2014), Linear Programming: Foundations and Extensions, 4th ed., ch. 8–9
 *   (bounded variables, revised simplex).
 * - P. M. J. Harris (1973), "Pivot selection methods of the Devex LP code",
 *   Mathematical Programming 5, 1–28 (two-pass ratio test).
 * - R. G. Bland (1977), "New finite pivoting rules for the simplex method",
 *   Mathematics of Operations Research 2(2), 103–107.
 */
import { invertDense, SingularBasisError } from './invert.ts'
import { blandRatio, harrisRatio, type RatioInput, type RatioResult } from './ratio.ts'
import { BLAND_AFTER, LP_TOL, REFACTOR_EVERY } from './tolerances.ts'

export { SingularBasisError }

export type LpStatus = 'optimal' | 'infeasible' | 'unbounded' | 'iteration-limit'

const BASIC = 0
const LOWER = 1
const UPPER = 2
const FREE = 3

export class DenseSimplex {
  readonly rows: number
  readonly capacity: number
  /** Constant added to the objective. */
  offset = 0
  /** Pivots and bound flips since the last `reset`. */
  iterations = 0

  #n = 0
  readonly #a: Float64Array
  readonly #cost: Float64Array
  readonly #lo: Float64Array
  readonly #up: Float64Array
  readonly #unitRow: Int32Array
  readonly #b: Float64Array
  readonly #x: Float64Array
  readonly #state: Uint8Array
  readonly #head: Int32Array
  readonly #binv: Float64Array
  readonly #y: Float64Array
  readonly #alpha: Float64Array
  readonly #artSign: Float64Array
  readonly #gj: Float64Array
  readonly #rhs: Float64Array
  readonly #ratioIn: RatioInput
  readonly #ratioOut: RatioResult = { p: -1, theta: Infinity }
  #phase: 0 | 1 | 2 = 0
  #artUp = Infinity
  #sinceRefactor = 0
  #degenerate = 0
  #bland = false

  /**
   * @param rows number of equality rows
   * @param capacity the most structural columns the problem will ever have
   */
  constructor(rows: number, capacity: number) {
    if (!(rows >= 1) || !(capacity >= 1)) throw new RangeError('DenseSimplex: rows and capacity must be >= 1')
    this.rows = rows
    this.capacity = capacity
    this.#a = new Float64Array(rows * capacity)
    this.#cost = new Float64Array(capacity)
    this.#lo = new Float64Array(capacity)
    this.#up = new Float64Array(capacity)
    this.#unitRow = new Int32Array(capacity)
    this.#b = new Float64Array(rows)
    this.#x = new Float64Array(capacity + rows)
    this.#state = new Uint8Array(capacity + rows)
    this.#head = new Int32Array(rows)
    this.#binv = new Float64Array(rows * rows)
    this.#y = new Float64Array(rows)
    this.#alpha = new Float64Array(rows)
    this.#artSign = new Float64Array(rows)
    this.#gj = new Float64Array(rows * rows * 2)
    this.#rhs = new Float64Array(rows)
    this.#ratioIn = {
      m: rows,
      alpha: this.#alpha,
      dir: 1,
      x: new Float64Array(rows),
      lo: new Float64Array(rows),
      up: new Float64Array(rows),
      index: new Int32Array(rows),
    }
  }

  /** Number of structural columns. */
  get columns(): number {
    return this.#n
  }

  /** 0 before the first solve, then the phase the last solve ended in. */
  get phase(): 0 | 1 | 2 {
    return this.#phase
  }

  /** Start a new problem with right-hand side `b`; drops every column. */
  reset(b: ArrayLike<number>): void {
    if (b.length !== this.rows) throw new RangeError(`DenseSimplex.reset: b has ${b.length} entries, expected ${this.rows}`)
    this.#b.set(b)
    this.#n = 0
    this.#phase = 0
    this.#artUp = Infinity
    this.iterations = 0
    this.offset = 0
    this.#degenerate = 0
    this.#bland = false
  }

  /**
   * Append a column (its `rows` coefficients), with cost and bounds; returns its index.
   * After a solve the column enters nonbasic at a bound and the basis stays valid.
   */
  addColumn(values: ArrayLike<number>, cost: number, lo = 0, up = Infinity): number {
    const m = this.rows
    const k = this.#n
    if (k >= this.capacity) throw new RangeError(`DenseSimplex.addColumn: capacity ${this.capacity} exceeded`)
    if (!(lo <= up)) throw new RangeError(`DenseSimplex.addColumn: bounds [${lo}, ${up}] are empty`)
    const a = this.#a
    const base = k * m
    let nnz = 0
    let row = -1
    for (let r = 0; r < m; r++) {
      const v = values[r]
      a[base + r] = v
      if (v !== 0) {
        nnz++
        row = r
      }
    }
    this.#unitRow[k] = nnz === 1 ? row : -1
    this.#cost[k] = cost
    this.#lo[k] = lo
    this.#up[k] = up
    this.#n = k + 1
    if (this.#phase !== 0) {
      const v = this.#placeAtBound(k)
      if (v !== 0) {
        // keep A x = b: x_B ← x_B − B⁻¹ a_k v
        this.#ftran(k)
        const alpha = this.#alpha
        const x = this.#x
        const head = this.#head
        for (let i = 0; i < m; i++) x[head[i]] -= alpha[i] * v
        this.#restartIfInfeasible()
      }
    }
    return k
  }

  /** Change a column's cost (e.g. a second-phase objective); the basis stays valid. */
  setCost(k: number, cost: number): void {
    this.#checkColumn(k)
    this.#cost[k] = cost
  }

  /**
   * Change a column's bounds. A nonbasic column moves to its new bound (basic values follow);
   * a basic column must already lie within the new bounds.
   */
  setBounds(k: number, lo: number, up: number): void {
    this.#checkColumn(k)
    if (!(lo <= up)) throw new RangeError(`DenseSimplex.setBounds: bounds [${lo}, ${up}] are empty`)
    this.#lo[k] = lo
    this.#up[k] = up
    if (this.#phase === 0 || this.#state[k] === BASIC) return
    const old = this.#x[k]
    const v = this.#placeAtBound(k)
    if (v !== old) {
      this.#ftran(k)
      const m = this.rows
      for (let i = 0; i < m; i++) this.#x[this.#head[i]] -= this.#alpha[i] * (v - old)
      this.#restartIfInfeasible()
    }
  }

  /**
   * A column entering at a nonzero bound (or a bound moved under a nonbasic column) shifts
   * the basic values; if that leaves the basis primal infeasible, the next solve starts
   * again from a crash basis instead of continuing from an infeasible point.
   */
  #restartIfInfeasible(): void {
    const m = this.rows
    for (let i = 0; i < m; i++) {
      const k = this.#head[i]
      const v = this.#x[k]
      if (v < this.#varLo(k) - LP_TOL.primal || v > this.#varUp(k) + LP_TOL.primal) {
        this.#phase = 0
        return
      }
    }
  }

  /** Solve (or resume) and report the status; values, duals and objective refer to its end. */
  solve(maxIterations = 50_000): LpStatus {
    const limit = this.iterations + maxIterations
    if (this.#phase === 0) this.#start()
    if (this.#phase === 1) {
      const st = this.#iterate(limit)
      if (st !== 'optimal') return st
      if (this.#artificialSum() > LP_TOL.infeasible) return 'infeasible'
      this.#driveOutArtificials()
      this.#artUp = 0
      this.#phase = 2
    }
    return this.#iterate(limit)
  }

  /** Value of structural column k. */
  value(k: number): number {
    return this.#x[k]
  }

  /** Whether structural column k is basic. */
  isBasic(k: number): boolean {
    return this.#state[k] === BASIC
  }

  /** Objective cᵀx + offset at the current point (phase-2 costs). */
  get objective(): number {
    let s = this.offset
    const n = this.#n
    for (let k = 0; k < n; k++) s += this.#cost[k] * this.#x[k]
    return s
  }

  /**
   * Simplex multipliers y (yᵀ = c_Bᵀ B⁻¹) of the phase the last solve ended in: phase 2
   * duals after 'optimal', phase 1 (sum-of-artificials) duals after 'infeasible'. A column
   * a with cost c has reduced cost c − yᵀa; in phase 1 every structural cost is 0.
   */
  duals(): Float64Array {
    return this.#y
  }

  /** Reduced cost of structural column k under the current duals and phase. */
  reducedCost(k: number): number {
    this.#checkColumn(k)
    return this.#reduced(k)
  }

  /**
   * Smallest |reduced cost| over nonbasic, non-fixed structural columns: when it is above
   * `LP_TOL.dual` the optimum is dual nondegenerate, hence the primal optimum is unique.
   */
  minNonbasicReducedCost(): number {
    let best = Infinity
    const n = this.#n
    for (let k = 0; k < n; k++) {
      if (this.#state[k] === BASIC || this.#lo[k] === this.#up[k]) continue
      const d = Math.abs(this.#reduced(k))
      if (d < best) best = d
    }
    return best
  }

  // ── internals ─────────────────────────────────────────────────────────────────────

  #checkColumn(k: number): void {
    if (!(k >= 0 && k < this.#n)) throw new RangeError(`DenseSimplex: no column ${k}`)
  }

  /** Put nonbasic column k at its bound (lower if finite, else upper, else 0); returns the value. */
  #placeAtBound(k: number): number {
    const lo = this.#lo[k]
    const up = this.#up[k]
    let v: number
    if (lo > -Infinity) {
      v = lo
      this.#state[k] = LOWER
    } else if (up < Infinity) {
      v = up
      this.#state[k] = UPPER
    } else {
      v = 0
      this.#state[k] = FREE
    }
    this.#x[k] = v
    return v
  }

  #varLo(k: number): number {
    return k < this.capacity ? this.#lo[k] : 0
  }

  #varUp(k: number): number {
    return k < this.capacity ? this.#up[k] : this.#artUp
  }

  #varCost(k: number): number {
    if (this.#phase === 1) return k < this.capacity ? 0 : 1
    return k < this.capacity ? this.#cost[k] : 0
  }

  /** Crash basis: a feasible unit column of the caller's for each row where one exists, else an artificial. */
  #start(): void {
    const m = this.rows
    const n = this.#n
    const cap = this.capacity
    const a = this.#a
    const x = this.#x
    const r = this.#rhs
    r.set(this.#b)
    for (let k = 0; k < n; k++) {
      const v = this.#placeAtBound(k)
      if (v !== 0) for (let i = 0; i < m; i++) r[i] -= a[k * m + i] * v
    }
    const binv = this.#binv
    binv.fill(0)
    const pick = new Int32Array(m).fill(-1)
    for (let k = 0; k < n; k++) {
      const i = this.#unitRow[k]
      if (i < 0 || pick[i] >= 0) continue
      const coef = a[k * m + i]
      const v = x[k] + r[i] / coef
      if (v >= this.#lo[k] - LP_TOL.primal && v <= this.#up[k] + LP_TOL.primal) pick[i] = k
    }
    for (let i = 0; i < m; i++) {
      const k = pick[i]
      const art = cap + i
      if (k >= 0) {
        const coef = a[k * m + i]
        x[k] += r[i] / coef
        this.#state[k] = BASIC
        this.#head[i] = k
        binv[i * m + i] = 1 / coef
        this.#artSign[i] = 1
        this.#state[art] = LOWER
        x[art] = 0
      } else {
        const s = r[i] >= 0 ? 1 : -1
        this.#artSign[i] = s
        this.#head[i] = art
        this.#state[art] = BASIC
        x[art] = Math.abs(r[i])
        binv[i * m + i] = s
      }
    }
    this.#artUp = Infinity
    this.#phase = 1
    this.#sinceRefactor = 0
    this.#degenerate = 0
    this.#bland = false
  }

  #artificialSum(): number {
    let s = 0
    const cap = this.capacity
    for (let i = 0; i < this.rows; i++) {
      const k = this.#head[i]
      if (k >= cap) s += Math.abs(this.#x[k])
    }
    return s
  }

  /** After a feasible phase 1, swap basic artificials (at 0) for structural columns where the row allows. */
  #driveOutArtificials(): void {
    const m = this.rows
    const n = this.#n
    const cap = this.capacity
    const a = this.#a
    const binv = this.#binv
    for (let p = 0; p < m; p++) {
      const art = this.#head[p]
      if (art < cap) continue
      let best = -1
      let bestAbs = 1e-7
      for (let k = 0; k < n; k++) {
        if (this.#state[k] === BASIC || this.#lo[k] === this.#up[k]) continue
        let v = 0
        for (let r = 0; r < m; r++) v += binv[p * m + r] * a[k * m + r]
        const av = Math.abs(v)
        if (av > bestAbs) {
          bestAbs = av
          best = k
        }
      }
      if (best < 0) continue // a redundant row: its artificial stays basic, fixed at 0
      this.#ftran(best)
      this.#x[art] = 0
      this.#state[art] = LOWER
      this.#head[p] = best
      this.#state[best] = BASIC
      this.#pivot(p)
    }
  }

  /** alpha ← B⁻¹ a_k (k structural or artificial). */
  #ftran(k: number): void {
    const m = this.rows
    const alpha = this.#alpha
    const binv = this.#binv
    if (k >= this.capacity) {
      const i = k - this.capacity
      const s = this.#artSign[i]
      for (let r = 0; r < m; r++) alpha[r] = binv[r * m + i] * s
      return
    }
    const a = this.#a
    const base = k * m
    for (let i = 0; i < m; i++) {
      let s = 0
      const row = i * m
      for (let r = 0; r < m; r++) s += binv[row + r] * a[base + r]
      alpha[i] = s
    }
  }

  /** yᵀ ← c_Bᵀ B⁻¹ for the current phase's costs. */
  #computeDuals(): void {
    const m = this.rows
    const y = this.#y
    const binv = this.#binv
    y.fill(0)
    for (let i = 0; i < m; i++) {
      const c = this.#varCost(this.#head[i])
      if (c === 0) continue
      const row = i * m
      for (let r = 0; r < m; r++) y[r] += c * binv[row + r]
    }
  }

  #reduced(k: number): number {
    const m = this.rows
    const a = this.#a
    const y = this.#y
    const base = k * m
    let s = this.#varCost(k)
    for (let r = 0; r < m; r++) s -= y[r] * a[base + r]
    return s
  }

  /** Entering column, or −1 when the current basis is optimal for this phase. */
  #price(): number {
    const n = this.#n
    const state = this.#state
    const lo = this.#lo
    const up = this.#up
    const tol = LP_TOL.dual
    let best = -1
    let bestScore: number = tol
    for (let k = 0; k < n; k++) {
      const st = state[k]
      if (st === BASIC || lo[k] === up[k]) continue
      const d = this.#reduced(k)
      let score: number
      if (st === LOWER) score = -d
      else if (st === UPPER) score = d
      else score = Math.abs(d)
      if (score > bestScore) {
        if (this.#bland) return k
        bestScore = score
        best = k
      }
    }
    return best
  }

  /** Recompute B⁻¹ from the basis columns and x_B from the nonbasic values. */
  #refactor(): void {
    const m = this.rows
    const a = this.#a
    const cap = this.capacity
    invertDense(
      m,
      (i, out) => {
        const k = this.#head[i]
        if (k >= cap) out[k - cap] = this.#artSign[k - cap]
        else for (let r = 0; r < m; r++) out[r] = a[k * m + r]
      },
      this.#binv,
      this.#gj,
    )
    const binv = this.#binv
    // x_B = B⁻¹ (b − Σ_nonbasic a_k x_k)
    const rhs = this.#rhs
    rhs.set(this.#b)
    const n = this.#n
    const x = this.#x
    for (let k = 0; k < n; k++) {
      if (this.#state[k] === BASIC) continue
      const v = x[k]
      if (v === 0) continue
      for (let r = 0; r < m; r++) rhs[r] -= a[k * m + r] * v
    }
    for (let i = 0; i < m; i++) {
      let s = 0
      for (let r = 0; r < m; r++) s += binv[i * m + r] * rhs[r]
      x[this.#head[i]] = s
    }
    this.#sinceRefactor = 0
  }

  /** Product-form update of B⁻¹ for a pivot on row p with column alpha. */
  #pivot(p: number): void {
    const m = this.rows
    const binv = this.#binv
    const alpha = this.#alpha
    const inv = 1 / alpha[p]
    const rowP = p * m
    for (let r = 0; r < m; r++) binv[rowP + r] *= inv
    for (let i = 0; i < m; i++) {
      if (i === p) continue
      const f = alpha[i]
      if (f === 0) continue
      const row = i * m
      for (let r = 0; r < m; r++) binv[row + r] -= f * binv[rowP + r]
    }
    this.#sinceRefactor++
  }

  #iterate(limit: number): LpStatus {
    const m = this.rows
    const x = this.#x
    const head = this.#head
    const alpha = this.#alpha
    let verified = false
    for (;;) {
      if (this.iterations >= limit) return 'iteration-limit'
      if (this.#sinceRefactor >= REFACTOR_EVERY) this.#refactor()
      this.#computeDuals()
      const q = this.#price()
      if (q < 0) {
        if (this.#sinceRefactor === 0 || verified) return 'optimal'
        // confirm optimality on a freshly inverted basis
        this.#refactor()
        verified = true
        continue
      }
      verified = false
      const dq = this.#reduced(q)
      const dir = dq < 0 ? 1 : -1
      this.#ftran(q)
      const lq = this.#lo[q]
      const uq = this.#up[q]
      const flipDist = uq - lq // Infinity for free or one-sided columns
      const rin = this.#ratioIn
      for (let i = 0; i < m; i++) {
        const k = head[i]
        rin.x[i] = x[k]
        rin.lo[i] = this.#varLo(k)
        rin.up[i] = this.#varUp(k)
        rin.index[i] = k
      }
      rin.dir = dir
      const rout = this.#ratioOut
      if (this.#bland) blandRatio(rin, rout)
      else harrisRatio(rin, rout)
      const p = rout.p
      let theta = rout.theta
      if (p < 0 && flipDist === Infinity) return 'unbounded'
      const flip = p < 0 || flipDist <= theta
      if (flip) theta = flipDist

      // progress is measured by the objective: a step that gains less than `stall` counts as
      // degenerate, also when tiny basic values (rounding noise) make θ itself nonzero
      if (theta * Math.abs(dq) <= LP_TOL.stall) {
        if (++this.#degenerate > BLAND_AFTER) this.#bland = true
      } else {
        this.#degenerate = 0
        this.#bland = false
      }

      // move
      const step = dir * theta
      if (step !== 0) {
        x[q] += step
        for (let i = 0; i < m; i++) x[head[i]] -= alpha[i] * step
      }
      this.iterations++
      if (flip) {
        if (dir > 0) {
          x[q] = uq
          this.#state[q] = UPPER
        } else {
          x[q] = lq
          this.#state[q] = LOWER
        }
        continue
      }
      const leave = head[p]
      const dl = -dir * alpha[p]
      if (dl < 0) {
        x[leave] = this.#varLo(leave)
        this.#state[leave] = LOWER
      } else {
        x[leave] = this.#varUp(leave)
        this.#state[leave] = UPPER
      }
      head[p] = q
      this.#state[q] = BASIC
      this.#pivot(p)
    }
  }
}
