/** What every command shares: the registry, the project folder, and loading a plan. */
import { statSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
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
  /** How the root was chosen, for messages: "given by --root", "the nearest folder holding package.json, …". */
  readonly how: string
}

/** What marks a project folder, nearest first: quasi's own folder, an npm package, a git repository. */
export const PROJECT_MARKERS = ['.quasi', 'package.json', '.git'] as const

/**
 * The project folder: `--root` if given; otherwise the nearest folder, from the pipeline file's
 * folder upwards (from the working directory for commands without a file), that holds
 * `.quasi/`, `package.json` or `.git` — so every command on one file uses the same `.quasi/`
 * and `outputs/` from wherever it is run. Without any marker above: the working directory
 * when the file is inside it, else the file's folder. docs/decisions.md, "Project folder".
 */
export function project(io: Io, root: string | undefined, file?: string): Project {
  const p = (r: string, how: string): Project => ({ root: r, quasiDir: join(r, '.quasi'), outputsDir: join(r, 'outputs'), how })
  if (root !== undefined) return p(resolve(io.cwd, root), 'given by --root')
  const abs = file === undefined ? undefined : resolve(io.cwd, file)
  const start = abs === undefined ? resolve(io.cwd) : dirname(abs)
  const from = abs === undefined ? 'the working directory' : "the pipeline file's folder"
  for (let dir = start; ; dir = dirname(dir)) {
    const marker = PROJECT_MARKERS.find((m) => isMarker(join(dir, m), m))
    if (marker) return p(dir, `the nearest folder holding ${marker === '.quasi' ? '.quasi/' : marker}, from ${from} up`)
    if (dirname(dir) === dir) break
  }
  const none = `no folder from ${from} up holds .quasi/, package.json or .git`
  const cwd = resolve(io.cwd)
  if (abs === undefined || isInside(abs, cwd)) return p(cwd, `the working directory, since ${none}`)
  return p(start, `the pipeline file's folder, since ${none} and the file is not under the working directory`)
}

function isMarker(path: string, marker: string): boolean {
  try {
    const st = statSync(path)
    return marker === '.quasi' ? st.isDirectory() : true // .git is a file in worktrees and submodules
  } catch {
    return false
  }
}

function isInside(p: string, dir: string): boolean {
  const r = relative(dir, p)
  return r === '' || (!r.startsWith('..') && !isAbsolute(r))
}

export async function loadPlan(io: Io, file: string, p: Project, allowOutside: boolean): Promise<Plan> {
  const src = await readPipelineFile(file, io.cwd)
  return makePlan(src, registry, { root: p.root, rootHow: `${p.root} (${p.how})`, allowOutside })
}
