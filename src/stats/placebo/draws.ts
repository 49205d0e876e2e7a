/**
 * Runs placebo draws in chunks on the calling thread, helped by worker threads leased from
 * the run's budget when the work is large enough to pay for their start-up. Draw d (1-based)
 * uses its own stream Rng([...stage path, d]), so a draw's result depends only on d, never
 * on which thread computes it or in which order: outputs are identical for any thread count.
 *
 * The chunk and worker loop is ../chunks.ts.
 */
import { runChunks, type ChunkRunOptions } from '../chunks.ts'
import { Rng } from '../rng.ts'
import { adoptionTreatment, donorTreatment, mixedAdoption, permutation, type PanelPaths } from './assign.ts'
import { FwlFitter, type FwlDesign } from './fwl.ts'

export type DrawJob =
  | { readonly kind: 'units' | 'mixed'; readonly draws: number; readonly rngPath: readonly (string | number)[] }
  | { readonly kind: 'replay'; readonly donors: readonly Int32Array[] }

export interface DrawColumns {
  readonly estimate: Float64Array
  readonly se: Float64Array
  readonly t: Float64Array
  readonly p: Float64Array
}

/** Below this many row-draws (N × draws) the work stays on the calling thread. */
export const WORKER_MIN_WORK = 20_000_000

export function drawCount(job: DrawJob): number {
  return job.kind === 'replay' ? job.donors.length : job.draws
}

/** Computes draws [from, to) (0-based) into `out` at position k − offset. */
export function computeDraws(fitter: FwlFitter, paths: PanelPaths, job: DrawJob, from: number, to: number, out: DrawColumns, offset = 0): void {
  const buf = new Float64Array(paths.unitOf.length)
  for (let k = from; k < to; k++) {
    let d: Float64Array
    if (job.kind === 'replay') d = donorTreatment(paths, job.donors[k], buf)
    else {
      const rng = new Rng([...job.rngPath, k + 1])
      d = job.kind === 'units' ? donorTreatment(paths, permutation(rng, paths.units.length), buf) : adoptionTreatment(paths, mixedAdoption(paths, rng), buf)
    }
    const r = fitter.fit(d)
    const j = k - offset
    out.estimate[j] = r.estimate; out.se[j] = r.se; out.t[j] = r.t; out.p[j] = r.p
  }
}

export type RunOptions = ChunkRunOptions

export async function runDraws(design: FwlDesign, paths: PanelPaths, job: DrawJob, opts: RunOptions = {}): Promise<DrawColumns> {
  const R = drawCount(job)
  const out: DrawColumns = { estimate: new Float64Array(R), se: new Float64Array(R), t: new Float64Array(R), p: new Float64Array(R) }
  const fitter = new FwlFitter(design)
  await runChunks<DrawColumns>({
    total: R,
    useful: design.n * R >= WORKER_MIN_WORK ? Math.max(1, Math.min(16, Math.ceil(R / 50))) : 1,
    local: (from, to) => computeDraws(fitter, paths, job, from, to, out),
    worker: { beside: import.meta.url, data: { design, paths, job } },
    accept: (from, _to, cols) => { out.estimate.set(cols.estimate, from); out.se.set(cols.se, from); out.t.set(cols.t, from); out.p.set(cols.p, from) },
    name: 'placebo',
  }, opts)
  return out
}
