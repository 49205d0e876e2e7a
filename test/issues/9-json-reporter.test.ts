/**
 * Issue 9: with `--reporter json` every run ends with exactly one terminal event on stdout,
 * `run:done` when the scheduler ran (ok or not) and `run:failed` when the run could not
 * start, with the code, file, line and col of the first error and the list of all of them.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { tokenName } from '../../src/cache/lock.ts'
import { quasiIn, smallProject } from '../helpers/cli.ts'

interface Terminal {
  type: 'run:done' | 'run:failed'
  exit: number
  ok?: boolean
  code?: string
  file?: string
  line?: number | null
  col?: number | null
  errors: { code: string; message: string; file?: string; line?: number; col?: number; stage?: string }[]
}

/** Run with the JSON reporter; every line must be JSON, and the last the only terminal event. */
async function runJson(dir: string, ...args: string[]): Promise<{ code: number; last: Terminal; err: string }> {
  const r = await quasiIn(['run', ...args, '--reporter', 'json'], dir)
  const events = r.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string })
  const terminal = events.filter((e) => e.type === 'run:done' || e.type === 'run:failed')
  expect(terminal).toHaveLength(1)
  expect(events.at(-1)).toBe(terminal[0])
  expect((terminal[0] as Terminal).exit).toBe(r.code)
  return { code: r.code, last: terminal[0] as Terminal, err: r.err }
}

test('invalid YAML: run:failed with code, file, line and col', async () => {
  const dir = smallProject({ 'pipelines/p.yaml': 'quasi: 1\nname: p\nstages:\n  panel: { uses: ingest, with: { file: data/p.csv }\n' })
  const r = await runJson(dir, 'pipelines/p.yaml')
  expect(r.code).toBe(2)
  expect(r.last).toMatchObject({ type: 'run:failed', exit: 2, code: 'YAML_SYNTAX', file: 'pipelines/p.yaml', line: 4, col: expect.any(Number) })
  expect(r.last.errors[0]).toMatchObject({ code: 'YAML_SYNTAX', file: 'pipelines/p.yaml', line: 4 })
  expect(r.err).toContain('error YAML_SYNTAX') // stderr keeps the human-readable block
})

test('a missing pipeline file: run:failed naming it, without a line', async () => {
  const r = await runJson(smallProject(), 'pipelines/nope.yaml')
  expect(r.code).toBe(2)
  expect(r.last).toMatchObject({ type: 'run:failed', code: 'MISSING_FILE', file: 'pipelines/nope.yaml', line: null, col: null })
})

test('an unknown stage, in the file or in --only: run:failed', async () => {
  const dir = smallProject({ 'pipelines/p.yaml': 'quasi: 1\nname: p\nstages:\n  panel: { uses: ingest, with: { file: data/p.csv } }\n  vars: { uses: derive, with: { from: panle, columns: { x: "1" } } }\n' })
  const r = await runJson(dir, 'pipelines/p.yaml')
  expect(r.last).toMatchObject({ type: 'run:failed', exit: 2, code: 'MISSING_STAGE', file: 'pipelines/p.yaml', line: 5, col: 39 })

  const only = await runJson(smallProject(), 'pipelines/p.yaml', '--only', 'nosuch')
  expect(only.last).toMatchObject({ type: 'run:failed', exit: 2, code: 'USAGE' })
  const option = await runJson(smallProject(), 'pipelines/p.yaml', '--bogus')
  expect(option.last).toMatchObject({ type: 'run:failed', exit: 2, code: 'USAGE' })
})

test('another run holds the lock: run:failed LOCKED', async () => {
  const dir = smallProject()
  mkdirSync(join(dir, '.quasi/locks/p'), { recursive: true })
  writeFileSync(join(dir, '.quasi/locks/p', tokenName(process.pid, new Date())), '')
  const r = await runJson(dir, 'pipelines/p.yaml')
  expect(r.last).toMatchObject({ type: 'run:failed', exit: 1, code: 'LOCKED' })
})

test('a failing stage: run:done, not ok, with its errors', async () => {
  const dir = smallProject({ 'pipelines/data/p.csv': 'city,year,gdp\n' })
  const r = await runJson(dir, 'pipelines/p.yaml')
  expect(r.code).toBe(2)
  expect(r.last).toMatchObject({ type: 'run:done', ok: false, exit: 2, failed: 1, skipped: 1 })
  expect(r.last.errors).toEqual([expect.objectContaining({ code: 'EMPTY_DATA', stage: 'panel', file: 'pipelines/p.yaml', line: 5 })])
})

test('success: run:done, ok, no errors', async () => {
  const r = await runJson(smallProject(), 'pipelines/p.yaml')
  expect(r.code).toBe(0)
  expect(r.last).toMatchObject({ type: 'run:done', ok: true, exit: 0, ran: 2, errors: [] })
})
