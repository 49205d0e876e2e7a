/**
 * Chunks: the unit of work handed to a thread. A chunk is a run of DMUs of one frontier
 * group, solved in order with one working set (the peers found so far seed the next LP).
 *
 * Chunks are cut by a fixed size that does not depend on the number of threads, and each
 * chunk's result depends only on its own DMUs and seed, never on which thread solved it or
 * when. That is why results are byte-identical for any number of workers.
 */
import type { DeaData } from './data.ts'
import { dominatedOnlyBy } from './dominance.ts'
import { layoutFor, type LpSpec } from './layout.ts'
import { packPricing, UnitSolver, WorkingSet, type PricingSet } from './solve-unit.ts'

/** DMUs per chunk. Small enough to balance two to eight threads over a few hundred DMUs, large enough to reuse peers. */
export const CHUNK_SIZE = 48

export interface Chunk {
  readonly id: number
  readonly group: number
  readonly units: Int32Array
}

/** One pass over a set of chunks with one LP kind. */
export interface PassSpec {
  readonly spec: LpSpec
  /** Price only the nondominated DMUs of each reference set (valid for all kinds but `ddf`: dominance.ts). */
  readonly reduced: boolean
  /** Leave the evaluated DMU out of its reference set (super-efficiency). */
  readonly excludeSelf: boolean
  /** Initial working set per group (e.g. the group's efficient DMUs), or none. */
  readonly seeds?: readonly (Int32Array | undefined)[]
}

/** Outcome status codes in ChunkResult.status. */
export const STATUS = { optimal: 0, infeasible: 1, failed: 2 } as const

export interface ChunkResult {
  readonly id: number
  readonly score: Float64Array
  readonly status: Uint8Array
  /** units × d slacks, original units. */
  readonly slacks: Float64Array
  readonly unique: Uint8Array
  /** CSR of peers: unit k's peers are peerIdx[peerStart[k] … peerStart[k+1]). */
  readonly peerStart: Int32Array
  readonly peerIdx: Int32Array
  readonly peerLambda: Float64Array
  readonly iterations: number
}

/** Cut each group's evaluated DMUs (optionally filtered) into chunks of CHUNK_SIZE. */
export function makeChunks(groups: readonly { evaluate: Int32Array }[], keep?: (group: number, dmu: number) => boolean): Chunk[] {
  const chunks: Chunk[] = []
  groups.forEach((g, gi) => {
    const units = keep ? g.evaluate.filter((o) => keep(gi, o)) : g.evaluate
    for (let s = 0; s < units.length; s += CHUNK_SIZE) chunks.push({ id: chunks.length, group: gi, units: units.slice(s, s + CHUNK_SIZE) })
  })
  return chunks
}

/** Reference sets of the frontier groups, and their nondominated parts. */
export interface GroupSets {
  readonly refs: readonly Int32Array[]
  readonly nondominated: readonly Int32Array[]
}

/** Solvers by LP kind, reused across chunks within one thread. */
export class ChunkSolver {
  readonly data: DeaData
  readonly sets: GroupSets
  readonly #solvers = new Map<string, UnitSolver>()
  /** Packed pricing sets, built on first use: [group] for reduced and full reference sets. */
  readonly #packed = new Map<string, PricingSet>()

  constructor(data: DeaData, sets: GroupSets) {
    this.data = data
    this.sets = sets
  }

  solve(pass: PassSpec, chunk: Chunk): ChunkResult {
    const key = `${pass.spec.kind}/${pass.spec.vrs}/${pass.spec.orientation}`
    let solver = this.#solvers.get(key)
    if (!solver) {
      solver = new UnitSolver(this.data, layoutFor(pass.spec, this.data))
      this.#solvers.set(key, solver)
    }
    const ref = this.sets.refs[chunk.group]
    const priceIdx = pass.reduced ? this.sets.nondominated[chunk.group] : ref
    const packKey = `${pass.reduced ? 'nd' : 'all'}/${chunk.group}`
    let price = this.#packed.get(packKey)
    if (!price) {
      price = packPricing(this.data, priceIdx)
      this.#packed.set(packKey, price)
    }
    const k = chunk.units.length
    const d = this.data.d
    const score = new Float64Array(k)
    const status = new Uint8Array(k)
    const slacks = new Float64Array(k * d)
    const unique = new Uint8Array(k)
    const peerStart = new Int32Array(k + 1)
    const peerIdx: number[] = []
    const peerLambda: number[] = []
    let iterations = 0
    const ws = new WorkingSet(pass.seeds?.[chunk.group] ?? [])
    ws.prune()
    for (let u = 0; u < k; u++) {
      const o = chunk.units[u]
      const extra = pass.reduced && pass.excludeSelf ? dominatedOnlyBy(this.data, o, ref, priceIdx) : undefined
      const r = solver.solve(o, price, pass.excludeSelf, ws, extra)
      score[u] = r.score
      status[u] = STATUS[r.status]
      slacks.set(r.slacks, u * d)
      unique[u] = r.unique ? 1 : 0
      peerIdx.push(...r.peers)
      peerLambda.push(...r.lambdas)
      peerStart[u + 1] = peerIdx.length
      iterations += r.iterations
    }
    return {
      id: chunk.id,
      score,
      status,
      slacks,
      unique,
      peerStart,
      peerIdx: Int32Array.from(peerIdx),
      peerLambda: Float64Array.from(peerLambda),
      iterations,
    }
  }
}
