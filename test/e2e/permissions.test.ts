/**
 * Folders quasi cannot write, for real: the built CLI runs as an unprivileged user (setpriv)
 * in a project whose `.quasi/`, `.quasi/cache` or `outputs/` is read-only. Root writes
 * through any mode bits, so the test needs root to switch users and setpriv to do it, and
 * is skipped without them; test/issues/9-machine-errors.test.ts covers the same paths
 * through the write seam everywhere.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { smallProject, STACK_LINE } from '../helpers/cli.ts'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const NOBODY = 65534
const canSwitch = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0

function asNobody(args: string[], cwd: string) {
  const r = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, join(repo, 'bin/quasi.js'), ...args], {
    cwd,
    env: { PATH: process.env.PATH, CI: 'true', NO_COLOR: '1' },
    encoding: 'utf8',
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

/** A project owned by nobody, with `readOnly` folders (project-relative) made read-only. */
function project(readOnly: string[]): string {
  const dir = smallProject()
  for (const d of readOnly) mkdirSync(join(dir, d), { recursive: true })
  const own = (p: string) => {
    chownSync(p, NOBODY, NOBODY)
    for (const f of readdirSync(p, { withFileTypes: true })) if (f.isDirectory()) own(join(p, f.name)); else chownSync(join(p, f.name), NOBODY, NOBODY)
  }
  own(dir)
  for (const d of readOnly) chmodSync(join(dir, d), 0o555)
  return dir
}

describe.runIf(canSwitch)('folders that are not writable (as uid 65534)', () => {
  test('.quasi/ read-only: NOT_WRITABLE naming the folder, exit 4, no stack', () => {
    const dir = project(['.quasi'])
    const r = asNobody(['run', 'pipelines/p.yaml'], dir)
    expect(r.code).toBe(4)
    expect(r.err).toContain('error NOT_WRITABLE')
    expect(r.err).toContain(`cannot write ${join(dir, '.quasi/locks')}: permission denied (EACCES)`)
    expect(r.err).toContain('hint: quasi writes its cache to .quasi/')
    expect(r.err).not.toContain('bug in quasi')
    expect(r.err).not.toMatch(STACK_LINE)
    rmSync(dir, { recursive: true, force: true })
  })

  test('.quasi/cache read-only: outputs are written anyway, with one warning, exit 0', () => {
    const dir = project(['.quasi/cache'])
    const r = asNobody(['run', 'pipelines/p.yaml'], dir)
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toContain('warning CACHE_WRITE_FAILED: the results of this run are not cached: cannot write')
    expect(r.out).toContain('permission denied (EACCES)')
    expect(existsSync(join(dir, 'outputs/p/vars/log.txt'))).toBe(true)
    expect(r.out).toContain('2 ran, 0 cached')
    rmSync(dir, { recursive: true, force: true })
  })

  test('outputs/ read-only: NOT_WRITABLE naming the path, exit 4', () => {
    const dir = project(['outputs'])
    const r = asNobody(['run', 'pipelines/p.yaml'], dir)
    expect(r.code).toBe(4)
    expect(r.err).toContain(`cannot write ${join(dir, 'outputs/p')}: permission denied (EACCES)`)
    expect(r.err).not.toMatch(STACK_LINE)
    rmSync(dir, { recursive: true, force: true })
  })
})
