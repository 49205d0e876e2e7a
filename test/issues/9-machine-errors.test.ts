/**
 * Issue 9: failures the machine causes are reported as such (their own code, the path, what
 * to do, exit 4, no stack), not as "a bug in quasi"; a result the cache cannot take is still
 * written to outputs/. A full disk and an unwritable folder are injected at the write seam
 * (src/cache/atomic.ts); test/e2e/permissions.test.ts makes folders really unwritable.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { asQuasiErrors, fsError } from '../../src/errors.ts'
import { quasiIn, smallProject, STACK_LINE } from '../helpers/cli.ts'
import { failWrites, systemError } from '../helpers/faults.ts'

let restore: (() => void) | undefined
afterEach(() => {
  restore?.()
  restore = undefined
})

test('a full disk under .quasi/cache: the results are still written to outputs/, with a warning; the next run computes them again', async () => {
  const dir = smallProject()
  restore = failWrites('/.quasi/cache/', 'ENOSPC')
  const r = await quasiIn(['run', 'pipelines/p.yaml'], dir)
  expect(r.err).toBe('')
  expect(r.code).toBe(0)
  expect(r.out).toContain('warning CACHE_WRITE_FAILED: the results of this run are not cached: cannot write ')
  expect(r.out).toContain('no space left on the device (ENOSPC)')
  expect(r.out.match(/CACHE_WRITE_FAILED/g)).toHaveLength(1) // once per run, not per stage
  expect(readFileSync(join(dir, 'outputs/p/vars/log.txt'), 'utf8')).toContain('x')
  expect(r.out).toContain('2 ran, 0 cached')
  restore()
  restore = undefined
  expect((await quasiIn(['run', 'pipelines/p.yaml'], dir)).out).toContain('2 ran, 0 cached')
  expect((await quasiIn(['run', 'pipelines/p.yaml'], dir)).out).toContain('0 ran, 2 cached')
})

test('a full disk under outputs/: DISK_FULL with the path and what to do, exit 4, no stack, no code frame', async () => {
  const dir = smallProject()
  restore = failWrites('/outputs/', 'ENOSPC')
  const r = await quasiIn(['run', 'pipelines/p.yaml'], dir)
  expect(r.code).toBe(4)
  expect(r.err).toMatch(/^error DISK_FULL {2}stage `panel` \(ingest\)\n {2}cannot write .*\/outputs\/p\/panel\/log\.txt: no space left on the device \(ENOSPC\)\n {2}hint: free some space/)
  expect(r.err).not.toContain('bug in quasi')
  expect(r.err).not.toMatch(STACK_LINE)
  // `panel` was computed and cached before its outputs failed: with space again, it is not recomputed
  restore()
  restore = undefined
  expect((await quasiIn(['run', 'pipelines/p.yaml'], dir)).out).toContain('1 ran, 1 cached')
})

test('an unwritable outputs/ folder: NOT_WRITABLE, exit 4', async () => {
  const dir = smallProject()
  restore = failWrites('/outputs/', 'EACCES')
  const r = await quasiIn(['run', 'pipelines/p.yaml'], dir)
  expect(r.code).toBe(4)
  expect(r.err).toContain('error NOT_WRITABLE')
  expect(r.err).toContain('permission denied (EACCES)')
  expect(r.err).toContain('--root')
  expect(r.err).not.toMatch(STACK_LINE)
  expect(existsSync(join(dir, 'outputs/p/vars'))).toBe(false)
})

test('system errors map to codes; permission and space errors are never INTERNAL, wherever they surface', () => {
  const cases = [
    ['EACCES', 'NOT_WRITABLE'],
    ['EPERM', 'NOT_WRITABLE'],
    ['EROFS', 'NOT_WRITABLE'],
    ['ENOSPC', 'DISK_FULL'],
    ['EDQUOT', 'DISK_FULL'],
    ['EIO', 'IO_ERROR'],
  ] as const
  for (const [errno, code] of cases) {
    const e = Object.assign(new Error(errno), { code: errno, syscall: 'open', path: '/p/x' })
    expect(fsError(e, '/p/y')).toMatchObject({ code, message: expect.stringContaining(`/p/y`) })
  }
  expect(asQuasiErrors(systemError('EACCES', '/p/z'))[0]).toMatchObject({ code: 'NOT_WRITABLE', message: 'cannot access /p/z: permission denied (EACCES)' })
  expect(asQuasiErrors(Object.assign(new Error('x'), { code: 'EIO' }))[0].code).toBe('INTERNAL') // outside a write seam: may be a bug
  expect(asQuasiErrors(new TypeError('boom'))[0].code).toBe('INTERNAL')
  const plain = new Error('not a system error')
  expect(fsError(plain, '/p')).toBe(plain)
})
