/**
 * Runs R independent draws (placebo reassignments, bootstrap resamples, …) in chunks on the
 * calling thread, helped by worker threads leased from the run's budget when the work is
 * large enough to pay for their start-up. A draw's result must depend only on its index
 * (each draw seeds its own stream), so the output is the same for any thread count and any
 * order in which chunks finish.
 *
 * The calling thread starts at once and takes chunks from the same queue as the workers, so
 * their start-up time (most of a second under the tsx loader) is never dead time; between two
 * of its own chunks it yields to the event loop so worker results are collected.
 *
 * Workers start from the kernel's own folder as the DEA executor's do (./dea/executor.ts):
 * worker.js beside the compiled kernel, or ./worker-boot.mjs (tsx's loader) importing the
 * kernel's worker.ts from the sources. A kernel's worker answers chunk requests with
 * `serveChunks` (./chunk-worker.ts).
 */
import { Worker } from 'node:worker_threads'
import { QuasiError } from '../errors.ts'
import type { ThreadPool } from '../stage.ts'

const CHUNKS_PER_THREAD = 8

export interface ChunkRunOptions {
  readonly threads?: ThreadPool
  readonly signal?: AbortSignal
  readonly progress?: (done: number, total: number) => void
  /** Force a thread count (tests, benchmarks); otherwise `useful`, capped by what the budget grants. */
  readonly maxThreads?: number
}

export interface ChunkJob<R> {
  /** Number of draws. */
  readonly total: number
  /** Threads that would help (1 keeps everything on the calling thread). */
  readonly useful: number
  /** Computes draws [from, to) on the calling thread and stores them. */
  readonly local: (from: number, to: number) => void
  /** The kernel's worker module (`import.meta.url` of the kernel file beside worker.ts) and what it starts with. */
  readonly worker: { readonly beside: string; readonly data: unknown }
  /** Stores a worker's result for draws [from, to). */
  readonly accept: (from: number, to: number, result: R) => void
  /** What a worker failure is called in the error message, e.g. "placebo". */
  readonly name: string
}

export async function runChunks<R>(job: ChunkJob<R>, opts: ChunkRunOptions = {}): Promise<void> {
  const R = job.total
  const useful = opts.maxThreads ?? job.useful
  const lease = useful > 1 && opts.threads ? await opts.threads.acquire(useful) : undefined
  const threads = lease ? Math.min(lease.count, useful) : opts.threads ? 1 : Math.max(1, useful)
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
      const { url, entry } = workerTarget(job.worker.beside)
      const w = new Worker(url, { workerData: { init: job.worker.data, entry } })
      workers.push(w)
      return helperLoop(w, job, take, report, opts.signal)
    })
    const own = (async () => {
      let last = Date.now()
      for (let c = take(); c; c = take()) {
        if (opts.signal?.aborted) throw new QuasiError('CANCELLED', 'cancelled')
        job.local(c[0], c[1])
        report(c[1] - c[0])
        if (Date.now() - last > 40 || threads > 1) { await new Promise<void>((r) => setImmediate(r)); last = Date.now() }
      }
    })()
    await Promise.all([own, ...helpers])
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
    lease?.release()
  }
}

function helperLoop<R>(w: Worker, job: ChunkJob<R>, take: () => [number, number] | undefined, report: (n: number) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let current: [number, number] | undefined
    const send = () => {
      current = signal?.aborted ? undefined : take()
      if (!current) { resolve(); return }
      w.postMessage({ from: current[0], to: current[1] })
    }
    w.on('message', (m: { ok: true; result: R } | { ok: false; error: string }) => {
      if (!m.ok) { reject(new Error(`${job.name} worker failed: ${m.error}`)); return }
      job.accept(current![0], current![1], m.result)
      report(current![1] - current![0])
      send()
    })
    w.on('error', reject)
    w.on('online', send)
  })
}

/** worker.js beside the compiled kernel, or the boot file that loads the kernel's worker.ts under tsx. */
function workerTarget(beside: string): { url: URL; entry?: string } {
  if (beside.endsWith('.ts')) return { url: new URL('./worker-boot.mjs', import.meta.url), entry: new URL('./worker.ts', beside).href }
  return { url: new URL('./worker.js', beside) }
}
