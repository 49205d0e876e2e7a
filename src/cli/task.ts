/**
 * `quasi task <batch.json>`: internal, run by SLURM jobs (src/scheduler/slurm/). Runs this
 * array task's share of a batch (SLURM_ARRAY_TASK_ID, or `--index`; 0 for a lone job): for
 * each stage, read its inputs from the shared cache by key, derive its key again and check it
 * is the one the scheduler expects (a node with another quasi version or other data files
 * would make something else), compute it, and store the result in the cache — blobs and
 * manifest each written to a temporary file and renamed into place. A stage already in the
 * cache (a job that ran twice) is left as it is.
 *
 * Exit 0 when every stage is stored; a stage's own error (bad data, a singular design) is
 * written for the scheduler, which reports it as a local run would; exit 1 then.
 */
import { availableParallelism } from 'node:os'
import { CacheStore } from '../cache/store.ts'
import { QuasiError, asQuasiErrors } from '../errors.ts'
import { fromCache, keyStage, runAndStore } from '../scheduler/execute.ts'
import type { Produced } from '../scheduler/produced.ts'
import { readBatch, writeProgress, writeStageError } from '../scheduler/slurm/batch.ts'
import { ThreadBudget } from '../scheduler/threads.ts'
import { VERSION } from '../version.ts'
import { intOption, parse } from './args.ts'
import { loadPlan, project, type Io } from './context.ts'

const PROGRESS_MS = 1000

export async function taskCommand(argv: string[], io: Io, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse('task', argv, { index: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, { min: 1, max: 1, names: 'one batch file' })
  if (values.help) {
    io.out('Usage: quasi task <batch.json> [--index N]\n\nInternal: runs one SLURM job\'s stages (see `quasi run --executor slurm`).\n')
    return 0
  }
  const index = intOption('index', values.index ?? io.env.SLURM_ARRAY_TASK_ID, 0) ?? 0
  const batch = await readBatch(positionals[0])
  if (batch.tool !== VERSION) {
    throw new QuasiError('USAGE', `this node runs quasi ${VERSION}, the run was started with quasi ${batch.tool}`, {
      hint: 'install the same quasi version for the login node and every compute node (one install on the shared filesystem)',
    })
  }
  const entries = batch.tasks[index]
  if (!entries) throw new QuasiError('USAGE', `the batch has ${batch.tasks.length} tasks; there is no task ${index}`)
  const plan = await loadPlan(io, batch.pipeline, project(io, batch.root, batch.pipeline), batch.allowOutside)
  const store = new CacheStore(batch.cache, (m) => io.err(`warning: ${m}\n`))
  const cpus = Number(io.env.SLURM_CPUS_PER_TASK) || (io.env.SLURM_JOB_ID ? 1 : availableParallelism())
  const budget = new ThreadBudget(Math.max(1, cpus))
  let failed = 0
  // Instances packed into one task mostly read the same inputs: each is read and verified once.
  const read = new Map<string, Promise<Produced | undefined>>()
  const input = (key: string) => {
    if (!read.has(key)) read.set(key, fromCache(store, key))
    return read.get(key)!
  }
  for (const entry of entries) {
    const s = plan.byName.get(entry.stage)
    try {
      if (!s) throw new QuasiError('INTERNAL', `the pipeline has no stage \`${entry.stage}\` (was the file changed while the run went on?)`)
      if (await fromCache(store, entry.key)) {
        io.err(`${entry.stage}: already in the cache\n`)
        continue
      }
      const inputs = new Map<string, Produced>()
      for (const [ref, key] of Object.entries(entry.inputs)) {
        const p = await input(key)
        if (!p) throw new QuasiError('STAGE_FAILED', `input \`${ref}\` (key ${key.slice(0, 12)}…) is not in the cache ${batch.cache}`, { hint: 'the cache folder must be on a filesystem every node shares' })
        inputs.set(ref, p)
      }
      const keyed = await keyStage(plan, s, (ref) => inputs.get(ref)!.output)
      if (keyed.key !== entry.key) {
        throw new QuasiError('STAGE_FAILED', `this node derives key ${keyed.key.slice(0, 12)}… for stage \`${s.name}\`, the scheduler ${entry.key.slice(0, 12)}…`, {
          hint: 'the node sees another pipeline file, other data files or another quasi version than the host that submitted the job',
        })
      }
      const t0 = performance.now()
      let last = 0
      await runAndStore(plan, s, keyed, store, {
        input: (name) => inputs.get(name)!,
        signal,
        jobs: 1,
        threads: { acquire: (max) => budget.acquire(max, signal) },
        log: (level, message) => io.err(`${s.name}: ${level}: ${message}\n`),
        progress: (done, total) => {
          const now = performance.now()
          if (done < total && now - last < PROGRESS_MS) return
          last = now
          writeProgress(batch.dir, entry.n, done, total)
        },
        // The scheduler reads the result from the cache: one that cannot be stored is lost.
        uncached: (e) => {
          throw e
        },
      })
      io.err(`${s.name}: stored in ${Math.round(performance.now() - t0)} ms\n`)
    } catch (e) {
      failed++
      const errors = asQuasiErrors(e)
      for (const x of errors) io.err(`${entry.stage}: error ${x.code}: ${x.message}\n`)
      await writeStageError(batch.dir, entry.n, errors[0]).catch(() => undefined)
    }
  }
  return failed > 0 ? 1 : 0
}
