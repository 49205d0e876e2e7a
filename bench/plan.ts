/**
 * Planning at scale, with the real stage registry: (a) a `matrix:` template of 10,000
 * `did` instances expanded, validated and ordered (target < 1 s); (b) a file of 2,000
 * ordinary stages (derive and did, alternating) validated (target < 1 s); (c) the default
 * pipeline validated, data-file headers included (target < 500 ms). Times are the
 * median of 5 runs of `makePlan` on text already read; YAML parsing is reported apart.
 *
 *   npx tsx bench/plan.ts
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parsePipelineText } from '../src/pipeline/load.ts'
import { makePlan } from '../src/pipeline/plan.ts'
import { stageKinds } from '../stages/index.ts'

const root = mkdtempSync(join(tmpdir(), 'quasi-bench-plan-'))
mkdirSync(join(root, 'pipelines', 'data'), { recursive: true })
writeFileSync(join(root, 'pipelines', 'data', 'panel.csv'), 'city,year,y,d\n1,2000,1,0\n')

const head = `quasi: 1
name: bench
panel: { unit: city, time: year }
stages:
  panel: { uses: ingest, with: { file: data/panel.csv } }
  base: { uses: did, with: { from: panel, outcome: y, treatment: d, cluster: city } }
`
const matrixYaml = head + `  het:
    uses: did
    matrix: { k: [${Array.from({ length: 10_000 }, (_, i) => i).join(', ')}] }
    with: { model: base, sample: "year >= \${{ matrix.k }}" }
    expect: [ "nobs > 0" ]
`
const flat: string[] = [head]
for (let i = 0; i < 1_000; i++) {
  flat.push(`  v${i}: { uses: derive, with: { from: ${i === 0 ? 'panel' : `v${i - 1}`}, columns: { z${i}: "y * ${i} + log(1 + d)" } } }\n`)
  flat.push(`  m${i}: { uses: did, with: { from: v${i}, outcome: y, treatment: d, controls: [z${i}], cluster: city }, expect: [ "p(d) < 1" ] }\n`)
}
const flatYaml = flat.join('')

function measure(label: string, yaml: string, target: number): void {
  const abs = join(root, 'pipelines', 'p.yaml')
  writeFileSync(abs, yaml)
  const t0 = performance.now()
  const src = parsePipelineText(yaml, 'pipelines/p.yaml', abs)
  const parseMs = performance.now() - t0
  const times: number[] = []
  let stages = 0
  for (let r = 0; r < 5; r++) {
    const t = performance.now()
    stages = makePlan(src, stageKinds, { root }).stages.length
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  const med = times[2]
  console.log(`${label}: ${stages} stages, plan ${med.toFixed(0)} ms (median of 5; min ${times[0].toFixed(0)}), YAML parse ${parseMs.toFixed(0)} ms, target < ${target} ms ${med + parseMs < target ? 'ok' : 'MISSED'}`)
}

{
  // (c) the default pipeline as `quasi validate` sees it: reading the file, planning, the data file's header.
  const { readPipelineFile } = await import('../src/pipeline/load.ts')
  const repo = new URL('..', import.meta.url).pathname
  const times: number[] = []
  for (let r = 0; r < 5; r++) {
    const t = performance.now()
    makePlan(await readPipelineFile('pipelines/cluster-gie.yaml', repo), stageKinds, { root: repo })
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  console.log(`(c) validate pipelines/cluster-gie.yaml (headers included): ${times[2].toFixed(0)} ms (median of 5), target < 500 ms ${times[2] < 500 ? 'ok' : 'MISSED'}`)
}
measure('(a) matrix of 10,000 did instances', matrixYaml, 1000)
measure('(b) 2,000 ordinary stages (derive + did)', flatYaml, 1000)
rmSync(root, { recursive: true, force: true })
