/**
 * A broken pipe: `quasi … | head -1` closes quasi's stdout after the first line, so every
 * later write fails with EPIPE (`| true` closes it before the first). quasi may stop early or finish, but it must not print an
 * uncoded error or a stack trace, and the next run must succeed with outputs identical to
 * a clean run's.
 *
 *   QUASI_FAULTS=long   every case (`npm run faults`); default: `run --reporter plain | head -1`
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { bin, cliEnv, copyProject, LONG, newProject, outputDiff, outputsOf, PIPELINE, quasi, removeProject, uncodedProblems } from './project.ts'

let reference: Map<string, Buffer>
let warm: string
const made: string[] = []

beforeAll(() => {
  warm = newProject()
  made.push(warm)
  const r = quasi(['run', PIPELINE], warm)
  expect(r.code).toBe(0)
  reference = outputsOf(warm)
}, 120_000)

afterAll(() => {
  for (const d of made) removeProject(d)
})

/** Run `quasi <args> | <reader>` in bash; quasi's stderr and exit status are kept apart from the reader's. */
function piped(args: readonly string[], reader: string, cwd: string): { status: number; err: string; shown: string } {
  const q = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')
  const r = spawnSync('bash', ['-c', `${q} 2>quasi.err | ${reader}; echo "\${PIPESTATUS[0]}" > quasi.status`], { cwd, env: cliEnv, encoding: 'utf8', timeout: 120_000 })
  return { status: Number(readFileSync(join(cwd, 'quasi.status'), 'utf8')), err: readFileSync(join(cwd, 'quasi.err'), 'utf8'), shown: r.stdout }
}

const all: { what: string; args: string[]; reader: string; cache: 'empty' | 'complete' }[] = [
  { what: 'run --reporter plain | head -1, empty cache', args: ['run', PIPELINE, '--reporter', 'plain'], reader: 'head -1', cache: 'empty' },
  { what: 'run --reporter plain | head -1, complete cache', args: ['run', PIPELINE, '--reporter', 'plain'], reader: 'head -1', cache: 'complete' },
  { what: 'run --reporter json | head -c 100, empty cache', args: ['run', PIPELINE, '--reporter', 'json'], reader: 'head -c 100', cache: 'empty' },
  { what: 'run --dry-run | true', args: ['run', PIPELINE, '--dry-run'], reader: 'true', cache: 'complete' },
  // `true` closes the pipe before quasi starts: commands that print everything at once still meet it
  { what: 'status | true', args: ['status', PIPELINE], reader: 'true', cache: 'complete' },
  { what: 'validate | true', args: ['validate', PIPELINE], reader: 'true', cache: 'complete' },
  { what: 'dag --format mermaid | true', args: ['dag', PIPELINE, '--format', 'mermaid'], reader: 'true', cache: 'complete' },
]
// `npm test` pipes a run; `npm run faults` every case
const cases = LONG ? all : all.filter((c) => c.what.startsWith('run --reporter plain | head -1, empty'))

describe('a broken pipe', () => {
  for (const c of cases) {
    test(`${c.what}: coded messages only; the next run succeeds with identical outputs`, () => {
      const dir = c.cache === 'empty' ? newProject() : copyProject(warm)
      made.push(dir)
      const r = piped(c.args, c.reader, dir)
      expect.soft(uncodedProblems(r.err), `exit ${r.status}, stderr:\n${r.err}`).toEqual([])
      const next = quasi(['run', PIPELINE], dir)
      expect(next.err).toBe('')
      expect(next.code).toBe(0)
      expect(outputDiff(outputsOf(dir), reference)).toEqual([])
    }, 120_000)
  }
})
