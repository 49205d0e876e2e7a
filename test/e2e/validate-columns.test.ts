/**
 * Column names are checked from the data files' headers by `quasi validate` (and the
 * planning step of `run`): the bundled pipelines raise no false alarm, and the check keeps
 * validation fast.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { main } from '../../src/cli/main.ts'
import { checkColumns, readFileHeader } from '../../src/pipeline/columns.ts'
import { readPipelineFile } from '../../src/pipeline/load.ts'
import { makePlan } from '../../src/pipeline/plan.ts'
import { stageKinds } from '../../stages/index.ts'

const repo = fileURLToPath(new URL('../..', import.meta.url))

async function validate(file: string) {
  let out = ''
  let err = ''
  const t0 = performance.now()
  const code = await main(['validate', file], { cwd: repo, out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, env: { CI: 'true' } })
  return { code, out, err, ms: performance.now() - t0 }
}

describe('column names in the bundled pipelines', () => {
  test.each(['pipelines/cluster-gie.yaml', 'pipelines/produc.yaml'])('%s validates without a false alarm (built CLI)', (file) => {
    const r = spawnSync(process.execPath, [join(repo, 'bin/quasi.js'), 'validate', file], { cwd: repo, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^${file}: ok \\(\\d+ stages\\)\n$`))
  })

  test('validating the default pipeline, headers included, takes well under a second', async () => {
    await validate('pipelines/cluster-gie.yaml') // loads the modules once
    const times: number[] = []
    for (let i = 0; i < 3; i++) {
      const r = await validate('pipelines/cluster-gie.yaml')
      expect(r.code).toBe(0)
      times.push(r.ms)
    }
    expect(Math.min(...times)).toBeLessThan(500)
  })

  test('the column check itself (a header and twelve hooks) is a few milliseconds of that', async () => {
    const src = await readPipelineFile('pipelines/cluster-gie.yaml', repo)
    const plan = makePlan(src, stageKinds, { root: repo })
    const times: number[] = []
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now()
      const errors = checkColumns(plan.stages, plan.order, readFileHeader, { src, panel: plan.panel, pathOf: (s) => ['stages', s, 'with'] })
      times.push(performance.now() - t0)
      expect(errors).toEqual([])
    }
    expect(Math.min(...times)).toBeLessThan(50)
  })
})
