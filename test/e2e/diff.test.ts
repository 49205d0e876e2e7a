/**
 * `quasi diff` (issue 13 §2): two runs of a small pipeline that differ in one parameter
 * (the variance of `robust`) differ in exactly the cells that parameter moves, and the
 * diff names each of them; identical runs compare equal; two git revisions are compared
 * through temporary worktrees.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { panelCsv } from '../faults/project.ts'
import { csvRecords } from '../helpers/csv.ts'
import { quasiIn, smallProject } from '../helpers/cli.ts'

const pipeline = (vcov: string) => `quasi: 1
name: d
panel: { unit: unit, time: year }
seed: 1
stages:
  panel: { uses: ingest, with: { file: data/panel.csv, types: { unit: string } }, expect: [ "rows == 600" ] }
  baseline:
    uses: did
    with: { from: panel, outcome: y, treatment: { adoption: adopt_year }, controls: [x], cluster: unit }
    expect: [ "coef(did) > 0" ]
  robust:
    uses: did
    with: { model: baseline, vcov: ${vcov} }
    expect: [ "se(did) > 0" ]
`

function runProject(vcov: string): string {
  const dir = smallProject({ 'pipelines/p.yaml': pipeline(vcov), 'pipelines/data/panel.csv': panelCsv() })
  return dir
}

interface Difference { file: string; row: string; column: string; a: string; b: string; note: string }

describe('quasi diff', () => {
  const a = runProject('cluster')
  const b = runProject('iid')
  let ran = false
  const ensureRuns = async () => {
    if (ran) return
    const ra = await quasiIn(['run', 'pipelines/p.yaml'], a)
    const rb = await quasiIn(['run', 'pipelines/p.yaml'], b)
    expect([ra.code, ra.err]).toEqual([0, ''])
    expect([rb.code, rb.err]).toEqual([0, ''])
    ran = true
  }

  test('one changed parameter: the diff names exactly the changed cells, exit 4', async () => {
    await ensureRuns()
    const r = await quasiIn(['diff', join(a, 'outputs'), join(b, 'outputs'), '--format', 'json'], a)
    expect(r.err).toBe('')
    expect(r.code).toBe(4)
    const diff = JSON.parse(r.out) as { same: boolean; differences: Difference[] }
    expect(diff.same).toBe(false)

    // What changed, found independently: every tidy.csv / glance.csv cell whose text differs.
    const expected = new Set<string>()
    for (const f of ['baseline/tidy.csv', 'baseline/glance.csv', 'robust/tidy.csv', 'robust/glance.csv']) {
      const ra = csvRecords(readFileSync(join(a, 'outputs/d', f), 'utf8'))
      const rb = csvRecords(readFileSync(join(b, 'outputs/d', f), 'utf8'))
      expect(rb).toHaveLength(ra.length)
      ra.forEach((row, i) => {
        for (const col of Object.keys(row)) {
          if (col === 'model' || col === 'term') continue
          if (row[col] !== rb[i][col]) expected.add(`d/${f}|${row.model}${f.endsWith('tidy.csv') ? ' / ' + row.term : ''}|${col}|${row[col]}|${rb[i][col]}`)
        }
      })
    }
    const got = new Set(diff.differences.filter((d) => /(tidy|glance)\.csv$/.test(d.file)).map((d) => `${d.file}|${d.row}|${d.column}|${d.a}|${d.b}`))
    expect(got).toEqual(expected)
    // the variance changed, the coefficients did not
    expect([...got].some((k) => k.startsWith('d/robust/tidy.csv|(1) / did|std.error|'))).toBe(true)
    expect([...got].some((k) => k.includes('|estimate|'))).toBe(false)
    expect([...got].some((k) => k.startsWith('d/baseline/'))).toBe(false)
    // the rendered table shows the standard error line under `did`
    expect(diff.differences.some((d) => d.file === 'd/robust/table.csv' && d.row === 'did #2')).toBe(true)
    expect(diff.differences.every((d) => d.file.startsWith('d/robust/') || d.file === 'd/run.json')).toBe(true)
    // the expectation on the SE holds in both runs, on different values
    const se = diff.differences.find((d) => d.column === 'expect se(did) > 0')!
    expect([se.row, se.a.startsWith('holds'), se.b.startsWith('holds'), se.a === se.b]).toEqual(['robust', true, true, false])
  })

  test('the same run compares equal (exit 0), also per pipeline folder', async () => {
    await ensureRuns()
    const copy = smallProject()
    cpSync(join(a, 'outputs'), join(copy, 'outputs'), { recursive: true })
    const r = await quasiIn(['diff', join(a, 'outputs/d'), join(copy, 'outputs/d')], a)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^same: \d+ tables agree within the tolerance$/m)
  })

  test('tolerance: a change below --tol is the same; above it is reported, text and md', async () => {
    await ensureRuns()
    const copy = smallProject()
    cpSync(join(a, 'outputs'), join(copy, 'outputs'), { recursive: true })
    const f = join(copy, 'outputs/d/baseline/glance.csv')
    const rows = readFileSync(f, 'utf8').split('\n')
    const cells = rows[1].split(',')
    const r2 = Number(cells[2])
    cells[2] = String(r2 * (1 + 1e-9))
    rows[1] = cells.join(',')
    writeFileSync(f, rows.join('\n'))
    expect((await quasiIn(['diff', join(a, 'outputs'), join(copy, 'outputs'), '--tol', '1e-8'], a)).code).toBe(0)
    expect((await quasiIn(['diff', join(a, 'outputs'), join(copy, 'outputs'), '--atol', '1e-12'], a)).code).toBe(4)
    const text = await quasiIn(['diff', join(a, 'outputs'), join(copy, 'outputs')], a)
    expect(text.code).toBe(4)
    expect(text.out).toContain(`d/baseline/glance.csv\n  (1)  r.squared: ${r2} → ${cells[2]}`)
    const md = await quasiIn(['diff', join(a, 'outputs'), join(copy, 'outputs'), '--format', 'md'], a)
    expect(md.out).toContain(`| d/baseline/glance.csv | (1) | r.squared | ${r2} | ${cells[2]} |`)
  })

  test('files on one side only, and a changed expectation outcome, are reported', async () => {
    await ensureRuns()
    const copy = smallProject()
    cpSync(join(a, 'outputs'), join(copy, 'outputs'), { recursive: true })
    rmSync(join(copy, 'outputs/d/robust/glance.csv'))
    const rec = JSON.parse(readFileSync(join(copy, 'outputs/d/run.json'), 'utf8')) as { stages: { stage: string; expectations?: { result: string }[] }[] }
    const base = rec.stages.find((s) => s.stage === 'baseline')!
    expect(base.expectations).toHaveLength(1)
    base.expectations![0].result = 'failed'
    writeFileSync(join(copy, 'outputs/d/run.json'), JSON.stringify(rec))
    const r = await quasiIn(['diff', join(a, 'outputs'), join(copy, 'outputs'), '--format', 'json'], a)
    expect(r.code).toBe(4)
    const d = JSON.parse(r.out) as { differences: Difference[] }
    expect(d.differences.find((x) => x.file === 'd/robust/glance.csv')?.note).toBe('file only in A')
    const e = d.differences.find((x) => x.column === 'expect coef(did) > 0')!
    expect([e.row, e.a.startsWith('holds'), e.b.startsWith('fails')]).toEqual(['baseline', true, true])
  })

  test('bad usage: a missing folder and a bad tolerance exit 2 with a coded error', async () => {
    const r = await quasiIn(['diff', 'nope', 'nada'], a)
    expect(r.code).toBe(2)
    expect(r.err).toContain('MISSING_FILE')
    const t = await quasiIn(['diff', '.', '.', '--tol', '-1'], a)
    expect(t.code).toBe(2)
    expect(t.err).toContain('Expected `--tol` to be a number >= 0, got `-1`')
  })

  test('two git revisions of the project: each runs in a temporary worktree', async () => {
    const dir = runProject('cluster')
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' })
    git('init', '-q')
    git('add', '.')
    git('commit', '-q', '-m', 'cluster')
    writeFileSync(join(dir, 'pipelines/p.yaml'), pipeline('iid'))
    git('commit', '-q', '-am', 'iid')
    const r = await quasiIn(['diff', 'HEAD~1', 'HEAD', 'pipelines/p.yaml', '--format', 'json'], dir)
    expect(r.code).toBe(4)
    const d = JSON.parse(r.out) as { differences: Difference[] }
    expect(d.differences.some((x) => x.file === 'd/robust/tidy.csv' && x.row === '(1) / did' && x.column === 'std.error')).toBe(true)
    expect(d.differences.some((x) => x.file.startsWith('d/baseline/'))).toBe(false)
    expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1)
    const same = await quasiIn(['diff', 'HEAD', 'HEAD', 'pipelines/p.yaml'], dir)
    expect(same.code).toBe(0)
  })
})
