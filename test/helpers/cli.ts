/** The CLI in process (src/cli/main.ts), and a small project to run it on. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src/cli/main.ts'

export interface CliResult {
  code: number
  out: string
  err: string
}

export async function quasiIn(args: string[], cwd: string, env: Record<string, string> = { CI: 'true' }): Promise<CliResult> {
  let out = ''
  let err = ''
  const code = await main(args, { cwd, out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, env })
  return { code, out, err }
}

export const SMALL_PIPELINE = `quasi: 1
name: p
panel: { unit: city, time: year }
stages:
  panel: { uses: ingest, with: { file: data/p.csv } }
  vars: { uses: derive, with: { from: panel, columns: { x: "gdp * 2" } } }
`

/**
 * A project folder (marked by package.json) with pipelines/p.yaml (ingest → derive) on a
 * four-row panel; `files` adds or replaces files, by project-relative path.
 */
export function smallProject(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'quasi-small-'))
  const all: Record<string, string> = {
    'package.json': '{ "private": true }\n',
    'pipelines/data/p.csv': 'city,year,gdp\na,2000,1\na,2001,2\nb,2000,3\nb,2001,4\n',
    'pipelines/p.yaml': SMALL_PIPELINE,
    ...files,
  }
  for (const [rel, text] of Object.entries(all)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true })
    writeFileSync(join(dir, rel), text)
  }
  return dir
}

/** A stack trace line, which no user error may print. */
export const STACK_LINE = /\n\s+at .+:\d+:\d+\)?\n/
