/**
 * One pipeline name, one file. `outputs/<name>/`, the state and the lock are keyed by the
 * `name:` in the file, so two files declaring the same name would overwrite each other's
 * outputs and make `quasi status` report on the wrong file. The state records the file
 * that owns the name; another file that still exists and still declares that name is an
 * error. A file that moved (the old path is gone) or was renamed (it declares another
 * name now) hands the name over silently.
 */
import { realpathSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { relative, resolve, sep } from 'node:path'
import { parseDocument } from 'yaml'
import { readOwner } from '../cache/state.ts'
import { QuasiError } from '../errors.ts'
import type { Plan } from '../pipeline/plan.ts'
import { locate } from '../pipeline/source.ts'

/** The plan's file relative to the project folder, with `/`: what the state records. */
export function ownerPath(plan: Plan): string {
  return relative(real(plan.root), real(plan.src.abs)).split(sep).join('/')
}

/** Stop with DUPLICATE_PIPELINE_NAME when another existing file owns the plan's name. */
export async function checkOwner(plan: Plan, stateFile: string): Promise<void> {
  const owner = await readOwner(stateFile)
  const mine = ownerPath(plan)
  if (owner === undefined || owner === mine) return
  if ((await declaredName(resolve(real(plan.root), owner))) !== plan.name) return
  throw new QuasiError('DUPLICATE_PIPELINE_NAME', `pipeline name \`${plan.name}\` is already used by ${owner}; ${mine} declares it too`, {
    pos: locate(plan.src, ['name']),
    expected: `a name no other pipeline file of the project declares (it names outputs/${plan.name}/ and the cache's record of the last run)`,
    found: `\`name: ${plan.name}\` in both ${owner} and ${mine}`,
    hint: `rename one of them (\`name:\` in ${mine} or in ${owner}); delete ${owner} if it is an old copy`,
  })
}

/** The `name:` a pipeline file declares, or undefined if it is gone or has none. */
async function declaredName(abs: string): Promise<string | undefined> {
  let text: string
  try {
    text = await readFile(abs, 'utf8')
  } catch {
    return undefined
  }
  // A file that does not parse as a whole may still declare its name; read what there is.
  const name = parseDocument(text, { prettyErrors: false }).get('name')
  return typeof name === 'string' ? name : undefined
}

function real(p: string): string {
  try {
    return realpathSync(p)
  } catch {
    return p
  }
}
