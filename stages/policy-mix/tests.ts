/**
 * The tests of a policy mix.
 *
 * Synergy of a pair (a, b): H0 δ_ab = 0 in the interacted column, t = δ̂/se(δ̂) with the
 * model's variance and t degrees of freedom (G − 1 clustered, as did), reported also as the
 * Wald F(1, df) = t². With more than one product, the joint Wald F of all of them (q, df).
 *
 * Joint effect against the sum of the separate effects, for the headline pair:
 *   θ = β_both(categories) − (β_a(alone a) + β_b(alone b)),  W = θ̂² / Var(θ̂) ~ χ²(1),
 * where the three coefficients come from three separately fitted models. Var(θ̂) needs
 * their covariances, from the models' scores stacked by cluster as Stata's `suest` does
 * (src/stats/heterogeneity/suest.ts: G/(G − 1) · B (Σ_c S_c S_c') B, no (N − 1)/(N − K)).
 * Two-way clustering has no such stacking: the test is then left out with a warning.
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import { wald, waldTest, type WaldTest } from '../../src/stats/ols/hypothesis.ts'
import type { RegressionResult } from '../../src/stats/ols/types.ts'
import { regressionSpec, type EstimationSpec } from '../_estimation/spec.ts'
import { suestOf } from '../_estimation/suest.ts'
import { BOTH_TERM, productTerm } from './policies.ts'
import type { FittedSpec } from './specifications.ts'

export interface NamedTest {
  /** `synergy(a,b)`, `synergies`, `joint_minus_sum`. */
  readonly name: string
  readonly hypothesis: string
  readonly wald: WaldTest
  /** χ² (suest) rather than F (one model's variance). */
  readonly chi2: boolean
}

const index = (r: RegressionResult, term: string) => r.terms.findIndex((t) => t.term === term)

function rows(r: RegressionResult, terms: readonly string[]): number[][] {
  return terms.map((t) => {
    const at = index(r, t)
    return r.terms.map((_, j) => (j === at ? 1 : 0))
  })
}

/** One test per product of the interacted column, then their joint test when there are several. */
export function synergyTests(interacted: RegressionResult, products: readonly (readonly [string, string])[]): NamedTest[] {
  const out = products.map(([a, b]): NamedTest => {
    const term = productTerm(a, b)
    return { name: `synergy(${a},${b})`, hypothesis: `${term} = 0`, wald: waldTest(interacted, rows(interacted, [term]), [0]), chi2: false }
  })
  if (products.length > 1) {
    const terms = products.map(([a, b]) => productTerm(a, b))
    out.push({ name: 'synergies', hypothesis: terms.map((t) => `${t} = 0`).join('; '), wald: waldTest(interacted, rows(interacted, terms), terms.map(() => 0)), chi2: false })
  }
  return out
}

/** The suest Wald test of joint = sum of separate effects. */
export function jointMinusSum(spec: EstimationSpec, data: Frame, alone: readonly [FittedSpec, FittedSpec], categories: FittedSpec, pair: readonly [string, string]): NamedTest {
  const fits: [FittedSpec, string][] = [[categories, BOTH_TERM], [alone[0], pair[0]], [alone[1], pair[1]]]
  const V = suestOf(spec, data, fits.map(([f]) => ({ frame: data, spec: regressionSpec(f.spec, [...f.terms, ...spec.controls]), fit: f.fit })))
  const at = fits.map(([f, term], j) => {
    const i = index(f.fit, term)
    if (i < 0) throw new QuasiError('INTERNAL', `suest: term \`${term}\` is missing from ${f.name}`)
    return V.offsets[j] + i
  })
  const b = new Float64Array(V.P)
  fits.forEach(([f], j) => f.fit.terms.forEach((t, i) => { b[V.offsets[j] + i] = t.estimate }))
  const R = [Array.from({ length: V.P }, (_, c) => (c === at[0] ? 1 : c === at[1] || c === at[2] ? -1 : 0))]
  return {
    name: 'joint_minus_sum',
    hypothesis: `${BOTH_TERM} (categories) = ${pair[0]} (alone) + ${pair[1]} (alone)`,
    wald: wald(b, V.V, Infinity, R, [0]),
    chi2: true,
  }
}
