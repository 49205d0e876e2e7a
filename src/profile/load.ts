/**
 * quasi.profile.yaml in the project folder: named profiles that say where a run executes
 * (`executor`) and what each stage's jobs ask for. Read like a pipeline file (positions,
 * duplicate keys, no tags), validated with ajv; every problem comes back at once with its
 * line and column (exit 2). The pipeline file never holds any of this, so one study runs
 * unchanged on a laptop and on a cluster.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { QuasiError, QuasiErrors } from '../errors.ts'
import { displayPath, parsePipelineText, takePlainValue } from '../pipeline/load.ts'
import { locate } from '../pipeline/source.ts'
import { check } from '../pipeline/validate.ts'
import { suggest } from '../suggest.ts'
import { profileFileSchema } from './schema.ts'
import type { Profile, ProfileFile, Resources } from './types.ts'

export const PROFILE_FILE = 'quasi.profile.yaml'

const DEFAULT_POLL_S = 2

/** The local executor with nothing set: what a run without `--profile` uses. */
export const localProfile: Profile = { name: 'local', executor: 'local', pollMs: DEFAULT_POLL_S * 1000, resources: () => ({}) }

export interface LoadProfileOptions {
  /** The project folder; the file is `<root>/quasi.profile.yaml`. */
  readonly root: string
  readonly cwd: string
  /** `--profile NAME`. */
  readonly name: string
  /** Stage kinds that exist, to catch a misspelt kind under `kinds:`. */
  readonly kinds: readonly string[]
}

export async function loadProfile(opts: LoadProfileOptions): Promise<Profile> {
  const abs = join(opts.root, PROFILE_FILE)
  let text: string
  try {
    text = await readFile(abs, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new QuasiError('MISSING_FILE', `\`--profile ${opts.name}\` needs ${displayPath(abs, opts.cwd)}, which cannot be read (${code ?? 'error'})`, {
      hint: `write the profiles into ${PROFILE_FILE} in the project folder (README, "On a cluster"), or pass --root DIR`,
    })
  }
  const src = parsePipelineText(text, displayPath(abs, opts.cwd), abs)
  const value = takePlainValue(src)?.value ?? src.doc.toJS()
  const where = { src, base: [], noun: 'key' as const }
  const problems = check(profileFileSchema, value, where)
  if (problems.length > 0) throw new QuasiErrors(problems)
  const file = value as { profiles: Record<string, ProfileFile> }
  const names = Object.keys(file.profiles)
  const chosen = file.profiles[opts.name]
  if (!chosen) {
    const near = suggest(opts.name, names)
    throw new QuasiError('USAGE', `no profile \`${opts.name}\` in ${src.display}${near ? `; did you mean \`${near}\`?` : ''}`, {
      expected: names.length ? `one of ${names.map((n) => `\`${n}\``).join(', ')}` : 'a profile under `profiles:`',
    })
  }
  const unknownKinds: QuasiError[] = []
  for (const kind of Object.keys(chosen.kinds ?? {})) {
    if (opts.kinds.includes(kind)) continue
    const near = suggest(kind, opts.kinds)
    unknownKinds.push(
      new QuasiError('UNKNOWN_KIND', `no stage kind \`${kind}\`${near ? `; did you mean \`${near}\`?` : ''}`, {
        pos: locate(src, ['profiles', opts.name, 'kinds', kind], { key: true }),
        hint: 'resources under `kinds:` are by stage kind (the `uses:` of a stage); by stage name they go under `stages:`',
      }),
    )
  }
  if (unknownKinds.length > 0) throw new QuasiErrors(unknownKinds)
  return resolveProfile(opts.name, chosen)
}

/**
 * The resolved profile. Names under `stages:` that the pipeline does not have are ignored: one
 * profile serves every pipeline of the project.
 */
export function resolveProfile(name: string, p: ProfileFile): Profile {
  return {
    name,
    executor: p.executor ?? 'local',
    jobs: p.jobs,
    pollMs: Math.round((p.poll_seconds ?? DEFAULT_POLL_S) * 1000),
    resources: (s) => merge(p.defaults, p.kinds?.[s.kind], s.template === undefined ? undefined : p.stages?.[s.template], p.stages?.[s.name]),
  }
}

function merge(...layers: (Resources | undefined)[]): Resources {
  const out: Record<string, unknown> = {}
  for (const l of layers) if (l) for (const [k, v] of Object.entries(l)) if (v !== undefined) out[k] = v
  return out as Resources
}
