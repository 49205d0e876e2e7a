/**
 * SIGTERM while the built CLI reads and plans a large pipeline file. Before the fix the
 * process installed its handlers first and then spent tens of seconds in synchronous
 * parsing, where no handler can run: it ignored SIGTERM until the file was done (a 10 MB
 * file ran for more than 12 minutes). Now the signals keep their default action until
 * `run` takes the lock, so the process ends at once.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const bin = join(repo, 'bin/quasi.js')
const env = { ...process.env, CI: 'true', NO_COLOR: '1' }

/** One derive of `n` columns (about 30 bytes each): 150,000 took minutes to validate before the fix, and a few seconds after. */
function largeProject(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'quasi-signal-'))
  mkdirSync(join(dir, 'data'))
  writeFileSync(join(dir, 'data/panel.csv'), 'city,year,y\na,2000,1\n')
  const lines = ['quasi: 1\nname: large\npanel: { unit: city, time: year }\nstages:\n  panel: { uses: ingest, with: { file: data/panel.csv } }\n  vars:\n    uses: derive\n    with:\n      from: panel\n      columns:\n']
  for (let i = 0; i < n; i++) lines.push(`        c${i}: log(y + ${i})\n`)
  writeFileSync(join(dir, 'large.yaml'), lines.join(''))
  writeFileSync(join(dir, 'small.yaml'), lines.slice(0, 4).join(''))
  return dir
}

/**
 * Start the CLI, wait until it is busy with the file, send SIGTERM, and time the exit.
 * Bounded: a process still there after 10 s is killed and the test fails.
 */
async function terminateWhileLoading(args: string[], dir: string): Promise<{ ms: number; code: number | null; signal: NodeJS.Signals | null; busy: boolean }> {
  // The signal must come once the CLI has started and is working on the file, not while
  // Node is still loading modules (when any version dies at once). Starting takes from
  // 0.3 s to more than a second on a busy machine; time it on a small file first.
  const t = performance.now()
  const small = spawnSync(process.execPath, [bin, 'validate', 'small.yaml'], { cwd: dir, env, encoding: 'utf8' })
  expect(small.stdout).toContain('ok')
  const startup = performance.now() - t
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env, stdio: 'ignore' })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  await new Promise((r) => setTimeout(r, startup * 1.2 + 300))
  const busy = child.exitCode === null && child.signalCode === null
  const t0 = performance.now()
  child.kill('SIGTERM')
  const guard = setTimeout(() => child.kill('SIGKILL'), 10_000)
  const r = await exited
  clearTimeout(guard)
  return { ms: performance.now() - t0, ...r, busy }
}

describe('signals while a large file is loaded', () => {
  const dir = largeProject(150_000)

  test('validate: SIGTERM ends the process within 1 s', async () => {
    const r = await terminateWhileLoading(['validate', 'large.yaml'], dir)
    expect(r.busy, 'the process was still validating when the signal was sent').toBe(true)
    expect(r.signal).toBe('SIGTERM')
    expect(r.ms).toBeLessThan(1000)
  })

  test('run: SIGTERM during planning ends the process within 1 s and leaves no lock', async () => {
    const r = await terminateWhileLoading(['run', 'large.yaml', '--reporter', 'json'], dir)
    expect(r.busy).toBe(true)
    expect(r.signal).toBe('SIGTERM')
    expect(r.ms).toBeLessThan(1000)
    expect(existsSync(join(dir, '.quasi/locks/large.lock'))).toBe(false)
  })
})
