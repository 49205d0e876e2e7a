/** Tolerance checks whose failures say what, where, how far and how far allowed. */
import { expect } from 'vitest'

export function expectClose(got: number, want: number, opts: { abs?: number; rel?: number; label: string }): void {
  const tol = Math.max(opts.abs ?? 0, (opts.rel ?? 0) * Math.max(1, Math.abs(want)))
  const delta = Math.abs(got - want)
  if (!(delta <= tol)) {
    expect.fail(`${opts.label}: got ${got}, expected ${want}, Δ ${delta.toExponential(2)} > tol ${tol.toExponential(2)}`)
  }
}

/** Largest |a − b| / max(1, |b|) over the pairs where b is a number; NaN vs number counts as Infinity. */
export function maxRelDiff(a: ArrayLike<number>, b: readonly (number | null)[]): { max: number; at: number } {
  let max = 0
  let at = -1
  for (let k = 0; k < b.length; k++) {
    const want = b[k]
    if (want === null) continue
    const d = Number.isFinite(a[k]) ? Math.abs(a[k] - want) / Math.max(1, Math.abs(want)) : Infinity
    if (d > max) {
      max = d
      at = k
    }
  }
  return { max, at }
}
