/**
 * The regress stage against R on the traffic-fatalities panel (AER::Fatalities): every
 * fixture model (beer tax with state and year effects; controls and interactions written
 * `a*b` and `a:b`; state and region × year effects) under every variance convention, and
 * its `test:` hypotheses, through the stage's parameters. Fixture and generator:
 * test/fixtures/regress/ (make.R: lm with dummies, sandwich, plm, car). The kernel itself is
 * checked against the same fixture in test/unit/stats/ols/fatalities.test.ts.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { readCsv } from '../../src/artifacts/csv.ts'
import { QuasiError } from '../../src/errors.ts'
import regress from '../../stages/regress/stage.ts'
import type { RegressParams } from '../../stages/regress/params.ts'
import fixture from '../fixtures/regress/fatalities.json' with { type: 'json' }
import { makeTestContext } from '../helpers/context.ts'
import { expectClose, root } from '../unit/stats/helpers.ts'

const COEF_REL = 1e-8
const SE_REL = 1e-6
const WALD_REL = 1e-6

interface VcovCase { vcov: 'iid' | 'hc1' | 'cluster'; small_sample: 'nested' | 'full' | 'slopes' | 'cr0'; se: Record<string, number> }
interface HypothesisCase { text: string; vcov: VcovCase['vcov']; small_sample: VcovCase['small_sample']; f: number; df_den: number; p_f: number; chi2: number; p_chi2: number }
interface Model {
  id: string
  spec: { outcome: string; regressors: string[]; fixed_effects: string[]; cluster: string }
  terms: string[]; nobs: number; coef: Record<string, number>; vcov: VcovCase[]; hypotheses: HypothesisCase[]
}
const fx = fixture as unknown as { header: { data: string }; models: Model[] }

const data = (() => {
  const { frame } = readCsv(readFileSync(root + fx.header.data, 'utf8'), { file: fx.header.data, types: { state: 'string', region: 'string' } })
  const fatal = frame.numbers('fatal'), pop = frame.numbers('pop')
  return frame.withColumn('frate', { type: 'number', data: fatal.map((f, i) => (f / pop[i]) * 10000) })
})()
const panel = { unit: 'state', time: 'year' }

async function run(params: RegressParams, inputs: Record<string, unknown> = { data }) {
  const ctx = makeTestContext<RegressParams>({ params: { level: 0.95, ...params }, inputs: inputs as never, panel, stage: 'fe', kind: 'regress' })
  return { result: await regress.run(ctx), ctx }
}

async function quasiError(p: Promise<unknown>): Promise<QuasiError> {
  try { await p } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

describe.each(fx.models.map((m) => [m.id, m] as const))('Fatalities model %s through `regress`', (_id, m) => {
  test.each(m.vcov.map((v) => [`${v.vcov}/${v.small_sample}`, v] as const))('%s: coefficients, standard errors and Wald tests agree with R', async (_label, v) => {
    const hyps = m.hypotheses.filter((h) => h.vcov === v.vcov && h.small_sample === v.small_sample)
    const { result } = await run({
      from: 'data', outcome: m.spec.outcome, regressors: m.spec.regressors, fixed_effects: m.spec.fixed_effects,
      ...(v.vcov === 'cluster' ? { cluster: m.spec.cluster } : {}), vcov: v.vcov, small_sample: v.small_sample, singletons: 'keep',
      test: hyps.map((h) => h.text),
    })
    const model = result.model!.models[0]
    expect(model.nobs).toBe(m.nobs)
    expect(model.terms.map((t) => t.term)).toEqual(m.terms)
    for (const t of model.terms) {
      expectClose(t.estimate, m.coef[t.term], { rel: COEF_REL }, `${m.id}/${v.vcov}/${v.small_sample}/${t.term} coef`)
      expectClose(t.stdError, v.se[t.term], { rel: SE_REL }, `${m.id}/${v.vcov}/${v.small_sample}/${t.term} se`)
    }
    hyps.forEach((h, i) => {
      const name = `h${i + 1}`
      expectClose(result.facts![`wald_F(${name})`], h.f, { rel: WALD_REL }, `${m.id} ${h.text} F`)
      expectClose(result.facts![`wald_p(${name})`], h.p_f, { rel: WALD_REL, abs: 1e-14 }, `${m.id} ${h.text} p(F)`)
      expectClose(result.facts![`wald_chi2(${name})`], h.chi2, { rel: WALD_REL }, `${m.id} ${h.text} chi2`)
      expectClose(result.facts![`wald_p_chi2(${name})`], h.p_chi2, { rel: WALD_REL, abs: 1e-14 }, `${m.id} ${h.text} p(chi2)`)
    })
    if (hyps.length) expect((result.files as Record<string, string>)['tests.csv'].split('\n')[0]).toBe('test,hypothesis,df.num,df.den,statistic,p.value,chi.sq,p.chi.sq,estimate,std.error')
  })
})

describe('regress as a user meets it', () => {
  const base: RegressParams = { from: 'data', outcome: 'frate', regressors: ['beertax'], fixed_effects: ['state', 'year'], cluster: 'state' }

  test('the table, tidy.csv, the model artifact and named tests', async () => {
    const { result } = await run({ ...base, labels: { beertax: 'Beer tax' }, title: 'Traffic deaths and the beer tax', test: { zero: 'beertax = 0' } })
    const files = result.files as Record<string, string>
    expect(files['table.md']).toContain('**Traffic deaths and the beer tax**')
    expect(files['table.md']).toContain('| Beer tax |')
    expect(files['table.md']).toContain('state FE | Yes')
    expect(files['table.md']).toMatch(/Wald tests .*beertax = 0: F\(1, 47\)/)
    expect(files['tidy.csv'].split('\n')[1]).toMatch(/^\(1\),beertax,/)
    expect(result.model!.models[0].spec).toMatchObject({ outcome: 'frate', regressors: ['beertax'], cluster: ['state'], small_sample: 'nested' })
    expect(result.model!.models[0].sample.keys).toHaveLength(336)
    expect(result.facts!['wald_p(zero)']).toBeCloseTo(result.facts!['p(beertax)'], 12)
  })

  test('model: reuse inherits everything, including labels, and overrides what is given', async () => {
    const { result: parent } = await run({ ...base, labels: { beertax: 'Beer tax' } })
    const { result } = await run({ model: 'parent', small_sample: 'slopes' }, { parent: { frame: parent.frame, model: parent.model, kind: 'regress' } })
    const spec = result.model!.models[0].spec as { regressors: string[]; small_sample: string; labels: Record<string, string> }
    expect(spec.regressors).toEqual(['beertax'])
    expect(spec.small_sample).toBe('slopes')
    expect((result.files as Record<string, string>)['table.md']).toContain('| Beer tax |')
  })

  test('`small_sample: none` still works for one version, with a deprecation warning', async () => {
    const { result, ctx } = await run({ ...base, small_sample: 'none' })
    const { result: cr0 } = await run({ ...base, small_sample: 'cr0' })
    expect(result.model!.models[0].terms[0].stdError).toBe(cr0.model!.models[0].terms[0].stdError)
    expect(ctx.logs.some((l) => l.level === 'warn' && l.message.includes('`small_sample: none` is deprecated'))).toBe(true)
  })

  test('a hypothesis naming an unknown term points into `test:` and suggests the term', async () => {
    const e = await quasiError(run({ ...base, test: ['beertax = 0', 'beertx = 0'] }))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['test', 1])
    expect(e.message).toContain('beertx')
    expect(e.message).toContain('beertax')
  })

  test('a missing regressor and a text column in an interaction are named with their parameter', async () => {
    const miss = await quasiError(run({ ...base, regressors: ['beertax', 'unemp:incme'] }))
    expect(miss.code).toBe('MISSING_COLUMN')
    expect(miss.param).toEqual(['regressors', 1])
    const text = await quasiError(run({ ...base, regressors: ['beertax:region'] }))
    expect(text.code).toBe('BAD_DATA')
    expect(text.param?.[0]).toBe('regressors')
  })

  test('a one-level cluster is an error on `cluster`', async () => {
    const one = data.withColumn('nation', { type: 'string', data: Array.from({ length: data.nrows }, () => 'us') })
    const e = await quasiError(run({ ...base, cluster: 'nation' }, { data: one }))
    expect(e.param).toEqual(['cluster'])
  })
})
