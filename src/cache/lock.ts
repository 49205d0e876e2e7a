/**
 * One run per pipeline at a time. The lock is a single token file that moves inside the
 * folder `.quasi/locks/<pipeline>/`: it is named `free` while nobody holds the lock and
 * `held.<pid>.<host>.<boot>.<started>.<nonce>` while a run does. Every transition is one
 * `rename` of the token to a name no other process uses:
 *
 * - acquire:  rename `free` → `held.<me>`
 * - release:  rename `held.<me>` → `free`
 * - takeover: rename `held.<dead>` → `held.<me>`, only when <dead>'s pid is not alive on
 *             this host (or this host has rebooted since)
 * - break:    the same rename from a live holder or one on another host, only when the user
 *             asks (`--break-lock`)
 *
 * Of two processes renaming the same name, exactly one succeeds and the other gets ENOENT,
 * so acquire and takeover are compare-and-swap operations: two runs can never both hold
 * the token, and two takers of one stale lock cannot both win. The token's name carries
 * everything a reader needs, so there is no content that could be seen half-written, and a
 * process killed at any point leaves either `free` or its own `held.…`, never nothing. The
 * folder is created with its token inside (a prepared folder renamed into place), so it never
 * exists without one. docs/decisions.md ("Locks") says why the lock is not a lock file.
 *
 * On a shared filesystem (a cluster) the folder is seen by several hosts. The token records
 * the holder's host; a pid means nothing on another host, so a token from another host is
 * never judged stale: only the user can break it. Tests simulate a second host with the
 * environment variable QUASI_TEST_HOSTNAME.
 */
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { QuasiError, fsError } from '../errors.ts'

export interface LockInfo {
  readonly pid: number
  /** The holder's host name as far as it fits in a file name; `host` compares hashes, not this. */
  readonly host: string
  readonly started: string
}

export interface Lock {
  /** Put the token back as `free`. Idempotent. */
  release(): Promise<void>
  /** The stale holder this lock was taken over from, if any. */
  readonly tookOver?: LockInfo
}

const FREE = 'free'
const POLL_MS = 200
/** Rounds in a row that find no token at all before the folder is called broken (a user emptied it and left other files). */
const MAX_TOKENLESS = 20

export interface AcquireOptions {
  /** Pipeline name, for messages. */
  readonly pipeline: string
  /** How long to wait for a live holder before stopping with LOCKED. Default 0. */
  readonly waitMs?: number
  /** Called once when the lock is held by another live run and this one starts waiting. */
  readonly onWait?: (holder: LockInfo) => void
  /** Take the lock from whoever holds it, live or on another host (`--break-lock`). */
  readonly breakLock?: boolean
}

/** Take the lock folder `dir` (created if absent), waiting up to `waitMs` for a live holder. */
export async function acquireLock(dir: string, opts: AcquireOptions): Promise<Lock> {
  const me = tokenName(process.pid, new Date())
  const deadline = Date.now() + (opts.waitMs ?? 0)
  let told = false
  let tokenless = 0
  for (;;) {
    if (await move(dir, FREE, me)) return held(dir, me)
    const names = await listTokens(dir)
    if (names.includes(FREE)) continue // released between our rename and readdir: try again
    const holders = names.map(parseToken).filter((t): t is Token => t !== undefined)
    if (holders.length === 0) {
      // No folder yet, or a folder without a token (emptied by hand; readdir may also miss a
      // name that is being renamed). Creating it again is safe: a folder that holds anything
      // is never replaced, so at most one token exists.
      if (names.length > 0) {
        if (++tokenless > MAX_TOKENLESS) throw brokenFolder(dir, opts.pipeline, names)
        await sleep(10)
      }
      await createFolder(dir)
      continue
    }
    tokenless = 0
    const holder = holders[0]
    if (opts.breakLock || isStale(holder)) {
      if (await move(dir, holder.name, me)) return held(dir, me, holder.info)
      continue // another process took it first, or its holder released it
    }
    if (Date.now() >= deadline) throw locked(dir, opts.pipeline, holder)
    if (!told) {
      opts.onWait?.(holder.info)
      told = true
    }
    await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())))
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function held(dir: string, me: string, tookOver?: LockInfo): Lock {
  let released = false
  return {
    tookOver,
    release: async () => {
      if (released) return
      released = true
      await move(dir, me, FREE)
    },
  }
}

