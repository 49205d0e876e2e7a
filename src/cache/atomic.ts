/**
 * Atomic file writes: write a temporary file beside the target, flush it to disk, then
 * rename it over the target. A crash or `kill -9` leaves either the old file or the new
 * one, never half of one; stray `*.tmp` files are removed by `quasi clean`.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'

export const TMP_SUFFIX = '.tmp'

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}${TMP_SUFFIX}`
  const fh = await open(tmp, 'w')
  try {
    await fh.writeFile(data)
    await fh.sync()
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
