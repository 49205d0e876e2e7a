/**
 * describe and trend through the built CLI: a Table 1 from a did stage (its `did` column and
 * labels), a balance table, a trend figure, their expectations, a cached second run; then the
 * bad inputs of issue 17 with their exact positions — a variable listed twice and an empty
 * group (`validate`), a misspelt variable (`validate`, from the file's header), and a text
 * column (`run`).
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import { csvRecords } from '../helpers/csv.ts'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const bin = join(repo, 'bin/quasi.js')
const env = { ...process.env, CI: 'true', NO_COLOR: '1' }

function quasi(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8' })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

const dir = mkdtempSync(join(tmpdir(), 'quasi-describe-'))
mkdirSync(join(dir, 'pipelines/data'), { recursive: true })
cpSync(join(repo, 'pipelines/data/cluster_gie_panel.csv'), join(dir, 'pipelines/data/cluster_gie_panel.csv'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const HEAD = `quasi: 1
name: NAME
panel: { unit: city, time: year }
stages:
  panel: { uses: ingest, with: { file: data/cluster_gie_panel.csv, types: { city: string } } }
  baseline:
    uses: did
    with: { from: panel, outcome: digital, treatment: { adoption: pilot_year }, controls: [fin, urban], cluster: city, labels: { did: "Pilot × Post" } }
`

function write(name: string, stages: string): string {
  // Every file its own pipeline name: `run` refuses two files that share one.
  writeFileSync(join(dir, `pipelines/${name}.yaml`), HEAD.replace('NAME', name) + stages)
  return `pipelines/${name}.yaml`
}

describe('describe and trend through the CLI', () => {
  test('Table 1 from a did stage, a balance table and a trend figure; expectations hold; a second run is all cache hits', () => {
    const file = write('good', `  table1:
    uses: describe
    with:
      from: baseline
      groups: { Dependent variable: [digital], Core explanatory variable: [did], Control variables: [fin, urban] }
      correlation: true
      title: "Table 1. Descriptive statistics"
    expect: [ "n(digital) == 4077", "mean(did) > 0", "vif_max < 10" ]
  balance:
    uses: describe
    with: { from: panel, variables: [fin, urban], by: 'if(is_missing(pilot_year), "Non-pilot", "Pilot")', period: [2007, 2012] }
    expect: [ "groups == 2", "diff(fin) > 0", "p_cluster(fin) < 0.05" ]
  digital_trend:
    uses: trend
    with: { from: panel, column: digital, by: region, by_levels: [east, central, west] }
    expect: [ "series == 4", "change > 0" ]
`)
    expect(quasi(['validate', file], dir).out).toContain('ok (5 stages)')
    const first = quasi(['run', file], dir)
    expect(first.err).toBe('')
    expect(first.code).toBe(0)
    expect(first.out).toContain('expect p_cluster(fin) < 0.05: holds')
    const out = (stage: string, f: string) => readFileSync(join(dir, 'outputs/good', stage, f), 'utf8')
    expect(out('table1', 'table.md')).toContain('| Pilot × Post | did | 4,200 |')
    expect(out('table1', 'correlation.md')).toContain('| VIF |')
    expect(csvRecords(out('balance', 'describe.csv')).map((r) => r.group)).toEqual(['', 'Non-pilot', 'Pilot', '', 'Non-pilot', 'Pilot'])
    expect(out('digital_trend', 'trend.svg')).toMatch(/^<svg/)
    expect(quasi(['run', file], dir).out).toContain('0 ran, 5 cached')
  })

  test('a variable listed twice and an empty group: validate names each position', () => {
    const file = write('twice', `  table1:
    uses: describe
    with:
      from: panel
      groups:
        Control variables: [fin, urban]
        Mediating variables: [isu, fin]
        Others: []
`)
    const r = quasi(['validate', file], dir)
    expect(r.code).toBe(2)
    expect(r.err).toContain(`${file}:15:36  error INVALID_VALUE  stage \`table1\` (describe)`)
    expect(r.err).toContain('variable `fin` is listed twice: in `Control variables` and in `Mediating variables`')
    expect(r.err).toContain(`${file}:16:17  error INVALID_VALUE  stage \`table1\` (describe)`)
    expect(r.err).toContain('group `Others` lists no variables')
  })

  test('a misspelt variable: validate finds it from the file\'s header', () => {
    const file = write('typo', `  table1:
    uses: describe
    with: { from: panel, groups: { Controls: [fin, urbn] } }
`)
    const r = quasi(['validate', file], dir)
    expect(r.code).toBe(2)
    expect(r.err).toContain(`${file}:11:52  error MISSING_COLUMN  stage \`table1\` (describe)`)
    expect(r.err).toContain('unknown column `urbn`; did you mean `urban`?')
  })

  test('a text column: the run stops at its position, naming the column and the stage whose table it is', () => {
    const file = write('text', `  table1:
    uses: describe
    with: { from: panel, groups: { Controls: [fin, province] } }
`)
    const r = quasi(['run', file], dir)
    expect(r.code).toBe(2)
    expect(r.err).toContain(`${file}:11:52  error BAD_DATA  stage \`table1\` (describe)`)
    expect(r.err).toContain('`province` is a text column of stage `panel`; only numeric columns can be described')
    expect(r.err).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/)
  })
})
