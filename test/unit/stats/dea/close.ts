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

/**
 * The SBM (or super-SBM) ratio of a scores.csv row's own slacks, with the unit's data
 * recovered from its targets: Tone's ρ = (1 − (1/m)Σ s⁻/x) / (1 + (1/s)Σ s⁺/y), super-SBM
 * δ = (1 + (1/m)Σ s⁻/x) / (1 − (1/s)Σ s⁺/y); input-oriented without the output terms.
 */
export function slackRatio(row: Record<string, string>, names: { inputs: readonly string[]; desirable: readonly string[]; undesirable: readonly string[] }, inputOriented: boolean): number {
  const m = names.inputs.length
  const s1 = names.desirable.length
  const all = [...names.inputs, ...names.desirable, ...names.undesirable]
  const sup = row.status === 'super'
  const slack = all.map((n) => Number(row[`slack_${n}`]))
  const x = all.map((n, i) => {
    const t = Number(row[`target_${n}`])
    const good = i >= m && i < m + s1
    return sup ? (good ? t + slack[i] : t - slack[i]) : good ? t - slack[i] : t + slack[i]
  })
  const inTerm = slack.slice(0, m).reduce((a, s, i) => a + s / x[i], 0) / m
  const outTerm = inputOriented ? 0 : slack.slice(m).reduce((a, s, i) => a + s / x[m + i], 0) / (all.length - m)
  return sup ? (1 + inTerm) / (1 - outTerm) : (1 - inTerm) / (1 + outTerm)
}

/** The fixtures list statuses other than "inefficient" as {status: [DMU indices]}. */
export function expandStatus(compact: Record<string, number[]>, n: number): string[] {
  const out = new Array<string>(n).fill('inefficient')
  for (const [status, idx] of Object.entries(compact)) for (const k of idx) out[k] = status
  return out
}
