import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { acquireLock } from '../../../src/cache/lock.ts'

const dir = () => mkdtempSync(join(tmpdir(), 'quasi-lock-'))

test('a held lock stops a second holder with LOCKED, and is free after release', async () => {
  const p = join(dir(), 'x.lock')
  const a = await acquireLock(p, { pipeline: 'x' })
  await expect(acquireLock(p, { pipeline: 'x' })).rejects.toMatchObject({ code: 'LOCKED' })
  await a.release()
  expect(existsSync(p)).toBe(false)
  const b = await acquireLock(p, { pipeline: 'x' })
  await b.release()
})

test('a lock left by a dead process is taken over', async () => {
  const p = join(dir(), 'x.lock')
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  writeFileSync(p, JSON.stringify({ pid: Number(dead.stdout), host: hostname(), started: '2020-01-01T00:00:00Z', token: 'old' }))
  const lock = await acquireLock(p, { pipeline: 'x' })
  await lock.release()
})

test('a half-written lock file counts as stale; waiting gives up after waitMs', async () => {
  const p = join(dir(), 'x.lock')
  writeFileSync(p, '{"pid": 12')
  const lock = await acquireLock(p, { pipeline: 'x' })
  const t0 = Date.now()
  await expect(acquireLock(p, { pipeline: 'x', waitMs: 300 })).rejects.toMatchObject({ code: 'LOCKED' })
  expect(Date.now() - t0).toBeGreaterThanOrEqual(250)
  await lock.release()
})
