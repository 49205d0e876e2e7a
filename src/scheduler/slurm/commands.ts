/**
 * The SLURM commands quasi calls: `sbatch` to submit, `scancel` to cancel, and `squeue` /
 * `sacct` to learn how jobs stand. Polling is rate-limited: however many stages wait, one
 * `squeue` call per interval answers for all of them (a controller answering hundreds of
 * users should not get one call per job per second). `sacct` is asked only about jobs
 * `squeue` no longer lists (they ended longer ago than the cluster's MinJobAge).
 */
import { spawn } from 'node:child_process'
import { QuasiError } from '../../errors.ts'
import { parseSacct, parseSqueue, type JobState } from './states.ts'

export interface CommandResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs a command; tests swap in recorded outputs. */
export type Runner = (cmd: string, args: readonly string[]) => Promise<CommandResult>

export const spawnRunner: Runner = (cmd, args) =>
  new Promise((resolve) => {
    let stdout = ''
    let stderr = ''
    let child
    try {
      child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (e) {
      resolve({ code: 127, stdout: '', stderr: (e as Error).message })
      return
    }
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', (e) => resolve({ code: 127, stdout, stderr: stderr + (e as Error).message }))
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }))
  })

/** Submit a batch script; the job id (for an array, the array's id). */
export async function sbatch(run: Runner, script: string, stage: string): Promise<string> {
  const r = await run('sbatch', ['--parsable', script])
  const id = r.stdout.trim().split(';')[0]
  if (r.code !== 0 || !/^\d+$/.test(id)) {
    const why = (r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n') || `exit status ${r.code}`
    throw new QuasiError('SUBMIT_FAILED', `sbatch refused the job of stage \`${stage}\`: ${why}`, {
      hint:
        r.code === 127
          ? 'sbatch is not on the PATH: run quasi on a login node of the cluster, or use --executor local'
          : 'check the partition, account, time and memory in quasi.profile.yaml against `sinfo` and your allocation',
    })
  }
  return id
}

/** Cancel jobs or array tasks (`123`, `123_4`); errors are ignored (a job may have ended meanwhile). */
export async function scancel(run: Runner, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) await run('scancel', ids.slice(i, i + 500))
}

/** Every job and array task, one a line: the format `parseSqueue` reads. */
export const SQUEUE_ARGS: readonly string[] = ['-h', '-r', '-t', 'all', '-o', '%i|%T|%r']

export interface PollerOptions {
  readonly run: Runner
  /** Least time between two polls. */
  readonly intervalMs: number
}

/**
 * Job states on demand, at most one squeue (and, when needed, one sacct) call per interval.
 * `states(ids)` waits for the next poll that starts after the call, and answers from it.
 */
export class Poller {
  readonly #run: Runner
  readonly #intervalMs: number
  #last = 0
  #next: Promise<Map<string, JobState>> | undefined
  #wanted = new Set<string>()

  constructor(opts: PollerOptions) {
    this.#run = opts.run
    this.#intervalMs = opts.intervalMs
  }

  /** States of `ids` (job ids and array task ids) from one poll; an id neither command knows is absent. */
  async states(ids: Iterable<string>): Promise<Map<string, JobState>> {
    for (const id of ids) this.#wanted.add(id)
    this.#next ??= this.#poll()
    return this.#next
  }

  async #poll(): Promise<Map<string, JobState>> {
    // Always yield first: `#next` is assigned only after this function returns its promise.
    const wait = this.#last + this.#intervalMs - Date.now()
    await new Promise((r) => setTimeout(r, Math.max(0, wait)))
    const wanted = this.#wanted
    this.#wanted = new Set()
    this.#next = undefined
    this.#last = Date.now()
    const out = new Map<string, JobState>()
    const q = await this.#run('squeue', SQUEUE_ARGS)
    if (q.code === 0) for (const s of parseSqueue(q.stdout)) if (wanted.has(s.id)) out.set(s.id, s)
    const missing = [...wanted].filter((id) => !out.has(id))
    if (missing.length > 0) for (const s of await this.#sacct(missing)) if (wanted.has(s.id)) out.set(s.id, s)
    return out
  }

  /** sacct from the accounting database, or, where there is none, from the job completion log (`-c`). */
  async #sacct(ids: readonly string[]): Promise<JobState[]> {
    const jobs = [...new Set(ids.map((id) => id.split('_')[0]))].join(',')
    const args = ['-n', '-P', '-X', '-o', 'JobID,State,ExitCode', '-j', jobs]
    const r = await this.#run('sacct', args)
    if (r.code === 0 && !/storage is disabled/i.test(r.stdout + r.stderr)) return parseSacct(r.stdout)
    const c = await this.#run('sacct', ['-c', ...args])
    return c.code === 0 ? parseSacct(c.stdout) : []
  }
}
