/**
 * `outputs/<pipeline>/run.json`: the run's lockfile. Every stage's key and output digest,
 * whether it came from the cache, its wall time, the files it wrote, the tool version and
 * the pipeline file's digest, so any output can be traced to what made it.
 */
import { join } from 'node:path'
import { sha256 } from '../cache/canonical.ts'
import type { Plan } from '../pipeline/plan.ts'
import { writeIfChanged } from './outputs.ts'

export interface StageRecord {
  readonly stage: string
  readonly kind: string
  readonly status: 'ran' | 'cached' | 'failed' | 'skipped' | 'cancelled'
  readonly key?: string
  readonly output?: string
  /** Wall time of the computation in ms (0 for a cache hit). */
  readonly ms?: number
  readonly files?: readonly string[]
  readonly error?: string
}

export async function writeRunRecord(outDir: string, plan: Plan, toolVersion: string, stages: readonly StageRecord[]): Promise<void> {
  const record = {
    tool: { name: 'quasi', version: toolVersion },
    pipeline: { name: plan.name, file: plan.src.display, digest: sha256(plan.src.text) },
    seed: plan.seed,
    stages: stages.map((s) => ({ ...s, cached: s.status === 'cached' })),
  }
  await writeIfChanged(join(outDir, 'run.json'), JSON.stringify(record, null, 2) + '\n')
}
