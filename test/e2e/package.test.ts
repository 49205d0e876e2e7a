/**
 * `quasi package` (issue 13 §5): the package of a small pipeline's run (ingest → did → did
 * and a table), unpacked in a fresh folder, holds what its MANIFEST says, and its one
 * command reproduces every output byte for byte (run.json aside: wall times; its keys and
 * digests agree). The command is run with this quasi in process, the version the package
 * pins; `npx quasi@<version>` itself needs the registry and is not exercised here.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, renameSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { listFiles } from '../../src/diff/runs.ts'
import { panelCsv } from '../faults/project.ts'
import { quasiIn, smallProject } from '../helpers/cli.ts'

const PIPELINE = `quasi: 1
name: pk
title: A small study to package
panel: { unit: unit, time: year }
seed: 5
stages:
  panel: { uses: ingest, with: { file: data/panel.csv, types: { unit: string } } }
  baseline: { uses: did, with: { from: panel, outcome: y, treatment: { adoption: adopt_year }, controls: [x], cluster: unit } }
  robust: { uses: did, with: { model: baseline, vcov: hc1 } }
  table: { uses: table, with: { columns: [baseline, robust], title: "Table 1" } }
`

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

function manifestHolds(dir: string): void {
  const lines = readFileSync(join(dir, 'MANIFEST.sha256'), 'utf8').trimEnd().split('\n')
  const listed = lines.map((l) => l.slice(66))
  expect(listed).toEqual(listFiles(dir).filter((f) => f !== 'MANIFEST.sha256'))
  for (const l of lines) expect(sha(readFileSync(join(dir, l.slice(66))))).toBe(l.slice(0, 64))
}

test('package --zip: unpacked in a fresh folder, its one command gives byte-identical outputs', async () => {
  const dir = smallProject({ 'pipelines/p.yaml': PIPELINE, 'pipelines/data/panel.csv': panelCsv() })
  expect((await quasiIn(['run', 'pipelines/p.yaml'], dir)).code).toBe(0)
  const zipFile = join(mkdtempSync(join(tmpdir(), 'quasi-pkg-')), 'pk.zip')
  const r = await quasiIn(['package', 'pipelines/p.yaml', '--zip', zipFile], dir)
  expect([r.code, r.err]).toEqual([0, ''])
  // the same run packs to the same bytes
  const again = join(mkdtempSync(join(tmpdir(), 'quasi-pkg-')), 'pk.zip')
  await quasiIn(['package', 'pipelines/p.yaml', '--zip', again], dir)
  expect(readFileSync(again).equals(readFileSync(zipFile))).toBe(true)

  const fresh = mkdtempSync(join(tmpdir(), 'quasi-unpacked-'))
  const unzip = spawnSync('unzip', ['-q', zipFile, '-d', fresh], { encoding: 'utf8' })
  expect([unzip.status, unzip.stderr]).toEqual([0, ''])
  manifestHolds(fresh)
  expect(listFiles(fresh).filter((f) => !f.startsWith('outputs/'))).toEqual(['MANIFEST.sha256', 'README.md', 'package.json', 'pipelines/data/panel.csv', 'pipelines/p.yaml'])

  const readme = readFileSync(join(fresh, 'README.md'), 'utf8')
  const data = readFileSync(join(dir, 'pipelines/data/panel.csv'))
  expect(readme).toContain(`| \`pipelines/data/panel.csv\` | \`panel\` (\`file\`) | ${data.length} | \`${sha(data)}\` |`)
  expect(readme).toContain('| `outputs/pk/table/table.tex` | table | `table` (table) |')
  expect(readme).toMatch(/Run time of the recorded run: \d+\.\d s of stage computation, as `outputs\/pk\/run.json` records/)
  const command = /```sh\n(.+)\n```/.exec(readme)![1]
  expect(command).toMatch(/^npx quasi@\d+\.\d+\.\d+ run pipelines\/p\.yaml$/)
  const pkg = JSON.parse(readFileSync(join(fresh, 'package.json'), 'utf8')) as { scripts: { replicate: string }; devDependencies: { quasi: string } }
  expect(pkg.scripts.replicate).toBe('quasi run pipelines/p.yaml')
  expect(command).toBe(`npx quasi@${pkg.devDependencies.quasi} run pipelines/p.yaml`)

  // run the command (its arguments after `npx quasi@<version>`) on the unpacked package
  renameSync(join(fresh, 'outputs'), join(fresh, 'shipped'))
  const rerun = await quasiIn(command.split(' ').slice(2), fresh)
  expect([rerun.code, rerun.err]).toEqual([0, ''])
  const shipped = listFiles(join(fresh, 'shipped'))
  expect(listFiles(join(fresh, 'outputs'))).toEqual(shipped)
  for (const f of shipped.filter((x) => !x.endsWith('run.json'))) {
    expect(readFileSync(join(fresh, 'outputs', f)).equals(readFileSync(join(fresh, 'shipped', f))), f).toBe(true)
  }
  const digests = (p: string) => (JSON.parse(readFileSync(p, 'utf8')) as { stages: { stage: string; key: string; output: string }[] }).stages.map((s) => [s.stage, s.key, s.output])
  expect(digests(join(fresh, 'outputs/pk/run.json'))).toEqual(digests(join(fresh, 'shipped/pk/run.json')))
})

test('package --out, and a pipeline that has not run is a coded error', async () => {
  const dir = smallProject({ 'pipelines/p.yaml': PIPELINE, 'pipelines/data/panel.csv': panelCsv() })
  const none = await quasiIn(['package', 'pipelines/p.yaml'], dir)
  expect(none.code).toBe(2)
  expect(none.err).toContain('error MISSING_FILE')
  expect(none.err).toContain('no run of `pk` to package')
  await quasiIn(['run', 'pipelines/p.yaml', '--only', 'panel'], dir)
  const partial = await quasiIn(['package', 'pipelines/p.yaml'], dir)
  expect(partial.code).toBe(2)
  expect(partial.err).toContain('is incomplete: `baseline` not-selected')
  await quasiIn(['run', 'pipelines/p.yaml'], dir)
  const out = await quasiIn(['package', 'pipelines/p.yaml', '--out', 'pkg'], dir)
  expect(out.code).toBe(0)
  manifestHolds(join(dir, 'pkg'))
})
