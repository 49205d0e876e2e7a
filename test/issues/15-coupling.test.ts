/**
 * Issue 15, part 2: the coupling stage through the CLI with the issue's own example (two
 * entropy-weighted subsystems, one with directions, and a given index column), `save: true`,
 * expectations on its facts, and a did stage that takes D as its outcome.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { STACK_LINE, quasiIn, smallProject } from '../helpers/cli.ts'

/** 10 cities × 5 years; cities 1–4 become pilots in 2018. */
function panel(): string {
  const rows = ['city,year,region,pilot,gdp_pc,fin,green_area,so2,innov_index']
  for (let c = 1; c <= 10; c++) {
    for (let t = 2015; t <= 2019; t++) {
      const k = (c * 37 + t * 11) % 17
      const treated = c <= 4 && t >= 2018 ? 1 : 0
      rows.push([c, t, c % 2 ? 'east' : 'west', treated, 2 + c * 0.3 + (t - 2015) * 0.2, 1 + k / 10, 0.2 + ((c * 7) % 5) / 10 + treated * 0.1, 9 - c * 0.4 + k / 20, ((c * 13 + t) % 10) / 10].join(','))
    }
  }
  return rows.join('\n') + '\n'
}

const pipeline = `quasi: 1
name: ccd
panel: { unit: city, time: year }
stages:
  vars: { uses: ingest, with: { file: data/panel.csv } }
  ccd:
    uses: coupling
    with:
      from: vars
      subsystems:
        economy: [gdp_pc, fin]
        environment: { positive: [green_area], negative: [so2] }
        innovation: innov_index
      by: region
      save: true
    expect: [ "rows == 50", "subsystems == 3", "mean(D) > 0", "mean(D) < 1", "weight(environment, so2) > 0" ]
  effect:
    uses: did
    with: { from: ccd, outcome: D, treatment: pilot, fixed_effects: [city, year], cluster: city }
`

test("the issue's example runs, saves the frame with the new columns, and a did stage uses D as its outcome", async () => {
  const dir = smallProject({ 'pipelines/data/panel.csv': panel(), 'pipelines/p.yaml': pipeline })
  const r = await quasiIn(['run', 'pipelines/p.yaml'], dir)
  expect(r.err).toBe('')
  expect(r.code).toBe(0)
  expect(r.out).toContain('expect weight(environment, so2) > 0: holds')
  const out = join(dir, 'outputs', 'ccd')
  const data = readFileSync(join(out, 'ccd', 'data.csv'), 'utf8').split('\n')
  expect(data[0]).toBe('city,year,region,pilot,gdp_pc,fin,green_area,so2,innov_index,u_economy,u_environment,u_innovation,C,T,D,D_class,D_level,lagging')
  expect(data).toHaveLength(52)
  const weights = readFileSync(join(out, 'ccd', 'weights.csv'), 'utf8').trim().split('\n')
  expect(weights.map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
    'subsystem,indicator,direction,period',
    'economy,gdp_pc,positive,all', 'economy,fin,positive,all',
    'environment,green_area,positive,all', 'environment,so2,negative,all',
  ])
  for (const f of ['means.md', 'means.tex', 'means.html', 'means.csv']) expect(readFileSync(join(out, 'ccd', f), 'utf8')).toContain('economy')
  expect(readFileSync(join(out, 'ccd', 'ccd.svg'), 'utf8')).toMatch(/^<svg/)
  const tidy = readFileSync(join(out, 'effect', 'tidy.csv'), 'utf8').split('\n')
  expect(tidy[1]).toMatch(/^\(1\),pilot,-?\d/)
})

test('validate names an unknown indicator at its place before anything runs', async () => {
  const dir = smallProject({ 'pipelines/data/panel.csv': panel(), 'pipelines/p.yaml': pipeline.replace('[gdp_pc, fin]', '[gdp_pc, fni]') })
  const r = await quasiIn(['validate', 'pipelines/p.yaml'], dir)
  expect(r.code).toBe(2)
  expect(r.err).toContain('pipelines/p.yaml:11:27  error MISSING_COLUMN  stage `ccd` (coupling)')
  expect(r.err).toContain('unknown column `fni`; did you mean `fin`?')
  expect(r.err).not.toMatch(STACK_LINE)
})
