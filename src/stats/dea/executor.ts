/**
 * Runs passes of chunks on the calling thread, helped by worker threads when more than one
 * thread is allowed. Both give the same bytes: a chunk's result depends only on the chunk
 * (chunk.ts), not on who solves it.
 *
 * With `threads` = k the calling thread and k − 1 workers take chunks from one queue. The
 * calling thread starts at once, so the workers' start-up time (tens of milliseconds from
 * the compiled package, most of a second under the tsx loader) is never dead time; between
 * two of its own chunks it yields to the event loop so worker results are collected.
 *
 * Workers are started from this file's own location. From the compiled package
 * (dist/…/executor.js) the worker is worker.js beside it. From the TypeScript sources
 * (vitest, tsx) Node cannot load worker.ts by itself and, on Node 20, a worker's
 * `execArgv: ['--import', 'tsx']` does not install the loader in the worker thread; so the
 * worker starts worker-boot.mjs, which registers tsx's loader and then imports worker.ts.
 */
import { Worker } from 'node:worker_threads'
import type { DeaData } from './data.ts'
import { ChunkSolver, type Chunk, type ChunkResult, type GroupSets, type PassSpec } from './chunk.ts'
import type { LpSpec } from './layout.ts'

export interface Executor {
  /** Solve every chunk of a pass; results are returned in chunk order. */
  run(pass: PassSpec, chunks: readonly Chunk[], onChunk?: (result: ChunkResult, chunk: Chunk) => void): Promise<ChunkResult[]>
  close(): Promise<void>
  readonly threads: number
  /** Chunks solved by worker threads so far (the rest ran on the calling thread). */
  readonly workerChunks: number
}

/** What a worker receives once, at start. */
export interface WorkerInit {
  readonly data: DeaData
  readonly sets: GroupSets
  /** The worker module to import (source mode only). */
  readonly entry?: string
}

/** One chunk request. */
export interface WorkerRequest {
  readonly spec: LpSpec
  readonly reduced: boolean
  readonly excludeSelf: boolean
  readonly seed?: Int32Array
  readonly chunk: Chunk
}

export type WorkerReply = { readonly ok: true; readonly result: ChunkResult } | { readonly ok: false; readonly error: string }

export class AbortedError extends Error {
  constructor() {
    super('DEA run aborted')
    this.name = 'AbortedError'
  }
}

/** Leases threads from a budget shared with other stages (the stage's `ctx.threads.acquire`). */
export type LeaseThreads = (max: number) => Promise<{ readonly count: number; release(): void }>

/**
 * Run `body` with an executor on as many threads as help (`useful`) and are allowed:
 * leased from the shared budget when `lease` is given, and released when the executor is
 * closed, also on failure; otherwise `jobs`. A run that can use only one thread leases
 * nothing: it computes on the calling thread, the process's own.
 */
export async function withExecutor<T>(
  data: DeaData,
  sets: GroupSets,
  useful: number,
  opts: { readonly jobs?: number; readonly lease?: LeaseThreads; readonly signal?: AbortSignal },
  body: (exec: Executor) => Promise<T>,
): Promise<T> {
  const lease = opts.lease && useful > 1 ? await opts.lease(useful) : undefined
  try {
    const exec = createExecutor(data, sets, lease ? Math.min(lease.count, useful) : Math.min(opts.jobs ?? 1, useful), opts.signal)
    try {
      return await body(exec)
    } finally {
      await exec.close()
    }
  } finally {
    lease?.release()
  }
}

/** An executor with `threads` workers, or the calling thread when threads ≤ 1. */
export function createExecutor(data: DeaData, sets: GroupSets, threads: number, signal?: AbortSignal): Executor {
  return threads <= 1 ? new InlineExecutor(data, sets, signal) : new PoolExecutor(data, sets, threads, signal)
}

class InlineExecutor implements Executor {
  readonly threads = 1
  readonly workerChunks = 0
  readonly #solver: ChunkSolver
  readonly #signal?: AbortSignal

  constructor(data: DeaData, sets: GroupSets, signal?: AbortSignal) {
    this.#solver = new ChunkSolver(data, sets)
    this.#signal = signal
  }

