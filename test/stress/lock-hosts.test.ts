/**
 * The pipeline lock on a filesystem shared by several hosts (a cluster's home or project
 * folder): processes on two different mounts of one folder, recording two different hosts
 * (QUASI_TEST_HOSTNAME). The folder is bind-mounted twice where the test may mount (root);
 * elsewhere the second path is a symbolic link, which still gives two paths to one folder.
 *
 * - A lock held on another host stops the run with LOCKED naming that host.
 * - A holder on another host that crashed is still never judged stale (its pid means nothing
 *   here); a process of its own host takes it over, and `--break-lock` takes it from anywhere.
 * - Under contention from both mounts and both hosts, the lock excludes: no update is lost.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'

const holder = fileURLToPath(new URL('./lock-holder.ts', import.meta.url))
const base = mkdtempSync(join(tmpdir(), 'quasi-lock-hosts-'))
const shared = join(base, 'shared')
const mountA = join(base, 'a')
const mountB = join(base, 'b')
let mounted = false

beforeAll(() => {
  mkdirSync(shared)
  mkdirSync(mountA)
  mkdirSync(mountB)
  mounted = spawnSync('mount', ['--bind', shared, mountA]).status === 0 && spawnSync('mount', ['--bind', shared, mountB]).status === 0
  if (!mounted) {
    spawnSync('umount', [mountA])
    rmSync(mountA, { recursive: true })
    rmSync(mountB, { recursive: true })
    symlinkSync(shared, mountA)
    symlinkSync(shared, mountB)
  }
})

afterAll(() => {
  if (mounted) {
    spawnSync('umount', [mountA])
    spawnSync('umount', [mountB])
  }
  rmSync(base, { recursive: true, force: true })
})

interface Proc {
  out: Promise<string>
  stdinEnd: () => void
}

function start(host: string, mount: string, mode: string, ...rest: string[]): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', holder, join(mount, 'locks', 'p'), mode, ...rest], {
    env: { ...process.env, QUASI_TEST_HOSTNAME: host },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
  return { out: new Promise((r) => child.on('close', () => r(out.trim()))), stdinEnd: () => child.stdin.end() }
}

/** Wait for the first line a holder prints (it has the lock then). */
async function firstLine(host: string, mount: string): Promise<Proc & { line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', holder, join(mount, 'locks', 'p'), 'hold'], {
    env: { ...process.env, QUASI_TEST_HOSTNAME: host },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  let out = ''
  const line = await new Promise<string>((r) => child.stdout.setEncoding('utf8').on('data', (d: string) => ((out += d), out.includes('\n') && r(out.trim()))))
  return { line, out: new Promise((r) => child.on('close', () => r(out.trim()))), stdinEnd: () => child.stdin.end() }
}

test('the two paths are one folder', () => {
  writeFileSync(join(mountA, 'probe'), 'x')
  expect(readFileSync(join(mountB, 'probe'), 'utf8')).toBe('x')
  rmSync(join(mountA, 'probe'))
})

test("a live holder on another host: LOCKED, naming that host; released, the lock is free for it", async () => {
  const a = await firstLine('node-a', mountA)
  expect(a.line).toBe('acquired')
  const b = await start('node-b', mountB, 'try').out
  expect(b).toMatch(/^LOCKED: pipeline `p` is being run by another quasi process \(pid \d+ on node-a,/)
  a.stdinEnd()
  await a.out
  expect(await start('node-b', mountB, 'try').out).toBe('acquired')
})

test('a crashed holder on another host is never judged stale by pid; its own host takes it over; --break-lock takes it anywhere', async () => {
  expect(await start('node-a', mountA, 'crash').out).toBe('acquired')
  // node-a's pid is dead, but node-b cannot know that: it must not take the lock
  expect(await start('node-b', mountB, 'try').out).toMatch(/^LOCKED: .* on node-a,/)
  // a process on node-a can check the pid: the holder is gone, the lock is taken over
  expect(await start('node-a', mountB, 'try').out).toMatch(/^acquired from pid \d+ on node-a$/)
  // crash again on node-a; node-b breaks the lock when told to
  expect(await start('node-a', mountA, 'crash').out).toBe('acquired')
  expect(await start('node-b', mountB, 'break').out).toMatch(/^acquired from pid \d+ on node-a$/)
  expect(await start('node-b', mountB, 'try').out).toBe('acquired')
})

test('contention from two mounts and two hosts: the lock excludes, no update is lost', async () => {
  const counter = join(shared, 'counter')
  writeFileSync(counter, '0')
  const per = 25
  const procs = [
    start('node-a', mountA, 'count', join(mountA, 'counter'), String(per)),
    start('node-b', mountB, 'count', join(mountB, 'counter'), String(per)),
    start('node-a', mountB, 'count', join(mountB, 'counter'), String(per)),
    start('node-b', mountA, 'count', join(mountA, 'counter'), String(per)),
  ]
  expect(await Promise.all(procs.map((p) => p.out))).toEqual(['counted', 'counted', 'counted', 'counted'])
  expect(Number(readFileSync(counter, 'utf8'))).toBe(4 * per)
})
