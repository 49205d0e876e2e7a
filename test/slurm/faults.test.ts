/**
 * Faults on the real cluster: a job cancelled with scancel mid-stage, a job over its memory,
 * a job past its time limit, and the scheduler killed with -9 while its jobs run. Each must end in a coded error (or a
 * clean re-run), with the cache intact and the next run completing, its outputs equal to a
 * local run's.
 *
 * The slow stage is a placebo with many draws on one CPU (about half a minute), so a test
 * can act while its job runs.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { clusterProblem, corruptCacheEntries, DEFAULT_PROFILE, differences, jobsNamed, project, quasi, REPO, resultsOnly, until } from './helpers.ts'

beforeAll(() => {
  const why = clusterProblem()
  if (why) throw new Error(`the slurm suite needs a running cluster: ${why}`)
})

/** The placebo pipeline with `draws` draws and its own name, so that tests can find their jobs. */
function slowPipeline(name: string, draws: number): Record<string, string> {
  const text = readFileSync(join(REPO, 'test', 'slurm', 'placebo.yaml'), 'utf8')
    .replace('name: slurm-placebo', `name: ${name}`)
    .replace('draws: 500', `draws: ${draws}`)
  return { [`pipelines/${name}.yaml`]: text }
}

/** The default `cluster` profile with `resources` of its own for the stage `placebo`. */
const placeboProfile = (resources: string) => `${DEFAULT_PROFILE}    stages:\n      placebo: ${resources}\n`

/** The running job of stage `stage` of pipeline `name` (job names are quasi-<file>-<stage>). */
const running = (name: string, stage: string) => () => jobsNamed(`quasi-${name}-${stage}`).find((j) => j.state === 'RUNNING')

/** Start the slow pipeline on the cluster and wait until its placebo job runs. */
async function startOnCluster(name: string, draws: number) {
  const dir = project(slowPipeline(name, draws))
  let pid = 0
  const run = quasi(['run', `pipelines/${name}.yaml`, '--profile', 'cluster'], dir, (p) => (pid = p))
  const job = await until('the placebo job to run', running(name, 'placebo'))
  return { dir, run, job, pid }
}

/** The cache holds no half-written entry, and the outputs are a local run's, result for result. */
async function expectIntactAndLocal(name: string, draws: number, dir: string): Promise<void> {
  expect(corruptCacheEntries(join(dir, '.quasi', 'cache'))).toEqual([])
  const local = project(slowPipeline(name, draws))
  expect((await quasi(['run', `pipelines/${name}.yaml`], local)).code).toBe(0)
  expect(differences(join(local, 'outputs'), join(dir, 'outputs'), resultsOnly)).toEqual([])
}

