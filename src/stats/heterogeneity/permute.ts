/**
 * Fisher's permutation test of a difference in one coefficient between groups of units:
 * the group labels are permuted across units, the group models re-fitted, and the observed
 * statistic compared with the permutation distribution.
 *
 * ## Method
 * The design holds the candidate rows (every variable of the model present, weight > 0,
 * the unit in some group), the treatment first among the regressors. For a labelling
 * (unit → group), group g's model is fitted exactly as the regression kernel does on that
 * group's rows (../ols/regress.ts): fixed-effect singletons dropped repeatedly (unless
 * kept), y and the regressors demeaned within the fixed effects (../fe/absorb.ts), and the
 * Householder QR with the kernel's collinearity rule (../ols/qr.ts). Only the treatment's
 * coefficient is kept: no variance is needed for the statistic (./compare.ts
 * groupStatistic). A group whose treatment is collinear (or empty) gives NaN; such a draw
 * has no statistic and is left out.
 *
 *   p = (1 + #{r : |T*_r| ≥ |T|}) / (1 + R)     (the observed labelling counted as a draw;
 *                                                 Phipson & Smyth 2010; never 0)
 *   share = #{r : |T*_r| ≥ |T|} / R             (the plain share, the "empirical p" many
 *                                                 applied papers report)
 * R the draws with a statistic. A draw is compared by the same code path as the observed
 * labelling, so a draw that reproduces the observed groups gives the identical number.
 *
 * ## References
 * R. A. Fisher (1935), The Design of Experiments, §21; B. Phipson, G. K. Smyth (2010),
 *   "Permutation p-values should never be zero", Statistical Applications in Genetics and
 *   Molecular Biology 9(1), art. 39, doi:10.2202/1544-6115.1585.
 */
import { createAbsorber } from '../fe/absorb.ts'
import { isNested, subsetFactor, type Factor } from '../fe/factor.ts'
import { dropSingletons } from '../fe/singletons.ts'
import { leastSquaresQr } from '../ols/qr.ts'
import { groupStatistic } from './compare.ts'
import { demeanGroup, nestedTwoWay, type NestedTwoWay } from './within.ts'

export interface PermutationDesign {
  /** Outcome on the candidate rows. */
  readonly y: Float64Array
  /** Regressors on the candidate rows, the treatment first. */
  readonly X: readonly Float64Array[]
  readonly weights?: Float64Array
  /** Fixed effects on the candidate rows (no missing codes). */
  readonly fe: readonly Factor[]
  readonly dropSingletons: boolean
  /** Unit of each candidate row, 0..U−1. */
  readonly unit: Int32Array
  readonly units: number
  readonly groups: number
}

/**
 * The treatment's coefficient in each group's model, for a labelling unit → group (−1: in no
 * group). `fast` (from `fastPath`) demeans two-way models whose first factor lies inside
 * units without a new absorber per group (./within.ts); the results are the same.
 */
export function groupCoefficients(d: PermutationDesign, groupOfUnit: Int32Array, fast?: FastPath): Float64Array {
  const n = d.y.length
  const out = new Float64Array(d.groups).fill(NaN)
  const counts = new Int32Array(d.groups)
  for (let i = 0; i < n; i++) { const g = groupOfUnit[d.unit[i]]; if (g >= 0) counts[g]++ }
  for (let g = 0; g < d.groups; g++) {
    if (counts[g] === 0) continue
    let rows = new Int32Array(counts[g])
    for (let i = 0, p = 0; i < n; i++) if (groupOfUnit[d.unit[i]] === g) rows[p++] = i
    if (fast && !fast.singleLevel(rows)) {
      const dem = demeanGroup(fast.within, rows)
      out[g] = solveTreatment(d, rows, dem[0], dem.slice(1), false)
      continue
    }
    let fes = d.fe.map((f) => subsetFactor(f, rows))
    if (d.dropSingletons && fes.length) {
      const keep = new Uint8Array(rows.length).fill(1)
      if (dropSingletons(fes, keep) > 0) {
        const kept = new Int32Array(keep.reduce((s, v) => s + v, 0))
        for (let i = 0, p = 0; i < keep.length; i++) if (keep[i]) kept[p++] = i
        fes = fes.map((f) => subsetFactor(f, kept))
        rows = kept.map((i) => rows[i])
      }
    }
    out[g] = treatmentCoefficient(d, rows, fes)
  }
  return out
}

export interface FastPath {
  readonly within: NestedTwoWay
  /** Whether a group on these rows has a singleton B level (then the general path drops it). */
  singleLevel(rows: Int32Array): boolean
}

/**
 * The fast path when the model has exactly two fixed effects, one of them with its levels
 * inside units (so that groups of units never split its levels) and, with singletons
 * dropped, no level of it alone; else undefined.
 */
