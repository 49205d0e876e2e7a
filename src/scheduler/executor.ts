/**
 * The executor seam: the scheduler decides what runs when (dependencies, fail-fast,
 * cancellation, outputs, the run record); an executor decides where a ready stage computes.
 *
 * - `local` (the default): in this process, on the run's thread budget — quasi as it always ran.
 * - `slurm` (./slurm/executor.ts): as a batch job, or a task of a job array, that runs
 *   `quasi task` on a node against the shared cache and stores the result there; the
 *   scheduler then reads it back like a cache hit.
 *
 * Either way the result is the same bytes: a stage is a pure function of its key material, and
 * its seed is derived from the pipeline seed and the stage name (and the draw), never from
 * where or when it runs.
 */
import type { CacheStore } from '../cache/store.ts'
import type { Plan, PlannedStage } from '../pipeline/plan.ts'
import { runAndStore, type ExecHooks, type Keyed } from './execute.ts'
import type { Produced } from './produced.ts'

/** A stage the scheduler found ready and not in the cache (or forced). */
export interface StageJob {
  readonly plan: Plan
  readonly stage: PlannedStage
  readonly keyed: Keyed
  readonly store: CacheStore
  readonly hooks: ExecHooks
}

export interface Executor {
  readonly name: 'local' | 'slurm'
  /** Stages the scheduler hands over at once; undefined: the run's `--jobs`. */
  readonly concurrency?: number
  /** What the run reports as its jobs (run:start), when not `concurrency`. */
  readonly jobs?: number
  /** Compute the stage and store it under `job.keyed.key`; reject with a QuasiError when it cannot. */
  run(job: StageJob): Promise<Produced>
  /** The run is over (or interrupted): stop whatever is still going. Idempotent. */
  close(): Promise<void>
}

export const localExecutor: Executor = {
  name: 'local',
  run: (job) => runAndStore(job.plan, job.stage, job.keyed, job.store, job.hooks),
  close: async () => undefined,
}
