/**
 * The slurm executor against a simulated cluster: sbatch, squeue and scancel answered in this
 * process, each "job" running `quasi task` on its batch file (the real command, in process).
 * What the real cluster adds (daemons, nodes, memory enforcement) is the slurm suite's part
 * (test/slurm/); here: batching into arrays, results read back from the shared cache equal to a
 * local run's, job failures as coded errors, cancellation, and the polling rate.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { main } from '../../../../src/cli/main.ts'
import { loadPlan, project } from '../../../../src/cli/context.ts'
import { resolveProfile } from '../../../../src/profile/load.ts'
import type { ProfileFile } from '../../../../src/profile/types.ts'
import { runPipeline } from '../../../../src/scheduler/run.ts'
import { testRenderer } from '../../../../src/scheduler/renderers/test.ts'
import type { CommandResult, Runner } from '../../../../src/scheduler/slurm/commands.ts'
import { SlurmExecutor } from '../../../../src/scheduler/slurm/executor.ts'
import { VERSION } from '../../../../src/version.ts'
import { smallProject } from '../../../helpers/cli.ts'
import { filesIn } from './files.ts'

const PIPELINE = `quasi: 1
name: p
panel: { unit: city, time: year }
stages:
  panel: { uses: ingest, with: { file: data/p.csv } }
  vars: { uses: derive, with: { from: panel, columns: { x: "gdp * 2" } } }
  scaled:
    uses: derive
    matrix: { k: [1, 2, 3] }
    with: { from: vars, columns: { y: "x * \${{ matrix.k }}" } }
`

interface FakeJob {
  id: string
  state: string
}

/** A cluster in this process. `kill(stage)` makes the job of that stage end as the given state with the given log. */
function fakeCluster(opts: { kill?: Record<string, { state: string; log: string }>; hold?: boolean } = {}) {
  let next = 100
  const jobs: FakeJob[] = []
  const calls: string[][] = []
  const scripts: string[] = []
  const runner: Runner = async (cmd, args): Promise<CommandResult> => {
    calls.push([cmd, ...args])
    if (cmd === 'sbatch') {
      const script = readFileSync(args[args.length - 1], 'utf8')
      scripts.push(script)
      const id = String(next++)
      const batchFile = /task (\S+)\n/.exec(script)![1]
      const log = /--output=(\S+)/.exec(script)![1]
      const n = Number(/--array=0-(\d+)/.exec(script)?.[1] ?? 0) + 1
      const batch = JSON.parse(readFileSync(batchFile, 'utf8')) as { tasks: { stage: string }[][] }
      for (let i = 0; i < n; i++) {
        const job: FakeJob = { id: n > 1 ? `${id}_${i}` : id, state: 'PENDING' }
        jobs.push(job)
        const logFile = log.replace('%j', id).replace('%A', id).replace('%a', String(i))
        void (async () => {
          await new Promise((r) => setTimeout(r, 20))
          if (job.state !== 'PENDING') return
          job.state = 'RUNNING'
          if (opts.hold) return
          const killed = batch.tasks[i].map((e) => opts.kill?.[e.stage]).find((k) => k)
          mkdirSync(dirname(logFile), { recursive: true })
          if (killed) {
            writeFileSync(logFile, killed.log)
            job.state = killed.state
            return
          }
          let text = ''
          const code = await main(['task', batchFile, '--index', String(i)], { out: (s) => (text += s), err: (s) => (text += s), cwd: '/', isTTY: false, env: {} })
          writeFileSync(logFile, text)
          if (job.state === 'RUNNING') job.state = code === 0 ? 'COMPLETED' : 'FAILED'
        })()
      }
      return { code: 0, stdout: `${id}\n`, stderr: '' }
    }
    if (cmd === 'squeue') return { code: 0, stdout: jobs.map((j) => `${j.id}|${j.state}|None`).join('\n') + '\n', stderr: '' }
    if (cmd === 'scancel') {
      for (const j of jobs) if (args.includes(j.id) || args.includes(j.id.split('_')[0])) if (j.state === 'PENDING' || j.state === 'RUNNING') j.state = 'CANCELLED'
      return { code: 0, stdout: '', stderr: '' }
    }
    return { code: 1, stdout: '', stderr: 'Slurm accounting storage is disabled' }
  }
  return { runner, jobs, calls, scripts }
}

async function run(root: string, profile: ProfileFile, runner?: Runner, signal?: AbortSignal) {
  const io = { out: () => undefined, err: () => undefined, cwd: root, isTTY: false, env: {} }
  const p = project(io, root, 'pipelines/p.yaml')
  const plan = await loadPlan(io, 'pipelines/p.yaml', p, false)
  const events = testRenderer()
  const executor = runner
    ? new SlurmExecutor({
        profile: resolveProfile('cluster', profile),
        dir: join(p.quasiDir, 'slurm', plan.name),
        pipeline: plan.src.abs,
        root,
        allowOutside: false,
        cacheDir: join(p.quasiDir, 'cache'),
        toolVersion: VERSION,
        warn: () => undefined,
        runner,
      })
    : undefined
  const t0 = performance.now()
  const r = await runPipeline(plan, { quasiDir: p.quasiDir, outputsDir: p.outputsDir, jobs: 2, emit: (e) => events.onEvent(e), toolVersion: VERSION, executor, signal })
  return { ...r, events, executor, ms: performance.now() - t0 }
}

const profile: ProfileFile = { executor: 'slurm', poll_seconds: 0.1, defaults: { memory: '1G' } }

