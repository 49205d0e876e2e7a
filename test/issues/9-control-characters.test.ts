/**
 * Issue 9: control characters from a user's files never reach the terminal or a log raw.
 * A YAML value or a CSV header holding `ESC [2K ESC [1A` (erase the line, move up) or a
 * colour could otherwise rewrite the lines of a CI log. Every path: the plain and JSON
 * reporters, the tty renderer, error blocks (message and code frame), log.txt, status.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, vi } from 'vitest'
import { ttyRenderer } from '../../src/scheduler/renderers/tty.ts'
import { quasiIn, smallProject } from '../helpers/cli.ts'

/** Any character escapeControls would escape, newline aside (it separates lines). */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

const pipeline = (city: string) => `quasi: 1
name: p
panel: { unit: city, time: year }
stages:
  panel: { uses: ingest, with: { file: data/p.csv } }
  kept: { uses: filter, with: { from: panel, where: "city != \\"${city}\\"" } }
`

function project(): string {
  return smallProject({
    'pipelines/data/p.csv': 'city,year,\x1b[31mgdp\x1b[0m,\u202eevil\n"a\x1b]0;pwned\x07",2000,1,2\nb,2000,3,4\n',
    'pipelines/p.yaml': pipeline('a\\e[2K\\e[1A'),
  })
}

test('plain reporter and status: a YAML value with escapes is shown escaped', async () => {
  const dir = project()
  expect((await quasiIn(['run', 'pipelines/p.yaml', '--reporter', 'plain'], dir)).code).toBe(0)
  writeFileSync(join(dir, 'pipelines/p.yaml'), pipeline('b\\e[2K\\e[1A'))
  const status = await quasiIn(['status', 'pipelines/p.yaml'], dir)
  expect(status.out).toContain('stale: param `where` changed from city != "a\\x1b[2K\\x1b[1A" to city != "b\\x1b[2K\\x1b[1A"')
  expect(status.out).not.toMatch(RAW)
  const dry = await quasiIn(['run', 'pipelines/p.yaml', '--dry-run'], dir)
  expect(dry.out).toContain('would run: param `where` changed from city != "a\\x1b[2K')
  expect(dry.out).not.toMatch(RAW)
  const r = await quasiIn(['run', 'pipelines/p.yaml', '--reporter', 'plain'], dir)
  expect(r.code).toBe(0)
  expect(r.out).toContain('filter: param `where` changed from city != "a\\x1b[2K\\x1b[1A"')
  expect(r.out).not.toMatch(RAW)
})

test('log.txt: column names and cells from a CSV are escaped, one entry per line', async () => {
  const dir = project()
  expect((await quasiIn(['run', 'pipelines/p.yaml'], dir)).code).toBe(0)
  const log = readFileSync(join(dir, 'outputs/p/panel/log.txt'), 'utf8')
  expect(log).toContain('  \\x1b[31mgdp\\x1b[0m: number')
  expect(log).toContain('  \\u{202e}evil: number')
  expect(log).not.toMatch(RAW)
})

test('JSON reporter: the same values, as JSON escapes (no raw C1 or bidi characters either)', async () => {
  const dir = project()
  const r = await quasiIn(['run', 'pipelines/p.yaml', '--reporter', 'json'], dir)
  expect(r.code).toBe(0)
  expect(r.out).not.toMatch(RAW)
  const logs = r.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; message?: string }).filter((e) => e.type === 'stage:log')
  expect(logs.map((e) => e.message)).toContain('  \u202eevil: number, 0 missing of 2')
})

test('error blocks: a value in the message, and a raw control character in the code frame, with the caret under it', async () => {
  const dir = project()
  writeFileSync(join(dir, 'pipelines/kind.yaml'), 'quasi: 1\nname: k\nstages:\n  p: { uses: "ingest\\e[2K\\e[1A", with: { file: data/p.csv } }\n')
  const kind = await quasiIn(['validate', 'pipelines/kind.yaml'], dir)
  expect(kind.code).toBe(2)
  expect(kind.err).toContain('unknown stage kind `ingest\\x1b[2K\\x1b[1A`')
  expect(kind.err).not.toMatch(RAW)

  writeFileSync(join(dir, 'pipelines/raw.yaml'), 'quasi: 1\nname: r\nstages:\n  p: { uses: ingest\x1b[2K, with: { file: data/p.csv } }\n')
  const raw = await quasiIn(['validate', 'pipelines/raw.yaml'], dir)
  expect(raw.code).toBe(2)
  expect(raw.err).not.toMatch(RAW)
  const [line, caret] = raw.err.split('\n').slice(1, 3)
  expect(line).toBe('  4 |   p: { uses: ingest\\x1b[2K, with: { file: data/p.csv } }')
  expect(line[caret.indexOf('^')]).toBe('[') // the error is at the `[` after ESC
})

test('tty renderer: names, reasons, messages and warnings are escaped before listr2 draws them', async () => {
  const seen: string[] = []
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    seen.push(String(s))
    return true
  })
  const lines: string[] = []
  try {
    const r = ttyRenderer((l) => lines.push(l))
    const evil = '\x1b]0;pwned\x07'
    r.onEvent({ type: 'run:start', pipeline: 'p', stages: [{ name: 'a', kind: `k${evil}` }, { name: 'b', kind: 'k' }], jobs: 1, threads: 1 })
    r.onEvent({ type: 'stage:start', stage: 'a', kind: 'k', reasons: [{ kind: 'param', path: 'where', from: 'x', to: `y${evil}` }] })
    r.onEvent({ type: 'stage:log', stage: 'a', level: 'warn', message: `column ${evil}` })
    r.onEvent({ type: 'stage:done', stage: 'a', kind: 'k', key: 'k', ms: 1, unchanged: false })
    const { QuasiError } = await import('../../src/errors.ts')
    r.onEvent({ type: 'stage:failed', stage: 'b', kind: 'k', error: new QuasiError('BAD_DATA', `cell ${evil}`) })
    r.onEvent({ type: 'run:done', ok: false, exit: 2, ms: 1, ran: 1, cached: 0, failed: 1, skipped: 0, expectationsFailed: 0, errors: [] })
    await r.close()
  } finally {
    spy.mockRestore()
  }
  const all = seen.join('') + lines.join('\n')
  expect(all).not.toContain('\x1b]0;pwned')
  expect(lines.join('\n')).toContain('warning (a): column \\x1b]0;pwned\\x07')
})
