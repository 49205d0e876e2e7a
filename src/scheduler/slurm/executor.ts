/**
 * The `slurm` executor. A ready stage is not computed here: it waits until no other stage has
 * become ready for a moment (`BATCH_MS`, at most `BATCH_MAX_MS`), then the ready stages of one
 * kind and the same resources go to the cluster together —
 * one `sbatch` job for a lone stage, one job array for several (the instances of a `matrix:`
 * template, the branches of a wide graph), `stages_per_task` of them per array task. Each
 * task runs `quasi task` on a node, which reads the stage's inputs from the shared cache,
 * computes it, and stores the result there; the scheduler polls the jobs (./commands.ts,
 * rate-limited), forwards their progress to the renderers, and reads each result back from
 * the cache as it would a cache hit. A job that ends without a result becomes a coded error
 * with its id and the end of its log (./states.ts).
 *
 * Jobs live in `.quasi/slurm/<pipeline>/<run>/` (batch files, scripts, logs), on the shared
 * filesystem. A run that is interrupted cancels its jobs (scancel); a scheduler killed with -9
 * cannot, so the next run of the pipeline, which holds the lock and so knows the earlier
 * scheduler is gone, cancels whatever the earlier runs left queued or running. Results
 * those jobs had stored are ordinary cache entries and are used; a half-written one never
 * exists (blobs and manifests are renamed into place).
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rm, writeFile, open } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../../cache/atomic.ts'
import { QuasiError } from '../../errors.ts'
import type { PlannedStage } from '../../pipeline/plan.ts'
import type { Profile, Resources } from '../../profile/types.ts'
import type { Executor, StageJob } from '../executor.ts'
import { fromCache } from '../execute.ts'
import type { Produced } from '../produced.ts'
import { BATCH_FORMAT, readProgress, readStageError, type BatchEntry, type BatchFile } from './batch.ts'
import { Poller, SQUEUE_ARGS, sbatch, scancel, spawnRunner, type Runner } from './commands.ts'
import { defaultCommand, jobScript } from './spec.ts'
import { isActive, jobError, parseSqueue, type JobState } from './states.ts'

/** A submission goes when no stage has become ready for this long… */
const BATCH_MS = 150
/** …or when the first of its stages has waited this long. */
const BATCH_MAX_MS = 2000
/** Polls in a row that find a submitted job in neither squeue nor sacct before it counts as ended. */
const UNKNOWN_POLLS = 3
/** Jobs and array tasks submitted and not yet ended, at most (profile `jobs`). */
const DEFAULT_JOBS = 1000
const LOG_TAIL_LINES = 15

export interface SlurmOptions {
  readonly profile: Profile
  /** `.quasi/slurm/<pipeline>`: the runs' folders go inside. */
  readonly dir: string
  readonly pipeline: string
  readonly root: string
  readonly allowOutside: boolean
  readonly cacheDir: string
  readonly toolVersion: string
  readonly warn: (message: string) => void
  /** How nodes start quasi (default: this Node.js and this package's bin/quasi.js). */
  readonly command?: readonly string[]
  readonly runner?: Runner
}

interface Entry {
  readonly n: number
  readonly job: StageJob
  readonly resources: Resources
  readonly resolve: (p: Produced) => void
  readonly reject: (e: unknown) => void
  settled: boolean
  task?: Task
}

interface Task {
  /** `123` or `123_4`. */
  readonly id: string
  readonly entries: readonly Entry[]
  readonly log: string
  unknown: number
  done: boolean
}

export class SlurmExecutor implements Executor {
  readonly name = 'slurm'
  /**
   * Every ready stage is handed over at once: the limit that matters on a cluster is on
   * submitted jobs (`jobs`), and stages held back by the scheduler's queue would reach the
   * executor one by one as others end, each in a job of its own instead of one array.
   */
  readonly concurrency = Number.POSITIVE_INFINITY
  readonly #maxTasks: number
  #closed = false

