/**
 * Frontiers: which DMUs each DMU is compared with. A DMU is one unit-year; `period[j]` is
 * the index of its year among the panel's distinct years in ascending order.
 *
 * - global: every DMU of every year in one reference set (Pastor & Lovell 2005); a
 *   super-efficiency LP leaves out only the unit-year itself.
 * - contemporaneous: the DMUs of the same year (Färe et al. 1994).
 * - sequential: the DMUs of the same and all earlier years (Shestalova 2003), so the
 *   frontier never moves back.
 * - window: DEA window analysis (Charnes, Clark, Cooper & Golany 1985; CST 2007 §11.2):
 *   windows of k consecutive years, starting at every year from the first to the (T−k+1)-th;
 *   each window is one reference set, every DMU in it is evaluated in it, and a DMU's score
 *   is the mean over the windows that contain its year (1 to k of them).
 * Years count by position in the sorted list of distinct years, so a gap year in the data
 * does not open a gap in a window.
 */

export type Frontier = 'global' | 'contemporaneous' | 'window' | 'sequential'

/** One reference set and the DMUs evaluated against it. */
export interface FrontierGroup {
  readonly label: string
  /** Reference DMUs, ascending. */
  readonly ref: Int32Array
  /** DMUs evaluated against `ref`, ascending (a subset of `ref`). */
  readonly evaluate: Int32Array
}

/**
 * @param period year index of each DMU (0 … nPeriods−1); DMUs with period < 0 are left out
 * @param window window width k for `frontier: window`
 */
export function frontierGroups(period: Int32Array, nPeriods: number, frontier: Frontier, window = 3, periodLabels?: readonly string[]): FrontierGroup[] {
  const byPeriod: number[][] = Array.from({ length: nPeriods }, () => [])
  for (let j = 0; j < period.length; j++) if (period[j] >= 0) byPeriod[period[j]].push(j)
  const label = (p: number): string => periodLabels?.[p] ?? String(p)
  const union = (from: number, to: number): Int32Array => {
    const out: number[] = []
    // not push(...): a year may hold more DMUs than a call takes arguments
    for (let p = from; p <= to; p++) for (const j of byPeriod[p]) out.push(j)
    return Int32Array.from(out).sort()
  }
  switch (frontier) {
    case 'global': {
      const all = union(0, nPeriods - 1)
      return [{ label: 'global', ref: all, evaluate: all }]
    }
    case 'contemporaneous':
      return byPeriod.map((units, p) => ({ label: label(p), ref: Int32Array.from(units), evaluate: Int32Array.from(units) })).filter((g) => g.evaluate.length > 0)
    case 'sequential':
      return byPeriod
        .map((units, p) => ({ label: `≤${label(p)}`, ref: union(0, p), evaluate: Int32Array.from(units) }))
        .filter((g) => g.evaluate.length > 0)
    case 'window': {
      if (!(Number.isInteger(window) && window >= 1)) throw new RangeError(`window must be an integer >= 1, got ${window}`)
      const k = Math.min(window, nPeriods)
      const groups: FrontierGroup[] = []
      for (let p = 0; p + k <= nPeriods; p++) {
        const units = union(p, p + k - 1)
        if (units.length > 0) groups.push({ label: `${label(p)}–${label(p + k - 1)}`, ref: units, evaluate: units })
      }
      return groups
    }
  }
}
