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
