/**
 * Runs placebo draws in chunks on the calling thread, helped by worker threads leased from
 * the run's budget when the work is large enough to pay for their start-up. Draw d (1-based)
 * uses its own stream Rng([...stage path, d]), so a draw's result depends only on d, never
 * on which thread computes it or in which order: outputs are identical for any thread count.
 *
 * Workers start from this file's location as the DEA executor's do (../dea/executor.ts):
 * worker.js beside the compiled file, or worker-boot.mjs (tsx's loader) from the sources.
 */
import { Worker } from 'node:worker_threads'
import type { ThreadPool } from '../../stage.ts'
import { QuasiError } from '../../errors.ts'
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
const CHUNKS_PER_THREAD = 8

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

export interface RunOptions {
  readonly threads?: ThreadPool
  readonly signal?: AbortSignal
  readonly progress?: (done: number, total: number) => void
  /** Force a thread count (tests, benchmarks); otherwise as many as the budget grants and help. */
  readonly maxThreads?: number
}

export async function runDraws(design: FwlDesign, paths: PanelPaths, job: DrawJob, opts: RunOptions = {}): Promise<DrawColumns> {
  const R = drawCount(job)
  const out: DrawColumns = { estimate: new Float64Array(R), se: new Float64Array(R), t: new Float64Array(R), p: new Float64Array(R) }
  const useful = opts.maxThreads ?? (design.n * R >= WORKER_MIN_WORK ? Math.max(1, Math.min(16, Math.ceil(R / 50))) : 1)
  const lease = useful > 1 && opts.threads ? await opts.threads.acquire(useful) : undefined
  const threads = lease ? Math.min(lease.count, useful) : opts.threads ? 1 : Math.max(1, useful)
  const fitter = new FwlFitter(design)
  const size = Math.max(1, Math.ceil(R / (threads * CHUNKS_PER_THREAD)))
  let next = 0, done = 0
  const take = (): [number, number] | undefined => {
    if (next >= R) return undefined
    const c: [number, number] = [next, Math.min(R, next + size)]
    next = c[1]
    return c
  }
  const report = (n: number) => { done += n; opts.progress?.(done, R) }
  const workers: Worker[] = []
  try {
    const helpers = Array.from({ length: threads - 1 }, () => {
      const { url, entry } = workerTarget()
      const w = new Worker(url, { workerData: { design, paths, job, entry } })
      workers.push(w)
      return helperLoop(w, take, out, report, opts.signal)
    })
    const own = (async () => {
      let last = Date.now()
      for (let c = take(); c; c = take()) {
        if (opts.signal?.aborted) throw new QuasiError('CANCELLED', 'cancelled')
        computeDraws(fitter, paths, job, c[0], c[1], out)
        report(c[1] - c[0])
        if (Date.now() - last > 40 || threads > 1) { await new Promise<void>((r) => setImmediate(r)); last = Date.now() }
      }
    })()
    await Promise.all([own, ...helpers])
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
    lease?.release()
  }
  return out
}

function helperLoop(w: Worker, take: () => [number, number] | undefined, out: DrawColumns, report: (n: number) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let current: [number, number] | undefined
    const send = () => {
      current = signal?.aborted ? undefined : take()
      if (!current) { resolve(); return }
      w.postMessage({ from: current[0], to: current[1] })
    }
    w.on('message', (m: { ok: true; cols: DrawColumns } | { ok: false; error: string }) => {
      if (!m.ok) { reject(new Error(`placebo worker failed: ${m.error}`)); return }
      const [from] = current!
      out.estimate.set(m.cols.estimate, from); out.se.set(m.cols.se, from); out.t.set(m.cols.t, from); out.p.set(m.cols.p, from)
      report(current![1] - from)
      send()
    })
    w.on('error', reject)
    w.on('online', send)
  })
}

function workerTarget(): { url: URL; entry?: string } {
  const here = import.meta.url
  if (here.endsWith('.ts')) return { url: new URL('./worker-boot.mjs', here), entry: new URL('./worker.ts', here).href }
  return { url: new URL('./worker.js', here) }
}
