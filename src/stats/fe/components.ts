/**
 * Connected components of the bipartite graph whose nodes are the levels of two factors
 * and whose edges are the observations. With two fixed effects, the dummy matrix [D₁ D₂]
 * has rank G₁ + G₂ − (number of components): one normalisation per component.
 *
 * ## Method  Union–find with path halving and union by size, O(n α(n)).
 * ## References
 * J. M. Abowd, R. H. Creecy, F. Kramarz (2002), "Computing person and firm effects using
 * linked longitudinal employer-employee data", U.S. Census Bureau TP-2002-06 (the
 * connected-set argument for the identification of two-way effects).
 */
import type { Factor } from './factor.ts'

export function bipartiteComponents(a: Factor, b: Factor): number {
  const size = a.levels + b.levels
  const parent = new Int32Array(size)
  const rank = new Int32Array(size).fill(1)
  for (let i = 0; i < size; i++) parent[i] = i
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]]
      x = parent[x]
    }
    return x
  }
  let components = size
  const ca = a.codes, cb = b.codes
  for (let i = 0; i < ca.length; i++) {
    let x = find(ca[i]), y = find(a.levels + cb[i])
    if (x === y) continue
    if (rank[x] < rank[y]) { const t = x; x = y; y = t }
    parent[y] = x
    rank[x] += rank[y]
    components--
  }
  return components
}
