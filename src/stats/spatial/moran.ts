/**
 * Global Moran's I with its moments under normality and under randomisation, and a
 * permutation p-value, as spdep's `moran.test` and `moran.mc` compute them.
 *
 * ## Method
 * z = x − x̄ (all N units), S0 = Σ_ij w_ij, S1 = Σ_ij (w_ij² + w_ij w_ji) (= ½ Σ (w_ij + w_ji)²),
 * S2 = Σ_i (w_i· + w_·i)². With n = N − (units without neighbours) (spdep's `adjust.n`):
 *   I = (n / S0) · z'Wz / z'z,        E[I] = −1 / (n − 1)
 *   normality:      V = (n² S1 − n S2 + 3 S0²) / (S0² (n² − 1)) − E[I]²
 *   randomisation:  V = [n((n² − 3n + 3) S1 − n S2 + 3 S0²) − b₂((n² − n) S1 − 2n S2 + 6 S0²)]
 *                       / ((n − 1)(n − 2)(n − 3) S0²) − E[I]²,   b₂ = N Σz⁴ / (Σz²)²
 *   z = (I − E[I]) / √V,  p (greater) = 1 − Φ(z),  p (two-sided) = 2 Φ(−|z|).
 * Permutation: I*_r of x permuted uniformly (Fisher–Yates) R times;
 *   p = (1 + #{I*_r ≥ I}) / (1 + R)   (one-sided, greater; Hope 1968).
 * ## References
 * A. D. Cliff, J. K. Ord (1981), Spatial Processes, Pion, §1.5 and §2.3;
 * R. Bivand, D. Wong (2018), "Comparing implementations of global and local indicators of
 * spatial association", TEST 27, 716–748; spdep `moran.test`, `moran.mc`.
 * A. C. A. Hope (1968), "A simplified Monte Carlo significance test procedure", JRSS B 30, 582–598.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf'
import { islands, rowSums, spatialLag, transpose, type SparseMatrix } from '../../artifacts/weights.ts'
import { zPValue } from '../dist.ts'
import type { Rng } from '../rng.ts'

/** The constants of W that the moments use (spdep's `spweights.constants`). */
export interface MoranConstants {
  /** N less the units without neighbours. */
  readonly n: number
  readonly S0: number
  readonly S1: number
  readonly S2: number
}

export function moranConstants(W: SparseMatrix): MoranConstants {
  const T = transpose(W)
  let S0 = 0, S1 = 0
  for (let i = 0; i < W.n; i++) {
    // Row i of W and row i of W' (w_ji), both with ascending columns: merge.
    let b = T.rowStart[i]
    const bEnd = T.rowStart[i + 1]
    for (let k = W.rowStart[i]; k < W.rowStart[i + 1]; k++) {
      const j = W.cols[k], w = W.values[k]
      while (b < bEnd && T.cols[b] < j) b++
      const wji = b < bEnd && T.cols[b] === j ? T.values[b] : 0
      S0 += w
      S1 += w * w + w * wji
    }
  }
  const r = rowSums(W), c = rowSums(T)
  let S2 = 0
  for (let i = 0; i < W.n; i++) S2 += (r[i] + c[i]) ** 2
  return { n: W.n - islands(W).length, S0, S1, S2 }
}

export interface MoranTest {
  readonly I: number
  readonly expected: number
  readonly varNormal: number
  readonly varRandom: number
  readonly zNormal: number
  readonly zRandom: number
  /** One-sided (greater) and two-sided p under each assumption. */
  readonly pNormal: number
  readonly pNormalTwo: number
  readonly pRandom: number
  readonly pRandomTwo: number
  /** Sample kurtosis b₂ = N Σz⁴ / (Σz²)². */
  readonly kurtosis: number
  readonly n: number
}

/** Centred values and z'z. */
function centre(x: ArrayLike<number>): { z: Float64Array; zz: number } {
  let mean = 0
  for (let i = 0; i < x.length; i++) mean += x[i]
  mean /= x.length
  const z = Float64Array.from(x, (v) => v - mean)
  let zz = 0
  for (let i = 0; i < z.length; i++) zz += z[i] * z[i]
  return { z, zz }
}

/** z'Wz. */
function quadratic(W: SparseMatrix, z: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < W.n; i++) {
    let r = 0
    for (let k = W.rowStart[i]; k < W.rowStart[i + 1]; k++) r += W.values[k] * z[W.cols[k]]
    s += z[i] * r
  }
  return s
}

const upper = (z: number) => (Number.isNaN(z) ? NaN : normalCdf(-z, 0, 1))