export function fastPath(d: PermutationDesign): FastPath | undefined {
  if (d.fe.length !== 2) return undefined
  const unit: Factor = { codes: d.unit, levels: d.units }
  const k = d.fe.findIndex((f) => isNested(f, unit))
  if (k < 0) return undefined
  const A = d.fe[k], B = d.fe[1 - k]
  if (d.dropSingletons) {
    const c = new Int32Array(A.levels)
    for (const a of A.codes) c[a]++
    if (c.some((v) => v === 1)) return undefined
  }
  const within = nestedTwoWay(A, B, [d.y, ...d.X], d.weights)
  const seen = new Int32Array(B.levels)
  return {
    within,
    singleLevel(rows) {
      if (!d.dropSingletons) return false
      seen.fill(0)
      for (let i = 0; i < rows.length; i++) seen[B.codes[rows[i]]]++
      return seen.some((v) => v === 1)
    },
  }
}

function treatmentCoefficient(d: PermutationDesign, rows: Int32Array, fes: readonly Factor[]): number {
  const m = rows.length
  if (m === 0) return NaN
  const w = d.weights ? take(d.weights, rows) : undefined
  const intercept = fes.length === 0
  const absorber = createAbsorber(fes, w)
  const absorb = (x: Float64Array): Float64Array => (intercept ? x.slice() : absorber.demean(x).values)
  return solveTreatment(d, rows, absorb(take(d.y, rows)), d.X.map((x) => absorb(take(x, rows))), intercept)
}

/** QR of the demeaned (√w-scaled) regressors as the regression kernel does it; the treatment's coefficient or NaN. */
function solveTreatment(d: PermutationDesign, rows: Int32Array, yt: Float64Array, Xt: Float64Array[], intercept: boolean): number {
  const m = rows.length
  const w = d.weights
  // The kernel's reference norms: √(Σ w x²) of each regressor before demeaning, on these rows.
  const norm = (x: Float64Array | undefined): number => {
    let s = 0
    for (let i = 0; i < m; i++) { const r = rows[i], v = x ? x[r] : 1; s += (w ? w[r] : 1) * v * v }
    return Math.sqrt(s)
  }
  const refNorm = [...(intercept ? [norm(undefined)] : []), ...d.X.map(norm)]
  const cols = intercept ? [new Float64Array(m).fill(1), ...Xt] : Xt
  if (w) {
    const sw = Float64Array.from(rows, (r) => Math.sqrt(w[r]))
    for (const c of [...cols, yt]) for (let i = 0; i < m; i++) c[i] *= sw[i]
  }
  const qr = leastSquaresQr(cols, yt, refNorm)
  const at = qr.kept.indexOf(intercept ? 1 : 0)
  return at < 0 ? NaN : qr.coef[at]
}

function take(x: Float64Array, rows: Int32Array): Float64Array {
  const o = new Float64Array(rows.length)
  for (let i = 0; i < rows.length; i++) o[i] = x[rows[i]]
  return o
}

export interface PermutationResult {
  /** The observed statistic T (./compare.ts groupStatistic). */
  readonly statistic: number
  /** The group coefficients under the observed labelling. */
  readonly observed: Float64Array
  /** T* of each draw (NaN for a draw with a group without an estimate). */
  readonly draws: Float64Array
  /** Draws with a statistic. */
  readonly used: number
  /** #{|T*| ≥ |T|}. */
  readonly count: number
  readonly p: number
  readonly share: number
}

/**
 * The test over given labellings (`labelling(r)` is draw r's unit → group, r = 0..R−1),
 * `progress` called every few draws, `aborted` checked between draws.
 */
export function permutationTest(
  d: PermutationDesign, observed: Int32Array, R: number, labelling: (r: number) => Int32Array,
  opts: { progress?: (done: number, total: number) => void; aborted?: () => boolean } = {},
): PermutationResult {
  const fast = fastPath(d)
  const b0 = groupCoefficients(d, observed, fast)
  const t0 = groupStatistic(b0)
  const draws = new Float64Array(R)
  let used = 0, count = 0
  for (let r = 0; r < R; r++) {
    if (opts.aborted?.()) break
    const t = groupStatistic(groupCoefficients(d, labelling(r), fast))
    draws[r] = t
    if (Number.isFinite(t)) {
      used++
      if (Math.abs(t) >= Math.abs(t0)) count++
    }
    if (opts.progress && ((r + 1) % 50 === 0 || r + 1 === R)) opts.progress(r + 1, R)
  }
  return { statistic: t0, observed: b0, draws, used, count, p: (1 + count) / (1 + used), share: used ? count / used : NaN }
}
