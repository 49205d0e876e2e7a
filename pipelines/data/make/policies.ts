/**
 * Synthetic adoption years of the other place-based policies (low-carbon city pilots,
 * Broadband China, smart-city pilots). The real lists are not part of the project, so
 * cities are assigned by a seeded rule that, like the real selection, favours large and
 * developed cities:
 *
 *   score_i = d_i + 0.5 s_i + 0.5 η_i,            η_i ~ N(0, 1)
 *   the N = Σ_b n_b cities with the highest score are treated;
 *   they are ordered by score_i + 0.5 η'_i (η' ~ N(0, 1)), and the first n_1 get the first
 *   batch year, the next n_2 the second, and so on.
 *
 * d_i and s_i are the latent development and size indices of dgp.ts.
 */
import type { Rng } from '../../../src/stats/rng.ts'
import type { City } from './cities.ts'
import { OTHER_POLICIES, type OtherPolicy } from './params.ts'

/** Adoption year per city (same order as `cities`), null = never. */
export type Adoption = (number | null)[]

export function assignPolicy(
  name: OtherPolicy,
  cities: readonly City[],
  latent: { d: Float64Array; s: Float64Array },
  rng: Rng,
): Adoption {
  const batches = Object.entries(OTHER_POLICIES[name].batches)
    .map(([year, n]) => [Number(year), n] as const)
    .sort((a, b) => a[0] - b[0])
  const total = batches.reduce((s, [, n]) => s + n, 0)
  const r = rng.fork(name)
  const score = cities.map((c, i) => {
    const cr = r.fork(c.code)
    const first = latent.d[i] + 0.5 * latent.s[i] + 0.5 * cr.normal()
    return { i, first, second: first + 0.5 * cr.normal() }
  })
  const chosen = [...score].sort((a, b) => b.first - a.first || a.i - b.i).slice(0, total)
  chosen.sort((a, b) => b.second - a.second || a.i - b.i)
  const out: Adoption = cities.map(() => null)
  let k = 0
  for (const [year, n] of batches) {
    for (let m = 0; m < n; m++) out[chosen[k++].i] = year
  }
  return out
}
