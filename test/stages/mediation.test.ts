/**
 * The mediation stage on AER::Guns against R (test/fixtures/mediation/make.R): the three steps
 * with lm + state/year dummies + sandwich::vcovCL, the Sobel/Aroian/Goodman tests, and the
 * cluster bootstrap replayed from the same resamples as R's lm re-fits; random draws that are
 * reproducible; the two-step design; the outputs; the errors of the list.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageResult } from '../../src/stage.ts'
import did from '../../stages/did/stage.ts'
import regress from '../../stages/regress/stage.ts'
import mediation from '../../stages/mediation/stage.ts'
import type { MediationParams } from '../../stages/mediation/params.ts'
import guns from '../fixtures/mediation/guns.json' with { type: 'json' }
import { makeTestContext } from '../helpers/context.ts'
import { expectClose, readCsvFrame } from '../unit/stats/helpers.ts'

const DIR = 'test/fixtures/mediation'
const CONTROLS = ['afam', 'cauc', 'male', 'population']
const MEDIATORS = ['lprisoners', 'density', 'lincome'] as const
const panel = { unit: 'state', time: 'year' }
const gunsFrame = readCsvFrame(`${DIR}/guns.csv`)
const resamples = readFileSync(`${DIR}/resamples.csv`, 'utf8')

type Up = { kind: string; frame?: Frame; model?: StageResult['model'] }

async function model(params: Record<string, unknown>, kind = did, frame = gunsFrame): Promise<Up> {
  const ctx = makeTestContext({ params: { small_sample: 'full', stepwise: false, digits: 3, ...params }, inputs: { guns: frame }, panel, stage: 'baseline', kind: kind.kind })
  const r = await kind.run(ctx as never)
  return { frame: r.frame, model: r.model, kind: kind.kind }
}

const baselineParams = { from: 'guns', outcome: 'lviolent', treatment: 'law', controls: CONTROLS, fixed_effects: ['state', 'year'], cluster: 'state', labels: { law: 'Shall-carry law', lviolent: 'ln violent crime' } }
const baseline = await model(baselineParams)

async function run(params: Partial<MediationParams>, opts: { up?: Up; files?: Record<string, string>; seed?: number; threads?: number } = {}) {
  const ctx = makeTestContext<MediationParams>({
    params: { model: 'baseline', mediators: [...MEDIATORS], level: 0.95, steps: 'three', interval: 'percentile', ...(opts.files?.resamples !== undefined ? { resamples: 'resamples.csv' } : {}), ...params } as MediationParams,
    inputs: { baseline: opts.up ?? baseline }, panel, stage: 'channels', kind: 'mediation', seed: opts.seed ?? 7,
    files: Object.fromEntries(Object.entries(opts.files ?? {}).map(([k, v]) => [k, { rel: `${k}.csv`, bytes: v }])),
    threads: opts.threads,
  })
  const result = await mediation.run(ctx)
  return { result, ctx }
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

type Step = { estimate: number; se_full: number; se_nested: number; p_full: number }
const fx = (m: string) => guns.mediators[m as (typeof MEDIATORS)[number]] as unknown as {
  step1: { terms: Record<string, Step>; nobs: number }; step2: { terms: Record<string, Step> }; step3: { terms: Record<string, Step> }
  indirect: number; share: number; tests_full: { z: Record<string, number>; p: Record<string, number> }; tests_nested: { p: Record<string, number> }
  boot: { ab: number[]; percentile: number[]; bc: number[] }
}

describe('replay of the R resamples on AER::Guns (lm + vcovCL, small_sample: full)', async () => {
  const { result, ctx } = await run({}, { files: { resamples } })
  const ind = csv(result, 'indirect.csv')
  const f = result.facts!

  test('the three steps match lm + sandwich::vcovCL within 1e-8', () => {
    for (const m of MEDIATORS) {
      const g = fx(m)
      const row = ind.find((r) => r.mediator === m)!
      expectClose(f[`a(${m})`], g.step2.terms.law.estimate, { rel: 1e-8 }, `${m} a`)
      expectClose(f[`se_a(${m})`], g.step2.terms.law.se_full, { rel: 1e-8 }, `${m} se_a`)
      expectClose(f[`p_a(${m})`], g.step2.terms.law.p_full, { rel: 1e-7 }, `${m} p_a`)
      expectClose(f[`b(${m})`], g.step3.terms[m].estimate, { rel: 1e-8 }, `${m} b`)
      expectClose(f[`se_b(${m})`], g.step3.terms[m].se_full, { rel: 1e-8 }, `${m} se_b`)
      expectClose(f[`total(${m})`], g.step1.terms.law.estimate, { rel: 1e-8 }, `${m} c`)
      expectClose(f[`direct(${m})`], g.step3.terms.law.estimate, { rel: 1e-8 }, `${m} c'`)
      expectClose(f[`indirect(${m})`], g.indirect, { rel: 1e-8 }, `${m} a·b`)
      expectClose(f[`share(${m})`], g.share, { rel: 1e-8 }, `${m} share`)
      expectClose(Number(row.se_a), g.step2.terms.law.se_full, { rel: 1e-8 }, `${m} indirect.csv se_a`)
      expect(Number(row.nobs)).toBe(g.step1.nobs)
    }
  })

  test('Sobel, Aroian and Goodman z and p as R computes them', () => {
    for (const m of MEDIATORS) {
      const g = fx(m)
      const row = ind.find((r) => r.mediator === m)!
      expectClose(f[`z_sobel(${m})`], g.tests_full.z.sobel, { rel: 1e-8 }, `${m} z_sobel`)
      expectClose(f[`p_sobel(${m})`], g.tests_full.p.sobel, { rel: 1e-8 }, `${m} p_sobel`)
      expectClose(f[`p_aroian(${m})`], g.tests_full.p.aroian, { rel: 1e-8 }, `${m} p_aroian`)
      expectClose(f[`p_goodman(${m})`], g.tests_full.p.goodman, { rel: 1e-8 }, `${m} p_goodman`)
      expectClose(Number(row.z_goodman), g.tests_full.z.goodman, { rel: 1e-8 }, `${m} indirect.csv z_goodman`)
    }
  })

  test('every replayed draw of a·b within 1e-8 of R; percentile and BC intervals', () => {
    const draws = csv(result, 'draws.csv')
    expect(draws).toHaveLength(guns.draws * MEDIATORS.length)
    let worst = 0
    for (const d of draws) worst = Math.max(worst, Math.abs(Number(d.indirect) - fx(d.mediator).boot.ab[Number(d.draw) - 1]))
    expect(worst).toBeLessThan(1e-8)
    for (const m of MEDIATORS) {
      const g = fx(m), row = ind.find((r) => r.mediator === m)!
      expectClose(f[`ci_low(${m})`], g.boot.percentile[0], { rel: 1e-8 }, `${m} percentile low`)
      expectClose(f[`ci_high(${m})`], g.boot.percentile[1], { rel: 1e-8 }, `${m} percentile high`)
      expectClose(Number(row.ci_low_bc), g.boot.bc[0], { rel: 1e-8 }, `${m} BC low`)
      expectClose(Number(row.ci_high_bc), g.boot.bc[1], { rel: 1e-8 }, `${m} BC high`)
    }
    expect(f.draws).toBe(guns.draws)
    expect(ctx.progressCalls.at(-1)).toEqual([guns.draws, guns.draws])
  })

  test('the stacked table: Panel A (two mediators), Panel B (one, padded), M and Y heads', () => {
    const md = result.files!['table.md'] as string
    expect(md).toContain('|  | M | Y | M | Y |\n|:---|:---:|:---:|:---:|:---:|\n|  | (1) | (2) | (3) | (4) |')
    expect(md).toMatch(/\*Panel A\. Dependent variables: \(1\) lprisoners; \(2\) ln violent crime; \(3\) density; \(4\) ln violent crime\*/)
    expect(md).toMatch(/\*Panel B\. Dependent variables: \(1\) lincome; \(2\) ln violent crime\*/)
    const law = md.split('\n').filter((l) => l.startsWith('| Shall-carry law'))
    expect(law).toHaveLength(2)
    expect(law[1].split('|').length).toBe(law[0].split('|').length)
    const a = fx('lprisoners').step2.terms.law
    expect(law[0]).toContain(a.estimate.toFixed(3))
    expect(md).toContain('| N | 1,173 | 1,173 | 1,173 | 1,173 |')
    expect(md).toMatch(/state FE \| Yes/)
    for (const ext of ['tex', 'html', 'csv']) expect(result.files![`table.${ext}`]).toContain('Panel B')
    expect(csv(result, 'tidy.csv').filter((r) => r.term === 'law')).toHaveLength(9)
  })

  test('indirect.svg draws one interval per mediator', () => {
    const svg = result.files!['indirect.svg'] as string
    expect(svg).toMatch(/^<svg/)
    expect(svg).toContain('lincome')
    expect(svg).toContain('percentile bootstrap CI')
  })
})

