/** The smaller commands, in-process: init, schema, dag formats, clean, help and usage errors. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { main } from '../../src/cli/main.ts'

async function quasi(args: string[], cwd: string) {
  let out = ''
  let err = ''
  const code = await main(args, { cwd, out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, env: { CI: 'true' } })
  return { code, out, err }
}

const fresh = () => mkdtempSync(join(tmpdir(), 'quasi-cmd-'))

describe('commands', () => {
  test('init writes a starter study that runs and finds its planted effect, and refuses to overwrite it', async () => {
    const dir = fresh()
    expect((await quasi(['init'], dir)).code).toBe(0)
    expect(readFileSync(join(dir, 'pipelines/example.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/schema\/pipeline\.schema\.json/)
    const run = await quasi(['run', 'pipelines/example.yaml'], dir)
    expect(run.code).toBe(0)
    expect(run.out).toContain('expect rows == 400: holds')
    expect(run.out).toContain('expect pretrend_p > 0.05: holds')
    // The starter panel's true effect is 0.8 (src/cli/starter.ts); the table shows it for all units and by group.
    const table = readFileSync(join(dir, 'outputs/example/table2/table.md'), 'utf8')
    const row = table.split('\n').find((l) => l.startsWith('| Policy × Post |'))!
    const estimates = [...row.matchAll(/\| (-?\d+\.\d+)/g)].map((m) => Number(m[1]))
    expect(estimates).toHaveLength(3)
    for (const b of estimates) expect(Math.abs(b - 0.8)).toBeLessThan(0.3)
    expect(existsSync(join(dir, 'outputs/example/dynamics/event_study.svg'))).toBe(true)
    const again = await quasi(['init'], dir)
    expect(again.code).toBe(2)
    expect(again.err).toContain('would overwrite pipelines/example.yaml')
  })

  test('dag as text and dot', async () => {
    const dir = fresh()
    await quasi(['init'], dir)
    const text = (await quasi(['dag', 'pipelines/example.yaml'], dir)).out.split('\n')
    expect(text[0]).toMatch(/^panel +ingest *$/)
    expect(text).toContainEqual(expect.stringMatching(/^by_group\[b\] +did +← baseline$/))
    expect(text).toContainEqual(expect.stringMatching(/^table2 +table +← baseline, by_group\[a\], by_group\[b\]$/))
    const dot = await quasi(['dag', 'pipelines/example.yaml', '--format', 'dot'], dir)
    expect(dot.out).toContain('digraph pipeline {')
    const bad = await quasi(['dag', 'pipelines/example.yaml', '--format', 'svg'], dir)
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('Expected `--format` to be one of text, mermaid, dot, got `svg`')
  })

  test('clean --unused keeps what the last run used; --outputs and --cache remove everything', async () => {
    const dir = fresh()
    await quasi(['init'], dir)
    await quasi(['run', 'pipelines/example.yaml'], dir)
    const f = join(dir, 'pipelines/example.yaml')
    // One matrix instance fewer: by_group[b] is no longer used, and table2 changes.
    writeFileSync(f, readFileSync(f, 'utf8').replace('matrix: { group: [a, b] }', 'matrix: { group: [a] }').replace('[All units, Group a, Group b]', '[All units, Group a]'))
    await quasi(['run', 'pipelines/example.yaml'], dir)
    const manifests = () => readdirSync(join(dir, '.quasi/cache/stages')).length
    expect(manifests()).toBe(8)
    const gc = await quasi(['clean'], dir)
    expect(gc.out).toMatch(/removed 2 unused cache entries, \d+ blobs/)
    expect(manifests()).toBe(6)
    expect((await quasi(['run', 'pipelines/example.yaml'], dir)).out).toContain('0 ran, 6 cached')
    await quasi(['clean', '--outputs'], dir)
    expect(existsSync(join(dir, 'outputs'))).toBe(false)
    await quasi(['clean', '--cache'], dir)
    expect(existsSync(join(dir, '.quasi/cache'))).toBe(false)
    expect((await quasi(['run', 'pipelines/example.yaml'], dir)).out).toContain('6 ran, 0 cached')
  })

  test('usage errors exit 2 with a suggestion', async () => {
    const dir = fresh()
    const r = await quasi(['rnu', 'x.yaml'], dir)
    expect(r.code).toBe(2)
    expect(r.err).toContain('unknown command `rnu`; did you mean `run`?')
    const o = await quasi(['run', 'x.yaml', '--jbos', '2'], dir)
    expect(o.code).toBe(2)
    expect(o.err).toContain("did you mean `--jobs`?")
    const m = await quasi(['run', 'missing.yaml'], dir)
    expect(m.code).toBe(2)
    expect(m.err).toContain('error MISSING_FILE')
    expect((await quasi(['--help'], dir)).out).toContain('Exit codes: 0 success')
    expect((await quasi(['run', '--help'], dir)).out).toMatch(/--threads N +threads all running stages compute on together/)
    await quasi(['init'], dir)
    const t = await quasi(['run', 'pipelines/example.yaml', '--threads', '0'], dir)
    expect(t.code).toBe(2)
    expect(t.err).toContain('Expected `--threads` to be an integer >= 1, got `0`')
    // A negative number is the option's value, not "ambiguous" (it was: "did you mean `--jobs`?"),
    // and numbers are judged before the file is read.
    for (const [args, said] of [
      [['--jobs', '-1'], 'Expected `--jobs` to be an integer >= 1, got `-1`'],
      [['-j', '-2'], 'Expected `--jobs` to be an integer >= 1, got `-2`'],
      [['--wait', '-.5'], 'Expected `--wait` to be an integer >= 0, got `-.5`'],
    ] as const) {
      const n = await quasi(['run', 'missing.yaml', ...args], dir)
      expect(n.code).toBe(2)
      expect(n.err).toContain(said)
      expect(n.err).not.toContain('ambiguous')
    }
    const ok = await quasi(['run', 'pipelines/example.yaml', '--threads', '1', '--jobs', '2'], dir)
    expect(ok.code).toBe(0)
    expect(ok.out).toContain('(7 stages, 2 jobs, 1 thread)')
  })
})
