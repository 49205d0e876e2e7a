/**
 * Values missing completely at random, so that `impute` has work. For each column in
 * MISSING and each city, the years are walked in order; at each year a gap starts with
 * probability p / (1 + q) and covers two years with probability q (TWO_YEAR_GAP), else one,
 * so about a share p of the eligible cells go missing. `interior` columns only lose years
 * strictly inside 2007–2021 (a gap never touches 2007 or 2021), so linear interpolation
 * within city fills every one of them; the other columns may also lose an end year.
 */
import type { Rng } from '../../../src/stats/rng.ts'
import type { City } from './cities.ts'
import { MISSING, TWO_YEAR_GAP, YEARS } from './params.ts'

export type MissingColumn = keyof typeof MISSING

/** For each column in MISSING, the rows (city-major, row = i·T + t) to blank. */
export function missingMask(cities: readonly City[], rng: Rng): Record<MissingColumn, Uint8Array> {
  const T = YEARS.length
  const out = {} as Record<MissingColumn, Uint8Array>
  for (const [name, spec] of Object.entries(MISSING) as [MissingColumn, (typeof MISSING)[MissingColumn]][]) {
    const mask = new Uint8Array(cities.length * T)
    const first = spec.interior ? 1 : 0
    const last = spec.interior ? T - 2 : T - 1
    const pStart = spec.p / (1 + TWO_YEAR_GAP)
    cities.forEach((c, i) => {
      const r = rng.fork(name).fork(c.code)
      for (let t = first; t <= last; t++) {
        const start = r.uniform() < pStart
        const two = r.uniform() < TWO_YEAR_GAP
        if (!start) continue
        mask[i * T + t] = 1
        if (two && t + 1 <= last) mask[i * T + ++t] = 1
        t++ // a gap is followed by at least one observed year
      }
    })
    out[name] = mask
  }
  return out
}
