/**
 * The imputation stage on the shared staggered panel (test/fixtures/staggered) against the
 * BJS formulas written in R (test/fixtures/imputation/make.R): estimates overall and by event
 * time within 1e-8, conservative clustered standard errors within 1e-6; the TWFE identity with
 * one cohort; recovery of the true ATT; outputs, and the errors of the list.
 */
import { describe, expect, test } from 'vitest'
import { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageResult } from '../../src/stage.ts'
import did from '../../stages/did/stage.ts'
import imputation from '../../stages/imputation/stage.ts'
import table from '../../stages/table/stage.ts'
import type { TableParams } from '../../stages/_estimation/table-params.ts'
import type { ImputationParams } from '../../stages/imputation/params.ts'
import fixture from '../fixtures/imputation/imputation.json' with { type: 'json' }
import { makeTestContext } from '../helpers/context.ts'
import { readCsvFrame } from '../unit/stats/helpers.ts'

const panel = { unit: 'unit', time: 'year' }
const data = readCsvFrame('test/fixtures/staggered/panel.csv')
const EST_TOL = 1e-8
const SE_TOL = 1e-6

type Up = { kind: string; frame?: Frame; model?: StageResult['model'] }

async function model(frame: Frame, params: Record<string, unknown> = {}): Promise<Up> {
  const ctx = makeTestContext({
    params: { from: 'data', outcome: 'y', treatment: { adoption: 'adopt' }, cluster: 'unit', small_sample: 'cr0', stepwise: false, digits: 3, ...params },
    inputs: { data: frame }, panel, stage: 'baseline', kind: 'did',
  })
  const r = await did.run(ctx as never)
  return { frame: r.frame, model: r.model, kind: 'did' }
}

async function run(up: Up, params: Partial<ImputationParams> = {}) {
  const ctx = makeTestContext<ImputationParams>({
    params: { model: 'baseline', pretrends: 0, anticipation: 0, level: 0.95, ...params }, inputs: { baseline: up }, panel, stage: 'imp', kind: 'imputation',
  })
  const result = await imputation.run(ctx)
  return { result, ctx }
}

