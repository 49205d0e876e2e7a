/** Write failures injected through the seam in src/cache/atomic.ts (a full disk cannot be arranged in a test). */
import { writeFaults } from '../../src/cache/atomic.ts'

export type Errno = 'ENOSPC' | 'EACCES' | 'EDQUOT' | 'EROFS' | 'EIO'

/** A system error as Node makes them: `code`, `syscall`, `path`. */
export function systemError(code: Errno, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: write '${path}'`), { code, syscall: 'write', path })
}

/** Fail every write whose path contains `fragment` with `code`, until the returned function is called. */
export function failWrites(fragment: string, code: Errno): () => void {
  writeFaults.inject = (path) => (path.split('\\').join('/').includes(fragment) ? systemError(code, path) : undefined)
  return () => {
    writeFaults.inject = undefined
  }
}