describe('slurm executor (simulated cluster)', () => {
  test('one job per lone stage, one array for the matrix instances; outputs equal to a local run', async () => {
    const local = smallProject({ 'pipelines/p.yaml': PIPELINE })
    const remote = smallProject({ 'pipelines/p.yaml': PIPELINE })
    expect((await run(local, {})).exitStatus).toBe(0)
    const c = fakeCluster()
    const r = await run(remote, profile, c.runner)
    expect(r.exitStatus).toBe(0)
    expect(c.calls.filter((x) => x[0] === 'sbatch')).toHaveLength(3)
    expect(c.scripts.map((s) => /--array=(\S+)/.exec(s)?.[1] ?? 'none')).toEqual(['none', 'none', '0-2'])
    expect(c.scripts.every((s) => s.includes('#SBATCH --mem=1G'))).toBe(true)
    expect(r.records.map((x) => `${x.stage}:${x.status}`)).toEqual(['panel:ran', 'vars:ran', 'scaled[0]:ran', 'scaled[1]:ran', 'scaled[2]:ran'])
    const a = filesIn(join(local, 'outputs'))
    expect(Object.keys(a).length).toBeGreaterThan(5)
    expect(filesIn(join(remote, 'outputs'))).toEqual(a)
    // the run's folder is removed when all went well
    expect(filesIn(join(remote, '.quasi', 'slurm'))).toEqual({})
  })

  test('stages_per_task packs instances into fewer array tasks', async () => {
    const c = fakeCluster()
    const r = await run(smallProject({ 'pipelines/p.yaml': PIPELINE }), { ...profile, kinds: { derive: { stages_per_task: 2 } } }, c.runner)
    expect(r.exitStatus).toBe(0)
    expect(/--array=(\S+)/.exec(c.scripts[2])?.[1]).toBe('0-1')
  })

  test('`jobs` bounds the tasks submitted and not ended: stages beyond it wait, then go', async () => {
    const c = fakeCluster()
    const r = await run(smallProject({ 'pipelines/p.yaml': PIPELINE }), { ...profile, jobs: 2 }, c.runner)
    expect(r.exitStatus).toBe(0)
    // the three instances: an array of two, then the third once a task has ended
    expect(c.scripts.slice(2).map((s) => /--array=(\S+)/.exec(s)?.[1] ?? 'none')).toEqual(['0-1', 'none'])
  })

  test('a job killed for memory: JOB_OUT_OF_MEMORY with the job id and its log, exit 4, downstream skipped', async () => {
    const c = fakeCluster({ kill: { vars: { state: 'FAILED', log: 'slurmstepd: error: StepId=101.batch exceeded memory limit (389652480 > 104857600), being killed\n' } } })
    const r = await run(smallProject({ 'pipelines/p.yaml': PIPELINE }), profile, c.runner)
    expect(r.exitStatus).toBe(4)
    expect(r.errors).toHaveLength(1)
    const e = r.errors[0]
    expect(e.code).toBe('JOB_OUT_OF_MEMORY')
    expect(e.stage).toBe('vars')
    expect(e.message).toContain('SLURM job 101 of stage `vars` ran out of memory')
    expect(e.message).toContain('exceeded memory limit (389652480 > 104857600)')
    expect(e.pos).toBeUndefined() // the cluster's doing, not a line of the pipeline
    expect(r.records.filter((x) => x.status === 'skipped').map((x) => x.stage)).toEqual(['scaled[0]', 'scaled[1]', 'scaled[2]'])
  })

  test('sbatch missing or refusing: SUBMIT_FAILED with its words and a hint, exit 4', async () => {
    const missing: Runner = async (cmd) => (cmd === 'sbatch' ? { code: 127, stdout: '', stderr: 'spawn sbatch ENOENT' } : { code: 0, stdout: '', stderr: '' })
    const a = await run(smallProject({ 'pipelines/p.yaml': PIPELINE }), profile, missing)
    expect(a.exitStatus).toBe(4)
    expect(a.errors[0].code).toBe('SUBMIT_FAILED')
    expect(a.errors[0].message).toBe('sbatch refused the job of stage `panel`: spawn sbatch ENOENT')
    expect(a.errors[0].hint).toContain('sbatch is not on the PATH')
    const refused: Runner = async (cmd) =>
      cmd === 'sbatch' ? { code: 1, stdout: '', stderr: 'sbatch: error: invalid partition specified: gpu\nsbatch: error: Batch job submission failed: Invalid partition name specified' } : { code: 0, stdout: '', stderr: '' }
    const b = await run(smallProject({ 'pipelines/p.yaml': PIPELINE }), { ...profile, defaults: { partition: 'gpu' } }, refused)
    expect(b.errors[0].code).toBe('SUBMIT_FAILED')
    expect(b.errors[0].message).toContain('Invalid partition name specified')
    expect(b.errors[0].hint).toContain('check the partition, account, time and memory in quasi.profile.yaml')
  })

  test('cancelling the run cancels the submitted jobs (scancel) and exits 130', async () => {
    const c = fakeCluster({ hold: true })
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 600)
    const r = await run(smallProject({ 'pipelines/p.yaml': PIPELINE }), profile, c.runner, ac.signal)
    expect(r.exitStatus).toBe(130)
    expect(c.calls.some((x) => x[0] === 'scancel' && x.includes('100'))).toBe(true)
    expect(c.jobs.find((j) => j.id === '100')!.state).toBe('CANCELLED')
  })

  test('polling is rate-limited: one squeue call per interval, however many jobs wait', async () => {
    const c = fakeCluster()
    const r = await run(smallProject({ 'pipelines/p.yaml': PIPELINE }), { ...profile, poll_seconds: 0.2 }, c.runner)
    expect(r.exitStatus).toBe(0)
    const polls = c.calls.filter((x) => x[0] === 'squeue').length
    expect(polls).toBeGreaterThan(0)
    expect(polls).toBeLessThanOrEqual(Math.ceil(r.ms / 200) + 1)
  })
})
