/**
 * Runs fuzz cases in a worker thread under a time limit. The parsers and readers are
 * synchronous, so a case that loops cannot be stopped from inside: the worker is terminated
 * after `timeoutMs` and restarted for the next case, and the case is a hang. A worker that
 * dies (out of memory, an uncaught exception from a timer or a stray promise) is a crash of
 * the case it was running; an exception from a timer a case left behind is charged to
 * whichever case is running when it fires.
 *
 * The worker runs targets.ts through tsx's ESM loader, so it exercises the sources, as the
 * rest of the suite does, not a possibly stale dist/.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Job, Outcome } from './jobs.ts'

/** What happened to one case; only `value` and `user-error` keep the invariant. */
export type Verdict = 'value' | 'user-error' | 'internal' | 'uncoded' | 'hang' | 'crash'

export interface CaseResult {
  readonly verdict: Verdict
  readonly ms: number
  /** The value's summary, the error codes, or what broke. */
  readonly detail: string
  /** For an INTERNAL or uncoded error, the first offending error's stack. */
  readonly stack?: string
}

export const BAD: readonly Verdict[] = ['internal', 'uncoded', 'hang', 'crash']

const repo = fileURLToPath(new URL('../..', import.meta.url))
const TARGETS = pathToFileURL(join(repo, 'test/fuzz/targets.ts')).href

/** tsx's ESM `register()` by file URL: a worker started with `eval` resolves bare names from nowhere useful. */
function tsxApi(): string {
  const require = createRequire(join(repo, 'package.json'))
  const pkgPath = require.resolve('tsx/package.json')
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> }
  return pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api'].import.default)).href
}

const BOOT = `
const { workerData } = require('node:worker_threads')
import(workerData.api).then((m) => { m.register(); return import(workerData.targets) })
`

/** Heap limit of the worker: a case that allocates without bound ends as a crash, not as an OOM of the test process. */
const HEAP_MB = 768
/** Loading the sources through tsx the first time can take a while on a busy machine. */
const START_TIMEOUT_MS = 120_000

interface Pending {
  readonly id: number
  readonly resolve: (r: CaseResult) => void
  readonly t0: number
  timer?: NodeJS.Timeout
}

export class Sandbox {
  readonly timeoutMs: number
  /** Where targets may write files (the header reader reads from disk). */
  readonly #scratch = mkdtempSync(join(tmpdir(), 'quasi-fuzz-'))
  #worker?: Worker
  #ready?: Promise<void>
  #pending?: Pending
  #next = 0
  /** Workers started (the first, and one after each hang or crash). */
  starts = 0

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs
  }

  /** Run one case; never rejects. */
  async run(job: Job): Promise<CaseResult> {
    if (this.#pending) throw new Error('Sandbox.run: one case at a time')
    await this.#start()
    const worker = this.#worker!
    const id = ++this.#next
    return new Promise<CaseResult>((resolve) => {
      const p: Pending = { id, resolve, t0: performance.now() }
      p.timer = setTimeout(() => this.#end({ verdict: 'hang', ms: performance.now() - p.t0, detail: `no result after ${this.timeoutMs} ms` }, true), this.timeoutMs)
      this.#pending = p
      worker.postMessage({ id, job })
    })
  }

  async close(): Promise<void> {
    const w = this.#worker
    this.#worker = undefined
    this.#ready = undefined
    if (w) await w.terminate()
    rmSync(this.#scratch, { recursive: true, force: true })
  }

  #start(): Promise<void> {
    if (this.#ready) return this.#ready
    const worker = new Worker(BOOT, {
      eval: true,
      workerData: { api: tsxApi(), targets: TARGETS, scratch: this.#scratch },
      resourceLimits: { maxOldGenerationSizeMb: HEAP_MB },
      stdout: true,
      stderr: true,
    })
    // A target's stray console output is not the test's business; keep it out of the report.
    worker.stdout.resume()
    worker.stderr.resume()
    this.#worker = worker
    this.starts++
    this.#ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fuzz sandbox did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS)
      worker.on('message', (m: { ready?: true; id?: number; outcome?: Outcome }) => {
        if (m.ready) {
          clearTimeout(timer)
          resolve()
          return
        }
        const p = this.#pending
        if (!p || m.id !== p.id || !m.outcome) return
        this.#end({ ...classify(m.outcome), ms: performance.now() - p.t0 }, false)
      })
      const died = (what: string, stack?: string) => {
        clearTimeout(timer)
        if (this.#worker !== worker) return
        this.#worker = undefined
        this.#ready = undefined
        const p = this.#pending
        if (p) this.#end({ verdict: 'crash', ms: performance.now() - p.t0, detail: what, stack }, false)
        else reject(new Error(`fuzz sandbox failed to start: ${what}`))
      }
      worker.on('error', (e: Error & { code?: string }) => died(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `out of memory (heap limit ${HEAP_MB} MB)` : `the worker died: ${e.name}: ${e.message}`, e.stack))
      worker.on('exit', (code) => died(`the worker exited with code ${code}`))
    })
    return this.#ready
  }

  #end(r: CaseResult, restart: boolean): void {
    const p = this.#pending
    if (!p) return
    clearTimeout(p.timer)
    this.#pending = undefined
    if (restart) {
      const w = this.#worker
      this.#worker = undefined
      this.#ready = undefined
      void w?.terminate()
    }
    p.resolve(r)
  }
}

/** The invariant: a value, or only coded user errors (QuasiError with a code other than INTERNAL). */
export function classify(o: Outcome): Omit<CaseResult, 'ms'> {
  if (o.kind === 'value') return { verdict: 'value', detail: o.value }
  const uncoded = o.errors.find((e) => !e.quasi)
  if (uncoded) return { verdict: 'uncoded', detail: `${uncoded.name}: ${uncoded.message}`, stack: uncoded.stack }
  const internal = o.errors.find((e) => e.code === 'INTERNAL')
  if (internal) return { verdict: 'internal', detail: `INTERNAL: ${internal.message}`, stack: internal.stack }
  return { verdict: 'user-error', detail: [...new Set(o.errors.map((e) => e.code))].join(',') }
}
