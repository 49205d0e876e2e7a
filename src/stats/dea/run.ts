/**
 * A DEA run: one model, one frontier, every DMU. SBM and the radial models are one pass;
 * super-SBM is two (Tone 2002, §4): SBM for every DMU, then super-SBM for the DMUs whose SBM
 * score is at least 1 − EFFICIENT_TOL, which report δ* ≥ 1 instead of their SBM score.
 *
 * ## Conventions
 * - Efficient: SBM ρ* ≥ 1 − 1e-6 (EFFICIENT_TOL); the and MaxDEA's threshold.
 * - Infeasible super-SBM (possible under VRS, and with undesirable outputs, see
 *   docs/methods.md): `superInfeasible: 'one'` keeps the DMU's SBM score (it is SBM
 *   efficient, its score is 1 up to EFFICIENT_TOL); `'missing'` reports NaN. Either way the
 *   DMUs are listed in `superInfeasible`.
 * - A DMU alone in its reference set (a year with one unit-year under a contemporaneous
 *   frontier) has nothing to be compared with once it leaves itself out: its super-SBM is not
 *   defined, and is NaN with the status `no-reference`, listed in `noReference`. (Under CRS
 *   with undesirable outputs the LP without columns is feasible, σᵍ = t, and gave δ* = s/s₂:
 *   2 with one good and one bad output, as if the DMU were far ahead of a frontier that is
 *   not there; otherwise it is infeasible, and was kept at 1.)
 * - Window frontier: a DMU's score, slacks and λ are means over the windows containing it;
 *   a DMU whose score is NaN in any window is NaN.
 */
import type { DeaData } from './data.ts'
import { makeChunks, STATUS, type Chunk, type ChunkResult } from './chunk.ts'
import { pricingSets } from './dominance.ts'
import { withExecutor, type LeaseThreads } from './executor.ts'
import { frontierGroups, type Frontier } from './frontier.ts'
import type { Orientation } from './layout.ts'
import { WORKING_SET_MAX } from './solve-unit.ts'

export type DeaModel = 'sbm' | 'super-sbm' | 'ccr' | 'bcc'
export type Returns = 'constant' | 'variable'
export type SuperInfeasible = 'one' | 'missing'

/** A DMU counts as SBM (or radially) efficient from this far below 1. */
export const EFFICIENT_TOL = 1e-6
/** Below this many LPs, threads cost more to start than they save. */
export const MIN_LPS_FOR_THREADS = 600

export interface DeaOptions {
  readonly model: DeaModel
  /** Ignored for ccr (constant) and bcc (variable). */
  readonly returns: Returns
  readonly orientation: Orientation
  readonly frontier: Frontier
  readonly window?: number
  readonly superInfeasible?: SuperInfeasible
  /** Worker threads; 1 runs on the calling thread. Results do not depend on it. */
  readonly jobs?: number
  /** Lease the threads from a shared budget instead (then `jobs` is ignored); see withExecutor. */
  readonly lease?: LeaseThreads
  readonly signal?: AbortSignal
  readonly onProgress?: (done: number, total: number) => void
  readonly periodLabels?: readonly string[]
}

export const DMU_STATUS = ['inefficient', 'efficient', 'super', 'super-infeasible', 'no-reference', 'failed', 'excluded'] as const
export type DmuStatus = (typeof DMU_STATUS)[number]

export interface DeaResult {
  /** Reported score: SBM ρ*, or δ* for super-SBM-efficient DMUs, or radial θ*. NaN if none. */
  readonly score: Float64Array
  /** First-stage score (SBM ρ* or radial θ*). */
  readonly first: Float64Array
  /** Super-SBM δ* where computed (NaN elsewhere; window frontier: mean over windows where computed). */
  readonly superScore: Float64Array
  readonly status: DmuStatus[]
  /** n × d slacks in data units (of the LP that gave the reported score). */
  readonly slacks: Float64Array
  /**
   * n × d projection targets: SBM x − s⁻, yᵍ + sᵍ, yᵇ − sᵇ; super-SBM x + s⁻, yᵍ − sᵍ, yᵇ + sᵇ;
   * radial θx − s⁻, yᵍ + sᵍ, θyᵇ − sᵇ.
   */
  readonly targets: Float64Array
  /** 1 when the LP behind every reported number had a unique optimum. */
  readonly unique: Uint8Array
  /** Peers and λ per DMU (means over windows). */
  readonly peers: readonly { readonly idx: readonly number[]; readonly lambda: readonly number[] }[]
  /** Reference sets each DMU was evaluated in (1 except under window analysis). */
  readonly evaluations: Uint16Array
  readonly superInfeasible: readonly number[]
  /** SBM-efficient DMUs whose reference set holds no other DMU: super-SBM undefined, score NaN. */
  readonly noReference: readonly number[]
  readonly failed: readonly number[]
  readonly lps: number
  readonly iterations: number
  readonly threads: number
  /** Chunks solved by worker threads (0 when everything ran on the calling thread). */
  readonly workerChunks: number
}

