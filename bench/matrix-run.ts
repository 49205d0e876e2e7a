/**
 * A `matrix:` stage of 1,000 `did` instances run by the built CLI, as a user starts it, on a
 * small panel (30 cities × 6 years), so the figure is the orchestration per instance
 * (planning, keys, the cache, output files), not estimation: a cold run, a fully cached run,
 * and a run after one matrix value changed (one instance recomputes).
 *
 *   npx tsx bench/matrix-run.ts [instances]
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const N = Number(process.argv[2] ?? 1000)
const repo = fileURLToPath(new URL('..', import.meta.url))
const bin = join(repo, 'bin/quasi.js')
spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: repo })

const dir = mkdtempSync(join(tmpdir(), 'quasi-bench-matrix-'))
mkdirSync(join(dir, 'pipelines', 'data'), { recursive: true })
const rows = ['city,year,pilot_year,y']
for (let c = 1; c <= 30; c++) for (let t = 2010; t <= 2015; t++) rows.push(`${c},${t},${c <= 10 ? 2013 : ''},${((c * 7919 + t * 104729) % 97) / 10 + (c <= 10 && t >= 2013 ? 1 : 0)}`)
writeFileSync(join(dir, 'pipelines', 'data', 'panel.csv'), rows.join('\n') + '\n')
const pipeline = (changed: number) => `quasi: 1
name: many
panel: { unit: city, time: year }
stages:
  panel: { uses: ingest, with: { file: data/panel.csv } }
  base: { uses: did, with: { from: panel, outcome: y, treatment: { adoption: pilot_year }, cluster: city } }
  draws:
    uses: did
    matrix: { w: [${Array.from({ length: N }, (_, i) => (i === changed ? 5000 : 1000 + i)).join(', ')}] }
    with: { model: base, sample: "y > -\${{ matrix.w }}" }
`
const run = (label: string, changed: number) => {
  writeFileSync(join(dir, 'pipelines', 'p.yaml'), pipeline(changed))
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [bin, 'run', 'pipelines/p.yaml'], { cwd: dir, env: { ...process.env, CI: 'true' }, encoding: 'utf8' })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`${label} failed:\n${r.stdout}${r.stderr}`)
  const summary = r.stdout.trim().split('\n').at(-1)
  console.log(`${label}: ${(ms / 1000).toFixed(2)} s (${(ms / (N + 2)).toFixed(1)} ms per stage) — ${summary}`)
}
console.log(`${N} matrix instances of did on a 180-row panel`)
run('cold run', -1)
run('all cached', -1)
run('one value changed', 417)
rmSync(dir, { recursive: true, force: true })
