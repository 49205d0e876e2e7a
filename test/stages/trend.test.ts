/**
 * trend against R (test/fixtures/describe/make.R: mean, sd and type-7 quartiles of `digital`
 * per year, overall and per region), then the figure (title, legend, one tick per year), the
 * CSV, facts and errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { QuasiError } from '../../src/errors.ts'
import { factDeclared } from '../../src/pipeline/facts.ts'
import trend from '../../stages/trend/stage.ts'
import type { TrendParams } from '../../stages/trend/params.ts'
import { csvRecords } from '../helpers/csv.ts'
import { makeTestContext } from '../helpers/context.ts'
import { readCsvFrame } from '../unit/stats/helpers.ts'

const ref = JSON.parse(readFileSync(new URL('../fixtures/describe/reference.json', import.meta.url), 'utf8'))
const frame = readCsvFrame('pipelines/data/cluster_gie_panel.csv')
const panel = { unit: 'city', time: 'year' }
/** Sums in double against R's long double: 1e-12 relative. */
const REL = 1e-12

async function run(params: Partial<TrendParams>, opts: { panel?: typeof panel | null } = {}) {
  const ctx = makeTestContext<TrendParams>({
    params: { from: 'gie', column: 'digital', statistic: 'mean', overall: true, overall_label: 'All', quantile: 'r7', ...params } as TrendParams,
    inputs: { gie: frame }, ...(opts.panel === null ? {} : { panel: opts.panel ?? panel }), stage: 'gie_trend', kind: 'trend',
  })
  const r = await trend.run(ctx)
  return { files: r.files as Record<string, string>, facts: r.facts!, logs: ctx.logs }
}

function close(got: number, want: number, label: string) {
  const d = Math.abs(got - want) / Math.abs(want)
  expect(d, `${label}: got ${got}, expected ${want}, Δ ${d.toExponential(2)}, tol ${REL}`).toBeLessThanOrEqual(REL)
}

describe('against R', () => {
  test('mean ± SD per year, overall and per region', async () => {
    const { facts, files } = await run({ by: 'region', by_levels: ['east', 'central', 'west'] })
    const csv = csvRecords(files['trend.csv'])
    for (const r of ref.trend) {
      const arg = r.series === 'All' ? `${r.year}` : `${r.year},${r.series}`
      expect(facts[`n(${arg})`], `n(${arg})`).toBe(r.n)
      close(facts[`value(${arg})`], r.mean, `value(${arg})`)
      close(facts[`low(${arg})`], r.mean - r.sd, `low(${arg})`)
      close(facts[`high(${arg})`], r.mean + r.sd, `high(${arg})`)
      const row = csv.find((x) => x.series === r.series && Number(x.time) === r.year)!
      expect(Number(row.value)).toBe(facts[`value(${arg})`])
    }
    expect(facts.periods).toBe(15)
    expect(facts.series).toBe(4)
    const all = ref.trend.filter((r: { series: string }) => r.series === 'All')
    close(facts.change, all[all.length - 1].mean - all[0].mean, 'change')
  })

  test('median with the interquartile band', async () => {
    const { facts } = await run({ statistic: 'median', by: 'region' })
    for (const r of ref.trend) {
      const arg = r.series === 'All' ? `${r.year}` : `${r.year},${r.series}`
      close(facts[`value(${arg})`], r.median, `median ${arg}`)
      close(facts[`low(${arg})`], r.p25, `p25 ${arg}`)
      close(facts[`high(${arg})`], r.p75, `p75 ${arg}`)
    }
  })
})

describe('the figure and the files', () => {
  test('a titled SVG with one tick per year, the lines in the order given, a legend; trend.csv', async () => {
    const { files, facts } = await run({
      by: 'region', by_levels: ['east', 'central', 'west'], overall_label: 'All cities',
      labels: { digital: 'Digital economy', east: 'East', central: 'Central', west: 'West', year: 'Year' },
    })
    const svg = files['trend.svg']
    expect(svg).toMatch(/^<svg/)
    expect(svg).toContain('Mean Digital economy by Year and region')
    expect(svg).toContain('Shaded: mean ± 1 SD.')
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])
    for (let y = 2007; y <= 2021; y++) expect(texts).toContain(String(y))
    const legend = texts.slice(texts.indexOf('All cities'))
    expect(legend.slice(0, 4)).toEqual(['All cities', 'East', 'Central', 'West'])
    expect(svg).toContain('aria-label="Symbol legend for fill color, stroke color and strokeDash with 4 values: All cities, East, Central, West"')
    expect(csvRecords(files['trend.csv'])[0]).toEqual({ series: 'All cities', time: '2007', n: '268', value: String(facts['value(2007)']), low: String(facts['low(2007)']), high: String(facts['high(2007)']) })
    expect(facts['value(2007,East)']).toBeDefined()
    for (const f of Object.keys(facts)) expect(factDeclared(f, trend.facts!), f).toBe(true)
  })

  test('one line: no legend; `band: none` draws no band; the same run twice gives the same bytes', async () => {
    const one = await run({ band: 'none', title: 'Figure 3. Digital economy' })
    expect(one.files['trend.svg']).not.toContain('role-legend')
    expect(one.files['trend.svg']).not.toContain('Shaded')
    expect(one.files['trend.svg']).toContain('Figure 3. Digital economy')
    expect(csvRecords(one.files['trend.csv'])[0].low).toBe('')
    expect(one.facts['low(2007)']).toBeUndefined()
    const again = await run({ band: 'none', title: 'Figure 3. Digital economy' })
    expect(again.files).toEqual(one.files)
  })

  test('period and sample restrict the rows and are named in the subtitle', async () => {
    const { files, facts } = await run({ period: [2010, 2015], sample: 'region != "west"' })
    expect(facts.periods).toBe(6)
    expect(files['trend.svg']).toContain('Sample: year 2010–2015; rows where region != "west".'.replace(/"/g, '&quot;'))
  })
})

describe('errors', () => {
  const err = async (params: Partial<TrendParams>, opts = {}) => {
    try { await run(params, opts) } catch (e) { if (e instanceof QuasiError) return e; throw e }
    throw new Error('expected a QuasiError')
  }
  test('a text column, an unknown column, no time column, nothing to draw', async () => {
    expect(await err({ column: 'region' })).toMatchObject({ code: 'BAD_DATA', param: ['column'], message: '`region` is a text column of stage `gie`; only numeric columns can be described' })
    expect(await err({ column: 'digtal' })).toMatchObject({ code: 'MISSING_COLUMN', param: ['column'], message: 'unknown column `digtal`; did you mean `digital`?' })
    expect(await err({}, { panel: null })).toMatchObject({ code: 'MISSING_PARAM', param: [] })
    expect(await err({ time: 'yaer' }, { panel: null })).toMatchObject({ code: 'MISSING_COLUMN', param: ['time'] })
    const p = { from: 'gie', column: 'x', statistic: 'mean', overall: false, overall_label: 'All', quantile: 'r7' } as TrendParams
    expect(trend.check!(p)).toMatchObject([{ code: 'INVALID_VALUE', param: ['overall'] }])
  })
})