describe('the default variance (nested) and random draws', () => {
  test('nested K: the SEs and Sobel p of R scaled by √((N−K_full)/(N−K_nested))', async () => {
    const up = await model({ ...baselineParams, small_sample: 'nested' })
    const { result } = await run({ bootstrap: 20 }, { up })
    for (const m of MEDIATORS) {
      expectClose(result.facts![`se_a(${m})`], fx(m).step2.terms.law.se_nested, { rel: 1e-8 }, `${m} nested se_a`)
      expectClose(result.facts![`p_sobel(${m})`], fx(m).tests_nested.p.sobel, { rel: 1e-8 }, `${m} nested p_sobel`)
    }
  })

  test('same seed, same bytes, whatever the thread count; another seed, other draws; BC interval on request', async () => {
    const a = await run({ bootstrap: 60 })
    const b = await run({ bootstrap: 60 }, { threads: 2 })
    const c = await run({ bootstrap: 60 }, { seed: 8 })
    const bc = await run({ bootstrap: 60, interval: 'bc' })
    expect(b.result.files!['draws.csv']).toBe(a.result.files!['draws.csv'])
    expect(b.result.files!['indirect.csv']).toBe(a.result.files!['indirect.csv'])
    expect(c.result.files!['draws.csv']).not.toBe(a.result.files!['draws.csv'])
    const row = csv(a.result, 'indirect.csv').find((r) => r.mediator === 'density')!
    expect(bc.result.facts!['ci_low(density)']).toBe(Number(row.ci_low_bc))
    expect(a.result.facts!['ci_low(density)']).toBe(Number(row.ci_low_percentile))
    expect(a.result.facts!.draws).toBe(60)
  })
})

