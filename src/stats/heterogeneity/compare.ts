/**
 * Tests that a coefficient differs between groups, from the group estimates and a
 * covariance of them.
 *
 * Split-sample z (two independent samples):
 *   z = (b₁ − b₂) / √(se₁² + se₂²),   p = 2 Φ(−|z|)
 * (Clogg, Petkova & Haritou 1995, eq. 2; Paternoster et al. 1998). It treats the two
 * estimates as independent, which holds when no cluster has rows in both groups.
 *
 * Equality of m coefficients (m ≥ 2) under a joint covariance V (interaction model or suest):
 *   R = [1, −I_{m−1}] (rows b₁ − b_g, g = 2..m),  W = (Rb)' (R V R')⁻¹ (Rb),
 * reported as F = W/(m − 1) on (m − 1, G − 1) (the interaction model's clustered t df) or
 * as χ² = W on m − 1 degrees of freedom (suest), through the kernel's Wald test.
 *
 * ## References
 * C. C. Clogg, E. Petkova, A. Haritou (1995), "Statistical methods for comparing regression
 *   coefficients between models", American Journal of Sociology 100(5), 1261–1293.
 * G. C. Chow (1960), "Tests of equality between sets of coefficients in two linear
 *   regressions", Econometrica 28(3), 591–605.
 */
import { zPValue } from '../dist.ts'
import { wald, type WaldTest } from '../ols/hypothesis.ts'

export interface SplitZ {
  readonly diff: number
  readonly se: number
  readonly z: number
  readonly p: number
}

export function splitSampleZ(b1: number, se1: number, b2: number, se2: number): SplitZ {
  const diff = b1 - b2
  const se = Math.sqrt(se1 * se1 + se2 * se2)
  const z = diff / se
  return { diff, se, z, p: zPValue(z) }
}

/** Restriction rows b₁ − b_g = 0 (g = 2..m) over `m` coefficients at `index` among `k`. */
export function equalityRows(index: readonly number[], k: number): number[][] {
  return index.slice(1).map((g) => {
    const row = new Array<number>(k).fill(0)
    row[index[0]] = 1
    row[g] = -1
    return row
  })
}

/** Wald test that the coefficients at `index` (of b, V) are all equal. */
export function equalityTest(b: ArrayLike<number>, V: ArrayLike<number>, dfDen: number, index: readonly number[]): WaldTest {
  const R = equalityRows(index, b.length)
  return wald(b, V, dfDen, R, new Array<number>(R.length).fill(0))
}

/**
 * The permutation statistic: b₁ − b₂ for two groups; for more, the dispersion
 * Σ_g (b_g − b̄)² (for two groups it is (b₁ − b₂)²/2, so both order draws alike). NaN when
 * a group has no estimate.
 */
export function groupStatistic(b: ArrayLike<number>): number {
  if (b.length === 2) return b[0] - b[1]
  let s = 0
  for (let g = 0; g < b.length; g++) s += b[g]
  const mean = s / b.length
  let ss = 0
  for (let g = 0; g < b.length; g++) ss += (b[g] - mean) * (b[g] - mean)
  return ss
}
