/**
 * sa-event-study against the Sun–Abraham estimator written out in R from the paper
 * (test/fixtures/sa-event-study/make.R: lm + sandwich for the saturated regression, the
 * eventstudyinteract share regressions for the weights and their variance), the cross-check
 * with the TWFE event study on a single-cohort design, recovery of the simulated panel's
 * true dynamic effects, the outputs, and the errors of the list.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { Frame } from '../../src/artifacts/frame.ts'
import { covariance, mainModel, term, type Model } from '../../src/artifacts/model.ts'
import { fPValue } from '../../src/stats/dist.ts'
import { solve } from '../../stages/_estimation/wald.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageResult } from '../../src/stage.ts'
import did from '../../stages/did/stage.ts'
import eventStudy from '../../stages/event-study/stage.ts'
import type { EventStudyParams } from '../../stages/event-study/params.ts'
import sunab from '../../stages/sa-event-study/stage.ts'
import type { SaEventStudyParams } from '../../stages/sa-event-study/params.ts'
import { makeTestContext } from '../helpers/context.ts'
import { readCsvFrame } from '../unit/stats/helpers.ts'

const ref = JSON.parse(readFileSync(new URL('../fixtures/sa-event-study/reference.json', import.meta.url), 'utf8'))
const TOL = { coef: 1e-8, se: 1e-6 } // the tolerances (relative)
const panel = { unit: 'unit', time: 'year' }
const frame = readCsvFrame('test/fixtures/staggered/panel.csv')

type Up = { kind: string; frame?: Frame; model?: StageResult['model'] }

async function model(f: Frame, params: Record<string, unknown> = {}): Promise<Up> {
  const ctx = makeTestContext({
    params: { from: 'data', outcome: 'y', treatment: { adoption: 'adopt' }, controls: ['x1:year'], cluster: 'unit', small_sample: 'nested', stepwise: false, digits: 3, ...params },
    inputs: { data: f }, panel, stage: 'baseline', kind: 'did',
  })
  const r = await did.run(ctx as never)
  return { frame: r.frame, model: r.model, kind: 'did' }
}

async function runSa(up: Up, params: Partial<SaEventStudyParams> = {}) {
  const ctx = makeTestContext<SaEventStudyParams>({
    params: { model: 'baseline', window: [-5, 5], reference: -1, control: 'never', shares: 'estimated', level: 0.95, ...params } as SaEventStudyParams,
    inputs: { baseline: up }, panel, stage: 'sa', kind: 'sa-event-study',
  })
  return { result: await sunab.run(ctx), ctx }
}

function close(got: number, want: number, rel: number, label: string) {
  const d = Math.abs(got - want) / Math.max(Math.abs(want), 1e-300)
  expect(d, `${label}: got ${got}, expected ${want}, Δ ${d.toExponential(2)}, tol ${rel}`).toBeLessThanOrEqual(rel)
}

async function quasiError(p: Promise<unknown>): Promise<QuasiError> {
  try { await p } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

function csvRows(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split('\n')
  const keys = head.split(',')
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], v])))
}

describe.each(['never', 'last'] as const)('control: %s against R', (control) => {
  const want = ref[control]

  test('IW estimates, delta-method SEs (shares estimated and fixed), pre-trend F', async () => {
    const up = await model(frame)
    const { result: r } = await runSa(up, { control })
    expect(r.facts!.nobs).toBe(want.nobs)
    expect(r.facts!.n_clusters).toBe(want.clusters)
    expect(r.facts!.cohorts).toBe(want.cohorts.length)
    want.terms.forEach((t: string, i: number) => {
      close(r.facts![`coef(${t})`], want.estimate[i], TOL.coef, `coef(${t})`)
      close(r.facts![`se(${t})`], want.std_error[i], TOL.se, `se(${t})`)
    })
    close(r.facts!.pretrend_F, want.pretrend.F, TOL.se, 'pre-trend F')
    close(r.facts!.pretrend_p, want.pretrend.p, TOL.se, 'pre-trend p')
    expect(r.facts!.pretrend_df).toBe(want.pretrend.df1)
    const { result: fixedShares } = await runSa(up, { control, shares: 'fixed' })
    want.terms.forEach((t: string, i: number) => {
      close(fixedShares.facts![`coef(${t})`], want.estimate[i], TOL.coef, `coef(${t})`)
      close(fixedShares.facts![`se(${t})`], want.std_error_fixed[i], TOL.se, `fixed se(${t})`)
    })
    close(fixedShares.facts!.pretrend_F, want.pretrend.F_fixed, TOL.se, 'pre-trend F (fixed shares)')
  })

  test('cohorts.csv: δ(g, e), their SEs, counts and weights', async () => {
    const { result: r } = await runSa(await model(frame), { control })
    const rows = csvRows(r.files!['cohorts.csv'] as string)
    expect(Object.keys(rows[0])).toEqual(['cohort', 'period', 'term', 'estimate', 'std_error', 'nobs', 'weight'])
    expect(rows.length).toBe(want.cells.length)
    const byKey = new Map(rows.map((x) => [`${x.cohort}/${x.period}`, x]))
    for (const c of want.cells) {
      const got = byKey.get(`${c.cohort}/${c.period}`)!
      expect(got.term).toBe(c.term)
      expect(Number(got.nobs)).toBe(c.nobs)
      close(Number(got.estimate), c.estimate, TOL.coef, `δ(${c.cohort}, ${c.period})`)
      close(Number(got.std_error), c.std_error, TOL.se, `se δ(${c.cohort}, ${c.period})`)
      close(Number(got.weight), c.weight, 1e-12, `weight(${c.cohort}, ${c.period})`)
    }
  })
})

describe('cross-checks', () => {
  test('one treated cohort: Sun–Abraham equals the TWFE event study (estimates 1e-8, SEs 1e-6)', async () => {
    const a = frame.numbers('adopt')
    const one = frame.filter(Uint8Array.from(a, (v) => (v === 2007 || Number.isNaN(v) ? 1 : 0)))
    const up = await model(one)
    const { result: sa } = await runSa(up)
    const es = await eventStudy.run(makeTestContext<EventStudyParams>({
      params: { model: 'baseline', window: [-5, 5], reference: -1, controls_group: 'never', level: 0.95 } as EventStudyParams,
      inputs: { baseline: up }, panel, stage: 'es', kind: 'event-study',
    }))
    const terms = ['pre5', 'pre4', 'pre3', 'pre2', 'current', 'post1', 'post2', 'post3', 'post4', 'post5']
    for (const t of terms) {
      close(sa.facts![`coef(${t})`], es.facts![`coef(${t})`], TOL.coef, `coef(${t})`)
      close(sa.facts![`se(${t})`], es.facts![`se(${t})`], TOL.se, `se(${t})`)
    }
    close(sa.facts!.pretrend_F, es.facts!.pretrend_F, TOL.se, 'pre-trend F')
    expect(sa.facts!.nobs).toBe(es.facts!.nobs)
  })

  test('the IW estimates recover the true dynamic effects better than the TWFE event study', async () => {
    const truth = readCsvFrame('test/fixtures/staggered/truth.csv')
    const up = await model(frame)
    const window: [number, number] = [-10, 8] // every relative period of the panel its own estimate
    const { result: sa } = await runSa(up, { window })
    const es = await eventStudy.run(makeTestContext<EventStudyParams>({
      params: { model: 'baseline', window, reference: -1, controls_group: 'never', level: 0.95 } as EventStudyParams,
      inputs: { baseline: up }, panel, stage: 'es', kind: 'event-study',
    }))
    // True ν_e: the cohort-share weighted ATT(g, g + e), shares from cohorts.csv; 0 before adoption.
    const att = new Map<string, number>()
    const g = truth.numbers('g'), t = truth.numbers('t'), v = truth.numbers('att')
    for (let i = 0; i < g.length; i++) att.set(`${g[i]}/${t[i] - g[i]}`, v[i])
    const cells = csvRows(sa.files!['cohorts.csv'] as string)
    const trueNu = new Map<string, number>()
    for (const c of cells) trueNu.set(c.term, (trueNu.get(c.term) ?? 0) + Number(c.weight) * att.get(`${c.cohort}/${c.period}`)!)
    let seSa = 0, seEs = 0
    for (const [term, nu] of trueNu) {
      seSa += (sa.facts![`coef(${term})`] - nu) ** 2
      seEs += (es.facts![`coef(${term})`] - nu) ** 2
    }
    const rmseSa = Math.sqrt(seSa / trueNu.size), rmseEs = Math.sqrt(seEs / trueNu.size)
    // Joint Wald test that the estimates equal the truth, with each model's own covariance.
    const joint = (m: Model) => {
      const names = [...trueNu.keys()]
      const d = names.map((n) => term(m, n)!.estimate - trueNu.get(n)!)
      const x = solve(names.map((a) => names.map((b) => covariance(m, a, b))), d)
      const f = d.reduce((s, di, i) => s + di * x[i], 0) / names.length
      return fPValue(f, names.length, m.dfT)
    }
    const pSa = joint(mainModel(sa.model!)), pEs = joint(mainModel(es.model!))
    expect(rmseSa).toBeLessThan(rmseEs)
    expect(pSa).toBeGreaterThan(0.01) // this draw: p = 0.026; TWFE: p = 8e-6 (docs/methods.md)
    expect(pEs).toBeLessThan(0.001)
  })
})

describe('outputs', () => {
  test('table, tidy.csv, cohorts.csv, the figure, the event_study block; byte-identical reruns', async () => {
    const up = await model(frame)
    const { result: r } = await runSa(up)
    const { result: again } = await runSa(up)
    for (const f of ['table.md', 'table.tex', 'table.html', 'table.csv', 'tidy.csv', 'glance.csv', 'cohorts.csv', 'event_study.svg']) {
      expect(typeof r.files![f], f).toBe('string')
      expect(again.files![f]).toBe(r.files![f])
    }
    expect(r.files!['table.md']).toContain('Pre-trend F(4, 599)')
    expect(r.files!['tidy.csv']).toMatch(/^term,estimate,std.error|model,term,estimate/)
    const svg = r.files!['event_study.svg'] as string
    const ticks = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])
    expect(ticks.slice(0, 11)).toEqual(['≤−5', '−4', '−3', '−2', '−1', '0', '1', '2', '3', '4', '≥5'])
    expect(svg).toMatch(/>Event study \(Sun and Abraham 2021\)<\/text>/)
    const es = (r.data as { event_study: { level: number; band: string; periods: { k: number; estimate: number; std_error: number | null; low: number; high: number; reference: boolean }[] } }).event_study
    expect(es.level).toBe(0.95)
    expect(es.band).toBe('pointwise')
    expect(es.periods.map((x) => x.k)).toEqual([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5])
    expect(es.periods[4]).toEqual({ k: -1, estimate: 0, std_error: null, low: 0, high: 0, reference: true })
    const post2 = es.periods[7]
    close(post2.estimate, ref.never.estimate[ref.never.terms.indexOf('post2')], TOL.coef, 'post2')
    close(post2.high - post2.low, 2 * 1.9639 * post2.std_error!, 1e-3, 'interval width') // t(599) quantile ≈ 1.9639
    const periods = (r.data as { periods: { k: number; treated_obs: number }[] }).periods
    expect(periods.reduce((s, x) => s + x.treated_obs, 0)).toBe(frame.nrows - 145 * 13) // every treated-cohort row, reference included
    const m = mainModel(r.model!)
    expect(m.terms.map((t) => t.term)).toEqual(ref.never.terms)
    close(covariance(m, 'pre2', 'post2'), ref.never.vcov[ref.never.terms.indexOf('pre2')][ref.never.terms.indexOf('post2')], TOL.se, 'cov(pre2, post2)')
  })
})

describe('errors and warnings', () => {
  const a = frame.numbers('adopt')
  const units = frame.column('unit')!.data as readonly string[]
  const years = frame.numbers('year')

  test('control: never without never-treated units suggests control: last', async () => {
    const treatedOnly = frame.filter(Uint8Array.from(a, (v) => (Number.isNaN(v) ? 0 : 1)))
    const e = await quasiError(runSa(await model(treatedOnly)))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['control'])
    expect(e.hint).toMatch(/control: last/)
    // and control: last works on that panel
    const { result } = await runSa(await model(treatedOnly), { control: 'last' })
    expect(result.facts!.cohorts).toBe(2)
  })

  test('a treatment that switches off names the units', async () => {
    // 0/1 treatment, turned off again in 2011 for two units of the 2004 cohort
    const off = new Set([...new Set(units.filter((_, i) => a[i] === 2004))].slice(0, 2))
    const d = Float64Array.from(years, (t, i) => (Number.isNaN(a[i]) || t < a[i] || (off.has(units[i]) && t >= 2011) ? 0 : 1))
    const f = frame.withColumn('D', { type: 'number', data: d })
    const e = await quasiError(runSa(await model(f, { treatment: 'D' })))
    expect(e.code).toBe('BAD_DATA')
    expect(e.param).toEqual(['model'])
    expect(e.message).toMatch(/switches off in 2 units: `u\d+`, `u\d+`/)
    for (const u of off) expect(e.message).toContain(`\`${u}\``)
    // with the treatment given here, the error points at `treatment`
    const e2 = await quasiError(runSa(await model(f, { treatment: 'D' }), { treatment: 'D' }))
    expect(e2.param).toEqual(['treatment'])
  })

  test('an adoption column whose year changes within a unit: switch-off or inconsistent years, named', async () => {
    const u = units.find((_, i) => a[i] === 2004)!
    // from 2008 on the unit's rows say 2010: treated 2004–2007, untreated 2008–2009
    const adopt = Float64Array.from(a, (v, i) => (units[i] === u && years[i] >= 2008 ? 2010 : v))
    const e = await quasiError(runSa(await model(frame.withColumn('adopt', { type: 'number', data: adopt }))))
    expect(e.message).toBe(`the treatment switches off in 1 unit: \`${u}\``)
    // a later year only before adoption: D never switches off, but the cohort is ambiguous
    const adopt2 = Float64Array.from(a, (v, i) => (units[i] === u && years[i] === 2000 ? 2003 : v))
    const e2 = await quasiError(runSa(await model(frame.withColumn('adopt', { type: 'number', data: adopt2 }))))
    expect(e2.message).toBe(`the adoption year differs between the rows of 1 unit: \`${u}\``)
    expect(e2.param).toEqual(['model'])
  })

  test('a cohort treated in the first period is dropped with a warning', async () => {
    const never = [...new Set(units.filter((_, i) => Number.isNaN(a[i])))].slice(0, 5)
    const adopt = Float64Array.from(a, (v, i) => (never.includes(units[i]) ? 2000 : v))
    const withAlways = frame.withColumn('adopt', { type: 'number', data: adopt })
    const { result, ctx } = await runSa(await model(withAlways))
    expect(ctx.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'cohort 2000 (5 units) has no observation in the reference period -1 (treated from the first period on): dropped',
    ])
    const without = frame.filter(Uint8Array.from(units, (u) => (never.includes(u) ? 0 : 1)))
    const { result: plain } = await runSa(await model(without))
    expect(result.facts).toEqual(plain.facts)
  })

  test('relative periods no cohort has: a clear message on window', async () => {
    const e = await quasiError(runSa(await model(frame), { window: [-12, 5] }))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['window'])
    expect(e.message).toBe('no treated cohort is observed in relative periods -12, -11 of the window [-12, 5]')
    expect(e.hint).toBe('narrow the window, e.g. `window: [-10, 5]`')
  })

  test('a window that does not straddle adoption, and weights', async () => {
    const e = await quasiError(runSa(await model(frame), { window: [1, 5] }))
    expect(e.param).toEqual(['window'])
    const w = frame.withColumn('w', { type: 'number', data: new Float64Array(frame.nrows).fill(1) })
    const e2 = await quasiError(runSa(await model(w, { weights: 'w' })))
    expect(e2.code).toBe('INVALID_SPEC')
    expect(e2.param).toEqual(['model'])
  })

  test('two-way clustering and control: last with one treated cohort are refused', async () => {
    const e = await quasiError(runSa(await model(frame, { cluster: ['unit', 'year'] })))
    expect(e.code).toBe('INVALID_SPEC')
    expect(e.param).toEqual(['model'])
    const one = frame.filter(Uint8Array.from(a, (v) => (v === 2007 || Number.isNaN(v) ? 1 : 0)))
    const e2 = await quasiError(runSa(await model(one), { control: 'last' }))
    expect(e2.param).toEqual(['control'])
    expect(e2.message).toBe('`control: last` needs at least two treated cohorts, found 1')
  })

  test('row order does not change the results', async () => {
    const reversed = frame.take(Int32Array.from({ length: frame.nrows }, (_, i) => frame.nrows - 1 - i))
    const [x, y] = [await runSa(await model(frame)), await runSa(await model(reversed))]
    for (const t of ref.never.terms) {
      close(y.result.facts![`coef(${t})`], x.result.facts![`coef(${t})`], 1e-10, t)
      close(y.result.facts![`se(${t})`], x.result.facts![`se(${t})`], 1e-8, t)
    }
  })
})