describe('a mediator with missing values', () => {
  test('its three steps use its own rows; the others keep the full sample', async () => {
    const x = Float64Array.from(gunsFrame.numbers('lincome'), (v, i) => (i % 7 === 0 ? NaN : v))
    const up = await model(baselineParams, did, gunsFrame.withColumn('lincome', { type: 'number', data: x }))
    const { result } = await run({ bootstrap: 30 }, { up })
    const ind = csv(result, 'indirect.csv')
    const nobs = Object.fromEntries(ind.map((r) => [r.mediator, Number(r.nobs)]))
    expect(nobs).toEqual({ lprisoners: 1173, density: 1173, lincome: 1173 - Math.ceil(1173 / 7) })
    const f = result.facts!
    // c = c′ + a·b on the mediator's own sample, and its c differs from the full-sample one
    for (const m of MEDIATORS) expectClose(f[`total(${m})`], f[`direct(${m})`] + f[`indirect(${m})`], { rel: 1e-9 }, `${m} c = c′ + ab`)
    expect(f['total(lincome)']).not.toBe(f['total(density)'])
    expect(csv(result, 'draws.csv').filter((r) => r.mediator === 'lincome' && r.indirect !== '')).toHaveLength(30)
  })
})

describe('steps: two', () => {
  test('only the total effect and a, with the test of a; no bootstrap', async () => {
    const { result, ctx } = await run({ steps: 'two', bootstrap: 50 })
    const ind = csv(result, 'indirect.csv')
    expect(Object.keys(ind[0])).toEqual(['mediator', 'a', 'se_a', 't_a', 'p_a', 'total', 'nobs'])
    expectClose(result.facts!['p_a(density)'], fx('density').step2.terms.law.p_full, { rel: 1e-7 }, 'p_a')
    expectClose(result.facts!['total(density)'], fx('density').step1.terms.law.estimate, { rel: 1e-8 }, 'total')
    expect(result.facts!['b(density)']).toBeUndefined()
    expect(result.files!['draws.csv']).toBeUndefined()
    expect(result.files!['table.md']).toContain('Two-step design')
    expect(ctx.logs.some((l) => l.level === 'warn' && /ignored/.test(l.message))).toBe(true)
  })
})

describe('errors', () => {
  test.each([
    ['the outcome', ['density', 'lviolent'], 1, 'INVALID_VALUE', /is the outcome/],
    ['the treatment', ['law'], 0, 'INVALID_VALUE', /is the treatment/],
    ['a control', ['male'], 0, 'INVALID_VALUE', /is a control/],
    ['a missing column', ['density', 'lprisonrs'], 1, 'MISSING_COLUMN', /did you mean `lprisoners`/],
    ['a text column', ['state'], 0, 'BAD_DATA', /text column/],
  ])('a mediator equal to %s', async (_, mediators, k, code, message) => {
    const e = await quasiError(run({ mediators, bootstrap: 5 }))
    expect(e.code).toBe(code)
    expect(e.param).toEqual(['mediators', k])
    expect(e.message).toMatch(message)
  })

  test('a constant mediator', async () => {
    const frame = gunsFrame.withColumn('flat', { type: 'number', data: new Float64Array(gunsFrame.nrows).fill(3) })
    const up = await model(baselineParams, did, frame)
    const e = await quasiError(run({ mediators: ['density', 'flat'], bootstrap: 5 }, { up }))
    expect(e.code).toBe('NO_VARIATION')
    expect(e.param).toEqual(['mediators', 1])
  })

  test('a regress model has no treatment', async () => {
    const up = await model({ from: 'guns', outcome: 'lviolent', regressors: ['law'], cluster: 'state' }, regress as never)
    const e = await quasiError(run({}, { up }))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['model'])
    expect(e.message).toMatch(/not a difference-in-differences specification/)
  })

  // `bootstrap: 0` (and negative) is refused by the schema at its position: test/e2e/bad/mediation-bootstrap-zero.yaml.

  test.each([
    ['missing columns', 'draw\n1\n', 'MISSING_COLUMN', /no column `cluster`/],
    ['an unknown cluster', 'draw,cluster\n1,Atlantis\n', 'BAD_DATA', /cluster `Atlantis` is not a cluster/],
  ])('resamples: %s', async (_, text, code, message) => {
    const e = await quasiError(run({}, { files: { resamples: text } }))
    expect(e.code).toBe(code)
    expect(e.param).toEqual(['resamples'])
    expect(e.message).toMatch(message)
  })
})