interface Eval {
  score: number
  first: number
  superScore: number
  status: DmuStatus
  slacks: Float64Array
  targets: Float64Array
  unique: boolean
  peers: number[]
  lambda: number[]
}

/** Run a DEA model over DMUs with year indices `period` (−1 = left out). */
export async function runDea(data: DeaData, period: Int32Array, nPeriods: number, opts: DeaOptions): Promise<DeaResult> {
  const { n, d } = data
  const vrs = opts.model === 'bcc' ? true : opts.model === 'ccr' ? false : opts.returns === 'variable'
  const radial = opts.model === 'ccr' || opts.model === 'bcc'
  const groups = frontierGroups(period, nPeriods, opts.frontier, opts.window, opts.periodLabels)
  const refs = groups.map((g) => g.ref)
  const sets = { refs, nondominated: pricingSets(data, refs, opts.frontier === 'sequential') }
  const chunks1 = makeChunks(groups)
  const evaluations1 = groups.reduce((s, g) => s + g.evaluate.length, 0)
  const useful = Math.max(1, Math.min(chunks1.length, evaluations1 >= MIN_LPS_FOR_THREADS ? Infinity : 1))
  let lps = 0
  let iterations = 0
  let done = 0
  let total = evaluations1
  const progress = (r: ChunkResult, c: Chunk): void => {
    done += c.units.length
    lps += c.units.length
    iterations += r.iterations
    opts.onProgress?.(done, total)
  }
  // evals[g] maps DMU → its evaluation in group g
  const evals: Map<number, Eval>[] = groups.map(() => new Map())
  const used = await withExecutor(data, sets, useful, opts, async (exec) => {
    const pass1 = { spec: { kind: radial ? ('radial' as const) : ('sbm' as const), vrs, orientation: radial ? ('input' as const) : opts.orientation }, reduced: true, excludeSelf: false }
    const res1 = await exec.run(pass1, chunks1, progress)
    forEachUnit(chunks1, res1, d, (g, o, u) => {
      const ok = u.status === STATUS.optimal
      const status: DmuStatus = !ok ? 'failed' : u.score >= 1 - EFFICIENT_TOL ? 'efficient' : 'inefficient'
      const targets = projection(data, o, u.slacks, radial ? 'radial' : 'sbm', u.score)
      evals[g].set(o, { score: ok ? u.score : NaN, first: ok ? u.score : NaN, superScore: NaN, status, slacks: u.slacks, targets, unique: u.unique, peers: u.peers, lambda: u.lambda })
    })

    if (opts.model === 'super-sbm') {
      const seeds = groups.map((_, g) => {
        const eff = [...evals[g].entries()].filter(([, e]) => e.status === 'efficient').map(([o]) => o)
        return Int32Array.from(eff.sort((a, b) => a - b).slice(0, WORKING_SET_MAX))
      })
      const alone = (g: number): boolean => groups[g].ref.length < 2
      groups.forEach((grp, g) => {
        if (!alone(g)) return
        for (const o of grp.evaluate) {
          const e = evals[g].get(o)!
          if (e.status !== 'efficient') continue
          e.status = 'no-reference'
          e.score = NaN
        }
      })
      const chunks2 = makeChunks(groups, (g, o) => evals[g].get(o)?.status === 'efficient' && !alone(g))
      total += chunks2.reduce((s, c) => s + c.units.length, 0)
      const pass2 = { spec: { kind: 'super-sbm' as const, vrs, orientation: opts.orientation }, reduced: true, excludeSelf: true, seeds }
      const res2 = await exec.run(pass2, chunks2, progress)
      forEachUnit(chunks2, res2, d, (g, o, u) => {
        const e = evals[g].get(o)!
        if (u.status === STATUS.optimal) {
          e.superScore = u.score
          e.score = u.score
          e.status = 'super'
          e.slacks = u.slacks
          e.targets = projection(data, o, u.slacks, 'super', u.score)
          e.unique = u.unique
          e.peers = u.peers
          e.lambda = u.lambda
        } else {
          e.status = u.status === STATUS.infeasible ? 'super-infeasible' : 'failed'
          if (u.status !== STATUS.infeasible || opts.superInfeasible === 'missing') e.score = NaN
        }
      })
    }
    return { threads: exec.threads, workerChunks: exec.workerChunks }
  })
  return { ...aggregate(n, d, groups.length, evals), lps, iterations, ...used }
}

interface UnitView {
  status: number
  score: number
  slacks: Float64Array
  unique: boolean
  peers: number[]
  lambda: number[]
}