describe('slurm faults', () => {
  test('a job cancelled with scancel mid-stage: JOB_CANCELLED with its id, cache intact, the re-run completes', async () => {
    const name = `f-scancel-${process.pid}`
    const { dir, run, job } = await startOnCluster(name, 8000)
    await new Promise((r) => setTimeout(r, 2000))
    spawnSync('scancel', [job.id])
    const r = await run
    expect(r.code).toBe(4)
    expect(r.err).toContain('error JOB_CANCELLED')
    expect(r.err).toContain(`SLURM job ${job.id} of stage \`placebo\` was cancelled`)
    expect(r.err).toMatch(/CANCELLED AT/) // the tail of the job's log
    expect(corruptCacheEntries(join(dir, '.quasi', 'cache'))).toEqual([])

    const again = await quasi(['run', `pipelines/${name}.yaml`, '--profile', 'cluster'], dir)
    expect(again.code, again.err).toBe(0)
    expect(again.out).toMatch(/panel\s+cached/)
    expect(again.out).toMatch(/baseline\s+cached/)
    await expectIntactAndLocal(name, 8000, dir)
  })

  test('a job over its memory: JOB_OUT_OF_MEMORY with its id and log, the hint names the profile', async () => {
    const name = `f-memory-${process.pid}`
    // 120 MB is less than Node.js with quasi and a 4,200-row panel needs; jobacct_gather polls
    // every second and OverMemoryKill ends the job when it is seen above the limit.
    const dir = project(slowPipeline(name, 8000), placeboProfile('{ memory: 120M }'))
    const r = await quasi(['run', `pipelines/${name}.yaml`, '--profile', 'cluster'], dir)
    expect(r.code).toBe(4)
    expect(r.err).toContain('error JOB_OUT_OF_MEMORY')
    expect(r.err).toMatch(/SLURM job \d+ of stage `placebo` ran out of memory/)
    expect(r.err).toMatch(/exceeded memory limit/) // the tail of the job's log
    expect(r.err).toContain('give the stage more memory in quasi.profile.yaml')
    expect(corruptCacheEntries(join(dir, '.quasi', 'cache'))).toEqual([])
  })

  test('a job past its time limit: JOB_TIMEOUT with its id and log', async () => {
    const name = `f-time-${process.pid}`
    // one minute for a placebo of a million draws, which needs several on one CPU; SLURM checks
    // time limits about every 30 s
    const dir = project(slowPipeline(name, 1_000_000), placeboProfile('{ time: "1" }'))
    const r = await quasi(['run', `pipelines/${name}.yaml`, '--profile', 'cluster'], dir)
    expect(r.code).toBe(4)
    expect(r.err).toContain('error JOB_TIMEOUT')
    expect(r.err).toMatch(/SLURM job \d+ of stage `placebo` reached its time limit/)
    expect(r.err).toContain('DUE TO TIME LIMIT') // the tail of the job's log
    expect(corruptCacheEntries(join(dir, '.quasi', 'cache'))).toEqual([])
  })

  test('the scheduler killed with -9 while a job runs: the next run adopts the result the job stored', async () => {
    const name = `f-adopt-${process.pid}`
    const { dir, run, job, pid } = await startOnCluster(name, 4000)
    process.kill(pid, 'SIGKILL')
    expect((await run).signal).toBe('SIGKILL')
    // the job goes on without its scheduler, and stores its result
    await until('the orphaned job to finish', () => jobsNamed(`quasi-${name}-placebo`).find((j) => j.id === job.id && j.state === 'COMPLETED'), 300_000)
    const again = await quasi(['run', `pipelines/${name}.yaml`, '--profile', 'cluster'], dir)
    expect(again.code, again.err).toBe(0)
    expect(again.out).toMatch(/placebo\s+cached/)
    await expectIntactAndLocal(name, 4000, dir)
  })

  test('the scheduler killed with -9 and run again at once: the orphaned job is cancelled, the stage recomputed', async () => {
    const name = `f-orphan-${process.pid}`
    const { dir, run, job, pid } = await startOnCluster(name, 8000)
    process.kill(pid, 'SIGKILL')
    await run
    const again = await quasi(['run', `pipelines/${name}.yaml`, '--profile', 'cluster'], dir)
    expect(again.code, again.err).toBe(0)
    // the placebo's job, and the array of by_region if it had not finished either
    expect(again.out).toMatch(new RegExp(`cancelled \\d+ SLURM jobs? left running by an earlier run of this pipeline that did not end cleanly \\([^)]*\\b${job.id}\\b`))
    expect(jobsNamed(`quasi-${name}-placebo`).find((j) => j.id === job.id)?.state).toBe('CANCELLED')
    await expectIntactAndLocal(name, 8000, dir)
  })

  test('Ctrl-C (SIGINT) cancels the submitted jobs with scancel and exits 130', async () => {
    const name = `f-sigint-${process.pid}`
    const { run, job, pid } = await startOnCluster(name, 8000)
    process.kill(pid, 'SIGINT')
    const r = await run
    expect(r.code).toBe(130)
    const state = await until('the job to be cancelled', () => {
      const s = jobsNamed(`quasi-${name}-placebo`).find((j) => j.id === job.id)?.state
      return s === 'CANCELLED' || s === 'COMPLETED' ? s : undefined
    }, 30_000)
    expect(state).toBe('CANCELLED')
  })
})