  /** Jobs and array tasks running or queued at once, at most: what the run reports as its jobs. */
  get jobs(): number {
    return this.#maxTasks
  }
  readonly #o: SlurmOptions
  readonly #run: Runner
  readonly #poller: Poller
  readonly #runDir: string
  #serial = 0
  #pending: Entry[] = []
  #flushTimer: NodeJS.Timeout | undefined
  readonly #tasks = new Set<Task>()
  #watching = false
  #started: Promise<void> | undefined
  #submissions: Promise<void> = Promise.resolve()

  constructor(o: SlurmOptions) {
    this.#o = o
    this.#run = o.runner ?? spawnRunner
    this.#poller = new Poller({ run: this.#run, intervalMs: o.profile.pollMs })
    this.#maxTasks = o.profile.jobs ?? DEFAULT_JOBS
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
    this.#runDir = join(o.dir, `${stamp}-${process.pid}-${randomBytes(3).toString('hex')}`)
  }

  run(job: StageJob): Promise<Produced> {
    return new Promise<Produced>((resolve, reject) => {
      const e: Entry = { n: this.#serial++, job, resources: this.#o.profile.resources(job.stage), resolve, reject, settled: false }
      const signal = job.hooks.signal
      if (signal.aborted) return reject(cancelled())
      signal.addEventListener('abort', () => this.#cancel(e), { once: true })
      this.#pending.push(e)
      this.#flushSoon()
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#flushTimer)
    this.#flushTimer = undefined
    for (const e of this.#pending) this.#settle(e, undefined, cancelled())
    this.#pending = []
    await this.#submissions
    const live = [...this.#tasks].filter((t) => !t.done)
    for (const t of live) {
      t.done = true
      for (const e of t.entries) this.#settle(e, undefined, cancelled())
    }
    for (const t of live) this.#scancelSoon(t.id)
    await this.#cancelling
    this.#tasks.clear()
    // A run whose jobs all ended well leaves nothing: its logs said nothing worth keeping.
    if (live.length === 0 && !this.#failed) await rm(this.#runDir, { recursive: true, force: true }).catch(() => undefined)
  }

  #failed = false

  #settle(e: Entry, p: Produced | undefined, err?: unknown): void {
    if (e.settled) return
    e.settled = true
    if (err !== undefined) {
      if (!(err instanceof QuasiError && err.code === 'CANCELLED')) this.#failed = true
      e.reject(err)
    } else e.resolve(p!)
  }

  /** A stage's signal aborted (Ctrl-C, or a sibling failed): drop it, and cancel its task if nothing else needs it. */
  #cancel(e: Entry): void {
    this.#settle(e, undefined, cancelled())
    const i = this.#pending.indexOf(e)
    if (i >= 0) this.#pending.splice(i, 1)
    const t = e.task
    if (t && !t.done && t.entries.every((x) => x.settled)) {
      t.done = true
      this.#tasks.delete(t)
      this.#scancelSoon(t.id)
      this.#taskEnded()
    }
  }

  #toCancel: string[] = []
  #cancelling: Promise<void> = Promise.resolve()

  /** Cancel in one scancel call what one abort cancels (a Ctrl-C drops every stage at once). */
  #scancelSoon(id: string): void {
    if (this.#toCancel.push(id) > 1) return
    this.#cancelling = this.#cancelling.then(async () => {
      await new Promise((r) => setImmediate(r))
      const ids = this.#toCancel
      this.#toCancel = []
      await scancel(this.#run, ids)
    })
  }

  #firstWaiting = 0

  /** Flush when arrivals pause for BATCH_MS, or BATCH_MAX_MS after the first waiting stage. */
  #flushSoon(): void {
    if (this.#pending.length === 0) return
    if (this.#flushTimer === undefined) this.#firstWaiting = Date.now()
    clearTimeout(this.#flushTimer)
    const wait = Math.max(0, Math.min(BATCH_MS, this.#firstWaiting + BATCH_MAX_MS - Date.now()))
    this.#flushTimer = setTimeout(() => this.#flush(), wait)
  }

  /** Tasks submitted and not ended, plus those being submitted. */
  #inFlight = 0

  #flush(): void {
    this.#flushTimer = undefined
    const ready = this.#pending.filter((e) => !e.settled)
    this.#pending = []
    const groups = new Map<string, Entry[]>()
    for (const e of ready) {
      const g = `${e.job.stage.kind}\u0000${JSON.stringify(e.resources)}`
      const group = groups.get(g)
      if (group) group.push(e)
      else groups.set(g, [e])
    }
    for (const entries of groups.values()) {
      // as many tasks as `jobs` allows now; the rest wait for tasks to end
      const per = Math.max(1, entries[0].resources.stages_per_task ?? 1)
      const room = Math.max(0, this.#maxTasks - this.#inFlight) * per
      const now = entries.slice(0, room)
      this.#pending.push(...entries.slice(room))
      if (now.length === 0) continue
      this.#inFlight += Math.ceil(now.length / per)
      this.#submissions = this.#submissions.then(() => this.#submit(now)).catch(() => undefined)
    }
  }

  /** A task ended (or was never submitted): its place is free for stages waiting on `jobs`. */
  #taskEnded(n = 1): void {
    this.#inFlight -= n
    if (!this.#closed && this.#pending.length > 0 && this.#flushTimer === undefined) this.#flush()
  }

  /** Before the first submission: the run folder, and jobs that earlier, dead schedulers left behind. */
  #start(): Promise<void> {
    this.#started ??= (async () => {
      await mkdir(join(this.#runDir, 'logs'), { recursive: true })
      await this.#cancelOrphans()
    })()
    return this.#started
  }

  async #submit(entries: Entry[]): Promise<void> {
    const per = Math.max(1, entries[0].resources.stages_per_task ?? 1)
    const chunks: Entry[][] = []
    for (let i = 0; i < entries.length; i += per) chunks.push(entries.slice(i, i + per))
    let watched = 0
    try {
      await this.#start()
      const first = entries[0].job.stage
      const serial = entries[0].n
      const batch: BatchFile = {
        format: BATCH_FORMAT,
        tool: this.#o.toolVersion,
        pipeline: this.#o.pipeline,
        root: this.#o.root,
        allowOutside: this.#o.allowOutside,
        cache: this.#o.cacheDir,
        dir: this.#runDir,
        tasks: chunks.map((c) => c.map(batchEntry)),
      }
      const batchFile = join(this.#runDir, `batch-${serial}.json`)
      await writeFileAtomic(batchFile, JSON.stringify(batch) + '\n')
      const array = chunks.length > 1
      const script = jobScript({
        name: `quasi-${this.#o.pipeline.split('/').pop()!.replace(/\.ya?ml$/, '')}-${array ? `${first.template ?? first.kind}` : first.name}`,
        resources: entries[0].resources,
        batchFile,
        log: join(this.#runDir, 'logs', array ? '%A_%a.log' : '%j.log'),
        arrayTasks: chunks.length,
        command: this.#o.command ?? defaultCommand(),
      })
      const scriptFile = join(this.#runDir, `batch-${serial}.sh`)
      await writeFile(scriptFile, script, { mode: 0o755 })
      if (entries.every((e) => e.settled)) {
        this.#taskEnded(chunks.length) // cancelled meanwhile
        return
      }
      const id = await sbatch(this.#run, scriptFile, array ? `${first.template ?? first.kind} (${entries.length} stages)` : first.name)
      watched = chunks.length
      chunks.forEach((c, i) => {
        const t: Task = {
          id: array ? `${id}_${i}` : id,
          entries: c,
          log: join(this.#runDir, 'logs', array ? `${id}_${i}.log` : `${id}.log`),
          unknown: 0,
          done: false,
        }
        for (const e of c) e.task = t
        if (c.every((e) => e.settled)) {
          t.done = true
          this.#scancelSoon(t.id)
          this.#taskEnded()
        } else this.#tasks.add(t)
      })
      this.#watch()
      // for the next run, in case this scheduler dies before its jobs end
      await appendLine(join(this.#runDir, 'jobs'), id)
    } catch (err) {
      for (const e of entries) this.#settle(e, undefined, err)
      if (watched === 0) this.#taskEnded(chunks.length)
    }
  }

  #watch(): void {
    if (this.#watching) return
    this.#watching = true
    void (async () => {
      try {
        while (this.#tasks.size > 0) {
          const live = [...this.#tasks]
          const states = await this.#poller.states(live.map((t) => t.id))
          for (const t of live) {
            if (t.done) continue
            const s = states.get(t.id)
            if (s && isActive(s.state)) {
              t.unknown = 0
              if (s.state === 'RUNNING') await this.#progress(t)
              continue
            }
            if (!s && ++t.unknown < UNKNOWN_POLLS) continue
            t.done = true
            this.#tasks.delete(t)
            await this.#finish(t, s)
            this.#taskEnded()
          }
        }
      } finally {
        this.#watching = false
        if (this.#tasks.size > 0) this.#watch()
      }
    })()
  }

  async #progress(t: Task): Promise<void> {
    for (const e of t.entries) {
      if (e.settled) continue
      const p = await readProgress(this.#runDir, e.n)
      if (p) e.job.hooks.progress(p.done, p.total)
    }
  }

  /** The task ended: each stage's result from the cache, else its own error, else the job's. */
  async #finish(t: Task, s: JobState | undefined): Promise<void> {
    for (const e of t.entries) {
      if (e.settled) continue
      try {
        const p = await fromCache(e.job.store, e.job.keyed.key)
        if (p) {
          for (const l of p.manifest.log) e.job.hooks.log(l.level, l.message)
          this.#settle(e, p)
          continue
        }
        const own = await readStageError(this.#runDir, e.n)
        if (own) {
          this.#settle(e, undefined, own)
          continue
        }
        const tail = await logTail(t.log)
        const ctx = { jobId: t.id, stage: e.job.stage.name, logTail: tail }
        const err =
          (s && jobError(s, ctx)) ??
          new QuasiError('JOB_FAILED', `SLURM job ${t.id} of stage \`${e.job.stage.name}\` ${s ? 'completed' : 'ended'} without storing the stage's result${tail ? `; the end of its log:\n${tail.replace(/^/gm, '    ')}` : ''}`, {
            hint: 'the node must see the same cache folder as this host (a shared filesystem) and run the same quasi version; the job log is in .quasi/slurm/',
          })
        this.#settle(e, undefined, err)
      } catch (err) {
        this.#settle(e, undefined, err)
      }
    }
  }

  /** Cancel jobs recorded by earlier runs of this pipeline that are still queued or running, and drop their folders. */
  async #cancelOrphans(): Promise<void> {
    const runs = await readdir(this.#o.dir).catch(() => [] as string[])
    const ids = new Set<string>()
    const old: string[] = []
    for (const r of runs) {
      const dir = join(this.#o.dir, r)
      if (dir === this.#runDir) continue
      old.push(dir)
      const t = await readFile(join(dir, 'jobs'), 'utf8').catch(() => '')
      for (const l of t.split('\n')) if (/^\d+$/.test(l)) ids.add(l)
    }
    if (ids.size > 0) {
      const q = await this.#run('squeue', SQUEUE_ARGS)
      const live = new Set(
        parseSqueue(q.stdout)
          .filter((s) => isActive(s.state) && ids.has(s.id.split('_')[0]))
          .map((s) => s.id.split('_')[0]),
      )
      if (live.size > 0) {
        await scancel(this.#run, [...live])
        this.#o.warn(`cancelled ${live.size} SLURM job${live.size === 1 ? '' : 's'} left running by an earlier run of this pipeline that did not end cleanly (${[...live].join(', ')}); results they stored are used`)
      }
    }
    for (const dir of old) await rm(dir, { recursive: true, force: true }).catch(() => undefined)
  }
}

function batchEntry(e: Entry): BatchEntry {
  const s: PlannedStage = e.job.stage
  const inputs: Record<string, string> = {}
  for (const ref of s.refs) inputs[ref] = e.job.hooks.input(ref).key
  return { n: e.n, stage: s.name, key: e.job.keyed.key, inputs }
}

function cancelled(): QuasiError {
  return new QuasiError('CANCELLED', 'cancelled')
}

async function appendLine(file: string, line: string): Promise<void> {
  const fh = await open(file, 'a')
  try {
    await fh.write(line + '\n')
  } finally {
    await fh.close()
  }
}

/** The last lines of a job's log (it may not exist: a job cancelled while pending never wrote one). */
async function logTail(file: string): Promise<string> {
  const t = await readFile(file, 'utf8').catch(() => '')
  return t.trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n')
}
