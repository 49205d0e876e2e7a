/**
 * `outputs/<pipeline>/run.json`: the run's lockfile. Every stage's key and output digest,
 * whether it came from the cache, its wall time, the files it wrote, the tool version and
 * the pipeline file's digest, so any output can be traced to what made it.
 *
 * Every stage of the pipeline has an entry. A stage outside `--only`/`--from` is
 * `not-selected`: its folder, if any, holds an earlier run's files, and `earlier` says which
 * (key, output, files), carried over from the run.json it finds. Folders of stages that
 * failed, were skipped or cancelled are removed by the scheduler, so they have no `earlier`.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sha256 } from '../cache/canonical.ts'
import type { Plan } from '../pipeline/plan.ts'
import { writeIfChanged } from './outputs.ts'

export type StageStatus = 'ran' | 'cached' | 'failed' | 'skipped' | 'cancelled' | 'not-selected'

export interface ExpectationRecord {
  readonly expr: string
  readonly held: boolean
  readonly left: number
  readonly right: number
}

export interface StageRecord {
  readonly stage: string
  readonly kind: string
  readonly status: StageStatus
  readonly key?: string
  readonly output?: string
  /** Wall time of the computation in ms (0 for a cache hit). */
  readonly ms?: number
  readonly files?: readonly string[]
  readonly error?: string
  /** Why a stage was skipped: an upstream stage failed, or the run stopped first. */
  readonly reason?: 'upstream-failed' | 'cancelled'
  /** The stage's `expect:` lines as evaluated: the line, whether it held, and both sides. */
  readonly expectations?: readonly ExpectationRecord[]
  /** `not-selected` only: the earlier run whose files the stage's folder still holds. */
  readonly earlier?: { readonly key?: string; readonly output?: string; readonly files?: readonly string[] }
}

/** Write run.json with `records` (this run's stages) and a `not-selected` entry for every other stage. */
export async function writeRunRecord(outDir: string, plan: Plan, toolVersion: string, records: ReadonlyMap<string, StageRecord>): Promise<void> {
  const before = await readEarlier(join(outDir, 'run.json'))
  const stages = plan.order.map((name): StageRecord => {
    const r = records.get(name)
    if (r) return r
    const e = before.get(name)
    const earlier = e?.status === 'ran' || e?.status === 'cached' ? { key: e.key, output: e.output, files: e.files } : e?.status === 'not-selected' ? e.earlier : undefined
    const kept = earlier !== undefined && existsSync(join(outDir, name))
    return { stage: name, kind: plan.byName.get(name)!.kind, status: 'not-selected', ...(kept ? { earlier } : {}) }
  })
  const record = {
    tool: { name: 'quasi', version: toolVersion },
    pipeline: { name: plan.name, file: plan.src.display, digest: sha256(plan.src.text) },
    seed: plan.seed,
    stages: stages.map((s) => ({ ...s, cached: s.status === 'cached' })),
  }
  await writeIfChanged(join(outDir, 'run.json'), JSON.stringify(record, null, 2) + '\n')
}

async function readEarlier(path: string): Promise<Map<string, StageRecord>> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as { stages?: StageRecord[] }
    return new Map((v.stages ?? []).map((s) => [s.stage, s]))
  } catch {
    return new Map()
  }
}
