/**
 * The last run's key material per stage (`.quasi/state/<pipeline>.json`), so that
 * `quasi status` and `--dry-run` can say what changed. Losing it costs only the detail of
 * the reasons, never a cache hit.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { canonicalJson } from './canonical.ts'
import { writeFileAtomic } from './atomic.ts'
import type { KeyMaterial } from './key.ts'

export interface StageState {
  readonly key: string
  readonly material: KeyMaterial
  /** Output digest of that run, to tell whether a re-run changed anything. */
  readonly output: string
}

export type PipelineState = Record<string, StageState>

export function statePath(quasiDir: string, pipeline: string): string {
  return join(quasiDir, 'state', `${pipeline}.json`)
}

export async function readState(path: string): Promise<PipelineState> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as { stages?: PipelineState }
    return v.stages ?? {}
  } catch {
    return {}
  }
}

export async function writeState(path: string, state: PipelineState): Promise<void> {
  await writeFileAtomic(path, canonicalJson({ stages: state }) + '\n')
}
