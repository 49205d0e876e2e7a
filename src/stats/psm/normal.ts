/** The standard normal distribution and density for the probit link (stdlib-js, as src/stats/dist.ts). */
import cdf from '@stdlib/stats-base-dists-normal-cdf'

const INV_SQRT_2PI = 0.3989422804014327

export function normalCdf(x: number): number {
  return cdf(x, 0, 1)
}

export function normalDensity(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x)
}
