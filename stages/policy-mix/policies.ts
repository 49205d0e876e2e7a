/**
 * The policies of a policy-mix stage as written (`{name: column}` or `{name: {adoption: column}}`),
 * the headline pair, and the names of the terms built from them. Kept free of the estimation
 * code, so that the columns hook and `check` can use it without loading the kernel.
 */
import { QuasiError } from '../../src/errors.ts'
import type { PolicyMixParams, PolicyTiming } from './params.ts'

export interface Policy {
  readonly name: string
  /** Column of adoption years. */
  readonly adoption: string
  /** Parameter path of the column, for messages. */
  readonly param: (string | number)[]
}

export function policiesOf(p: Pick<PolicyMixParams, 'policies'>): Policy[] {
  return Object.entries(p.policies).map(([name, t]: [string, PolicyTiming]) => (typeof t === 'string'
    ? { name, adoption: t, param: ['policies', name] }
    : { name, adoption: t.adoption, param: ['policies', name, 'adoption'] }))
}

/** Every pair of policies in the order written: (1,2), (1,3), …, (2,3), … */
export function allPairs(names: readonly string[]): [string, string][] {
  const out: [string, string][] = []
  for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) out.push([names[i], names[j]])
  return out
}

/** The product term of a pair, as the regression kernel reads it. */
export const productTerm = (a: string, b: string): string => `${a}:${b}`
/** The mutually exclusive categories of the headline pair. */
export const onlyTerm = (a: string): string => `${a}_only`
export const BOTH_TERM = 'both'

/** Term names the stage builds; a policy may not take one of them. */
export function builtTerms(names: readonly string[], pair: readonly [string, string]): string[] {
  return [...names, onlyTerm(pair[0]), onlyTerm(pair[1]), BOTH_TERM]
}

/** The headline pair (`pair:`, else the first two policies) and the products of the interacted column. */
export function pairsOf(p: Pick<PolicyMixParams, 'policies' | 'pair'>): { pair: [string, string]; products: [string, string][] } {
  const names = Object.keys(p.policies)
  if (p.pair) {
    // in the order the policies are written, so that `cluster:lowcarbon` does not depend on how the pair is written
    const pair = [...p.pair].sort((a, b) => names.indexOf(a) - names.indexOf(b)) as [string, string]
    return { pair, products: [pair] }
  }
  return { pair: [names[0], names[1]], products: allPairs(names) }
}

/** Checks that need no data: `pair` names two policies; no policy takes a name the stage builds. */
export function checkPolicies(p: PolicyMixParams): QuasiError[] {
  const names = Object.keys(p.policies ?? {})
  const errors: QuasiError[] = []
  p.pair?.forEach((n, k) => {
    if (!names.includes(n)) {
      errors.push(new QuasiError('INVALID_VALUE', `\`pair\` names \`${n}\`, which is not one of the policies`, {
        param: ['pair', k], expected: `one of ${names.map((x) => `\`${x}\``).join(', ')}`, found: n,
      }))
    }
  })
  if (errors.length || names.length < 2) return errors
  const { pair } = pairsOf(p)
  for (const n of names) {
    if (n === BOTH_TERM || names.some((m) => n === onlyTerm(m) && pair.includes(m))) {
      errors.push(new QuasiError('INVALID_VALUE', `policy name \`${n}\` is taken by a term of the categories column (\`${onlyTerm(pair[0])}\`, \`${onlyTerm(pair[1])}\`, \`${BOTH_TERM}\`)`, {
        param: ['policies', n], hint: 'rename the policy',
      }))
    }
  }
  return errors
}
