/**
 * Atomic file writes: write a temporary file beside the target, then rename it over the
 * target. A crash or `kill -9` leaves either the old file or the new one, never half of
 * one; stray `*.tmp` files are removed by `quasi clean`.
 *
 * `durable: true` also fsyncs before the rename, which matters only for power loss. Cache
 * blobs and manifests skip it: every read verifies them (digest, parse, key), so a file
 * torn by a power cut is a cache miss, and skipping two fsyncs per stage halves the cost
 * of an uncached stage (docs/decisions.md).
 *
 * A failure is thrown as the user should see it (NOT_WRITABLE, DISK_FULL, IO_ERROR with the
 * target's path; src/errors.ts `fsError`), never as a bare system error.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fsError } from '../errors.ts'

export const TMP_SUFFIX = '.tmp'

/**
 * Test seam: a system error to throw instead of writing `path`, as the disk would. A full
 * disk or a folder root cannot write is not something a test can arrange portably, and every
 * write of the cache and of outputs/ passes through here.
 */
export const writeFaults: { inject?: (path: string) => NodeJS.ErrnoException | undefined } = {}

export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: { durable?: boolean } = {}): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true })
  } catch (e) {
    throw fsError(e, (e as NodeJS.ErrnoException).path ?? dirname(path))
  }
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}${TMP_SUFFIX}`
  let fh
  try {
    fh = await open(tmp, 'w')
  } catch (e) {
    throw fsError(e, path)
  }
  try {
    const fault = writeFaults.inject?.(path)
    if (fault) throw fault
    await fh.writeFile(data)
    if (opts.durable) await fh.sync()
  } catch (e) {
    await fh.close().catch(() => undefined)
    await rm(tmp, { force: true })
    throw fsError(e, path)
  }
  await fh.close()
  try {
    await rename(tmp, path)
  } catch (e) {
    await rm(tmp, { force: true })
    throw fsError(e, path)
  }
}

