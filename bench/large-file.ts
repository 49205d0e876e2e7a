/**
 * A 10 MB pipeline file, as `quasi validate` reads it: one `derive` of 330,000 columns
 * (about 32 bytes a line), the shape of the file in issue 9 that ran for more than 12
 * minutes (yaml's duplicate-key check is pairwise, and derive's column check rebuilt its
 * column map per expression). Target: under 5 s for reading, parsing and planning. The time is
 * split into reading + YAML parsing (with the duplicate-key walk) and planning (schema checks,
 * expression parsing, the column check). (b) The same shape with an unknown column in each of
 * 20,000 expressions, through `quasi validate`'s error printing: each error used to search all
 * columns for "did you mean", the mapping for its position and the file for its line (10,000
 * errors took 65 s here); target < 5 s.
 *
 *   npx tsx bench/large-file.ts [columns]
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../src/cli/main.ts'
import { readPipelineFile } from '../src/pipeline/load.ts'
import { makePlan } from '../src/pipeline/plan.ts'
import { stageKinds } from '../stages/index.ts'

const columns = Number(process.argv[2] ?? 330_000)
const root = mkdtempSync(join(tmpdir(), 'quasi-bench-large-'))
mkdirSync(join(root, 'data'))
writeFileSync(join(root, 'data/panel.csv'), 'city,year,y\na,2000,1\n')
const write = (file: string, n: number, column: string) => {
  const lines = ['quasi: 1\nname: large\npanel: { unit: city, time: year }\nstages:\n  panel: { uses: ingest, with: { file: data/panel.csv } }\n  vars:\n    uses: derive\n    with:\n      from: panel\n      columns:\n']
  for (let i = 0; i < n; i++) lines.push(`        c${i}: log(${column} + ${i})\n`)
  writeFileSync(join(root, file), lines.join(''))
}
write('large.yaml', columns, 'y')
write('errors.yaml', 20_000, 'z')
const mb = statSync(join(root, 'large.yaml')).size / 1e6

const t0 = performance.now()
const src = await readPipelineFile('large.yaml', root)
const t1 = performance.now()
const plan = makePlan(src, stageKinds, { root })
const t2 = performance.now()
const total = t2 - t0
console.log(
  `(a) validate a ${mb.toFixed(1)} MB file (derive of ${columns.toLocaleString('en-US')} columns, ${plan.stages.length} stages): ` +
    `${(total / 1000).toFixed(2)} s (read + YAML ${((t1 - t0) / 1000).toFixed(2)} s, plan ${((t2 - t1) / 1000).toFixed(2)} s), ` +
    `target < 5 s ${total < 5000 ? 'ok' : 'MISSED'}`,
)
{
  const t = performance.now()
  let err = ''
  const code = await main(['validate', 'errors.yaml'], { cwd: root, out: () => {}, err: (s) => void (err += s), isTTY: false, env: { CI: 'true' } })
  const ms = performance.now() - t
  const blocks = /(\d+) errors\n$/.exec(err)?.[1]
  console.log(`(b) validate with an unknown column in 20,000 expressions: exit ${code}, ${blocks} errors printed, ${(ms / 1000).toFixed(2)} s, target < 5 s ${ms < 5000 ? 'ok' : 'MISSED'}`)
}
rmSync(root, { recursive: true, force: true })
