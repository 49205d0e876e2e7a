/**
 * Counting parameters for the finite-sample factor.
 *
 *   K_full   = r + rank[D₁ … D_K]            every absorbed level, net of redundant ones
 *                                            (what lm with dummies, areg and plm count)
 *   K_nested = r + rank[1, D_k : k not nested]
 *                                            fixed effects nested in a cluster variable are
 *                                            left out, the intercept they carried is kept
 *   K_slopes = r                             no absorbed level counts (the `slopes`
 *                                            convention: plm vcovHC type "sss", fixest
 *                                            ssc(fixef.K = "none")); computed in ../vcov/vcov.ts
 *                                            as the number of kept regressors
 *
 * r counts the kept regressors (including '(Intercept)' when there are no fixed effects).
 * With unit and time effects and clusters by unit, K_nested = r + T, the count of Stata's
 * `xtreg, fe vce(cluster)`, reghdfe and fixest (`fixef.K = "nested"`): the unit effects are
 * already accounted for by the G/(G − 1) cluster factor, so counting them again in K
 * would over-correct (Cameron & Miller 2015, §IV.B; Wooldridge 2010, §10.5.3).
 *
 * ## References
 * A. C. Cameron, D. L. Miller (2015), J. Human Resources 50(2), 317–372, doi:10.3368/jhr.50.2.317.
 * J. M. Wooldridge (2010), Econometric Analysis of Cross Section and Panel Data, 2nd ed., MIT Press.
 * L. Bergé (2018), fixest, `ssc()` documentation and the "On standard errors" vignette.
 */
import type { Factor } from '../fe/factor.ts'
import { isNested } from '../fe/factor.ts'
import { bipartiteComponents } from '../fe/components.ts'
import { createAbsorber } from '../fe/absorb.ts'

/** Rank of the dummy matrix of the factors, with an intercept: rank[1, D₁ … D_K]. */
export function dummyRank(factors: readonly Factor[]): { rank: number; exact: boolean } {
  if (factors.length === 0) return { rank: 1, exact: true }
  if (factors.length === 1) return { rank: factors[0].levels, exact: true }
  if (factors.length === 2) {
    const [a, b] = factors
    return { rank: a.levels + b.levels - bipartiteComponents(a, b), exact: true }
  }
  const ab = createAbsorber(factors, undefined)
  return { rank: ab.rank, exact: ab.rankExact }
}

/** Which fixed effects are nested in at least one of the cluster factors. */
export function nestedFlags(fes: readonly Factor[], clusters: readonly Factor[]): boolean[] {
  return fes.map((f) => clusters.some((c) => isNested(f, c)))
}

/** K_nested given the nesting flags (equal to K_full when nothing is nested). */
export function kNested(r: number, fes: readonly Factor[], nested: readonly boolean[], feRank: number): number {
  const outside: Factor[] = []
  for (let k = 0; k < fes.length; k++) if (!nested[k]) outside.push(fes[k])
  if (outside.length === fes.length) return r + feRank
  return r + dummyRank(outside).rank
}
