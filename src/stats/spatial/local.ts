/**
 * Local Moran's I (LISA), as spdep's `localmoran` (mlvar = TRUE, two-sided p).
 *
 * ## Method
 * z = x − x̄, m₂ = Σz²/N, b₂ = (Σz⁴/N) / m₂², W_i = Σ_j w_ij, W_i2 = Σ_j w_ij²:
 *   I_i = (z_i / m₂) Σ_j w_ij z_j
 * conditional (default; permutation of the others with z_i fixed, Sokal, Oden & Thomson 1998):
 *   E[I_i] = −z_i² W_i / ((N − 1) m₂)
 *   V[I_i] = (z_i/m₂)² · N/(N − 2) · (W_i2 − W_i²/(N − 1)) · (m₂ − z_i²/(N − 1))
 * total (Anselin 1995, randomisation):
 *   E[I_i] = −W_i / (N − 1),  V[I_i] = A W_i2 + B (W_i² − W_i2) − E[I_i]²,
 *   A = (N − b₂)/(N − 1),  B = (2b₂ − N)/((N − 1)(N − 2))
 *   Z_i = (I_i − E[I_i]) / √V[I_i],  p_i = 2 Φ(−|Z_i|).
 * Quadrant (spdep's `quadr$mean`): x_i against x̄ and (Wx)_i against the mean of Wx,
 * "High" when strictly above: HH, LL, HL (high value, low neighbours), LH.
 * ## References
 * L. Anselin (1995), "Local indicators of spatial association — LISA", Geographical Analysis 27(2), 93–115;
 * R. R. Sokal, N. L. Oden, B. A. Thomson (1998), Geographical Analysis 30(4), 331–354;
 * spdep `localmoran`.
 */
import { spatialLag, type SparseMatrix } from '../../artifacts/weights.ts'
import { zPValue } from '../dist.ts'

export type Quadrant = 'HH' | 'LL' | 'HL' | 'LH'

export interface LocalMoran {
  readonly Ii: Float64Array
  readonly expected: Float64Array
  readonly variance: Float64Array
  readonly z: Float64Array
  readonly p: Float64Array
  /** (Wx)_i. */
  readonly lag: Float64Array
  readonly quadrant: Quadrant[]
}

export function localMoran(x: ArrayLike<number>, W: SparseMatrix, opts: { conditional?: boolean } = {}): LocalMoran {
  const conditional = opts.conditional ?? true
  const N = x.length
  let mean = 0
  for (let i = 0; i < N; i++) mean += x[i]
  mean /= N
  const z = Float64Array.from(x, (v) => v - mean)
  const lz = spatialLag(W, z)
  const lag = spatialLag(W, x)
  let z2 = 0, z4 = 0, lagMean = 0
  for (let i = 0; i < N; i++) { z2 += z[i] * z[i]; z4 += z[i] ** 4; lagMean += lag[i] }
  lagMean /= N
  const m2 = z2 / N
  const b2 = z4 / N / (m2 * m2)
  const out = { Ii: new Float64Array(N), expected: new Float64Array(N), variance: new Float64Array(N), z: new Float64Array(N), p: new Float64Array(N), lag, quadrant: [] as Quadrant[] }
  for (let i = 0; i < N; i++) {
    let Wi = 0, Wi2 = 0
    for (let k = W.rowStart[i]; k < W.rowStart[i + 1]; k++) { Wi += W.values[k]; Wi2 += W.values[k] ** 2 }
    const Ii = (z[i] / m2) * lz[i]
    let E: number, V: number
    if (conditional) {
      E = -(z[i] * z[i] * Wi) / ((N - 1) * m2)
      V = (z[i] / m2) ** 2 * (N / (N - 2)) * (Wi2 - (Wi * Wi) / (N - 1)) * (m2 - (z[i] * z[i]) / (N - 1))
    } else {
      E = -Wi / (N - 1)
      const A = (N - b2) / (N - 1), B = (2 * b2 - N) / ((N - 1) * (N - 2))
      V = A * Wi2 + B * (Wi * Wi - Wi2) - E * E
    }
    out.Ii[i] = Ii
    out.expected[i] = E
    out.variance[i] = V
    out.z[i] = (Ii - E) / Math.sqrt(V)
    out.p[i] = zPValue(out.z[i])
    out.quadrant.push(`${x[i] > mean ? 'H' : 'L'}${lag[i] > lagMean ? 'H' : 'L'}` as Quadrant)
  }
  return out
}
