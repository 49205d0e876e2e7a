/**
 * The regression kernel against R on the Produc panel (Munnell 1990; pipelines/data/produc.csv).
 * Fixture: test/fixtures/ols/produc.json, written by test/fixtures/ols/make.R (lm with
 * explicit dummies, sandwich, lmtest, plm; versions in its header).
 */
import { test } from 'vitest'
import type { Frame } from '../../../../src/artifacts/frame.ts'
import { regress, term } from '../../../../src/stats/ols/regress.ts'
import produc from '../../../fixtures/ols/produc.json' with { type: 'json' }
import { expectClose, readCsvFrame } from '../helpers.ts'
import { SE_REL, STAT_REL, fixtureSuite, specOf, type FixtureFile, type Model } from './fixture-suite.ts'

const fixture = produc as unknown as FixtureFile

function producFrame(): Frame {
  let f = readCsvFrame('pipelines/data/produc.csv')
  const col = (name: string, fn: (i: number) => number) =>
    (f = f.withColumn(name, { type: 'number', data: Float64Array.from({ length: f.nrows }, (_, i) => fn(i)) }))
  const gsp = f.numbers('gsp'), pcap = f.numbers('pcap'), pc = f.numbers('pc'), emp = f.numbers('emp')
  const unemp = f.numbers('unemp'), region = f.numbers('region'), year = f.numbers('year')
  col('lgsp', (i) => Math.log(gsp[i]))
  col('lpcap', (i) => Math.log(pcap[i]))
  col('lpc', (i) => Math.log(pc[i]))
  col('lemp', (i) => Math.log(emp[i]))
  col('unemp_shift', (i) => 2 * unemp[i] + 1)
  col('regyear', (i) => region[i] * 10000 + year[i])
  return f
}

const frame = producFrame()

function sample(m: Model): Frame {
  const excl = new Set(m.spec.exclude_rows as number[])
  if (excl.size === 0) return frame
  return frame.filter(Array.from({ length: frame.nrows }, (_, i) => !excl.has(i)))
}

fixtureSuite('Produc', fixture.models, sample)

test('plm agrees on the within coefficients; its arellano HC0 is our cluster `none`', () => {
  const m = fixture.models.find((x) => x.id === 'twoway')!
  const res = regress(frame, { ...specOf(m, m.vcov[0], 'auto'), cluster: ['state'], vcov: 'cluster', smallSample: 'none' })
  for (const [name, se] of Object.entries(m.plm!.se_vcovHC_arellano_HC0)) {
    expectClose(term(res, name)!.stdError, se, { rel: SE_REL }, `plm arellano HC0 ${name}`)
  }
  expectClose(res.withinR2, m.plm!.r_squared, { rel: STAT_REL }, 'plm within R²')
})