  async run(pass: PassSpec, chunks: readonly Chunk[], onChunk?: (result: ChunkResult, chunk: Chunk) => void): Promise<ChunkResult[]> {
    const out: ChunkResult[] = []
    for (const chunk of chunks) {
      if (this.#signal?.aborted) throw new AbortedError()
      const r = this.#solver.solve(pass, chunk)
      out.push(r)
      onChunk?.(r, chunk)
      // let abort signals and progress renderers run between chunks
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    return out
  }

  async close(): Promise<void> {}
}

function workerTarget(): { url: URL; entry?: string } {
  const here = import.meta.url
  if (here.endsWith('.ts')) return { url: new URL('./worker-boot.mjs', here), entry: new URL('./worker.ts', here).href }
  return { url: new URL('./worker.js', here) }
}

class PoolExecutor implements Executor {
  readonly threads: number
  workerChunks = 0
  readonly #workers: Worker[]
  readonly #inline: ChunkSolver
  readonly #signal?: AbortSignal
  readonly #dead = new Set<Worker>()

  constructor(data: DeaData, sets: GroupSets, threads: number, signal?: AbortSignal) {
    this.threads = threads
    this.#signal = signal
    this.#inline = new ChunkSolver(data, sets)
    const { url, entry } = workerTarget()
    const init: WorkerInit = { data, sets, entry }
    this.#workers = Array.from({ length: threads - 1 }, () => new Worker(url, { workerData: init }))
  }

  run(pass: PassSpec, chunks: readonly Chunk[], onChunk?: (result: ChunkResult, chunk: Chunk) => void): Promise<ChunkResult[]> {
    return new Promise((resolve, reject) => {
      const results: ChunkResult[] = new Array(chunks.length)
      let next = 0
      let done = 0
      let settled = false
      /** Chunks handed back by a worker that died, solved by the calling thread first. */
      const retry: number[] = []
      const cleanups: (() => void)[] = []
      const finish = (err?: Error): void => {
        if (settled) return
        settled = true
        for (const c of cleanups) c()
        if (err) reject(err)
        else resolve(results)
      }
      if (chunks.length === 0) return finish()
      const onAbort = (): void => finish(new AbortedError())
      if (this.#signal) {
        if (this.#signal.aborted) return finish(new AbortedError())
        this.#signal.addEventListener('abort', onAbort, { once: true })
        cleanups.push(() => this.#signal?.removeEventListener('abort', onAbort))
      }
      const chunkIndex = new Map<number, number>()
      chunks.forEach((c, i) => chunkIndex.set(c.id, i))
      const accept = (idx: number, result: ChunkResult): void => {
        results[idx] = result
        onChunk?.(result, chunks[idx])
        if (++done === chunks.length) finish()
      }
      for (const w of this.#workers) {
        if (this.#dead.has(w)) continue
        let inFlight = -1
        const send = (): void => {
          inFlight = -1
          if (next >= chunks.length || settled) return
          inFlight = next++
          const chunk = chunks[inFlight]
          const req: WorkerRequest = { spec: pass.spec, reduced: pass.reduced, excludeSelf: pass.excludeSelf, seed: pass.seeds?.[chunk.group], chunk }
          w.postMessage(req)
        }
        const onMessage = (reply: WorkerReply): void => {
          if (settled) return
          if (!reply.ok) return finish(new Error(`DEA worker failed: ${reply.error}`))
          const idx = chunkIndex.get(reply.result.id)
          if (idx === undefined) return finish(new Error(`DEA worker returned unknown chunk ${reply.result.id}`))
          this.workerChunks++
          accept(idx, reply.result)
          send()
        }
        // a worker that cannot start or dies hands its chunk back; the calling thread carries on
        const onGone = (): void => {
          if (this.#dead.has(w)) return
          this.#dead.add(w)
          if (inFlight >= 0 && !settled) {
            retry.push(inFlight)
            if (ownIdle) {
              ownIdle = false
              setImmediate(own)
            }
          }
          inFlight = -1
        }
        w.on('message', onMessage)
        w.on('error', onGone)
        w.on('exit', onGone)
        cleanups.push(() => {
          w.off('message', onMessage)
          w.off('error', onGone)
          w.off('exit', onGone)
        })
        send()
      }
      // the calling thread takes chunks too, yielding between them so worker replies are handled;
      // with the queue empty it idles until the workers are done (or one dies and hands work back)
      let ownIdle = false
      function own(): void {
        if (settled) return
        const idx = retry.length > 0 ? retry.shift()! : next < chunks.length ? next++ : -1
        if (idx < 0) {
          ownIdle = true
          return
        }
        try {
          accept(idx, inline.solve(pass, chunks[idx]))
        } catch (e) {
          return finish(e instanceof Error ? e : new Error(String(e)))
        }
        setImmediate(own)
      }
      const inline = this.#inline
      own()
    })
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()))
  }
}
