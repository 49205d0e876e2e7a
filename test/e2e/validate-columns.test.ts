/**
 * Column names are checked from the data files' headers by `quasi validate` (and the
 * planning step of `run`): the bundled pipelines raise no false alarm. bench/plan.ts times
 * validation of the default pipeline.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { checkColumns, readFileHeader } from '../../src/pipeline/columns.ts'
import { readPipelineFile } from '../../src/pipeline/load.ts'
import { makePlan } from '../../src/pipeline/plan.ts'
import { stageKinds } from '../../stages/index.ts'

const repo = fileURLToPath(new URL('../..', import.meta.url))

describe('column names in the bundled pipelines', () => {
  test.each(['pipelines/cluster-gie.yaml', 'pipelines/cluster-gti.yaml', 'pipelines/produc.yaml', 'pipelines/yrd-integration.yaml'])('%s validates without a false alarm (built CLI)', (file) => {
    const r = spawnSync(process.execPath, [join(repo, 'bin/quasi.js'), 'validate', file], { cwd: repo, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^${file}: ok \\(\\d+ stages\\)\n$`))
  })

  test('the column check of the default pipeline (a header and its hooks) finds nothing to report', async () => {
    const src = await readPipelineFile('pipelines/cluster-gie.yaml', repo)
    const plan = makePlan(src, stageKinds, { root: repo })
    const errors = checkColumns(plan.stages, plan.order, readFileHeader, { panel: plan.panel, locate: () => ({ file: '', line: 0, col: 0, length: 0, source: '' }) })
    expect(errors).toEqual([])
  })
})
