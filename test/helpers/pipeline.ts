/** In-process pipelines for scheduler tests: a temporary project folder and a custom registry. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makePlan, type Plan } from '../../src/pipeline/plan.ts'
import { parsePipelineText } from '../../src/pipeline/load.ts'
import type { StageDef } from '../../src/stage.ts'
import { runPipeline, type RunOptions, type RunResult } from '../../src/scheduler/run.ts'
import { testRenderer, type TestRenderer } from '../../src/scheduler/renderers/test.ts'

export function tempProject(prefix = 'quasi-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  mkdirSync(join(dir, 'pipelines'), { recursive: true })
  return dir
}

export function planOf(root: string, yaml: string, registry: readonly StageDef[], file = 'pipelines/p.yaml'): Plan {
  const abs = join(root, file)
  writeFileSync(abs, yaml)
  return makePlan(parsePipelineText(yaml, file, abs), registry, { root })
}

export async function runIn(root: string, plan: Plan, opts: Partial<RunOptions> = {}): Promise<RunResult & { events: TestRenderer }> {
  const events = testRenderer()
  const r = await runPipeline(plan, {
    quasiDir: join(root, '.quasi'),
    outputsDir: join(root, 'outputs'),
    jobs: 2,
    emit: (e) => events.onEvent(e),
    toolVersion: 'test',
    ...opts,
  })
  return { ...r, events }
}
