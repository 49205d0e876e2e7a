/**
 * The psm stage against the R reference (test/fixtures/psm/make.R): MatchIt::lalonde matched
 * by the documented greedy rule (1:4 without and with replacement, 1:1, caliper, SD caliper,
 * probit with common support, radius, kernel) — pairs exactly, scores, weights, balance, ATT
 * and Abadie–Imbens SE within 1e-8 — a PSM-DID through `did` on a small panel (pooled and
 * by year), and the coded errors of the list.
 */
import { describe, expect, test } from 'vitest'
import { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageResult } from '../../src/stage.ts'
import did from '../../stages/did/stage.ts'
import psm from '../../stages/psm/stage.ts'
import type { PsmParams } from '../../stages/psm/params.ts'
import fx from '../fixtures/psm/psm.json' with { type: 'json' }
import { makeTestContext } from '../helpers/context.ts'
import { expectClose, readCsvFrame } from '../unit/stats/helpers.ts'

const lalonde = readCsvFrame('test/fixtures/psm/lalonde.csv')
const panelFrame = readCsvFrame('test/fixtures/psm/panel.csv')
const COVS = fx.header.covariates as string[]
const panel = { unit: 'city', time: 'year' }

interface RCase { pscore: number[]; matches: { t: number[]; c: number[]; distance: number[]; w: number[] }; weight: number[]; att: number; se: number; dropped_support: number; balance: Record<string, (string | number)[]> }

async function run(params: Partial<PsmParams>, frame: Frame = lalonde, p = panel as typeof panel | undefined): Promise<StageResult> {
  const ctx = makeTestContext<PsmParams>({
    params: { from: 'data', treatment: 'treat', covariates: COVS, link: 'logit', method: 'nearest', common: false, keep: 'matched', ...params } as PsmParams,
    inputs: { data: frame }, stage: 'matched', kind: 'psm', panel: p,
  })
  return psm.run(ctx)
}

function csv(r: StageResult, name: string): Record<string, string>[] {
  const lines = (r.files![name] as string).trim().split('\n')
  const head = lines[0].split(',')
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, j) => [head[j], v])))
}

