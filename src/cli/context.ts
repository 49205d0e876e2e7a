/** What every command shares: the registry, the project folder, and loading a plan. */
import { join, resolve } from 'node:path'
import { stageKinds } from '../../stages/index.ts'
import { readPipelineFile } from '../pipeline/load.ts'
import { makePlan, type Plan } from '../pipeline/plan.ts'
import type { StageDef } from '../stage.ts'

export interface Io {
  readonly out: (s: string) => void
  readonly err: (s: string) => void
  readonly cwd: string
  readonly isTTY: boolean
  readonly env: Readonly<Record<string, string | undefined>>
}

export const registry: readonly StageDef[] = stageKinds

export interface Project {
  readonly root: string
  readonly quasiDir: string
  readonly outputsDir: string
}

export function project(io: Io, root: string | undefined): Project {
  const r = resolve(io.cwd, root ?? '.')
  return { root: r, quasiDir: join(r, '.quasi'), outputsDir: join(r, 'outputs') }
}

export async function loadPlan(io: Io, file: string, p: Project, allowOutside: boolean): Promise<Plan> {
  const src = await readPipelineFile(file, io.cwd)
  return makePlan(src, registry, { root: p.root, allowOutside })
}