async function quasiError(p: Promise<unknown>): Promise<QuasiError> {
  try { await p } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

interface RefCase { overall: { estimate: number; se: number; n: number }; horizons: { h: number; estimate: number; se: number; n: number }[] }

function compare(result: StageResult, ref: RefCase) {
  const f = result.facts!
  let est = Math.abs(f.att - ref.overall.estimate), se = Math.abs(f.se - ref.overall.se)
  expect(f.n_treated).toBe(ref.overall.n)
  for (const h of ref.horizons) {
    est = Math.max(est, Math.abs(f[`att(${h.h})`] - h.estimate))
    se = Math.max(se, Math.abs(f[`se(${h.h})`] - h.se))
  }
  expect(est).toBeLessThan(EST_TOL)
  expect(se).toBeLessThan(SE_TOL)
  return { est, se }
}

describe('against the BJS formulas in R', () => {
  test('no controls: overall and every event time', async () => {
    const { result } = await run(await model(data))
    compare(result, fixture.staggered as RefCase)
    const ks = (result.data as { event_study: { periods: { k: number }[] } }).event_study.periods.map((x) => x.k)
    expect(ks).toEqual(fixture.staggered.horizons.map((h) => h.h))
  })

  test('with the x1 trend as a control (x1:year), and the estimates recover the true ATT', async () => {
    const { result } = await run(await model(data, { controls: ['x1:year'] }))
    compare(result, fixture.controls as RefCase)
    const f = result.facts!
    expect(Math.abs(f.att - fixture.truth.overall)).toBeLessThan(3 * f.se)
    for (const t of fixture.truth.horizons) expect(Math.abs(f[`att(${t.h})`] - t.att)).toBeLessThan(3 * f[`se(${t.h})`])
  })

  test('anticipation 1: h = −1 is imputed, overall over h ≥ 0; pre-trend coefficients and F (CR0) against R', async () => {
    const { result } = await run(await model(data), { anticipation: 1, pretrends: 2 })
    compare(result, fixture.anticipation as RefCase)
    const f = result.facts!
    const pre = fixture.anticipation.pretrends!
    for (const t of pre.terms) expect(Math.abs(f[`pre(${t.h})`] - t.estimate)).toBeLessThan(EST_TOL)
    expect(Math.abs(f.pretrend_F - pre.F)).toBeLessThan(1e-6 * Math.max(1, pre.F))
    const rows = (result.files!['effects.csv'] as string).trim().split('\n')
    expect(rows[0]).toBe('h,estimate,se,low,high,n_treated,from')
    const preRow = rows.find((r) => r.startsWith('-3,'))!.split(',')
    expect(Math.abs(Number(preRow[2]) - pre.terms[1].se)).toBeLessThan(SE_TOL)
    expect(preRow[6]).toBe('pretrend')
  })

  test('pretrends on the full panel: coefficients and standard errors', async () => {
    const { result } = await run(await model(data), { pretrends: 3 })
    const pre = fixture.staggered.pretrends!
    const periods = (result.data as { event_study: { periods: { k: number; estimate: number; std_error: number }[] } }).event_study.periods
    for (const t of pre.terms) {
      const p = periods.find((x) => x.k === t.h)!
      expect(Math.abs(p.estimate - t.estimate)).toBeLessThan(EST_TOL)
      expect(Math.abs(p.std_error - t.se)).toBeLessThan(SE_TOL)
    }
    expect(Math.abs(result.facts!.pretrend_F - pre.F)).toBeLessThan(1e-6 * Math.max(1, pre.F))
  })

  test('unbalanced panel with a third fixed effect (region × year) and the x1 trend control', async () => {
    const drop = new Set(fixture.unbalanced.dropped_rows.map((r) => r - 1))
    const unit = data.column('unit')!.data as (string | null)[]
    const region = Float64Array.from(unit, (u) => Number(u!.slice(1)) % 5)
    const unb = data.withColumn('region', { type: 'number', data: region }).filter(Uint8Array.from(unit, (_, i) => (drop.has(i) ? 0 : 1)))
    const { result } = await run(await model(unb, { controls: ['x1:year'], fixed_effects: ['unit', 'year', 'region:year'] }))
    compare(result, fixture.unbalanced as RefCase)
  })

  test('one cohort and never-treated units: the overall estimate is the TWFE DID (R lm and quasi\'s did)', async () => {
    const adopt = data.numbers('adopt')
    const single = data.filter(Uint8Array.from(adopt, (a) => (Number.isNaN(a) || a === 2007 ? 1 : 0)))
    const up = await model(single)
    const { result } = await run(up)
    compare(result, fixture.single as RefCase)
    expect(Math.abs(result.facts!.att - fixture.single.twfe)).toBeLessThan(EST_TOL)
    const twfe = up.model!.models[0].terms.find((t) => t.term === 'did')!.estimate
    expect(Math.abs(result.facts!.att - twfe)).toBeLessThan(EST_TOL)
  })
})

describe('outputs and options', () => {
  test('horizons and minn select event times; data artifact and files', async () => {
    const { result } = await run(await model(data), { horizons: [0, 5], minn: 400 })
    const periods = (result.data as { event_study: { level: number; band: string; periods: { k: number; reference: boolean }[] } }).event_study
    expect(periods.band).toBe('pointwise')
    expect(periods.level).toBe(0.95)
    const kept = fixture.staggered.horizons.filter((h) => h.h >= 0 && h.h <= 5 && h.n >= 400).map((h) => h.h)
    expect(periods.periods.map((p) => p.k)).toEqual(kept)
    expect(periods.periods.every((p) => p.reference === false)).toBe(true)
    for (const f of ['table.md', 'table.tex', 'table.html', 'table.csv', 'effects.csv', 'event_study.svg']) expect(result.files![f]).toBeTruthy()
    expect(result.files!['event_study.svg']).toContain('<svg')
    expect(Math.abs(result.facts!.att - fixture.staggered.overall.estimate)).toBeLessThan(EST_TOL)
  })
})

describe('model artifact', () => {
  test('terms, variances and covariances from the cluster scores; a table shows it next to the TWFE did', async () => {
    const up = await model(data)
    const { result } = await run(up, { horizons: [0, 2] })
    const m = result.model!.models[0]
    expect(m.terms.map((t) => t.term)).toEqual(['did', 'current', 'post1', 'post2'])
    expect(m.estimator).toBe('imputation')
    const ref = fixture.staggered
    expect(Math.abs(m.terms[0].estimate - ref.overall.estimate)).toBeLessThan(EST_TOL)
    const k = m.terms.length
    m.terms.forEach((t, j) => expect(Math.abs(Math.sqrt(m.vcov[j * k + j]) - t.stdError)).toBeLessThan(1e-12))
    // Covariances: symmetric, correlations inside [-1, 1], and positive between neighbouring event times (shared untreated fit).
    expect(m.vcov[1 * k + 2]).toBe(m.vcov[2 * k + 1])
    const corr = m.vcov[1 * k + 2] / (m.terms[1].stdError * m.terms[2].stdError)
    expect(corr).toBeGreaterThan(0)
    expect(corr).toBeLessThan(1)
    expect(m.nobs).toBe(data.nrows)
    const ctx = makeTestContext<TableParams>({
      params: { columns: ['baseline', 'imp'] } as TableParams,
      inputs: { baseline: { model: up.model, kind: 'did' }, imp: { model: result.model, kind: 'imputation' } }, panel, stage: 'tab', kind: 'table',
    })
    const tab = await table.run(ctx)
    const md = (tab.files as Record<string, string>)['table.md']
    expect(md).toContain(m.terms[0].estimate.toFixed(3))
    expect(md).toContain(up.model!.models[0].terms.find((t) => t.term === 'did')!.estimate.toFixed(3))
  })
})

describe('bad input', () => {
  test('a treatment that switches off (adoption changing within a unit) names the units', async () => {
    const adopt = data.numbers('adopt').slice()
    const unit = data.column('unit')!.data as (string | null)[]
    const i = unit.findIndex((u, k) => !Number.isNaN(adopt[k]))
    const bad = unit[i]!
    adopt[i] = adopt[i] + 1
    const up = await model(data.withColumn('adopt', { type: 'number', data: adopt }))
    const err = await quasiError(run(up))
    expect(err.code).toBe('BAD_DATA')
    expect(err.param).toEqual(['model'])
    expect(err.message).toContain(bad)
  })

  test('no never-treated units: the last cohort\'s periods have no untreated observation → dropped with a warning', async () => {
    const adopt = data.numbers('adopt')
    const treatedOnly = data.filter(Uint8Array.from(adopt, (a) => (Number.isNaN(a) ? 0 : 1)))
    const { result, ctx } = await run(await model(treatedOnly))
    const warn = ctx.logs.filter((m) => m.level === "warn").map((m) => m.message).join('\n')
    expect(warn).toMatch(/cannot be imputed and are dropped: `year` 2010, 2011, 2012/)
    expect(warn).toContain('no never-treated and no not-yet-treated')
    // Only cohorts 2004 and 2007 before 2010 remain: h ≤ 5.
    const ks = (result.data as { event_study: { periods: { k: number }[] } }).event_study.periods.map((p) => p.k)
    expect(Math.max(...ks)).toBe(5)
  })

  test('units treated from the first period have no untreated observation: dropped, named', async () => {
    const adopt = data.numbers('adopt').slice()
    const unit = data.column('unit')!.data as (string | null)[]
    const target = unit[adopt.findIndex((a) => a === 2004)]!
    for (let k = 0; k < adopt.length; k++) if (unit[k] === target) adopt[k] = 2000
    const { ctx } = await run(await model(data.withColumn('adopt', { type: 'number', data: adopt })))
    const warn = ctx.logs.filter((m) => m.level === "warn").map((m) => m.message).join('\n')
    expect(warn).toContain(`\`unit\` ${target} (no untreated observation)`)
  })

  test('no treated observation identified (cohorts 2004 and 2007 from 2004 on, no never-treated units) → a clear error', async () => {
    const adopt = data.numbers('adopt'), year = data.numbers('year')
    const sub = data.filter(Uint8Array.from(adopt, (a, i) => ((a === 2004 || a === 2007) && year[i] >= 2004 ? 1 : 0)))
    const err = await quasiError(run(await model(sub)))
    expect(err.code).toBe('NO_VARIATION')
    expect(err.param).toEqual(['model'])
    expect(err.hint).toContain('never-treated or not-yet-treated')
  })

  test('horizons [hi, lo] is refused when the pipeline is checked', () => {
    const errs = imputation.check!({ model: 'baseline', horizons: [5, 0], pretrends: 0, anticipation: 0, level: 0.95 })
    expect(errs.map((e) => [e.code, e.param])).toEqual([['INVALID_VALUE', ['horizons']]])
  })

  test('a 0/1 treatment is refused with a hint', async () => {
    const d = data.numbers('adopt')
    const t = data.numbers('year')
    const frame = data.withColumn('d', { type: 'number', data: Float64Array.from(d, (a, i) => (!Number.isNaN(a) && t[i] >= a ? 1 : 0)) })
    const ctx = makeTestContext({ params: { from: 'data', outcome: 'y', treatment: 'd', cluster: 'unit', stepwise: false, digits: 3 }, inputs: { data: frame }, panel, stage: 'baseline', kind: 'did' })
    const r = await did.run(ctx as never)
    const err = await quasiError(run({ frame: r.frame, model: r.model, kind: 'did' }))
    expect(err.code).toBe('INVALID_VALUE')
    expect(err.param).toEqual(['model'])
  })
})
