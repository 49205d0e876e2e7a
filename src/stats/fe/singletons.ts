/**
 * Singleton observations: alone in their level of some fixed effect. Their residual is
 * exactly zero, so they add nothing to the estimates but inflate N (and, when the fixed
 * effect is nested in the cluster, understate cluster-robust standard errors). Removing
 * them can create new singletons, so removal repeats until none is left, as reghdfe does.
 *
 * ## References
 * S. Correia (2015), "Singletons, cluster-robust standard errors and fixed effects: a bad
 * mix", technical note, http://scorreia.com/research/singletons.pdf.
 */
import type { Factor } from './factor.ts'

/**
 * Clears `keep[i]` for every singleton among the kept rows, iterating to a fixed point.
 * Returns how many rows were dropped. Factors may contain −1 only on rows not kept.
 */
export function dropSingletons(factors: readonly Factor[], keep: Uint8Array): number {
  if (factors.length === 0) return 0
  const n = keep.length
  const counts = factors.map((f) => {
    const c = new Int32Array(f.levels)
    for (let i = 0; i < n; i++) if (keep[i]) c[f.codes[i]]++
    return c
  })
  let dropped = 0
  for (;;) {
    let changed = 0
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue
      let single = false
      for (let k = 0; k < factors.length; k++) {
        if (counts[k][factors[k].codes[i]] === 1) { single = true; break }
      }
      if (!single) continue
      keep[i] = 0
      changed++
      for (let k = 0; k < factors.length; k++) counts[k][factors[k].codes[i]]--
    }
    if (changed === 0) return dropped
    dropped += changed
  }
}