async function quasiError(p: Promise<unknown>): Promise<QuasiError> {
  try { await p } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

const CASES: [keyof typeof fx.lalonde, Partial<PsmParams>][] = [
  ['nn4', { neighbors: 4, replace: false }],
  ['nn4_replace', { neighbors: 4, replace: true }],
  ['nn1', {}],
  ['nn2_caliper', { neighbors: 2, caliper: 0.01 }],
  ['nn1_caliper_sd', { replace: true, caliper: { sd: 0.1 } }],
  ['nn1_probit_common', { link: 'probit', common: true }],
  ['radius', { method: 'radius', caliper: 0.005 }],
  ['kernel', { method: 'kernel' }],
]

describe.each(CASES)('lalonde %s against the R reference', async (name, params) => {
  const R = fx.lalonde[name] as unknown as RCase
  const r = await run({ ...params, outcome: 're78', keep: 'all' })
  const out = r.frame!

  test('propensity scores within 1e-12', () => {
    const ps = out.numbers('_pscore')
    let worst = 0
    R.pscore.forEach((v, i) => { worst = Math.max(worst, Math.abs(ps[i] - v)) })
    expect(worst).toBeLessThan(1e-12)
  })

  test('the same matched pairs, in the same order, with the same match weights', () => {
    const m = csv(r, 'matches.csv')
    expect(m.map((x) => `${Number(x.treated_row) - 1}-${Number(x.control_row) - 1}`).sort()).toEqual(R.matches.t.map((t, j) => `${t}-${R.matches.c[j]}`).sort())
    if (params.method === undefined) expect(m.map((x) => Number(x.treated_row) - 1)).toEqual(R.matches.t)
    const byPair = new Map(m.map((x) => [`${x.treated_row}-${x.control_row}`, Number(x.weight)]))
    R.matches.t.forEach((t, j) => expectClose(byPair.get(`${t + 1}-${R.matches.c[j] + 1}`)!, R.matches.w[j], { rel: 1e-10 }, `w ${t}-${R.matches.c[j]}`))
  })

  test('_weight (MatchIt convention) within 1e-10', () => {
    const w = out.numbers('_weight')
    R.weight.forEach((v, i) => expectClose(w[i], v, { rel: 1e-10, abs: 1e-12 }, `_weight row ${i + 1}`))
  })

  test('ATT and Abadie–Imbens SE within 1e-8 (relative)', () => {
    expectClose(r.facts!.att, R.att, { rel: 1e-8 }, 'att')
    expectClose(r.facts!.se_att, R.se, { rel: 1e-8 }, 'se_att')
    const a = csv(r, 'att.csv')[0]
    expectClose(Number(a.att), R.att, { rel: 1e-8 }, 'att.csv')
  })

  test('balance: means, %bias, reduction, t-tests and MatchIt SMD within 1e-8', () => {
    const b = csv(r, 'balance.csv')
    const cols = ['mean_treated_before', 'mean_control_before', 'mean_treated_after', 'mean_control_after', 'bias_before', 'bias_after', 'reduction', 't_before', 'p_before', 't_after', 'p_after', 'smd_before', 'smd_after']
    COVS.forEach((c, k) => {
      expect(b[k].covariate).toBe(c)
      for (const col of cols) expectClose(Number(b[k][col]), R.balance[col][k] as number, { rel: 1e-8, abs: 1e-10 }, `${c} ${col}`)
    })
    expectClose(r.facts![`bias_after(${COVS[0]})`], R.balance.bias_after[0] as number, { rel: 1e-8 }, 'fact bias_after')
  })

  test('facts count the matched rows', () => {
    expect(r.facts!.treated).toBe(185)
    expect(r.facts!.controls).toBe(429)
    expect(r.facts!.matched_treated).toBe(new Set(R.matches.t).size)
    expect(r.facts!.matched_controls).toBe(new Set(R.matches.c).size)
    expect(r.facts!.dropped_support).toBe(R.dropped_support)
  })
})

describe('outputs', async () => {
  const r = await run({ neighbors: 4, replace: true, outcome: 're78' })

  test('keep: matched keeps the rows with positive weight; _support, _treated and the score are columns', () => {
    const w = r.frame!.numbers('_weight')
    expect(r.frame!.nrows).toBe(185 + r.facts!.matched_controls)
    expect(w.every((v) => v > 0)).toBe(true)
    expect(r.frame!.names.slice(-4)).toEqual(['_pscore', '_weight', '_support', '_treated'])
    let sumC = 0
    r.frame!.numbers('_treated').forEach((t, i) => { if (t === 0) sumC += w[i] })
    expectClose(sumC, r.facts!.matched_controls, { rel: 1e-12 }, 'control weights add up to the distinct controls')
  })

  test('tables and figures are written, and reruns give the same bytes', async () => {
    for (const f of ['balance.csv', 'balance.md', 'balance.tex', 'balance.html', 'matches.csv', 'att.csv', 'balance.svg', 'pscore.svg']) expect(r.files![f]).toBeTruthy()
    expect(r.files!['balance.md']).toContain('%bias')
    expect(r.files!['balance.svg']).toContain('<svg')
    const again = await run({ neighbors: 4, replace: true, outcome: 're78' })
    expect(again.files).toEqual(r.files)
  })

  test('labels name the covariates in the balance table and figure; balance.csv keeps the column names', async () => {
    const l = await run({ neighbors: 4, replace: true, labels: { re74: 'Earnings 1974' } })
    expect(l.files!['balance.md']).toContain('| Earnings 1974 | Unmatched |')
    expect(l.files!['balance.svg']).toContain('Earnings 1974')
    expect(l.files!['balance.csv']).toContain('re74')
    expect(l.files!['balance.csv']).not.toContain('Earnings 1974')
  })

  test('keep: all: _support is 0 exactly for treated rows off common support or without a match, missing outside the sample', async () => {
    const cut = lalonde.numbers('re74').map((v, i) => (i % 50 === 0 ? NaN : v))
    const all = await run({ link: 'probit', common: true, caliper: 0.001, keep: 'all' }, lalonde.withColumn('re74', { type: 'number', data: cut }))
    const sup = all.frame!.numbers('_support'), w = all.frame!.numbers('_weight'), t = all.frame!.numbers('_treated'), ps = all.frame!.numbers('_pscore')
    let off = 0
    for (let i = 0; i < 614; i++) {
      if (i % 50 === 0) { expect([Number.isNaN(sup[i]), Number.isNaN(ps[i]), w[i]]).toEqual([true, true, 0]); continue }
      if (t[i] === 0) expect(sup[i]).toBe(1)
      else { expect(sup[i]).toBe(w[i] > 0 ? 1 : 0); off += 1 - sup[i] }
    }
    expect(off).toBe(all.facts!.treated - all.facts!.matched_treated)
    expect(all.facts!.dropped_support).toBeGreaterThan(0)
    expect(all.facts!.treated + all.facts!.controls).toBe(614 - 13)
  })

  test('max |bias| facts agree with the per-covariate facts', () => {
    const after = COVS.map((c) => Math.abs(r.facts![`bias_after(${c})`]))
    expect(r.facts!.max_abs_bias_after).toBe(Math.max(...after))
    expect(r.facts!.max_abs_bias_before).toBeGreaterThan(r.facts!.max_abs_bias_after)
  })
})

describe('PSM-DID on a panel: psm then did with from: matched, weights: _weight', async () => {
  const PCOVS = fx.panel.covariates as string[]
  const didOn = async (matched: Frame) => {
    const ctx = makeTestContext({
      params: { from: 'matched', outcome: 'y', treatment: { adoption: 'pilot_year' }, controls: PCOVS, weights: '_weight', vcov: 'hc1', small_sample: 'full', singletons: 'keep', stepwise: false, digits: 3 },
      inputs: { matched }, panel, stage: 'psm_did', kind: 'did',
    })
    return did.run(ctx as never)
  }

  test('pooled 1:4 with replacement: scores, pairs, weights, and the weighted DID = lm(weights=) + HC1 within 1e-8', async () => {
    const r = await run({ treatment: { adoption: 'pilot_year' }, covariates: PCOVS, neighbors: 4, replace: true }, panelFrame)
    const R = fx.panel.pooled
    const all = await run({ treatment: { adoption: 'pilot_year' }, covariates: PCOVS, neighbors: 4, replace: true, keep: 'all' }, panelFrame)
    const ps = all.frame!.numbers('_pscore'), w = all.frame!.numbers('_weight')
    R.pscore.forEach((v: number, i: number) => expect(Math.abs(ps[i] - v)).toBeLessThan(1e-12))
    R.weight.forEach((v: number, i: number) => expectClose(w[i], v, { rel: 1e-10, abs: 1e-12 }, `_weight ${i + 1}`))
    expect(csv(r, 'matches.csv').map((m) => `${m.treated_unit}`)[0]).toMatch(/^c\d\d$/)
    const d = await didOn(r.frame!)
    expect(d.facts!.nobs).toBe(fx.panel.did.nobs)
    expectClose(d.facts!['coef(did)'], fx.panel.did.estimate, { rel: 1e-8 }, 'PSM-DID estimate')
    expectClose(d.facts!['se(did)'], fx.panel.did.se, { rel: 1e-8 }, 'PSM-DID se')
    expect(d.files!['table.md']).toContain('Weighted least squares, weights _weight.')
  })

  test('by: year, 1:1: the score and the matching period by period', async () => {
    const r = await run({ treatment: { adoption: 'pilot_year' }, covariates: PCOVS, by: 'year', keep: 'all' }, panelFrame)
    const R = fx.panel.by_year
    const ps = r.frame!.numbers('_pscore')
    R.pscore.forEach((v: number, i: number) => expect(Math.abs(ps[i] - v)).toBeLessThan(1e-12))
    const m = csv(r, 'matches.csv')
    expect(m.map((x) => `${Number(x.treated_row) - 1}-${Number(x.control_row) - 1}`).sort()).toEqual(R.matches.t.map((t: number, j: number) => `${t}-${R.matches.c[j]}`).sort())
    expect(m.every((x) => x.treated_time === x.control_time)).toBe(true)
    const matched = await run({ treatment: { adoption: 'pilot_year' }, covariates: PCOVS, by: 'year' }, panelFrame)
    const d = await didOn(matched.frame!)
    expectClose(d.facts!['coef(did)'], fx.panel.did_by_year.estimate, { rel: 1e-8 }, 'by-year PSM-DID estimate')
    expectClose(d.facts!['se(did)'], fx.panel.did_by_year.se, { rel: 1e-8 }, 'by-year PSM-DID se')
  })
})

describe('errors', () => {
  test('a covariate with no variation: NO_VARIATION at its position', async () => {
    const e = await quasiError(run({ covariates: ['age', 'one'] }, lalonde.withColumn('one', { type: 'number', data: new Float64Array(614).fill(1) })))
    expect(e.code).toBe('NO_VARIATION')
    expect(e.param).toEqual(['covariates', 1])
    expect(e.message).toContain('`one`')
  })

  test('perfect separation: SEPARATION naming the separating covariate', async () => {
    const sep = Float64Array.from(lalonde.numbers('treat'), (t, i) => t * 10 + (i % 7))
    const e = await quasiError(run({ covariates: ['age', 'sep'] }, lalonde.withColumn('sep', { type: 'number', data: sep })))
    expect(e.code).toBe('SEPARATION')
    expect(e.param).toEqual(['covariates', 1])
    expect(e.message).toContain('`sep` separates')
  })

  test('collinear covariates: SINGULAR_DESIGN at the dependent one', async () => {
    const e = await quasiError(run({ covariates: ['age', 'educ', 'ae'] }, lalonde.withColumn('ae', { type: 'number', data: Float64Array.from(lalonde.numbers('age'), (a, i) => a + 2 * lalonde.numbers('educ')[i]) })))
    expect(e.code).toBe('SINGULAR_DESIGN')
    expect(e.param).toEqual(['covariates', 2])
  })

  test('no treated rows: NO_VARIATION at treatment', async () => {
    const e = await quasiError(run({}, lalonde.withColumn('treat', { type: 'number', data: new Float64Array(614) })))
    expect(e.code).toBe('NO_VARIATION')
    expect(e.param).toEqual(['treatment'])
  })

  test('no control within the caliper: NO_MATCH at caliper', async () => {
    // Distinct scores (lalonde has rows with identical covariates, at distance 0).
    const small = Frame.from({ treat: Float64Array.from({ length: 20 }, (_, i) => [3, 9, 10, 12, 13, 15, 16, 18, 19].includes(i) ? 1 : 0), x: Float64Array.from({ length: 20 }, (_, i) => i) })
    const e = await quasiError(run({ covariates: ['x'], caliper: 1e-9 }, small))
    expect(e.code).toBe('NO_MATCH')
    expect(e.param).toEqual(['caliper'])
  })

  test('a treatment that is not 0/1, and a missing covariate with a suggestion', async () => {
    const e1 = await quasiError(run({ treatment: 'educ' }))
    expect([e1.code, e1.param]).toEqual(['BAD_DATA', ['treatment']])
    const e2 = await quasiError(run({ covariates: ['age', 'edcu'] }))
    expect([e2.code, e2.param]).toEqual(['MISSING_COLUMN', ['covariates', 1]])
    expect(e2.hint).toContain('`educ`')
  })

  test('by: year names the period whose score is separated', async () => {
    const yr = panelFrame.numbers('year'), py = panelFrame.numbers('pilot_year')
    // Separates treated from controls in 2013 only.
    const s = Float64Array.from(yr, (t, i) => (t === 2013 ? (py[i] > 0 ? 5 : -5) : (i % 7) - 3))
    const e = await quasiError(run({ treatment: { adoption: 'pilot_year' }, covariates: ['eco', 's'], by: 'year' }, panelFrame.withColumn('s', { type: 'number', data: s })))
    expect(e.code).toBe('SEPARATION')
    expect(e.param).toEqual(['covariates', 1])
    expect(e.message).toContain('`year` = 2013')
  })

  test('no complete row: NO_VARIATION at covariates; no group with both kinds of rows: at by', async () => {
    const e1 = await quasiError(run({}, lalonde.withColumn('age', { type: 'number', data: new Float64Array(614).fill(NaN) })))
    expect([e1.code, e1.param]).toEqual(['NO_VARIATION', ['covariates']])
    const e2 = await quasiError(run({ by: 'id' }))
    expect([e2.code, e2.param]).toEqual(['NO_VARIATION', ['by']])
  })

  test('no control rows: NO_VARIATION at treatment', async () => {
    const e = await quasiError(run({}, lalonde.withColumn('treat', { type: 'number', data: new Float64Array(614).fill(1) })))
    expect([e.code, e.param]).toEqual(['NO_VARIATION', ['treatment']])
    expect(e.message).toContain('no control')
  })

  test('a cancelled run is CANCELLED, not a partial result', async () => {
    const ac = new AbortController()
    ac.abort()
    const ctx = makeTestContext<PsmParams>({
      params: { from: 'data', treatment: 'treat', covariates: COVS, link: 'logit', method: 'nearest', common: false, keep: 'matched', neighbors: 4 } as PsmParams,
      inputs: { data: lalonde }, stage: 'matched', kind: 'psm', signal: ac.signal,
    })
    expect((await quasiError(psm.run(ctx))).code).toBe('CANCELLED')
  })

  test('options of another method are refused before running', () => {
    expect(psm.check!({ method: 'kernel', neighbors: 2 } as PsmParams).map((e) => [e.code, e.param])).toEqual([['INVALID_SPEC', ['neighbors']]])
    expect(psm.check!({ method: 'radius' } as PsmParams).map((e) => e.code)).toEqual(['MISSING_PARAM'])
  })
})
