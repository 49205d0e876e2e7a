/** Seeded random DEA panels for tests: log-normal data with a common size factor per unit and a trend in the desirable outputs. */
import type { DeaData } from '../../../../src/stats/dea/data.ts'
import { Rng } from '../../../../src/stats/rng.ts'

export interface RandomPanelOptions {
  readonly units: number
  readonly years: number
  readonly m: number
  readonly s1: number
  readonly s2: number
  /** Standard deviation of the log size factor. */
  readonly sizeSd: number
  /** Yearly growth of the desirable outputs (log points). */
  readonly trend: number
  /** Round values to two decimals (which makes ties). */
  readonly round?: boolean
}

export function randomPanel(seed: readonly (string | number)[], o: RandomPanelOptions): { data: DeaData; period: Int32Array; unit: Int32Array } {
  const rng = new Rng(seed)
  const { m, s1, s2 } = o
  const d = m + s1 + s2
  const n = o.units * o.years
  const values = new Float64Array(n * d)
  const period = new Int32Array(n)
  const unit = new Int32Array(n)
  for (let u = 0; u < o.units; u++) {
    const size = Math.exp(o.sizeSd * rng.normal())
    for (let t = 0; t < o.years; t++) {
      const j = u * o.years + t
      period[j] = t
      unit[j] = u
      for (let i = 0; i < d; i++) {
        const v = size * Math.exp(0.4 * rng.normal() + (i >= m && i < m + s1 ? o.trend * t : 0))
        values[j * d + i] = o.round ? Math.round(1000 * v) / 100 : v
      }
    }
  }
  return { data: { n, m, s1, s2, d, values }, period, unit }
}
