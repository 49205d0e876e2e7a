/**
 * Tables and forest plots of a matrix of did stages through the built CLI: a `table` over the
 * matrix group (one column per instance), a `table` with one group per panel, a `coefplot`,
 * their expectations, and a second run that is all cache hits.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { csvRecords } from '../helpers/csv.ts'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const bin = join(repo, 'bin/quasi.js')
const env = { ...process.env, CI: 'true', NO_COLOR: '1' }

function quasi(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8' })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

const PIPELINE = `# yaml-language-server: $schema=../schema/pipeline.schema.json
quasi: 1
name: het
panel: { unit: city, time: year }
stages:
  panel: { uses: ingest, with: { file: data/cluster_gie_panel.csv, types: { city: string } } }
  baseline:
    uses: did
    with: { from: panel, outcome: digital, treatment: { adoption: pilot_year }, controls: [fin, urban], cluster: city }
  het:
    uses: did
    matrix: { region: [east, central, west] }
    names: "\${{ matrix.region }}"
    with: { model: baseline, sample: 'region == "\${{ matrix.region }}"' }
  het_innov:
    uses: did
    matrix: { region: [east, central, west] }
    names: "\${{ matrix.region }}"
    with: { model: baseline, outcome: innov, sample: 'region == "\${{ matrix.region }}"' }
  het_table:
    uses: table
    with:
      columns: het
      keep: [did]
      rows: { Region: [East, Central, West] }
      title: "Table 5. Heterogeneity by region"
    expect: [ "columns == 3", "coef(did, 1) > 0", "nobs(1) > 1000" ]
  by_outcome:
    uses: table
    with:
      panels: { "Panel A": het, "Panel B": het_innov }
      keep: [did]
      column_labels: [East, Central, West]
    expect: [ "panels == 2", "coef(did, 2, 3) > 0" ]
  het_plot:
    uses: coefplot
    with: { columns: het, title: "Figure 3. Heterogeneity: the pilot effect by region" }
    expect: [ "columns == 3", "conf_low(did, 2) < coef(did, 2)" ]
`

describe('table and coefplot over a matrix group', () => {
  test('one column per instance, panels of groups, the forest plot; expectations hold; a second run is all cache hits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quasi-table-'))
    mkdirSync(join(dir, 'pipelines/data'), { recursive: true })
    cpSync(join(repo, 'pipelines/data/cluster_gie_panel.csv'), join(dir, 'pipelines/data/cluster_gie_panel.csv'))
    writeFileSync(join(dir, 'pipelines/het.yaml'), PIPELINE)

    expect(quasi(['validate', 'pipelines/het.yaml'], dir).out).toContain('ok (11 stages)')
    const first = quasi(['run', 'pipelines/het.yaml'], dir)
    expect(first.err).toBe('')
    expect(first.code).toBe(0)
    expect(first.out).toContain('11 ran, 0 cached')
    expect(first.out).toContain('expect coef(did, 1) > 0: holds')

    const out = (stage: string, file: string) => readFileSync(join(dir, 'outputs/het', stage, file), 'utf8')
    for (const f of ['table.md', 'table.tex', 'table.html', 'table.csv', 'tidy.csv', 'glance.csv']) expect(out('het_table', f).length).toBeGreaterThan(0)
    const csv = out('het_table', 'table.csv').trim().split('\n').map((l) => l.split(','))
    expect(csv[0]).toEqual(['', '(1)', '(2)', '(3)'])
    expect(csv.find((r) => r[0] === 'Region')).toEqual(['Region', 'East', 'Central', 'West'])
    // Column j is instance j of the group: the same estimate as that stage's own tidy.csv.
    const tidy = csvRecords(out('het_table', 'tidy.csv')).filter((r) => r.term === 'did')
    const own = ['het[east]', 'het[central]', 'het[west]'].map((s) => csvRecords(out(s, 'tidy.csv')).find((r) => r.term === 'did')!)
    expect(tidy.map((r) => r.model)).toEqual(['(1)', '(2)', '(3)'])
    expect(tidy.map((r) => r.estimate)).toEqual(own.map((r) => r.estimate))
    expect(out('het_table', 'table.md')).toContain('Dependent variable: digital')

    const panels = out('by_outcome', 'table.md')
    expect(panels).toContain('|  | East | Central | West |')
    expect(panels).toContain('| *Panel A. Dependent variable: digital* | | | |')
    expect(panels).toContain('| *Panel B. Dependent variable: innov* | | | |')
    expect(panels).toContain('*Samples: East region == "east"; Central region == "central"; West region == "west".*')
    expect(csvRecords(out('by_outcome', 'tidy.csv')).filter((r) => r.term === 'did').map((r) => r.model)).toEqual(
      ['Panel A East', 'Panel A Central', 'Panel A West', 'Panel B East', 'Panel B Central', 'Panel B West'],
    )

    const svg = out('het_plot', 'coefplot.svg')
    expect(svg).toMatch(/^<svg/)
    for (const t of ['Figure 3. Heterogeneity: the pilot effect by region', '>east<', '>central<', '>west<']) expect(svg).toContain(t)
    const plot = csvRecords(out('het_plot', 'coefplot.csv'))
    expect(plot.map((r) => r.label)).toEqual(['east', 'central', 'west'])
    expect(plot.map((r) => r.estimate)).toEqual(own.map((r) => r.estimate))
    expect(plot.map((r) => [r['conf.low'], r['conf.high']])).toEqual(own.map((r) => [r['conf.low'], r['conf.high']]))

    const second = quasi(['run', 'pipelines/het.yaml'], dir)
    expect(second.code).toBe(0)
    expect(second.out).toContain('0 ran, 11 cached')
    rmSync(dir, { recursive: true, force: true })
  })
})
