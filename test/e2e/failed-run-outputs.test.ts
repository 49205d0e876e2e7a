/**
 * outputs/<pipeline>/ never mixes two specifications: after a failed run the folders of
 * stages that failed, were skipped or cancelled are gone (their results stay in the cache),
 * and run.json records every stage's outcome, including stages outside --only.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { main } from '../../src/cli/main.ts'

async function quasi(args: string[], cwd: string) {
  let out = ''
  let err = ''
  const code = await main(args, { cwd, out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, env: { CI: 'true' } })
  return { code, out, err }
}

const PIPELINE = `quasi: 1
name: spec
panel: { unit: city, time: year }
stages:
  panel:  { uses: ingest, with: { file: data/panel.csv, types: { gdp: number } } }
  attrs:  { uses: ingest, with: { file: data/attrs.csv } }
  joined: { uses: merge, with: { left: panel, right: attrs, on: city } }
  filled: { uses: impute, with: { from: joined, method: linear, columns: [gdp], save: true } }
  means:  { uses: impute, with: { from: joined, method: unit-mean, columns: [gdp], save: true } }
  other:  { uses: ingest, with: { file: data/attrs.csv, select: [city], save: true } }
`

type Run = { stages: { stage: string; status: string; key?: string; error?: string; reason?: string; earlier?: { key: string } }[] }

test('a failed run removes the folders of stages that did not finish; run.json says what each stage did', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quasi-stale-'))
  mkdirSync(join(dir, 'pipelines/data'), { recursive: true })
  const panel = (bad: boolean) => ['city,year,gdp', 'a,2019,1', 'a,2020,', `a,2021,${bad ? 'n/a' : '3'}`, 'b,2019,2', 'b,2020,4', 'b,2021,6'].join('\n') + '\n'
  writeFileSync(join(dir, 'pipelines/data/panel.csv'), panel(false))
  writeFileSync(join(dir, 'pipelines/data/attrs.csv'), 'city,region\na,east\nb,west\n')
  writeFileSync(join(dir, 'pipelines/spec.yaml'), PIPELINE)
  const out = join(dir, 'outputs/spec')
  const folders = () => readdirSync(out).filter((f) => f !== 'run.json').sort()
  const run = () => JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as Run
  const outcome = () => Object.fromEntries(run().stages.map((s) => [s.stage, s.status]))

  expect((await quasi(['run', 'pipelines/spec.yaml'], dir)).code).toBe(0)
  expect(folders()).toEqual(['attrs', 'filled', 'joined', 'means', 'other', 'panel'])
  const first = run()

  // the data change so that the first stage fails: its downstream must not keep the old tables
  writeFileSync(join(dir, 'pipelines/data/panel.csv'), panel(true))
  const failed = await quasi(['run', 'pipelines/spec.yaml', '--keep-going'], dir)
  expect(failed.code).toBe(2)
  expect(failed.err).toContain('error BAD_DATA')
  expect(folders()).toEqual(['attrs', 'other'])
  expect(outcome()).toEqual({ panel: 'failed', attrs: 'cached', joined: 'skipped', filled: 'skipped', means: 'skipped', other: 'cached' })
  expect(run().stages.find((s) => s.stage === 'panel')!.error).toBe('BAD_DATA')
  expect(run().stages.find((s) => s.stage === 'joined')!.reason).toBe('upstream-failed')

  // fixed again, and only part of the pipeline run: the cached results come back; stages
  // outside --only keep an earlier run's folder and say so
  writeFileSync(join(dir, 'pipelines/data/panel.csv'), panel(false))
  expect((await quasi(['run', 'pipelines/spec.yaml', '--only', 'filled'], dir)).code).toBe(0)
  expect(outcome()).toEqual({ panel: 'cached', attrs: 'cached', joined: 'cached', filled: 'cached', means: 'not-selected', other: 'not-selected' })
  expect(folders()).toEqual(['attrs', 'filled', 'joined', 'other', 'panel'])
  const firstKey = (stage: string) => first.stages.find((s) => s.stage === stage)!.key
  const entry = (stage: string) => run().stages.find((s) => s.stage === stage)!
  expect(entry('other').earlier).toMatchObject({ key: firstKey('other') })
  expect(entry('means').earlier).toBeUndefined()
  expect(readFileSync(join(out, 'filled/data.csv'), 'utf8')).toBe('city,year,gdp,region\na,2019,1,east\na,2020,2,east\na,2021,3,east\nb,2019,2,west\nb,2020,4,west\nb,2021,6,west\n')

  // a second partial run carries the earlier run over
  await quasi(['run', 'pipelines/spec.yaml', '--only', 'attrs'], dir)
  expect(entry('other').earlier).toMatchObject({ key: firstKey('other') })
  expect(existsSync(join(out, 'other/data.csv'))).toBe(true)

  // fail-fast (which stages finish before the failure stops the run varies): whatever did
  // not finish has no folder, whatever finished has one
  writeFileSync(join(dir, 'pipelines/data/panel.csv'), panel(true))
  expect((await quasi(['run', 'pipelines/spec.yaml'], dir)).code).toBe(2)
  const finished = run().stages.filter((s) => s.status === 'ran' || s.status === 'cached').map((s) => s.stage).sort()
  expect(folders()).toEqual(finished)
  expect(finished).not.toContain('filled')
})
