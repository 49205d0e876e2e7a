/**
 * SLURM job states as `squeue` and `sacct` print them, and what each means for a stage:
 * still going, done, or a coded error (docs/errors.md) naming the job and the tail of its log.
 *
 * Single-node and container setups enforce memory by polling (jobacct_gather with
 * OverMemoryKill) rather than cgroups; there a job over its memory ends FAILED, not
 * OUT_OF_MEMORY, and only its log says why ("exceeded memory limit"), so the log is read too.
 */
import { QuasiError } from '../../errors.ts'

export type JobErrorCode = 'JOB_FAILED' | 'JOB_OUT_OF_MEMORY' | 'JOB_TIMEOUT' | 'JOB_NODE_FAIL' | 'JOB_CANCELLED'

/** One line of `squeue -h -r -t all -o '%i|%T|%r'` or `sacct -n -P -o JobID,State,ExitCode`. */
export interface JobState {
  /** `123` for a job, `123_4` for task 4 of array 123. */
  readonly id: string
  /** Upper case, without sacct's suffixes: `CANCELLED by 0` → `CANCELLED`. */
  readonly state: string
  /** squeue's reason (`None`, `NonZeroExitCode`, `JobLaunchFailure`, …) or sacct's exit code (`0:9`). */
  readonly detail: string
}

const ACTIVE = new Set(['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED', 'REQUEUED', 'REQUEUE_FED', 'REQUEUE_HOLD', 'RESIZING', 'SIGNALING', 'STAGE_OUT', 'STOPPED', 'RESV_DEL_HOLD', 'SPECIAL_EXIT'])

/** A job that has not ended (it may yet run, or is running). */
export function isActive(state: string): boolean {
  return ACTIVE.has(state)
}

/** `squeue -h -r -t all -o '%i|%T|%r'` → states, one per job or array task. */
export function parseSqueue(text: string): JobState[] {
  const out: JobState[] = []
  for (const line of text.split('\n')) {
    const [id, state, detail] = line.trim().split('|')
    if (!id || !state) continue
    out.push({ id: id.trim(), state: normalize(state), detail: (detail ?? '').trim() })
  }
  return out
}

/**
 * `sacct -n -P -X -o JobID,State,ExitCode` → states. Steps (`123.batch`) are skipped: the
 * allocation's line says how the job ended. sacct prints a pending array as `123_[0-9]`;
 * those lines are kept as they are and never match a task id, so such tasks stay unknown.
 */
export function parseSacct(text: string): JobState[] {
  const out: JobState[] = []
  for (const line of text.split('\n')) {
    const [id, state, exit] = line.trim().split('|')
    if (!id || !state || id.includes('.')) continue
    out.push({ id: id.trim(), state: normalize(state), detail: (exit ?? '').trim() })
  }
  return out
}

function normalize(state: string): string {
  return state.trim().split(/\s+/)[0].replace(/\+$/, '').toUpperCase()
}

export interface JobContext {
  /** The job (or array task) id as `squeue` shows it. */
  readonly jobId: string
  readonly stage: string
  /** The last lines of the job's log, or '' when it has none (yet). */
  readonly logTail: string
}

const MEMORY_IN_LOG = /exceeded (job )?memory limit|out of memory|oom-kill/i
const TIME_IN_LOG = /DUE TO TIME LIMIT/

/**
 * The error for a job that ended in `state` without storing its result, or undefined when the
 * state says it finished (COMPLETED; the caller then checks the cache for the result).
 */
export function jobError(s: JobState, ctx: JobContext): QuasiError | undefined {
  const code = errorCode(s, ctx.logTail)
  if (code === undefined) return undefined
  const what: Record<JobErrorCode, string> = {
    JOB_OUT_OF_MEMORY: 'ran out of memory and was killed',
    JOB_TIMEOUT: 'reached its time limit and was killed',
    JOB_NODE_FAIL: 'was lost with its node',
    JOB_CANCELLED: 'was cancelled',
    JOB_FAILED: `failed (${s.state}${s.detail && s.detail !== 'None' ? `, ${s.detail}` : ''})`,
  }
  const hints: Record<JobErrorCode, string> = {
    JOB_OUT_OF_MEMORY: `give the stage more memory in quasi.profile.yaml (\`memory:\` under its kind or under \`stages: { ${ctx.stage}: … }\`), then run again; finished stages come from the cache`,
    JOB_TIMEOUT: `give the stage more time in quasi.profile.yaml (\`time:\` under its kind or its name), then run again; finished stages come from the cache`,
    JOB_NODE_FAIL: 'a node failed under the job; run again (finished stages come from the cache), and tell the cluster admins if it repeats',
    JOB_CANCELLED: 'someone (scancel, an admin, a preemption) cancelled the job; run again to resubmit it — finished stages come from the cache',
    JOB_FAILED: 'read the job log above; if it mentions quasi or node, check that every node has the same quasi version and Node.js ≥ 20 on its PATH',
  }
  return new QuasiError(code, `SLURM job ${ctx.jobId} of stage \`${ctx.stage}\` ${what[code]}${ctx.logTail ? `; the end of its log:\n${indent(ctx.logTail)}` : ' (its log is empty)'}`, {
    hint: hints[code],
  })
}

function errorCode(s: JobState, log: string): JobErrorCode | undefined {
  switch (s.state) {
    case 'COMPLETED':
      return undefined
    case 'OUT_OF_MEMORY':
      return 'JOB_OUT_OF_MEMORY'
    case 'TIMEOUT':
    case 'DEADLINE':
      return 'JOB_TIMEOUT'
    case 'NODE_FAIL':
    case 'BOOT_FAIL':
      return 'JOB_NODE_FAIL'
    case 'CANCELLED':
    case 'PREEMPTED':
      // a time limit ends as TIMEOUT, but an over-memory kill by polling shows as a cancellation in the log
      if (MEMORY_IN_LOG.test(log)) return 'JOB_OUT_OF_MEMORY'
      return TIME_IN_LOG.test(log) ? 'JOB_TIMEOUT' : 'JOB_CANCELLED'
    default:
      return MEMORY_IN_LOG.test(log) ? 'JOB_OUT_OF_MEMORY' : 'JOB_FAILED'
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')
}