function forEachUnit(chunks: readonly Chunk[], results: readonly ChunkResult[], d: number, f: (group: number, dmu: number, u: UnitView) => void): void {
  chunks.forEach((c, ci) => {
    const r = results[ci]
    for (let k = 0; k < c.units.length; k++) {
      const a = r.peerStart[k]
      const b = r.peerStart[k + 1]
      f(c.group, c.units[k], {
        status: r.status[k],
        score: r.score[k],
        slacks: r.slacks.slice(k * d, k * d + d),
        unique: r.unique[k] === 1,
        peers: Array.from(r.peerIdx.subarray(a, b)),
        lambda: Array.from(r.peerLambda.subarray(a, b)),
      })
    }
  })
}

const PRECEDENCE: readonly DmuStatus[] = ['failed', 'no-reference', 'super-infeasible', 'inefficient', 'super', 'efficient']

type Aggregated = Omit<DeaResult, 'lps' | 'iterations' | 'threads' | 'workerChunks'>

function aggregate(n: number, d: number, nGroups: number, evals: Map<number, Eval>[]): Aggregated {
  const score = new Float64Array(n).fill(NaN)
  const first = new Float64Array(n).fill(NaN)
  const superScore = new Float64Array(n).fill(NaN)
  const status: DmuStatus[] = new Array(n).fill('excluded')
  const slacks = new Float64Array(n * d).fill(NaN)
  const targets = new Float64Array(n * d).fill(NaN)
  const unique = new Uint8Array(n)
  const evaluations = new Uint16Array(n)
  const peers: { idx: number[]; lambda: number[] }[] = Array.from({ length: n }, () => ({ idx: [], lambda: [] }))
  const list: Eval[][] = Array.from({ length: n }, () => [])
  for (let g = 0; g < nGroups; g++) for (const [o, e] of evals[g]) list[o].push(e)
  const superInfeasible: number[] = []
  const noReference: number[] = []
  const failed: number[] = []
  for (let o = 0; o < n; o++) {
    const es = list[o]
    const k = es.length
    evaluations[o] = k
    if (k === 0) continue
    if (k === 1) {
      // one reference set (every frontier but window): copy, no averaging
      const e = es[0]
      score[o] = e.score
      first[o] = e.first
      superScore[o] = e.superScore
      slacks.set(e.slacks, o * d)
      targets.set(e.targets, o * d)
      unique[o] = e.unique ? 1 : 0
      status[o] = e.status
      if (e.status === 'super-infeasible') superInfeasible.push(o)
      if (e.status === 'no-reference') noReference.push(o)
      if (e.status === 'failed') failed.push(o)
      const order = e.peers.map((_, i) => i).sort((a, b) => e.lambda[b] - e.lambda[a] || e.peers[a] - e.peers[b])
      peers[o] = { idx: order.map((i) => e.peers[i]), lambda: order.map((i) => e.lambda[i]) }
      continue
    }
    const mean = (f: (e: Eval) => number): number => es.reduce((s, e) => s + f(e), 0) / k
    score[o] = mean((e) => e.score)
    first[o] = mean((e) => e.first)
    const supers = es.filter((e) => Number.isFinite(e.superScore))
    superScore[o] = supers.length ? supers.reduce((s, e) => s + e.superScore, 0) / supers.length : NaN
    for (let i = 0; i < d; i++) {
      slacks[o * d + i] = mean((e) => e.slacks[i])
      targets[o * d + i] = mean((e) => e.targets[i])
    }
    unique[o] = es.every((e) => e.unique) ? 1 : 0
    let st: DmuStatus = es[0].status
    if (k > 1) {
      const sts = new Set(es.map((e) => e.status))
      st = PRECEDENCE.find((s) => sts.has(s)) ?? st
    }
    status[o] = st
    if (es.some((e) => e.status === 'super-infeasible')) superInfeasible.push(o)
    if (es.some((e) => e.status === 'no-reference')) noReference.push(o)
    if (es.some((e) => e.status === 'failed')) failed.push(o)
    const acc = new Map<number, number>()
    for (const e of es) e.peers.forEach((j, i) => acc.set(j, (acc.get(j) ?? 0) + e.lambda[i] / k))
    const sorted = [...acc.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])
    peers[o] = { idx: sorted.map((p) => p[0]), lambda: sorted.map((p) => p[1]) }
  }
  return { score, first, superScore, status, slacks, targets, unique, peers, evaluations, superInfeasible, noReference, failed }
}

/** Projection of DMU o given its slacks (docs/methods.md, "Targets"). */
function projection(data: DeaData, o: number, slacks: Float64Array, kind: 'sbm' | 'super' | 'radial', score: number): Float64Array {
  const { m, s1, d, values } = data
  const out = new Float64Array(d)
  for (let i = 0; i < d; i++) {
    const v = values[o * d + i]
    const s = slacks[i]
    const good = i >= m && i < m + s1
    if (kind === 'super') out[i] = good ? v - s : v + s
    else if (kind === 'sbm') out[i] = good ? v + s : v - s
    else out[i] = good ? v + s : score * v - s
  }
  return out
}
