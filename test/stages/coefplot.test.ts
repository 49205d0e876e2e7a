/**
 * The coefplot stage on did models of the demo panel (one per region, as a matrix would make
 * them): intervals against estimate ± t·se computed here from the t CDF, against the
 * regression kernel's own 95 % intervals, coefplot.csv, facts, the SVG's text, and errors.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf'
import { describe, expect, test } from 'vitest'
import type { ModelSet } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import coefplot from '../../stages/coefplot/stage.ts'
import type { CoefplotParams } from '../../stages/coefplot/params.ts'
import did from '../../stages/did/stage.ts'
import type { DidParams } from '../../stages/did/params.ts'
import { csvRecords } from '../helpers/csv.ts'
import { makeTestContext } from '../helpers/context.ts'
import { expectClose, readCsvFrame } from '../unit/stats/helpers.ts'

const panelFrame = readCsvFrame('pipelines/data/cluster_gie_panel.csv')
const panel = { unit: 'city', time: 'year' }
const spec: DidParams = { from: 'vars', outcome: 'digital', treatment: { adoption: 'pilot_year' }, controls: ['fin', 'urban'], cluster: 'city', small_sample: 'nested' }
const REGIONS = ['east', 'central', 'west'] as const

const sets: Record<string, ModelSet> = {}
for (const r of REGIONS) {
  const ctx = makeTestContext<DidParams>({ params: { ...spec, sample: `region == "${r}"` }, inputs: { vars: panelFrame }, panel, stage: `het[${r}]`, kind: 'did' })
  sets[`het[${r}]`] = (await did.run(ctx)).model!
}
const stages = REGIONS.map((r) => `het[${r}]`)
const inputs = Object.fromEntries(Object.entries(sets).map(([k, m]) => [k, { model: m, kind: 'did' }]))
inputs.baseline = inputs['het[east]'] // a stage outside the matrix (here with the same model)
const model = (s: string) => sets[s].models[sets[s].main]
const didOf = (s: string) => model(s).terms.find((t) => t.term === 'did')!

async function plot(params: Partial<CoefplotParams>) {
  const ctx = makeTestContext<CoefplotParams>({ params: { columns: stages, level: 0.95, ...params }, inputs, panel, stage: 'het_plot', kind: 'coefplot' })
  const r = await coefplot.run(ctx)
  return { svg: r.files!['coefplot.svg'] as string, csv: csvRecords(r.files!['coefplot.csv'] as string), facts: r.facts! }
}

async function plotError(params: Partial<CoefplotParams>): Promise<QuasiError> {
  try { await plot(params) } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

describe('intervals', () => {
  test.each([0.95, 0.9, 0.99])('level %s: estimate ± t(1 − α/2, dfT)·se, checked through the t CDF at the interval\'s ends', async (level) => {
    const { csv } = await plot({ level })
    expect(csv.map((r) => r.label)).toEqual(['east', 'central', 'west'])
    for (const [j, s] of stages.entries()) {
      const t = didOf(s), df = model(s).dfT
      expect(df).toBe(model(s).nClusters[0] - 1) // clustered: G − 1
      const r = csv[j]
      expect(Number(r.estimate)).toBe(t.estimate)
      expect(Number(r['std.error'])).toBe(t.stdError)
      expect(Number(r['p.value'])).toBe(t.pValue)
      // (high − estimate)/se is the t quantile: the CDF there is 1 − α/2, and the interval is symmetric.
      const hi = (Number(r['conf.high']) - t.estimate) / t.stdError
      const lo = (t.estimate - Number(r['conf.low'])) / t.stdError
      expectClose(tCdf(hi, df), 1 - (1 - level) / 2, { rel: 1e-12 }, `${s} upper tail`)
      expectClose(lo, hi, { rel: 1e-12 }, `${s} symmetry`)
    }
  })

  test('at 0.95 they are the intervals the regression kernel reported for the models', async () => {
    const { csv } = await plot({})
    for (const [j, s] of stages.entries()) {
      expectClose(Number(csv[j]['conf.low']), didOf(s).confLow, { rel: 1e-12 }, `${s} conf.low`)
      expectClose(Number(csv[j]['conf.high']), didOf(s).confHigh, { rel: 1e-12 }, `${s} conf.high`)
    }
  })

  test('facts: coef(term, j), se, p, conf_low, conf_high and columns, as the table names them', async () => {
    const { facts, csv } = await plot({ level: 0.9 })
    expect(facts.columns).toBe(3)
    expect(facts['coef(did,2)']).toBe(didOf('het[central]').estimate)
    expect(facts['se(did,3)']).toBe(didOf('het[west]').stdError)
    expect(facts['p(did,1)']).toBe(didOf('het[east]').pValue)
    expect(facts['conf_low(did,3)']).toBe(Number(csv[2]['conf.low']))
    expect(facts['conf_high(did,1)']).toBe(Number(csv[0]['conf.high']))
  })
})

describe('the figure', () => {
  test('the SVG holds the title, the axis title and one label per model', async () => {
    const { svg } = await plot({ title: 'Figure 3. Heterogeneity: the pilot effect by region', labels: { did: 'Pilot × Post' } })
    expect(svg.startsWith('<svg')).toBe(true)
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])
    expect(texts).toContain('Figure 3. Heterogeneity: the pilot effect by region')
    expect(texts).toContain('Coefficient on Pilot × Post (95 % CI)')
    for (const r of REGIONS) expect(texts).toContain(r)
  })

  test('column_labels name the rows; stage names when the models are not all instances of one matrix', async () => {
    const own = await plot({ column_labels: ['East', 'Central', 'West'], x_title: 'Effect' })
    expect(own.csv.map((r) => r.label)).toEqual(['East', 'Central', 'West'])
    expect(own.svg).toContain('>Effect</text>')
    expect((await plot({ columns: ['het[west]', 'het[east]'] })).csv.map((r) => r.label)).toEqual(['west', 'east'])
    expect((await plot({ columns: ['baseline', 'het[west]'] })).csv.map((r) => r.label)).toEqual(['baseline', 'het[west]'])
    const e = await plotError({ column_labels: ['East'] })
    expect(e.param).toEqual(['column_labels'])
  })
})

describe('errors', () => {
  test('a term the models do not have, with a suggestion', async () => {
    const e = await plotError({ term: 'dd' })
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['term'])
    expect(e.message).toBe('stage `het[east]` has no term `dd`; did you mean `did`?')
  })
  test('the focus term is the default; another term can be named', async () => {
    const { facts } = await plot({ term: 'fin' })
    expect(facts['coef(fin,1)']).toBe(model('het[east]').terms.find((t) => t.term === 'fin')!.estimate)
  })
})
