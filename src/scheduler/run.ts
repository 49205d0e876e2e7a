/**
 * Run a plan: stages start as soon as their upstream stages are done, up to `jobs` at a
 * time (p-queue); stages that compute on several threads lease them from one budget of
 * `threads` (threads.ts). Fail-fast by default: the first failure aborts running stages through
 * their AbortSignal and starts no new ones; `keepGoing` runs every branch that does not
 * depend on a failure. Ctrl-C is the caller's AbortSignal.
 */
import { rm } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import PQueue from 'p-queue'
import { acquireLock } from '../cache/lock.ts'
import { staleReasons, type StaleReason } from '../cache/stale.ts'
import { readState, statePath, writeState, type PipelineState } from '../cache/state.ts'
import { CacheStore } from '../cache/store.ts'
import { QuasiError, asQuasiErrors, type ExitStatus } from '../errors.ts'
import { evaluateExpectation } from '../pipeline/expect.ts'
import { locateIn, type Plan, type PlannedStage } from '../pipeline/plan.ts'
import type { RunEvent } from './events.ts'
import { fromCache, keyStage } from './execute.ts'
import { localExecutor, type Executor } from './executor.ts'
import { materialize } from './outputs.ts'
import { checkOwner, ownerPath } from './owner.ts'
import type { Produced } from './produced.ts'
import { writeRunRecord, type ExpectationRecord, type StageRecord } from './record.ts'
import { isForced, selectStages, type Selection } from './select.ts'
import { ThreadBudget } from './threads.ts'
import type { ThreadPool } from '../stage.ts'

export interface RunOptions extends Selection {
  /** The `.quasi/` folder (cache, state, locks). */
  readonly quasiDir: string
  /** The content-addressed store, when not `<quasiDir>/cache`: a folder several projects or machines share (`--cache`). */
  readonly cacheDir?: string
  /** The `outputs/` folder; results go to `outputs/<pipeline>/`. */
  readonly outputsDir: string
  /** Stages run at once. */
  readonly jobs: number
  /** Threads all stages running at once may compute on together (`--threads`). Default: the number of cores. */
  readonly threads?: number
  readonly keepGoing?: boolean
  readonly signal?: AbortSignal
  readonly emit: (e: RunEvent) => void
  readonly toolVersion: string
  /** How long to wait for another run of the same pipeline to finish. Default: 0 (stop at once). */
  readonly lockWaitMs?: number
  /** Where stages compute (./executor.ts). Default: this process (`local`). */
  readonly executor?: Executor
  /** Take the pipeline's lock even from a live holder or another host (`--break-lock`). */
  readonly breakLock?: boolean
}

export interface RunResult {
  readonly ok: boolean
  readonly exitStatus: 0 | ExitStatus
  readonly errors: readonly QuasiError[]
  readonly records: readonly StageRecord[]
}

const PROGRESS_INTERVAL_MS = 100

