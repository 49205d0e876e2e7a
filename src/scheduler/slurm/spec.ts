/**
 * The batch script for one submission: `#SBATCH` lines from the stage's resources (profile),
 * then one command that runs `quasi task` on the batch file. A job array runs the same
 * script once per task; `quasi task` reads SLURM_ARRAY_TASK_ID to pick its share.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Resources } from '../../profile/types.ts'

export interface JobSpec {
  /** `--job-name`; shows in squeue. */
  readonly name: string
  readonly resources: Resources
  /** The batch file `quasi task` reads. */
  readonly batchFile: string
  /** Log file pattern (`%j` job id, `%A` array id, `%a` task index). */
  readonly log: string
  /** Array tasks, when more than one share the submission. */
  readonly arrayTasks?: number
  /** Most array tasks running at once (`--array=0-N%max`). */
  readonly arrayMax?: number
  /** The command that starts quasi on a node: node and the bin script, by default. */
  readonly command: readonly string[]
}

export function jobScript(spec: JobSpec): string {
  const r = spec.resources
  const lines = ['#!/bin/sh', `#SBATCH --job-name=${oneLine(spec.name)}`, `#SBATCH --output=${spec.log}`, `#SBATCH --error=${spec.log}`]
  if (spec.arrayTasks !== undefined && spec.arrayTasks > 1) {
    lines.push(`#SBATCH --array=0-${spec.arrayTasks - 1}${spec.arrayMax ? `%${spec.arrayMax}` : ''}`)
  }
  if (r.partition) lines.push(`#SBATCH --partition=${oneLine(r.partition)}`)
  if (r.account) lines.push(`#SBATCH --account=${oneLine(r.account)}`)
  if (r.qos) lines.push(`#SBATCH --qos=${oneLine(r.qos)}`)
  if (r.time) lines.push(`#SBATCH --time=${oneLine(r.time)}`)
  if (r.memory) lines.push(`#SBATCH --mem=${oneLine(r.memory)}`)
  if (r.cpus) lines.push(`#SBATCH --cpus-per-task=${r.cpus}`)
  for (const a of r.sbatch ?? []) lines.push(`#SBATCH ${oneLine(a)}`)
  lines.push('', `exec ${[...spec.command, 'task', spec.batchFile].map(shellQuote).join(' ')}`, '')
  return lines.join('\n')
}

/** Single-quoted for sh: safe for any path. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./=:@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}

/** A value on an #SBATCH line cannot span lines; the profile schema forbids newlines, this is the second guard. */
function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ')
}

/**
 * How a node starts this quasi: the Node.js running now and the package's `bin/quasi.js`
 * (found from this module upwards, so it works from the built package and from the sources).
 * The same path must exist on every node: the install lives on the shared filesystem.
 */
export function defaultCommand(): string[] {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const bin = join(dir, 'bin', 'quasi.js')
    if (existsSync(bin) && existsSync(join(dir, 'package.json'))) return [process.execPath, bin]
    const up = dirname(dir)
    if (up === dir) return ['quasi'] // installed globally: on the PATH of every node
    dir = up
  }
}
