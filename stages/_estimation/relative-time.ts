/**
 * Relative-time indicators for an event study (event-study; policy-mix's joint exposure,
 * with A_i the year the unit's last policy arrives). For unit i adopting in year A_i, the
 * relative period of year t is e = t − A_i; with a window [lo, hi] the indicator of period
 * k ∈ [lo, hi], k ≠ reference, is
 *   D^k_it = 1{e = k}            for lo < k < hi,
 *   D^lo_it = 1{e ≤ lo},  D^hi_it = 1{e ≥ hi}   (binned end points),
 * and 0 for never-treated units (adoption missing or 0). Labels follow the papers:
 * pre|k| for k < 0, current for k = 0, post k for k > 0.
 */
import { numberColumn, type Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { CoefPoint } from '../../src/report/figure.ts'
import { fPValue } from '../../src/stats/dist.ts'
import type { RegressionResult } from '../../src/stats/ols/types.ts'
import { isNeverTreated } from '../../src/stats/treatment.ts'
import { waldTest } from './wald.ts'

export function periodLabel(k: number): string {
  return k < 0 ? `pre${-k}` : k === 0 ? 'current' : `post${k}`
}

export interface RelativeTime {
  /** The frame with one 0/1 column per estimated period. */
  readonly frame: Frame
  /** Periods lo..hi in order, with their column names; the reference has no column. */
  readonly periods: readonly { readonly k: number; readonly label: string; readonly reference: boolean }[]
  /** Treated units' observations in each period (after binning), for the log. */
  readonly counts: ReadonlyMap<number, number>
}

/** `window` runs from a negative period to 0 or later and holds `reference`; `example` is the stage's default window, for the hint. */
export function checkWindow(window: readonly [number, number], reference: number, example: readonly [number, number]): void {
  const [lo, hi] = window
  if (!(lo < 0 && hi >= 0)) {
    throw new QuasiError('INVALID_VALUE', `Expected \`window\` to run from a negative period to zero or later, got [${lo}, ${hi}]`, { param: ['window'], hint: `e.g. \`window: [${example[0]}, ${example[1]}]\`` })
  }
  if (reference < lo || reference > hi) {
    throw new QuasiError('INVALID_VALUE', `Expected \`reference\` to lie in the window [${lo}, ${hi}], got ${reference}`, { param: ['reference'] })
  }
}

export function relativeTimeDummies(frame: Frame, time: string, adoption: string, window: readonly [number, number], reference: number): RelativeTime {
  const [lo, hi] = window
  const t = frame.numbers(time)
  const a = frame.numbers(adoption)
  const n = frame.nrows
  const periods = []
  for (let k = lo; k <= hi; k++) periods.push({ k, label: periodLabel(k), reference: k === reference })
  const cols = new Map<number, Float64Array>()
  for (const p of periods) if (!p.reference) cols.set(p.k, new Float64Array(n))
  const counts = new Map<number, number>(periods.map((p) => [p.k, 0]))
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(t[i])) {
      for (const c of cols.values()) c[i] = NaN
      continue
    }
    if (isNeverTreated(a[i])) continue
    const e = Math.min(hi, Math.max(lo, t[i] - a[i]))
    counts.set(e, (counts.get(e) ?? 0) + 1)
    const c = cols.get(e)
    if (c) c[i] = 1
  }
  let out = frame
  for (const p of periods) if (!p.reference) out = out.withColumn(p.label, numberColumn(cols.get(p.k)!))
  return { frame: out, periods, counts }
}

/**
 * What an event study fitted on these indicators reports: the pre-trend F (the joint test
 * of the pre-period indicators the fit kept), the figure's points (binned end points tick
 * as ≤lo and ≥hi, unless `labels` names the period) and the series `event-compare` reads.
 */
export function pretrendTest(rt: RelativeTime, fit: RegressionResult): { f: number; df1: number; df2: number; p: number; terms: string[] } {
  const terms = rt.periods.filter((x) => x.k < 0 && !x.reference && !fit.collinear.includes(x.label)).map((x) => x.label)
  const w = waldTest(fit, terms)
  return { f: w.f, df1: w.df1, df2: fit.dfT, p: fPValue(w.f, w.df1, fit.dfT), terms }
}

export function eventPoints(rt: RelativeTime, fit: RegressionResult, labels: Readonly<Record<string, string>>): CoefPoint[] {
  const lo = rt.periods[0].k
  const hi = rt.periods[rt.periods.length - 1].k
  const minus = (k: number) => (k < 0 ? `\u2212${-k}` : String(k))
  const tick = (k: number) => (k === lo ? `≤${minus(k)}` : k === hi ? `≥${minus(k)}` : minus(k))
  return rt.periods.flatMap((x) => {
    const label = labels[x.label] ?? tick(x.k)
    if (x.reference) return [{ k: x.k, label, estimate: 0, low: 0, high: 0, reference: true }]
    const t = fit.terms.find((r) => r.term === x.label)
    return t ? [{ k: x.k, label, estimate: t.estimate, low: t.confLow, high: t.confHigh }] : []
  })
}

/** A type, not an interface, so that it is Json. */
export type EventSeriesPeriod = { k: number; estimate: number | null; std_error: number | null; low: number | null; high: number | null; reference: boolean }

export function eventSeries(rt: RelativeTime, fit: RegressionResult, level: number): { level: number; band: 'pointwise'; periods: EventSeriesPeriod[] } {
  const num = (x: number): number | null => (Number.isFinite(x) ? x : null)
  return {
    level,
    band: 'pointwise',
    periods: rt.periods.flatMap((x): EventSeriesPeriod[] => {
      if (x.reference) return [{ k: x.k, estimate: 0, std_error: null, low: null, high: null, reference: true }]
      const t = fit.terms.find((r) => r.term === x.label)
      return t ? [{ k: x.k, estimate: num(t.estimate), std_error: num(t.stdError), low: num(t.confLow), high: num(t.confHigh), reference: false }] : []
    }),
  }
}
