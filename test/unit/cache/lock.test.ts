import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { acquireLock, tokenName, type Lock } from '../../../src/cache/lock.ts'

const dir = () => join(mkdtempSync(join(tmpdir(), 'quasi-lock-')), 'x')

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(r.stdout)
}

function withToken(name: string): string {
  const d = dir()
  mkdirSync(d, { recursive: true })
  writeFileSync(join(d, name), '')
  return d
}

/** Start `n` acquisitions at once; the ones that got the lock, and the codes of the others. */
async function race(d: string, n: number): Promise<{ won: Lock[]; codes: string[] }> {
  const settled = await Promise.allSettled(Array.from({ length: n }, () => acquireLock(d, { pipeline: 'x' })))
  return {
    won: settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])),
    codes: settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as { code: string }).code] : [])),
  }
}

test('a held lock stops a second holder with LOCKED, and is free after release', async () => {
  const d = dir()
  const a = await acquireLock(d, { pipeline: 'x' })
  expect(readdirSync(d)).toEqual([expect.stringMatching(/^held\./)])
  await expect(acquireLock(d, { pipeline: 'x' })).rejects.toMatchObject({ code: 'LOCKED', message: expect.stringContaining(`pid ${process.pid}`) })
  await a.release()
  await a.release() // idempotent
  expect(readdirSync(d)).toEqual(['free'])
  const b = await acquireLock(d, { pipeline: 'x' })
  await b.release()
})

test('runs that start together on a missing lock folder: exactly one holds the lock', async () => {
  // The old lock file could be seen empty (created, not yet written), was judged stale and taken over.
  for (let i = 0; i < 20; i++) {
    const { won, codes } = await race(dir(), 16)
    expect(won).toHaveLength(1)
    expect(codes).toEqual(Array(15).fill('LOCKED'))
    await won[0].release()
  }
})

test('a lock left by a dead process is taken over, by exactly one of several takers', async () => {
  const pid = deadPid()
  for (let i = 0; i < 20; i++) {
    const d = withToken(tokenName(pid, new Date('2020-01-01T00:00:00Z')))
    const { won, codes } = await race(d, 16)
    expect(won).toHaveLength(1)
    expect(won[0].tookOver).toMatchObject({ pid, started: '2020-01-01T00:00:00.000Z' })
    expect(codes).toEqual(Array(15).fill('LOCKED'))
    expect(readdirSync(d)).toHaveLength(1)
    await won[0].release()
    expect(readdirSync(d)).toEqual(['free'])
  }
})

test("another host's lock is never taken over, even with a pid that is dead here", async () => {
  const name = tokenName(deadPid(), new Date()).split('.')
  name[2] = 'elsewhere-0123abcd'
  const d = withToken(name.join('.'))
  await expect(acquireLock(d, { pipeline: 'x' })).rejects.toMatchObject({ code: 'LOCKED', message: expect.stringContaining('on elsewhere') })
})

test.runIf(tokenName(1, new Date()).split('.')[3] !== '0')('a lock from before a reboot is stale even if its pid is alive now', async () => {
  const name = tokenName(process.pid, new Date()).split('.')
  name[3] = name[3] === 'ffffffff' ? '00000001' : 'ffffffff'
  const d = withToken(name.join('.'))
  const lock = await acquireLock(d, { pipeline: 'x' })
  expect(lock.tookOver?.pid).toBe(process.pid)
  await lock.release()
})

test('waiting gives up after waitMs, and gets the lock when the holder releases it', async () => {
  const d = dir()
  const a = await acquireLock(d, { pipeline: 'x' })
  const waited: number[] = []
  await expect(acquireLock(d, { pipeline: 'x', waitMs: 50, onWait: (h) => waited.push(h.pid) })).rejects.toMatchObject({ code: 'LOCKED' })
  expect(waited).toEqual([process.pid])
  const b = acquireLock(d, { pipeline: 'x', waitMs: 10_000 })
  setTimeout(() => void a.release(), 50)
  await (await b).release()
})

test('a lock folder emptied by hand gets its token back; one with only foreign files is reported', async () => {
  const empty = dir()
  mkdirSync(empty, { recursive: true })
  await (await acquireLock(empty, { pipeline: 'x' })).release()
  expect(readdirSync(empty)).toEqual(['free'])

  const junk = withToken('notes.txt')
  await expect(acquireLock(junk, { pipeline: 'x' })).rejects.toMatchObject({ code: 'LOCKED', hint: expect.stringContaining(junk) })
})
