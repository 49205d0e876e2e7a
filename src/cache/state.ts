/**
 * The last run's key material per stage (`.quasi/state/<pipeline>.json`), so that
 * `quasi status` and `--dry-run` can say what changed. Losing it costs only the detail of
 * the reasons, never a cache hit. It also names the file that owns the pipeline name
 * (`owner`, project-relative), so that a second file declaring the same name is caught
 * instead of sharing outputs/<name>/ and this state.
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

interface StateFile {
  /** Project-relative path (with `/`) of the pipeline file whose last run wrote this state. */
  readonly owner?: string
  readonly stages?: PipelineState
}

async function readStateFile(path: string): Promise<StateFile> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as StateFile
  } catch {
    return {}
  }
}

export async function readState(path: string): Promise<PipelineState> {
  return (await readStateFile(path)).stages ?? {}
}

/** The file that owns the pipeline name; undefined for a state written before owners were kept. */
export async function readOwner(path: string): Promise<string | undefined> {
  const owner = (await readStateFile(path)).owner
  return typeof owner === 'string' ? owner : undefined
}

export async function writeState(path: string, state: PipelineState, owner?: string): Promise<void> {
  await writeFileAtomic(path, canonicalJson({ owner, stages: state }) + '\n')
}
