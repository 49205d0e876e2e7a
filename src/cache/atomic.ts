/**
 * Atomic file writes: write a temporary file beside the target, then rename it over the
 * target. A crash or `kill -9` leaves either the old file or the new one, never half of
 * one; stray `*.tmp` files are removed by `quasi clean`.
 *
 * `durable: true` also fsyncs before the rename, which matters only for power loss. Cache
 * blobs and manifests skip it: every read verifies them (digest, parse, key), so a file
 * torn by a power cut is a cache miss, and skipping two fsyncs per stage halves the cost
 * of an uncached stage (docs/decisions.md).
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'

export const TMP_SUFFIX = '.tmp'

export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: { durable?: boolean } = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}${TMP_SUFFIX}`
  const fh = await open(tmp, 'w')
  try {
    await fh.writeFile(data)
    if (opts.durable) await fh.sync()
  } catch (e) {
    await fh.close()
    await rm(tmp, { force: true })
    throw e
  }
  await fh.close()
  try {
    await rename(tmp, path)
  } catch (e) {
    await rm(tmp, { force: true })
    throw e
  }
}
