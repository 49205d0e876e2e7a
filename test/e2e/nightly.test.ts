/**
 * The nightly workflow (examples/github-actions/nightly.yml): its "Run and diff" step's
 * script, taken from the workflow file, run locally with bash on a small project and the
 * built CLI. It passes with no baseline and with an equal one, fails with 4 when last
 * night's results differ, and with 3 when an expectation does not hold.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { parse } from 'yaml'
import { panelCsv } from '../faults/project.ts'
import { smallProject } from '../helpers/cli.ts'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const workflow = parse(readFileSync(join(repo, 'examples/github-actions/nightly.yml'), 'utf8')) as {
  env: Record<string, string>
  jobs: { replicate: { steps: { name?: string; run?: string }[] } }
}
const step = workflow.jobs.replicate.steps.find((s) => s.name === 'Run and diff')!.run!

const pipeline = (vcov: string, bound: string) => `quasi: 1
name: nightly
panel: { unit: unit, time: year }
stages:
  panel: { uses: ingest, with: { file: data/panel.csv, types: { unit: string } } }
  baseline:
    uses: did
    with: { from: panel, outcome: y, treatment: { adoption: adopt_year }, controls: [x], cluster: unit }
    expect: [ "coef(did) > ${bound}" ]
  robust: { uses: did, with: { model: baseline, vcov: ${vcov} } }
`

function night(dir: string) {
  rmSync(join(dir, 'gh-output'), { force: true })
  const r = spawnSync('bash', ['-e', '-c', step], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...workflow.env, PIPELINE: 'pipelines/p.yaml', NAME: 'nightly', QUASI: `${process.execPath} ${join(repo, 'bin/quasi.js')}`, GITHUB_OUTPUT: join(dir, 'gh-output'), GITHUB_STEP_SUMMARY: join(dir, 'summary.md') },
  })
  return { code: r.status, out: r.stdout, err: r.stderr, outputs: existsSync(join(dir, 'gh-output')) ? readFileSync(join(dir, 'gh-output'), 'utf8') : '' }
}

test('the workflow step: no baseline passes, the same results pass, changed results fail with 4, a failed expectation with 3', () => {
  const dir = smallProject({ 'pipelines/p.yaml': pipeline('cluster', '0'), 'pipelines/data/panel.csv': panelCsv() })
  const first = night(dir)
  expect([first.code, first.err]).toEqual([0, ''])
  expect(first.out).toContain('no published run to compare with')
  expect(readFileSync(join(dir, 'quasi-junit.xml'), 'utf8')).toContain('<testsuite name="nightly" tests="4" failures="0"')

  // last night's published outputs: this run's
  cpSync(join(dir, 'outputs/nightly'), join(dir, 'baseline'), { recursive: true })
  const same = night(dir)
  expect(same.code).toBe(0)
  expect(same.outputs).toBe('run=0\ndiff=0\n')
  expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('agree within the tolerance')

  writeFileSync(join(dir, 'pipelines/p.yaml'), pipeline('iid', '0'))
  const drift = night(dir)
  expect(drift.code).toBe(4)
  expect(drift.outputs).toBe('run=0\ndiff=4\n')
  expect(readFileSync(join(dir, 'quasi-diff.md'), 'utf8')).toMatch(/\| robust\/tidy\.csv \| \(1\) \/ did \| std\.error \| [\d.e-]+ \| [\d.e-]+ \|/)

  writeFileSync(join(dir, 'pipelines/p.yaml'), pipeline('cluster', '5'))
  const failed = night(dir)
  expect(failed.code).toBe(3)
  // the expectation line itself changed, which the diff reports too; the run's status wins
  expect(failed.outputs).toBe('run=3\ndiff=4\n')
})
