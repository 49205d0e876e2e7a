/**
 * Fact names against the patterns a stage kind declares (`StageDef.facts`): `<…>` stands
 * for any name without parentheses or commas, so `coef(<term>)` matches `coef(did)`.
 * White space is ignored, as in expectations.
 */
const cache = new Map<string, RegExp>()

function patternRe(pattern: string): RegExp {
  let re = cache.get(pattern)
  if (!re) {
    const body = pattern.replace(/\s+/g, '').split(/<[^>]*>/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^(),]+')
    re = new RegExp(`^${body}$`)
    cache.set(pattern, re)
  }
  return re
}

export function factDeclared(fact: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => patternRe(p).test(fact))
}
