/**
 * Issue 8 acceptance: a pipeline of 1,000 `matrix:` instances of `did` runs through the CLI
 * code in process, caches per instance, and reruns exactly one instance when its value
 * changes. The panel is small (30 cities × 6 years) so the test measures the orchestration.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { main } from '../../src/cli/main.ts'

const N = 1_000

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'quasi-matrix-'))
  mkdirSync(join(dir, 'pipelines', 'data'), { recursive: true })
  const rows = ['city,year,pilot_year,y']
  for (let c = 1; c <= 30; c++) {
    for (let t = 2010; t <= 2015; t++) {
      const adopt = c <= 10 ? 2013 : ''
      const y = (c * 7919 + t * 104729) % 97 / 10 + (adopt && t >= 2013 ? 1 : 0)
      rows.push(`${c},${t},${adopt},${y}`)
    }
  }
  writeFileSync(join(dir, 'pipelines', 'data', 'panel.csv'), rows.join('\n') + '\n')
  return dir
}

const pipeline = (shift: (i: number) => number) => `quasi: 1
name: many
panel: { unit: city, time: year }
stages:
  panel: { uses: ingest, with: { file: data/panel.csv } }
  base: { uses: did, with: { from: panel, outcome: y, treatment: { adoption: pilot_year }, cluster: city } }
  draws:
    uses: did
    matrix: { w: [${Array.from({ length: N }, (_, i) => shift(i)).join(', ')}] }
    with: { model: base, sample: "y > -\${{ matrix.w }}" }
`

async function run(dir: string, args: string[] = []) {
  let out = ''
  let err = ''
  const code = await main(['run', 'pipelines/p.yaml', '--reporter', 'json', ...args], { cwd: dir, out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, env: { CI: 'true' } })
  const events = out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; stage?: string })
  return { code, err, ran: events.filter((e) => e.type === 'stage:done').map((e) => e.stage!), cached: events.filter((e) => e.type === 'stage:cached').length }
}

test(`${N} matrix instances of did: run, all cached, one value changed reruns one instance`, async () => {
  const dir = project()
  writeFileSync(join(dir, 'pipelines', 'p.yaml'), pipeline((i) => 1000 + i))
  const first = await run(dir)
  expect(first.err).toBe('')
  expect(first.code).toBe(0)
  expect(first.ran).toHaveLength(N + 2)
  const tidy = readFileSync(join(dir, 'outputs', 'many', 'draws[999]', 'tidy.csv'), 'utf8')
  expect(tidy).toMatch(/^model,term,estimate/)

  const second = await run(dir)
  expect(second.ran).toEqual([])
  expect(second.cached).toBe(N + 2)

  writeFileSync(join(dir, 'pipelines', 'p.yaml'), pipeline((i) => (i === 417 ? 5000 : 1000 + i)))
  const third = await run(dir)
  expect(third.code).toBe(0)
  expect(third.ran).toEqual(['draws[417]'])
}, 300_000)
