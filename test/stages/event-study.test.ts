/**
 * event-study against R (lm with relative-time and city/year dummies, sandwich CR1 with the
 * nested K, Wald F of the pre-period coefficients): test/fixtures/event-study/make.R.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { readCsv } from '../../src/artifacts/csv.ts'
import { numberColumn } from '../../src/artifacts/frame.ts'
import eventStudy from '../../stages/event-study/stage.ts'
import type { EventStudyParams } from '../../stages/event-study/params.ts'
import { relativeTimeDummies } from '../../stages/_estimation/relative-time.ts'
import { makeTestContext } from '../helpers/context.ts'
import { Frame } from '../../src/artifacts/frame.ts'

const ref = JSON.parse(readFileSync(new URL('../fixtures/event-study/reference.json', import.meta.url), 'utf8'))
const REL = { coef: 1e-8, se: 1e-6 } // the tolerances: coefficients 1e-8, standard errors 1e-6 (relative)

function demo(): Frame {
  const raw = readCsv(readFileSync(new URL('../../pipelines/data/cluster_gie_panel.csv', import.meta.url), 'utf8'), { file: 'panel.csv' }).frame
  const inv = raw.numbers('green_inv'), uti = raw.numbers('green_uti'), gdp = raw.numbers('gdp'), area = raw.numbers('area')
  return raw
    .withColumn('ln_pat', numberColumn(inv.map((v, i) => Math.log(1 + v + uti[i]))))
    .withColumn('eco', numberColumn(gdp.map((v, i) => Math.log(v / area[i]))))
}

const params = (over: Partial<EventStudyParams> = {}): EventStudyParams => ({
  from: 'vars', outcome: 'ln_pat', treatment: { adoption: 'pilot_year' }, controls: ['eco', 'fin', 'urban', 'gov', 'industry'],
  cluster: 'city', window: [-5, 5], reference: -1, controls_group: 'never', level: 0.95, digits: 3, ...over,
})

function close(got: number, want: number, rel: number, label: string) {
  const d = Math.abs(got - want) / Math.max(Math.abs(want), 1e-300)
  expect(d, `${label}: got ${got}, expected ${want}, Δ ${d.toExponential(2)}, tol ${rel}`).toBeLessThanOrEqual(rel)
}

describe('event-study', () => {
  const frame = demo()
  for (const [group, key] of [['never', 'never'], ['not-yet', 'not_yet']] as const) {
    test(`coefficients, clustered SEs and the pre-trend F agree with R (controls_group: ${group})`, async () => {
      const ctx = makeTestContext<EventStudyParams>({ params: params({ controls_group: group }), inputs: { vars: frame }, panel: { unit: 'city', time: 'year' } })
      const r = await eventStudy.run(ctx)
      const want = ref[key]
      expect(r.facts!.nobs).toBe(want.nobs)
      expect(r.facts!.n_clusters).toBe(want.clusters)
      want.terms.forEach((t: string, i: number) => {
        close(r.facts![`coef(${t})`], want.estimate[i], REL.coef, `${group} coef(${t})`)
        close(r.facts![`se(${t})`], want.std_error[i], REL.se, `${group} se(${t})`)
      })
      close(r.facts!.pretrend_F, want.pretrend.F, REL.se, 'pre-trend F')
      close(r.facts!.pretrend_p, want.pretrend.p, REL.se, 'pre-trend p')
      expect(r.facts!.pretrend_df).toBe(want.pretrend.df1)
      const svg = r.files!['event_study.svg'] as string
      expect(svg).toMatch(/^<svg/)
      // the x axis is the relative period as a number, binned end points marked; the terms keep their names
      const ticks = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])
      expect(ticks.slice(0, 11)).toEqual(['≤−5', '−4', '−3', '−2', '−1', '0', '1', '2', '3', '4', '≥5'])
      expect(svg).not.toContain('>pre5<')
      expect(r.facts!['coef(pre5)']).toBeDefined()
      expect(r.files!['table.md']).toContain('Pre-trend F(4, ')
    })
  }

  test('the figure carries the title, wrapped to the plot width in even lines', async () => {
    const title = 'Figure 1. Event study: green innovation efficiency around adoption'
    const r = await eventStudy.run(makeTestContext<EventStudyParams>({ params: params({ title }), inputs: { vars: frame }, panel: { unit: 'city', time: 'year' } }))
    const svg = r.files!['event_study.svg'] as string
    expect(svg).toContain('<tspan>Figure 1. Event study: green</tspan><tspan x="0" dy="15">innovation efficiency around adoption</tspan>')
    expect(Number(/width="(\d+)"/.exec(svg)![1])).toBeLessThan(560) // a long title does not widen the picture
    const plain = await eventStudy.run(makeTestContext<EventStudyParams>({ params: params(), inputs: { vars: frame }, panel: { unit: 'city', time: 'year' } }))
    expect(plain.files!['event_study.svg']).toMatch(/>Event study<\/text>/)
  })

  test('the same run twice gives byte-identical files', async () => {
    const run = () => eventStudy.run(makeTestContext<EventStudyParams>({ params: params(), inputs: { vars: frame }, panel: { unit: 'city', time: 'year' } }))
    const [a, b] = [await run(), await run()]
    expect(a.files).toEqual(b.files)
  })

  test('binned end points and the reference period', () => {
    const f = Frame.from({ year: [2010, 2011, 2012, 2013, 2014, 2010], pilot: [2013, 2013, 2013, 2013, 2013, NaN] })
    const rt = relativeTimeDummies(f, 'year', 'pilot', [-2, 1], -1)
    expect(rt.periods.map((p) => p.label)).toEqual(['pre2', 'pre1', 'current', 'post1'])
    expect(rt.frame.has('pre1')).toBe(false)
    expect(Array.from(rt.frame.numbers('pre2'))).toEqual([1, 1, 0, 0, 0, 0]) // 2010 (e = -3) is binned into pre2
    expect(Array.from(rt.frame.numbers('post1'))).toEqual([0, 0, 0, 0, 1, 0])
  })

  test('clear errors: a 0/1 treatment, a window without the reference, no adoption column', async () => {
    const panel = { unit: 'city', time: 'year' }
    const withDid = frame.withColumn('d01', numberColumn(new Float64Array(frame.nrows)))
    await expect(eventStudy.run(makeTestContext({ params: params({ treatment: 'd01' }), inputs: { vars: withDid }, panel }))).rejects.toMatchObject({ code: 'INVALID_SPEC', param: ['treatment'] })
    await expect(eventStudy.run(makeTestContext({ params: params({ reference: -7 }), inputs: { vars: frame }, panel }))).rejects.toMatchObject({ code: 'INVALID_VALUE', param: ['reference'] })
    await expect(eventStudy.run(makeTestContext({ params: params({ treatment: { adoption: 'pilot_yr' } }), inputs: { vars: frame }, panel }))).rejects.toMatchObject({
      code: 'MISSING_COLUMN', message: expect.stringContaining('did you mean `pilot_year`?'),
    })
  })
})