export async function runPipeline(plan: Plan, opts: RunOptions): Promise<RunResult> {
  const chosen = selectStages(plan, opts)
  const order = plan.order.filter((s) => chosen.has(s))
  const t0 = performance.now()
  const lock = await acquireLock(join(opts.quasiDir, 'locks', plan.name), {
    pipeline: plan.name,
    waitMs: opts.lockWaitMs,
    breakLock: opts.breakLock,
    onWait: (h) => opts.emit({ type: 'warning', message: `waiting for another run of \`${plan.name}\` (pid ${h.pid}) to finish` }),
  })
  if (lock.tookOver && opts.breakLock) {
    const h = lock.tookOver
    opts.emit({ type: 'warning', message: `broke the lock of \`${plan.name}\` held by pid ${h.pid} on ${h.host} since ${h.started}` })
  }
  const store = new CacheStore(opts.cacheDir ?? join(opts.quasiDir, 'cache'), (message) => opts.emit({ type: 'warning', message }))
  const stateFile = statePath(opts.quasiDir, plan.name)
  // under the lock, so that two files with one name cannot both pass the check
  await checkOwner(plan, stateFile).catch(async (e: unknown) => {
    await lock.release()
    throw e
  })
  const prevState = await readState(stateFile)
  // Stages no longer in the pipeline (a removed stage, a matrix value taken out) drop out of
  // the state, so `quasi clean` can reclaim their cache entries.
  const state: PipelineState = Object.fromEntries(Object.entries(prevState).filter(([name]) => plan.byName.has(name)))
  const outDir = join(opts.outputsDir, plan.name)

  const abort = new AbortController()
  const onOuterAbort = () => abort.abort(opts.signal?.reason)
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true })
  if (opts.signal?.aborted) abort.abort()

  const produced = new Map<string, Produced>()
  const status = new Map<string, 'pending' | 'running' | 'ok' | 'failed' | 'skipped'>(order.map((s) => [s, 'pending']))
  const records = new Map<string, StageRecord>()
  const errors: QuasiError[] = []
  let expectationsFailed = 0
  let uncachedWarned = false
  let stopping = false
  const executor = opts.executor ?? localExecutor
  const queue = new PQueue({ concurrency: Math.max(1, executor.concurrency ?? opts.jobs) })
  const budget = new ThreadBudget(Math.max(1, opts.threads ?? availableParallelism()))
  // a stage waiting for threads stops waiting when the run is cancelled
  const threads: ThreadPool = { acquire: (max) => budget.acquire(max, abort.signal) }
  const position = new Map(order.map((s, i) => [s, i]))

  opts.emit({ type: 'run:start', pipeline: plan.name, stages: order.map((s) => ({ name: s, kind: plan.byName.get(s)!.kind })), jobs: executor.jobs ?? queue.concurrency, threads: budget.size })

  const depsOf = (s: PlannedStage) => plan.graph.deps(s.name).filter((d) => chosen.has(d))

  const schedule = (name: string) => {
    status.set(name, 'running')
    void queue.add(() => execute(plan.byName.get(name)!), { priority: -position.get(name)! })
  }

  const readyAfter = (name: string) => {
    for (const down of plan.graph.downstream(name)) {
      if (!chosen.has(down) || status.get(down) !== 'pending') continue
      const deps = depsOf(plan.byName.get(down)!)
      if (deps.some((d) => status.get(d) === 'failed' || status.get(d) === 'skipped')) {
        skip(down, 'upstream-failed')
      } else if (deps.every((d) => status.get(d) === 'ok') && !stopping) schedule(down)
    }
  }

  const skip = (name: string, reason: 'upstream-failed' | 'cancelled') => {
    if (status.get(name) !== 'pending') return
    status.set(name, 'skipped')
    const s = plan.byName.get(name)!
    records.set(name, { stage: name, kind: s.kind, status: 'skipped', reason })
    opts.emit({ type: 'stage:skipped', stage: name, kind: s.kind, reason })
    readyAfter(name)
  }

  const fail = (s: PlannedStage, err: unknown) => {
    status.set(s.name, 'failed')
    const cancelled = abort.signal.aborted && !(err instanceof QuasiError && err.code !== 'CANCELLED')
    for (const e of asQuasiErrors(err)) {
      const q = cancelled ? new QuasiError('CANCELLED', 'cancelled') : e
      q.inStage(s.name, s.kind)
      // A folder that is not writable or a full disk is not about any line of the pipeline.
      if (!q.pos && q.code !== 'CANCELLED' && q.exitStatus !== 4) q.pos = locateIn(plan.src, s, q.param ? ['with', ...q.param] : [], { key: !q.param, offset: q.offset })
      if (!cancelled) errors.push(q)
      records.set(s.name, { stage: s.name, kind: s.kind, status: cancelled ? 'cancelled' : 'failed', error: q.code })
      opts.emit({ type: 'stage:failed', stage: s.name, kind: s.kind, error: q })
    }
    if (!opts.keepGoing && !cancelled) {
      stopping = true
      abort.abort(new QuasiError('CANCELLED', 'a sibling stage failed'))
    }
  }

  const execute = async (s: PlannedStage) => {
    if (abort.signal.aborted) {
      status.set(s.name, 'pending')
      skip(s.name, 'cancelled')
      return
    }
    const started = performance.now()
    let lastTick = 0
    try {
      const keyed = await keyStage(plan, s, (ref) => produced.get(ref)!.output)
      const forced = isForced(opts, s.name)
      let p = forced ? undefined : await fromCache(store, keyed.key)
      const cached = p !== undefined
      if (p) {
        opts.emit({ type: 'stage:cached', stage: s.name, kind: s.kind, key: keyed.key })
      } else {
        const reasons: StaleReason[] = forced ? [{ kind: 'forced' }] : staleReasons(prevState[s.name]?.material, keyed.material)
        opts.emit({ type: 'stage:start', stage: s.name, kind: s.kind, reasons })
        p = await executor.run({ plan, stage: s, keyed, store, hooks: {
          input: (name) => produced.get(name)!,
          signal: abort.signal,
          jobs: opts.jobs,
          threads,
          log: (level, message) => opts.emit({ type: 'stage:log', stage: s.name, level, message }),
          uncached: (e) => {
            if (uncachedWarned) return
            uncachedWarned = true
            opts.emit({
              type: 'warning',
              code: 'CACHE_WRITE_FAILED',
              message: `the results of this run are not cached: ${e.message}. Outputs are written as usual; the next run computes these stages again`,
            })
          },
          progress: (done, total) => {
            const now = performance.now()
            if (done >= total || now - lastTick >= PROGRESS_INTERVAL_MS) {
              lastTick = now
              opts.emit({ type: 'stage:progress', stage: s.name, done, total })
            }
          },
        } })
      }
      const files = await materialize(join(outDir, s.name), s, p)
      const ms = performance.now() - started
      if (!cached) {
        opts.emit({ type: 'stage:done', stage: s.name, kind: s.kind, key: keyed.key, ms, unchanged: prevState[s.name]?.output === p.output })
      }
      const expectations: ExpectationRecord[] = []
      for (const x of s.expect) {
        try {
          const r = evaluateExpectation(x, p.facts)
          if (!r.holds) expectationsFailed++
          expectations.push({ expression: x.text, result: r.holds ? 'held' : 'failed', left: r.left, right: r.right, ...(r.tol === undefined ? {} : { tol: r.tol }) })
          opts.emit({ type: 'stage:expect', stage: s.name, text: x.text, holds: r.holds, left: r.left, right: r.right, ...(r.tol === undefined ? {} : { tol: r.tol }) })
        } catch (e) {
          if (!(e instanceof QuasiError)) throw e
          e.pos = locateIn(plan.src, s, ['expect', s.expect.indexOf(x)], { offset: e.offset })
          throw e
        }
      }
      produced.set(s.name, p)
      state[s.name] = { key: keyed.key, material: keyed.material, output: p.output }
      records.set(s.name, { stage: s.name, kind: s.kind, status: cached ? 'cached' : 'ran', key: keyed.key, output: p.output, ms: cached ? 0 : Math.round(ms), files, ...(expectations.length > 0 ? { expectations } : {}) })
      status.set(s.name, 'ok')
    } catch (err) {
      fail(s, err)
    }
    readyAfter(s.name)
  }

  try {
    for (const name of order) if (depsOf(plan.byName.get(name)!).length === 0) schedule(name)
    await queue.onIdle()
    for (const name of order) skip(name, stopping || abort.signal.aborted ? 'cancelled' : 'upstream-failed')
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort)
    await executor.close().catch(() => undefined)
    await writeState(stateFile, state, ownerPath(plan)).catch(() => undefined)
    // A stage that did not finish would leave the previous specification's files beside this
    // run's; its results stay in the cache and come back when it next runs or is taken from it.
    for (const r of records.values()) {
      if (r.status !== 'ran' && r.status !== 'cached') await rm(join(outDir, r.stage), { recursive: true, force: true }).catch(() => undefined)
    }
    await writeRunRecord(outDir, plan, opts.toolVersion, records).catch(() => undefined)
    await lock.release()
  }

  const counts = { ran: 0, cached: 0, failed: 0, skipped: 0 }
  for (const r of records.values()) {
    if (r.status === 'ran') counts.ran++
    else if (r.status === 'cached') counts.cached++
    else if (r.status === 'failed') counts.failed++
    else counts.skipped++
  }
  const cancelled = opts.signal?.aborted === true
  const exit: 0 | ExitStatus = cancelled
    ? 130
    : errors.length > 0
      ? (errors.reduce<number>((s, e) => Math.max(s, e.exitStatus), 0) as ExitStatus)
      : expectationsFailed > 0
        ? 3
        : 0
  opts.emit({ type: 'run:done', ok: exit === 0, exit, ms: performance.now() - t0, ...counts, expectationsFailed, errors })
  return { ok: exit === 0, exitStatus: exit, errors, records: plan.order.filter((s) => records.has(s)).map((s) => records.get(s)!) }
}
