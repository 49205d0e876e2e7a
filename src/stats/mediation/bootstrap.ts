/**
 * Runs cluster bootstrap draws of the mediation coefficients (./design.ts) in chunks, on the
 * calling thread and on worker threads leased from the run's budget (../chunks.ts). Draw r
 * (1-based) draws its G clusters with its own stream Rng([...stage path, r]): G uniform
 * integers in [0, G), so a draw depends on r alone, never on threads or order. A replay job
 * gives each draw's cluster multiplicities instead.
 */
import { runChunks, type ChunkRunOptions } from '../chunks.ts'
import { Rng } from '../rng.ts'
import { BATCH, BootSolver, type BootDesign, type DrawCoefficients } from './design.ts'

export type BootJob =
  | { readonly kind: 'random'; readonly draws: number; readonly rngPath: readonly (string | number)[] }
  | { readonly kind: 'replay'; readonly counts: readonly Float64Array[] }

/** Below this many multiply-adds (draws × clusters × q²/2) the work stays on the calling thread. */
export const WORKER_MIN_WORK = 2e8

export function bootCount(job: BootJob): number {
  return job.kind === 'replay' ? job.counts.length : job.draws
}

/** Multiplicities of the G clusters in draw r (1-based) of a random job. */
export function drawCounts(rngPath: readonly (string | number)[], r: number, G: number, out = new Float64Array(G)): Float64Array {
  out.fill(0)
  const rng = new Rng([...rngPath, r])
  for (let k = 0; k < G; k++) out[rng.int(G)]++
  return out
}

export function emptyCoefficients(size: number): DrawCoefficients {
  return { a: new Float64Array(size), b: new Float64Array(size), c: new Float64Array(size), direct: new Float64Array(size) }
}

/** Draws [from, to) (0-based) into `out` at draw position r − offset. */
export function computeBoot(solver: BootSolver, design: BootDesign, job: BootJob, from: number, to: number, out: DrawCoefficients, offset = 0): void {
  const bufs = Array.from({ length: Math.min(BATCH, to - from) }, () => new Float64Array(design.clusters))
  for (let r0 = from; r0 < to; r0 += BATCH) {
    const batch = bufs.slice(0, Math.min(BATCH, to - r0)).map((buf, j) => (job.kind === 'replay' ? job.counts[r0 + j] : drawCounts(job.rngPath, r0 + j + 1, design.clusters, buf)))
    solver.solveBatch(batch, out, r0 - offset)
  }
}

export async function runBootstrap(design: BootDesign, job: BootJob, opts: ChunkRunOptions = {}): Promise<DrawCoefficients> {
  const R = bootCount(job)
  const M = design.mediators
  const out = emptyCoefficients(R * M)
  const solver = new BootSolver(design)
  const work = R * design.clusters * design.groups.reduce((s, g) => s + (g.q * (g.q + 1)) / 2, 0)
  await runChunks<DrawCoefficients>({
    total: R,
    useful: work >= WORKER_MIN_WORK ? Math.max(1, Math.min(16, Math.ceil(R / 100))) : 1,
    local: (from, to) => computeBoot(solver, design, job, from, to, out),
    worker: { beside: import.meta.url, data: { design, job } },
    accept: (from, _to, r) => { out.a.set(r.a, from * M); out.b.set(r.b, from * M); out.c.set(r.c, from * M); out.direct.set(r.direct, from * M) },
    name: 'mediation bootstrap',
  }, opts)
  return out
}
