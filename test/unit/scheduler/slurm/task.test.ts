/**
 * `quasi task` on its own: it refuses a batch from another quasi version, refuses to store a
 * stage under a key it does not derive itself (the node sees other files than the submitting
 * host), leaves a stage already in the cache alone, and reports a stage's error for the scheduler.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { readStageError } from '../../../../src/scheduler/slurm/batch.ts'
import { VERSION } from '../../../../src/version.ts'
import { quasiIn, smallProject } from '../../../helpers/cli.ts'

/** A project run once locally, and its stages' keys from run.json. */
async function ranProject(): Promise<{ dir: string; keys: Record<string, string> }> {
  const dir = smallProject()
  expect((await quasiIn(['run', 'pipelines/p.yaml'], dir)).code).toBe(0)
  const run = JSON.parse(readFileSync(join(dir, 'outputs', 'p', 'run.json'), 'utf8')) as { stages: { stage: string; key: string }[] }
  return { dir, keys: Object.fromEntries(run.stages.map((s) => [s.stage, s.key])) }
}

function batch(dir: string, entries: object[], tool = VERSION): string {
  const file = join(dir, 'batch.json')
  writeFileSync(file, JSON.stringify({ format: 1, tool, pipeline: join(dir, 'pipelines', 'p.yaml'), root: dir, allowOutside: false, cache: join(dir, '.quasi', 'cache'), dir: join(dir, 'run'), tasks: [entries] }))
  return file
}

describe('quasi task', () => {
  test('another quasi version: refused, exit 2', async () => {
    const { dir, keys } = await ranProject()
    const r = await quasiIn(['task', batch(dir, [{ n: 0, stage: 'vars', key: keys.vars, inputs: { panel: keys.panel } }], '0.0.1')], dir)
    expect(r.code).toBe(2)
    expect(r.err).toContain(`this node runs quasi ${VERSION}, the run was started with quasi 0.0.1`)
  })

  test('a key the node does not derive: nothing stored, the error left for the scheduler', async () => {
    const { dir, keys } = await ranProject()
    const wrong = 'f'.repeat(64)
    const r = await quasiIn(['task', batch(dir, [{ n: 3, stage: 'vars', key: wrong, inputs: { panel: keys.panel } }])], dir)
    expect(r.code).toBe(1)
    const e = await readStageError(join(dir, 'run'), 3)
    expect(e?.code).toBe('STAGE_FAILED')
    expect(e?.message).toContain(`this node derives key ${keys.vars.slice(0, 12)}… for stage \`vars\`, the scheduler ffffffffffff…`)
    expect(() => readFileSync(join(dir, '.quasi', 'cache', 'stages', `${wrong}.json`))).toThrow()
  })

  test('a stage already in the cache is left as it is; an input missing from the cache is an error', async () => {
    const { dir, keys } = await ranProject()
    const ok = await quasiIn(['task', batch(dir, [{ n: 0, stage: 'vars', key: keys.vars, inputs: { panel: keys.panel } }])], dir)
    expect(ok.code).toBe(0)
    expect(ok.err).toContain('vars: already in the cache')
    const missing = 'e'.repeat(64)
    const bad = await quasiIn(['task', batch(dir, [{ n: 1, stage: 'vars', key: 'd'.repeat(64), inputs: { panel: missing } }])], dir)
    expect(bad.code).toBe(1)
    expect((await readStageError(join(dir, 'run'), 1))?.message).toContain('input `panel` (key eeeeeeeeeeee…) is not in the cache')
  })
})
