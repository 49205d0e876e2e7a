/**
 * The acceptance test of the slurm executor: the default pipeline, and a 500-draw placebo,
 * run on the single-node cluster give outputs byte-identical to a local run — every file
 * under outputs/, with run.json compared without its `ms` timing fields (helpers.ts).
 */
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, test } from 'vitest'
import { clusterProblem, corruptCacheEntries, differences, filesUnder, jobsNamed, project, quasi, REPO } from './helpers.ts'

beforeAll(() => {
  const why = clusterProblem()
  if (why) throw new Error(`the slurm suite needs a running cluster: ${why}`)
})

/** Run `file` locally in one project and on the cluster in another; both outputs folders. */
async function both(file: string, extra: Record<string, string> = {}): Promise<{ local: string; slurm: string; slurmRun: Awaited<ReturnType<typeof quasi>> }> {
  const local = project(extra)
  const slurm = project(extra)
  const [l, s] = [await quasi(['run', file], local), await quasi(['run', file, '--profile', 'cluster'], slurm)]
  expect(l.code, l.err).toBe(0)
  expect(s.code, s.out + s.err).toBe(0)
  return { local, slurm, slurmRun: s }
}

describe('slurm executor: byte-identical to local', () => {
  test('the default pipeline (cluster-gie, with its 500-draw placebo)', async () => {
    const { local, slurm, slurmRun } = await both('pipelines/cluster-gie.yaml')
    const files = filesUnder(join(slurm, 'outputs'))
    expect(files.length).toBeGreaterThan(200)
    expect(differences(join(local, 'outputs'), join(slurm, 'outputs'))).toEqual([])
    // every stage ran on the cluster, none in this process: the run folder saw its jobs
    expect(slurmRun.out).toMatch(/done: 46 ran, 0 cached/)
    // progress written by jobs reached the renderer (measure-gie reports it often; the placebo,
    // on one CPU, computes its draws in one chunk and reports only at the end)
    expect(slurmRun.out).toMatch(/^ {4}gie\s+\d+\/\d+ \(\d+ %\)$/m)
    expect(corruptCacheEntries(join(slurm, '.quasi', 'cache'))).toEqual([])
  })

  test('a 500-draw placebo pipeline, its matrix instances as one job array', async () => {
    // a name of its own, so that squeue's memory of earlier runs' jobs does not count here
    const name = `placebo-${process.pid}`
    const extra = { [`pipelines/${name}.yaml`]: readFileSync(join(REPO, 'test', 'slurm', 'placebo.yaml'), 'utf8').replace('name: slurm-placebo', `name: ${name}`) }
    const { local, slurm } = await both(`pipelines/${name}.yaml`, extra)
    expect(differences(join(local, 'outputs'), join(slurm, 'outputs'))).toEqual([])
    expect(filesUnder(join(slurm, 'outputs', name, 'placebo')).length).toBeGreaterThan(0)
    // the three instances of `by_region` went as tasks 0..2 of one array
    const tasks = jobsNamed(`quasi-${name}-by_region`).map((j) => j.id)
    expect(new Set(tasks.map((id) => id.split('_')[0])).size).toBe(1)
    expect(tasks.map((id) => id.split('_')[1]).sort()).toEqual(['0', '1', '2'])
  })
})
