/**
 * policy-mix in a pipeline on the demo panel through the CLI entry point: `model:` a did stage
 * whose table carries a derived `lowcarbon` column (the same indicator, so no warning), the
 * facts in `expect:` lines, the joint-exposure series overlaid by event-compare beside the
 * event study, the interacted column in a `table`, and the outputs written.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { quasiIn } from '../helpers/cli.ts'

const repo = fileURLToPath(new URL('../..', import.meta.url))

const PIPELINE = `quasi: 1
name: mix
panel: { unit: city, time: year }
stages:
  panel: { uses: ingest, with: { file: data/cluster_gie_panel.csv } }
  vars:
    uses: derive
    with: { from: panel, columns: { lnpat: log(1 + green_inv + green_uti), lowcarbon: adopted(lowcarbon_year) } }
  baseline:
    uses: did
    with: { from: vars, outcome: lnpat, treatment: { adoption: pilot_year }, controls: [fin, urban, gov, industry], cluster: city }
  dyn: { uses: event-study, with: { model: baseline, window: [-4, 4] } }
  mix:
    uses: policy-mix
    with:
      model: baseline
      policies: { cluster: pilot_year, lowcarbon: { adoption: lowcarbon_year } }
      labels: { cluster: Cluster pilot, lowcarbon: Low-carbon pilot }
    expect:
      - synergy > 0
      - synergy_p < 0.05
      - "synergy(cluster, lowcarbon) > 0.1"
      - coef(cluster:lowcarbon) > 0
      - joint_minus_sum_p > 0.5
      - approx(joint, 0.568, 0.001)
      - approx(sum_separate, 0.573, 0.001)
      - alone(lowcarbon) > 0
      - both_units == 34
  compare: { uses: event-compare, with: { stages: [dyn, mix] } }
  tab: { uses: table, with: { columns: [baseline, mix] } }
`

describe('policy-mix in a pipeline', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quasi-mix-'))
  mkdirSync(join(dir, 'data'))
  cpSync(join(repo, 'pipelines/data/cluster_gie_panel.csv'), join(dir, 'data/cluster_gie_panel.csv'))
  writeFileSync(join(dir, 'package.json'), '{}\n')
  writeFileSync(join(dir, 'mix.yaml'), PIPELINE)
  const r = await quasiIn(['run', 'mix.yaml'], dir)
  const out = (stage: string, file: string) => readFileSync(join(dir, 'outputs/mix', stage, file), 'utf8')

  test('runs, and every expectation holds', () => {
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out.match(/expect .*: holds/g)).toHaveLength(9)
    expect(r.out).not.toContain('is replaced')
  })

  test('writes the table, the tests and the event study', () => {
    expect(out('mix', 'table.md')).toContain('| Cluster pilot × Low-carbon pilot |')
    expect(out('mix', 'tests.csv').split('\n')[0]).toBe('test,hypothesis,estimate,std.error,distribution,statistic,df.num,df.den,p.value')
    expect(out('mix', 'event_study.svg')).toMatch(/^<svg/)
  })

  test('event-compare overlays the joint exposure beside the TWFE event study', () => {
    expect(out('compare', 'compare.md')).toContain('| Event time | TWFE event study | Joint exposure (policy mix) |')
  })

  test('a table of the stage shows its interacted column', () => {
    expect(out('tab', 'table.md')).toContain('| Cluster pilot × Low-carbon pilot |  | 0.164<sup>***</sup> |')
  })
})
