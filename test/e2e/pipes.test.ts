/**
 * A reader that goes away (`quasi run p.yaml | head -1`): the CLI stops quietly as a Unix
 * tool does (exit 141, 128 + SIGPIPE, or 0 if it had written everything), prints no
 * "write EPIPE" and no stack, and releases the run's lock. Real pipes, the built CLI.
 */
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { smallProject } from '../helpers/cli.ts'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const bin = join(repo, 'bin/quasi.js')
const env = { ...process.env, CI: 'true', NO_COLOR: '1' }

/** Run the CLI with its stdout a pipe whose reading end is closed before the CLI writes anything. */
function withClosedStdout(args: string[], cwd: string): Promise<{ code: number | null; err: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout.destroy()
  let err = ''
  child.stderr.on('data', (d: Buffer) => void (err += d.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, err })))
}

/** A project whose pipeline reads a panel large enough that the run is usually still writing when `head` has gone. */
function project(): string {
  const lines = ['city,year,gdp']
  for (let u = 0; u < 2000; u++) for (let y = 0; y < 5; y++) lines.push(`u${u},${2000 + y},${(u * 7 + y) % 101}`)
  const dir = smallProject()
  writeFileSync(join(dir, 'pipelines/data/p.csv'), lines.join('\n') + '\n')
  return dir
}

const lockFree = (dir: string) => expect(readdirSync(join(dir, '.quasi/locks/p'))).toEqual(['free'])

test('run into a closed pipe: exit 141, nothing on stderr, lock released, the next run goes ahead', async () => {
  const dir = project()
  for (const reporter of ['plain', 'json']) {
    const r = await withClosedStdout(['run', 'pipelines/p.yaml', '--reporter', reporter, '--force'], dir)
    expect(r.err).toBe('')
    expect(r.code).toBe(141)
    lockFree(dir)
  }
  const next = spawnSync(process.execPath, [bin, 'run', 'pipelines/p.yaml', '--wait', '0'], { cwd: dir, env, encoding: 'utf8' })
  expect(next.stderr).toBe('')
  expect(next.status).toBe(0)
}, 120_000)

test('quasi run … | head -1 and quasi status … | head -1 in a shell: the first line, then a quiet stop', () => {
  const dir = project()
  for (const cmd of ['run pipelines/p.yaml --reporter plain --force', 'status pipelines/p.yaml', 'run pipelines/p.yaml --reporter plain --force']) {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" ${cmd} | head -1; echo "exit \${PIPESTATUS[0]}" >&2`], { cwd: dir, env, encoding: 'utf8' })
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1)
    // 141 when a write met the closed pipe; 0 when everything was written before `head` left.
    expect(r.stderr).toMatch(/^exit (0|141)\n$/)
  }
  lockFree(dir)
}, 120_000)

test('status and dag into a closed pipe: no crash', async () => {
  const dir = project()
  for (const args of [['status', 'pipelines/p.yaml'], ['dag', 'pipelines/p.yaml'], ['--help']]) {
    const r = await withClosedStdout(args, dir)
    expect(r.err).toBe('')
    expect([0, 141]).toContain(r.code)
  }
}, 120_000)
