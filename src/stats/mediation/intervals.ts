/**
 * Bootstrap confidence intervals of a statistic θ from its draws θ*₁ … θ*_B (draws without an
 * estimate, NaN, are left out), at level 1 − α:
 *
 *   percentile       [q(α/2), q(1 − α/2)]
 *   bias-corrected   z₀ = Φ⁻¹(#{θ*_b < θ̂} / B),  [q(Φ(2z₀ + z_{α/2})), q(Φ(2z₀ + z_{1−α/2}))]
 *
 * with q the sample quantile of R's type 7 (../quantile.ts). When no draw (or every draw) is
 * below θ̂, z₀ is ∓∞ and the interval runs to the smallest (largest) draw, as R's qnorm/pnorm
 * give. This is Efron's BC interval (BCa with acceleration 0); boot::boot.ci interpolates
 * its quantiles on the normal scale instead of type 7.
 *
 * ## References
 * B. Efron (1982), The Jackknife, the Bootstrap and Other Resampling Plans, SIAM, ch. 10.
 * B. Efron, R. J. Tibshirani (1993), An Introduction to the Bootstrap, Chapman & Hall, §13.3, §14.3.
 * D. P. MacKinnon, C. M. Lockwood, J. Williams (2004), "Confidence limits for the indirect
 *   effect", Multivariate Behavioral Research 39(1), 99–128 (the BC interval for a·b).
 */
import { normalProbability, normalQuantile } from '../dist.ts'
import { quantile7 } from '../quantile.ts'

export interface BootInterval {
  readonly low: number
  readonly high: number
}

export interface BootSummary {
  /** Draws with an estimate. */
  readonly used: number
  readonly sd: number
  readonly percentile: BootInterval
  readonly bc: BootInterval
  /** z₀ of the bias correction. */
  readonly z0: number
}

export function bootSummary(draws: Float64Array, estimate: number, level: number): BootSummary {
  const x = draws.filter((v) => Number.isFinite(v)).sort()
  const B = x.length
  const alpha = 1 - level
  let mean = 0
  for (const v of x) mean += v
  mean /= B
  let ss = 0
  for (const v of x) ss += (v - mean) * (v - mean)
  let below = 0
  for (const v of x) if (v < estimate) below++
  const z0 = normalQuantile(below / B)
  const at = (z: number) => quantile7(x, normalProbability(2 * z0 + z))
  const zl = normalQuantile(alpha / 2), zh = normalQuantile(1 - alpha / 2)
  return {
    used: B,
    sd: B > 1 ? Math.sqrt(ss / (B - 1)) : NaN,
    percentile: { low: quantile7(x, alpha / 2), high: quantile7(x, 1 - alpha / 2) },
    bc: B > 0 && Number.isFinite(estimate) ? { low: at(zl), high: at(zh) } : { low: NaN, high: NaN },
    z0,
  }
}
