/**
 * Issue 10: the placebo stage through the CLI, as a user meets it: a run that writes its
 * files, an assignments file that replays draws exactly, and the bad inputs the issue names,
 * each a coded error at its position in the pipeline file.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { STACK_LINE, quasiIn, smallProject } from '../helpers/cli.ts'

/** 12 cities × 6 years, 4 pilots in 2013, a real effect of 1 on y. */
function panel(): string {
  const rows = ['city,year,pilot_year,x,y']
  for (let c = 1; c <= 12; c++) {
    for (let t = 2010; t <= 2015; t++) {
      const adopt = c <= 4 ? 2013 : ''
      const x = ((c * 31 + t * 17) % 13) / 4
      const y = ((c * 7919 + t * 104729) % 97) / 40 + 0.3 * x + (adopt && t >= 2013 ? 1 : 0)
      rows.push(`${c},${t},${adopt},${x},${y.toFixed(6)}`)
    }
  }
  return rows.join('\n') + '\n'
}

const head = `quasi: 1
name: p
panel: { unit: city, time: year }
seed: 7
stages:
  panel: { uses: ingest, with: { file: data/panel.csv } }
  base: { uses: did, with: { from: panel, outcome: y, treatment: { adoption: pilot_year }, controls: [x], fixed_effects: [city, year], cluster: city } }
`

test('a placebo run writes its draws, summary and both figures; the real effect lies outside the placebo distribution', async () => {
  const dir = smallProject({
    'pipelines/data/panel.csv': panel(),
    'pipelines/p.yaml': `${head}  placebo:\n    uses: placebo\n    with: { model: base, draws: 200, scheme: units }\n    expect: [ "p_placebo < 0.05", "mean < 0.5", "mean > -0.5" ]\n`,
  })
  const r = await quasiIn(['run', 'pipelines/p.yaml'], dir)
  expect(r.err).toBe('')
  expect(r.code).toBe(0)
  expect(r.out).toContain('expect p_placebo < 0.05: holds')
  const out = join(dir, 'outputs', 'p', 'placebo')
  const draws = readFileSync(join(out, 'draws.csv'), 'utf8').trim().split('\n')
  expect(draws[0]).toBe('draw,estimate,se,t,p')
  expect(draws).toHaveLength(201)
  expect(readFileSync(join(out, 'summary.csv'), 'utf8')).toMatch(/^statistic,value\ndraws,200\n/)
  for (const f of ['density.svg', 'scatter.svg']) expect(readFileSync(join(out, f), 'utf8')).toMatch(/^<svg/)
})

test('an assignments file replays its draws: the same donors give the same estimates as a run that drew them', async () => {
  // Draw 1 swaps the pilots 1–4 with cities 5–8; draw 2 is the identity (the actual estimate).
  const lines = ['draw,unit,donor']
  for (let c = 1; c <= 12; c++) lines.push(`1,${c},${c <= 4 ? c + 4 : c <= 8 ? c - 4 : c}`)
  for (let c = 1; c <= 12; c++) lines.push(`2,${c},${c}`)
  const dir = smallProject({
    'pipelines/data/panel.csv': panel(),
    'pipelines/data/assign.csv': lines.join('\n') + '\n',
    'pipelines/p.yaml': `${head}  placebo:\n    uses: placebo\n    with: { model: base, assignments: data/assign.csv }\n`,
  })
  const r = await quasiIn(['run', 'pipelines/p.yaml'], dir)
  expect(r.code).toBe(0)
  const rows = readFileSync(join(dir, 'outputs', 'p', 'placebo', 'draws.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))
  expect(rows.map((x) => x[0])).toEqual(['1', '2'])
  const base = readFileSync(join(dir, 'outputs', 'p', 'base', 'tidy.csv'), 'utf8')
  const actual = base.split('\n').find((l) => l.startsWith('(1),did,'))!.split(',')[2]
  expect(Number(rows[1][1])).toBeCloseTo(Number(actual), 10) // the identity draw is the actual estimate
  expect(Math.abs(Number(rows[0][1]))).toBeLessThan(Math.abs(Number(actual)))
})

test.each([
  ['draws: 0', `  placebo: { uses: placebo, with: { model: base, draws: 0 } }\n`, '8:57', /error (INVALID_VALUE|OUT_OF_RANGE)/],
  ['a model that is not a DID', `  reg: { uses: regress, with: { from: panel, outcome: y, regressors: [x] } }\n  placebo: { uses: placebo, with: { model: reg } }\n`, '9:44', /error INVALID_VALUE/],
  ['an assignments file without a donor column', `  placebo: { uses: placebo, with: { model: base, assignments: data/bad.csv } }\n`, '8:63', /error MISSING_COLUMN/],
])('%s is a coded error at its position, with no stack trace', async (_name, stage, at, code) => {
  const dir = smallProject({
    'pipelines/data/panel.csv': panel(),
    'pipelines/data/bad.csv': 'draw,unit\n1,1\n',
    'pipelines/p.yaml': head + stage,
  })
  const r = await quasiIn(['run', 'pipelines/p.yaml'], dir)
  expect(r.code).toBe(2)
  expect(r.err).toContain(`pipelines/p.yaml:${at}`)
  expect(r.err).toMatch(code)
  expect(r.err).not.toMatch(STACK_LINE)
})