export function moranTest(x: ArrayLike<number>, W: SparseMatrix, c: MoranConstants = moranConstants(W)): MoranTest {
  const { z, zz } = centre(x)
  let z4 = 0
  for (let i = 0; i < z.length; i++) z4 += z[i] ** 4
  const { n, S0, S1, S2 } = c
  const I = (n / S0) * (quadratic(W, z) / zz)
  const EI = -1 / (n - 1)
  const S02 = S0 * S0, nn = n * n
  const K = (x.length * z4) / (zz * zz)
  const varNormal = (nn * S1 - n * S2 + 3 * S02) / (S02 * (nn - 1)) - EI * EI
  const varRandom = (n * (S1 * (nn - 3 * n + 3) - n * S2 + 3 * S02) - K * (S1 * (nn - n) - 2 * n * S2 + 6 * S02)) / ((n - 1) * (n - 2) * (n - 3) * S02) - EI * EI
  const zNormal = (I - EI) / Math.sqrt(varNormal)
  const zRandom = (I - EI) / Math.sqrt(varRandom)
  return {
    I, expected: EI, varNormal, varRandom, zNormal, zRandom,
    pNormal: upper(zNormal), pNormalTwo: zPValue(zNormal), pRandom: upper(zRandom), pRandomTwo: zPValue(zRandom),
    kurtosis: K, n,
  }
}

/** Moran's I of x (spdep's `moran(x, listw, n, S0)$I`). */
export function moranI(x: ArrayLike<number>, W: SparseMatrix, c: Pick<MoranConstants, 'n' | 'S0'> = moranConstants(W)): number {
  const { z, zz } = centre(x)
  return (c.n / c.S0) * (quadratic(W, z) / zz)
}

export interface MoranPermutation {
  readonly draws: number
  /** #{I* ≥ I}. */
  readonly atLeast: number
  /** (1 + #{I* ≥ I}) / (1 + R). */
  readonly p: number
  readonly mean: number
  readonly sd: number
}

/**
 * z'Wz needs only the symmetric part of W: z'Wz = Σ_i u_ii z_i² + Σ_{i<j} u_ij z_i z_j with
 * u_ii = w_ii and u_ij = w_ij + w_ji. Stored as the upper triangle, it halves the work of
 * each permutation.
 */
interface UpperForm { readonly n: number; readonly diag: Float64Array; readonly rowStart: Int32Array; readonly cols: Int32Array; readonly values: Float64Array }

function upperForm(W: SparseMatrix): UpperForm {
  const T = transpose(W)
  const diag = new Float64Array(W.n)
  const rowStart = new Int32Array(W.n + 1)
  const cols: number[] = [], values: number[] = []
  for (let i = 0; i < W.n; i++) {
    let p = W.rowStart[i], q = T.rowStart[i]
    const pe = W.rowStart[i + 1], qe = T.rowStart[i + 1]
    while (p < pe || q < qe) {
      const ja = p < pe ? W.cols[p] : W.n, jb = q < qe ? T.cols[q] : W.n
      const j = Math.min(ja, jb)
      const v = (ja === j ? W.values[p++] : 0) + (jb === j ? T.values[q++] : 0)
      if (j === i) diag[i] = v / 2
      else if (j > i && v !== 0) { cols.push(j); values.push(v) }
    }
    rowStart[i + 1] = cols.length
  }
  return { n: W.n, diag, rowStart, cols: Int32Array.from(cols), values: Float64Array.from(values) }
}

function quadraticUpper(U: UpperForm, z: Float64Array): number {
  let s = 0
  for (let i = 0; i < U.n; i++) {
    const zi = z[i]
    let r = U.diag[i] * zi
    for (let k = U.rowStart[i]; k < U.rowStart[i + 1]; k++) r += U.values[k] * z[U.cols[k]]
    s += zi * r
  }
  return s
}

/**
 * Permutation test: x shuffled `draws` times from `rng` (one Fisher–Yates shuffle of the
 * previous order per draw, which is again uniform), I* computed for each. The observed I is
 * computed here by the same summation as the I*, so an unchanged order compares equal.
 */
export function moranPermutation(x: ArrayLike<number>, W: SparseMatrix, draws: number, rng: Rng, c: Pick<MoranConstants, 'n' | 'S0'> = moranConstants(W)): MoranPermutation {
  const { z, zz } = centre(x)
  const U = upperForm(W)
  const scale = c.n / c.S0 / zz
  const I = scale * quadraticUpper(U, z)
  const perm = Float64Array.from(z)
  let atLeast = 0, sum = 0, sum2 = 0
  for (let r = 0; r < draws; r++) {
    for (let i = perm.length - 1; i > 0; i--) {
      const j = rng.int(i + 1)
      const t = perm[i]; perm[i] = perm[j]; perm[j] = t
    }
    const Ir = scale * quadraticUpper(U, perm)
    if (Ir >= I) atLeast++
    sum += Ir
    sum2 += Ir * Ir
  }
  const mean = sum / draws
  return { draws, atLeast, p: (1 + atLeast) / (1 + draws), mean, sd: draws > 1 ? Math.sqrt(Math.max(0, (sum2 - draws * mean * mean) / (draws - 1))) : NaN }
}

export { spatialLag }
