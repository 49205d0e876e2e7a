/**
 * One run per pipeline at a time: `.quasi/locks/<pipeline>.lock`, created exclusively,
 * holding the owner's pid, host and start time. A lock whose process is gone (same host,
 * pid not alive) is stale and taken over; a live one makes the second run wait up to
 * `waitMs`, then stop with a clear message.
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { link, mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { QuasiError } from '../errors.ts'

interface LockInfo {
  pid: number
  host: string
  started: string
  token: string
}

export interface Lock {
  release(): Promise<void>
}

export async function acquireLock(path: string, opts: { pipeline: string; waitMs?: number; onWait?: (holder: LockInfo) => void }): Promise<Lock> {
  await mkdir(dirname(path), { recursive: true })
  const me: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString(), token: randomBytes(8).toString('hex') }
  const deadline = Date.now() + (opts.waitMs ?? 0)
  let told = false
  for (;;) {
    try {
      const fh = await open(path, 'wx')
      await fh.writeFile(JSON.stringify(me) + '\n')
      await fh.sync()
      await fh.close()
      return {
        release: async () => {
          const cur = await readLock(path)
          if (cur?.token === me.token) await rm(path, { force: true })
        },
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    const holder = await readLock(path)
    if (holder === undefined || isStale(holder)) {
      await takeOver(path, holder)
      continue
    }
    if (Date.now() >= deadline) {
      throw new QuasiError('LOCKED', `pipeline \`${opts.pipeline}\` is being run by another quasi process (pid ${holder.pid} on ${holder.host}, since ${holder.started})`, {
        hint: 'wait for it to finish, or pass --wait SECONDS to queue behind it',
      })
    }
    if (!told) {
      opts.onWait?.(holder)
      told = true
    }
    await new Promise((r) => setTimeout(r, 200))
  }
}

async function readLock(path: string): Promise<LockInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(path, 'utf8')) as LockInfo
    return typeof info.pid === 'number' && typeof info.token === 'string' ? info : undefined
  } catch {
    return undefined // vanished, or written half by a crashed process: stale
  }
}

function isStale(info: LockInfo): boolean {
  if (info.host !== hostname()) return false // cannot tell; never steal another machine's lock
  try {
    process.kill(info.pid, 0)
    return false
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/**
 * Move a stale lock aside. Two processes may both find it stale: each renames it to a
 * name of its own, and only the one that moved the stale token (not a fresh lock another
 * process just made) may proceed; a fresh lock moved by mistake is put back.
 */
async function takeOver(path: string, stale: LockInfo | undefined): Promise<void> {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.stale`
  try {
    await rename(path, aside)
  } catch {
    return // someone else moved it; retry the exclusive create
  }
  const moved = await readLock(aside)
  if (moved && stale && moved.token !== stale.token && !isStale(moved)) {
    await link(aside, path).catch(() => undefined) // restore unless a new lock is already there
  }
  await rm(aside, { force: true })
}
