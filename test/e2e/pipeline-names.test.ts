/**
 * Two pipeline files with one `name:` would share outputs/<name>/ and the cache's record of
 * the last run; `run` and `status` stop instead, naming both files. A moved or renamed file
 * takes its name along without an error.
 */
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { main } from '../../src/cli/main.ts'

async function quasi(args: string[], cwd: string) {
  let out = ''
  let err = ''
  const code = await main(args, { cwd, out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, env: { CI: 'true' } })
  return { code, out, err }
}

test('a second file declaring a used pipeline name is an error for run, status and --dry-run; moving or renaming the first hands the name over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quasi-names-'))
  const at = (f: string) => join(dir, 'pipelines', f)
  expect((await quasi(['init'], dir)).code).toBe(0)
  expect((await quasi(['run', 'pipelines/example.yaml'], dir)).code).toBe(0)
  copyFileSync(at('example.yaml'), at('copy.yaml'))

  for (const args of [['run', 'pipelines/copy.yaml'], ['status', 'pipelines/copy.yaml'], ['run', 'pipelines/copy.yaml', '--dry-run']]) {
    const r = await quasi(args, dir)
    expect(r.code, args.join(' ')).toBe(2)
    const line = readFileSync(at('copy.yaml'), 'utf8').split('\n').findIndex((l) => l.startsWith('name:')) + 1
    expect(r.err).toContain(`pipelines/copy.yaml:${line}:7  error DUPLICATE_PIPELINE_NAME`)
    expect(r.err).toContain('pipeline name `example` is already used by pipelines/example.yaml; pipelines/copy.yaml declares it too')
    expect(r.err).toContain('hint: rename one of them')
  }
  // the owner is unaffected
  expect((await quasi(['status', 'pipelines/example.yaml'], dir)).code).toBe(0)
  expect((await quasi(['run', 'pipelines/example.yaml'], dir)).out).toContain('0 ran, 7 cached')

  // moved: the old path no longer exists, so the file at the new path takes the name
  rmSync(at('copy.yaml'))
  renameSync(at('example.yaml'), at('moved.yaml'))
  const moved = await quasi(['run', 'pipelines/moved.yaml'], dir)
  expect(moved.err).toBe('')
  expect(moved.out).toContain('0 ran, 7 cached')
  const state = JSON.parse(readFileSync(join(dir, '.quasi/state/example.json'), 'utf8')) as { owner: string }
  expect(state.owner).toBe('pipelines/moved.yaml')
  copyFileSync(at('moved.yaml'), at('other.yaml'))
  expect((await quasi(['status', 'pipelines/other.yaml'], dir)).err).toContain('already used by pipelines/moved.yaml; pipelines/other.yaml declares it too')

  // renamed: the owner now declares another name, so the name is free
  writeFileSync(at('moved.yaml'), readFileSync(at('moved.yaml'), 'utf8').replace('name: example', 'name: renamed'))
  const other = await quasi(['run', 'pipelines/other.yaml'], dir)
  expect(other.err).toBe('')
  expect(other.code).toBe(0)
})
