/**
 * The regression kernel against R on the synthetic demo panel (pipelines/data/cluster_gie_panel.csv):
 * a two-way FE DID with missing controls, clusters by city, city × year and province.
 * Fixture: test/fixtures/ols/demo.json from test/fixtures/ols/make.R.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import type { Frame } from '../../../../src/artifacts/frame.ts'
import demo from '../../../fixtures/ols/demo.json' with { type: 'json' }
import { readCsvFrame, root } from '../helpers.ts'
import { fixtureSuite, type FixtureFile } from './fixture-suite.ts'

const fixture = demo as unknown as FixtureFile
const file = fixture.header.data!

test('the fixture was made from the demo panel as it is now', () => {
  const md5 = createHash('md5').update(readFileSync(root + file)).digest('hex')
  expect(md5, `${file} changed since demo.json was written: re-run Rscript test/fixtures/ols/make.R`).toBe(fixture.header.md5)
})

function demoFrame(): Frame {
  const f = readCsvFrame(file)
  const year = f.numbers('year'), pilot = f.numbers('pilot_year')
  const inv = f.numbers('green_inv'), uti = f.numbers('green_uti')
  return f
    .withColumn('lnpat', { type: 'number', data: inv.map((v, i) => Math.log(1 + v + uti[i])) })
    .withColumn('did', { type: 'number', data: year.map((y, i) => (Number.isFinite(pilot[i]) && y >= pilot[i] ? 1 : 0)) })
}

const frame = demoFrame()
fixtureSuite('demo panel', fixture.models, () => frame)