/** rename dir/from → dir/to; false when `from` is gone (someone else moved it first). */
async function move(dir: string, from: string, to: string): Promise<boolean> {
  try {
    await rename(join(dir, from), join(dir, to))
    return true
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return false
    throw fsError(e, join(dir, from))
  }
}

async function listTokens(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw fsError(e, dir)
  }
}

/** Create `dir` holding a `free` token: prepared beside it, then renamed into place. */
async function createFolder(dir: string): Promise<void> {
  const parent = dirname(dir)
  const tmp = join(parent, `.${basename(dir)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await mkdir(tmp, { recursive: true })
    await writeFile(join(tmp, FREE), '')
  } catch (e) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined)
    throw fsError(e, parent)
  }
  try {
    // Replaces `dir` only if it is an empty folder; a folder with a token in it stays.
    await rename(tmp, dir)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined)
      throw fsError(e, dir)
    }
  }
  await rm(tmp, { recursive: true, force: true }).catch(() => undefined)
}

// ---- the token's name --------------------------------------------------------------------

interface Token {
  readonly name: string
  readonly info: LockInfo
  readonly hostTag: string
  readonly bootTag: string
}

/** Host names may be long or hold dots; the name keeps a readable prefix and a hash to compare. */
function hostTag(): string {
  const h = process.env.QUASI_TEST_HOSTNAME || hostname()
  return `${h.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 32)}-${createHash('sha256').update(h).digest('hex').slice(0, 8)}`
}

/** Which boot of this host: a pid recorded before a reboot says nothing about the processes after it. */
let bootCache: string | undefined
function bootTag(): string {
  if (bootCache === undefined) {
    try {
      bootCache = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().replace(/[^0-9a-f]/g, '').slice(0, 8) || '0'
    } catch {
      bootCache = '0' // not Linux: unknown, compared as equal
    }
  }
  return bootCache
}

/** The token name for a holder with this pid that started at `started`. */
export function tokenName(pid: number, started: Date): string {
  return `held.${pid}.${hostTag()}.${bootTag()}.${started.getTime().toString(36)}.${randomBytes(4).toString('hex')}`
}

function parseToken(name: string): Token | undefined {
  const m = /^held\.(\d+)\.([A-Za-z0-9-]+)\.([0-9a-z]+)\.([0-9a-z]+)\.[0-9a-f]+$/.exec(name)
  if (!m) return undefined
  const started = new Date(parseInt(m[4], 36))
  return {
    name,
    hostTag: m[2],
    bootTag: m[3],
    info: { pid: Number(m[1]), host: m[2].replace(/-[0-9a-f]{8}$/, ''), started: Number.isNaN(started.getTime()) ? '?' : started.toISOString() },
  }
}

/** Stale: recorded on this host, and its process is gone (or the host rebooted since). */
function isStale(t: Token): boolean {
  if (t.hostTag !== hostTag()) return false // cannot tell; never take another machine's lock
  if (t.bootTag !== bootTag() && t.bootTag !== '0' && bootTag() !== '0') return true
  try {
    process.kill(t.info.pid, 0)
    return false
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH' // EPERM: alive, another user's
  }
}

function locked(dir: string, pipeline: string, holder: Token): QuasiError {
  const h = holder.info
  const here = holder.hostTag === hostTag()
  return new QuasiError('LOCKED', `pipeline \`${pipeline}\` is being run by another quasi process (pid ${h.pid}${here ? '' : ` on ${h.host}`}, since ${h.started})`, {
    hint: `wait for it to finish, or pass --wait SECONDS to queue behind it. If no quasi run is active (pid ${h.pid} is now another program${here ? '' : `, or the run on ${h.host} crashed: a pid on another host cannot be checked from here`}), run again with --break-lock, or delete ${join(dir, holder.name)}`,
  })
}

function brokenFolder(dir: string, pipeline: string, names: readonly string[]): QuasiError {
  return new QuasiError('LOCKED', `the lock folder of pipeline \`${pipeline}\` holds no lock token`, {
    expected: 'a file named `free` or `held.<pid>.…`',
    found: names.slice(0, 5).map((n) => `\`${n}\``).join(', '),
    hint: `if no quasi run of \`${pipeline}\` is active, delete the folder ${dir}`,
  })
}
