/**
 * The columns of the policy-mix table, each a two-way FE regression with the model's controls,
 * fixed effects, weights and variance (the did kernel through stages/_estimation):
 *   (1)…(k)  y = β_p post_p + γ'X + α_i + λ_t + ε                   each policy alone
 *   (k+1)    y = Σ_p β_p post_p + γ'X + …                            additive
 *   (k+2)    y = Σ_p β_p post_p + Σ_(a,b) δ_ab post_a post_b + …     interacted (δ: the synergy)
 *   (k+3)    y = β_A a_only + β_B b_only + β_AB both + Σ_others β_p post_p + …   categories
 * For two policies the categories column is the interacted one reparametrized:
 * β_AB = β_a + β_b + δ_ab, the effect of having both relative to neither.
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { RegressionResult } from '../../src/stats/ols/types.ts'
import { fitRegression } from '../_estimation/fit.ts'
import type { EstimationSpec, Origin } from '../_estimation/spec.ts'
import { notIdentified } from './exposure.ts'
import { BOTH_TERM, onlyTerm, productTerm, type Policy } from './policies.ts'

export type SpecKind = 'alone' | 'additive' | 'interacted' | 'categories'

export interface Specification {
  /** Name in tidy.csv and glance.csv: `alone(<policy>)`, `additive`, `interacted`, `categories`. */
  readonly name: string
  readonly kind: SpecKind
  /** What the table's "Specification" row prints. */
  readonly row: string
  /** The policy terms, before the controls. */
  readonly terms: readonly string[]
}

export function specifications(names: readonly string[], pair: readonly [string, string], products: readonly (readonly [string, string])[]): Specification[] {
  const others = names.filter((n) => !pair.includes(n))
  return [
    ...names.map((n): Specification => ({ name: `alone(${n})`, kind: 'alone', row: 'Alone', terms: [n] })),
    { name: 'additive', kind: 'additive', row: 'Additive', terms: [...names] },
    { name: 'interacted', kind: 'interacted', row: 'Interacted', terms: [...names, ...products.map(([a, b]) => productTerm(a, b))] },
    { name: 'categories', kind: 'categories', row: 'Categories', terms: [onlyTerm(pair[0]), onlyTerm(pair[1]), BOTH_TERM, ...others] },
  ]
}

export interface FittedSpec extends Specification {
  readonly fit: RegressionResult
  /** The kernel's specification of this column (for suest's scores). */
  readonly spec: EstimationSpec
}

/**
 * Fit one column. A policy term the design cannot estimate is an error naming the policies:
 * the kernel would drop it silently, and the table would show a synergy of nothing.
 */
export function fitSpecification(data: Frame, spec: EstimationSpec, origin: Origin, s: Specification, policies: readonly Policy[], pair: readonly [string, string], level: number): FittedSpec {
  const own: EstimationSpec = { ...spec, regressors: [...s.terms] }
  const fit = fitRegression(data, own, origin, [...s.terms, ...spec.controls], { level })
  const dropped = s.terms.filter((t) => fit.collinear.includes(t))
  if (dropped.length) {
    const byName = (n: string) => policies.find((p) => p.name === n)!
    const product = dropped.find((t) => t.includes(':'))
    if (product) {
      const [a, b] = product.split(':')
      throw notIdentified(byName(a), byName(b), `their product \`${product}\` is collinear with the policies' own indicators and the fixed effects${spec.controls.length ? ' and controls' : ''} (e.g. every unit that adopts one of them has the other from the same year or earlier)`)
    }
    if (s.kind === 'interacted' || s.kind === 'categories') {
      throw notIdentified(byName(pair[0]), byName(pair[1]), `${dropped.map((t) => `\`${t}\``).join(', ')} ${dropped.length > 1 ? 'are' : 'is'} collinear with the other exposure terms and the fixed effects in the ${s.kind} column`)
    }
    const p = byName(dropped[0])
    const with_ = `the fixed effects${s.kind === 'additive' ? ', the other policies\' indicators' : ''}${spec.controls.length ? ' and controls' : ''}`
    throw new QuasiError('SINGULAR_DESIGN', `the post indicator of policy \`${p.name}\` is collinear with ${with_} and cannot be estimated (${s.name})`, {
      param: p.param,
      hint: 'a policy every unit adopts in the same year is absorbed by the year effects; a synergy needs timing that differs across units',
    })
  }
  return { ...s, fit, spec: own }
}
