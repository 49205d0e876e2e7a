/**
 * Global Malmquist–Luenberger (GML) productivity index with undesirable outputs (Oh 2010).
 *
 * For unit i between consecutive years s = t−1 and t, with directional distance functions
 * D(x, yᵍ, yᵇ) = max β (layout.ts, `ddf`: direction g = (0, yᵍ, −yᵇ), weak disposability
 * of yᵇ) measured against the global frontier (all years pooled, D^G) and against the
 * contemporaneous frontier of the DMU's own year (D^t):
 *
 *   GML  = (1 + D^G(s)) / (1 + D^G(t))
 *   EC   = (1 + D^s(s)) / (1 + D^t(t))                     efficiency change
 *   TC   = GML / EC = [(1 + D^G(s)) / (1 + D^s(s))] / [(1 + D^G(t)) / (1 + D^t(t))]
 *                                                          best-practice gap change (technical change)
 *
 * Values above 1 mean growth. The year before the unit's first year has no index (NaN);
 * CUM is the running product of GML from the unit's first year (= 1), the "GTFP level"
 * some papers use as a dependent variable; a missing link (a missing year) makes the rest
 * of that unit's CUM NaN. Every D is feasible (the DMU is in both of its reference sets).
 *
 * ## References
 * D.-h. Oh (2010), "A global Malmquist–Luenberger productivity index", J. Productivity
 * Analysis 34, 183–197, doi:10.1007/s11123-010-0178-y.
 * Y. H. Chung, R. Färe, S. Grosskopf (1997), "Productivity and undesirable outputs: a
 * directional distance function approach", J. Environmental Management 51, 229–240.
 */
import type { DeaData } from './data.ts'
import { makeChunks, STATUS, type Chunk, type ChunkResult } from './chunk.ts'
import { withExecutor, type LeaseThreads } from './executor.ts'
import { frontierGroups } from './frontier.ts'
import { MIN_LPS_FOR_THREADS, type Returns } from './run.ts'

export interface GmlOptions {
  readonly returns: Returns
  readonly jobs?: number
  /** Lease the threads from a shared budget instead (then `jobs` is ignored); see withExecutor. */
  readonly lease?: LeaseThreads
  readonly signal?: AbortSignal
  readonly onProgress?: (done: number, total: number) => void
}

export interface GmlResult {
  /** β* against the global frontier. */
  readonly dGlobal: Float64Array
  /** β* against the DMU's own year. */
  readonly dContemporaneous: Float64Array
  readonly gml: Float64Array
  readonly ec: Float64Array
  readonly tc: Float64Array
  readonly cum: Float64Array
  readonly failed: readonly number[]
  readonly lps: number
  readonly iterations: number
  readonly threads: number
  readonly workerChunks: number
}

/**
 * @param unit  unit index of each DMU (for linking consecutive years)
 * @param period year index of each DMU (−1 = left out)
 */
export async function runGml(data: DeaData, unit: Int32Array, period: Int32Array, nPeriods: number, opts: GmlOptions): Promise<GmlResult> {
  const { n } = data
  const vrs = opts.returns === 'variable'
  const global = frontierGroups(period, nPeriods, 'global')
  const contemp = frontierGroups(period, nPeriods, 'contemporaneous')
  const groups = [...global, ...contemp]
  const refs = groups.map((g) => g.ref)
  // the DDF's undesirable-output rows are equalities: no dominance reduction (dominance.ts)
  const sets = { refs, nondominated: refs }
  const chunks = makeChunks(groups)
  const total = groups.reduce((s, g) => s + g.evaluate.length, 0)
  const useful = Math.max(1, Math.min(chunks.length, total >= MIN_LPS_FOR_THREADS ? Infinity : 1))
  const dGlobal = new Float64Array(n).fill(NaN)
  const dContemporaneous = new Float64Array(n).fill(NaN)
  let done = 0
  let iterations = 0
  const failed = new Set<number>()
  const used = await withExecutor(data, sets, useful, opts, async (exec) => {
    const results = await exec.run({ spec: { kind: 'ddf', vrs, orientation: 'none' }, reduced: false, excludeSelf: false }, chunks, (r: ChunkResult, c: Chunk) => {
      done += c.units.length
      iterations += r.iterations
      opts.onProgress?.(done, total)
    })
    chunks.forEach((c, ci) => {
      const r = results[ci]
      const target = c.group < global.length ? dGlobal : dContemporaneous
      for (let k = 0; k < c.units.length; k++) {
        const o = c.units[k]
        if (r.status[k] === STATUS.optimal) target[o] = r.score[k]
        else failed.add(o)
      }
    })
    return { threads: exec.threads, workerChunks: exec.workerChunks }
  })

  // link each DMU to the same unit's DMU of the previous year
  const gml = new Float64Array(n).fill(NaN)
  const ec = new Float64Array(n).fill(NaN)
  const tc = new Float64Array(n).fill(NaN)
  const cum = new Float64Array(n).fill(NaN)
  const key = (u: number, p: number): number => u * (nPeriods + 1) + p
  const at = new Map<number, number>()
  for (let j = 0; j < n; j++) if (period[j] >= 0) at.set(key(unit[j], period[j]), j)
  const order = [...at.values()].sort((a, b) => unit[a] - unit[b] || period[a] - period[b])
  for (const j of order) {
    const prev = period[j] > 0 ? at.get(key(unit[j], period[j] - 1)) : undefined
    if (prev === undefined) {
      const first = ![...Array(period[j]).keys()].some((p) => at.has(key(unit[j], p)))
      cum[j] = first && Number.isFinite(dGlobal[j]) ? 1 : NaN
      continue
    }
    gml[j] = (1 + dGlobal[prev]) / (1 + dGlobal[j])
    ec[j] = (1 + dContemporaneous[prev]) / (1 + dContemporaneous[j])
    tc[j] = gml[j] / ec[j]
    cum[j] = cum[prev] * gml[j]
  }
  return { dGlobal, dContemporaneous, gml, ec, tc, cum, failed: [...failed].sort((a, b) => a - b), lps: done, iterations, ...used }
}
