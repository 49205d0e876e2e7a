/**
 * `--cache DIR` or `QUASI_CACHE`: the content-addressed store in a shared folder instead of
 * `.quasi/cache/` (state, locks and outputs stay with the project). Blobs are named by their
 * digest and every write is a rename of a private temporary file, so runs of several
 * projects or machines can write into one folder at once without a lock: two writers of one
 * blob write the same bytes, and a reader sees the old file or the new one, never half.
 * docs/decisions.md, "A shared cache".
 */
import { resolve } from 'node:path'
import type { Io } from './context.ts'

export const cacheOption = {
  // The cache folder, shared between projects (default: <root>/.quasi/cache; env QUASI_CACHE).
  cache: { type: 'string' },
} as const

export function cacheDir(io: Io, flag: string | undefined): string | undefined {
  const dir = flag ?? (io.env.QUASI_CACHE || undefined)
  return dir === undefined ? undefined : resolve(io.cwd, dir)
}
