/**
 * The policy-mix stage against R (test/fixtures/policy-mix/make.R: lm with dummies, sandwich,
 * suest written out from the influence functions): every column's estimates and standard
 * errors, the synergy and joint-minus-sum tests, the joint-exposure event study; then the
 * files, facts, `model:` reuse, event-compare, and the errors of bad input.
 */
import { describe, expect, test } from 'vitest'
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { ArtifactValues, StageOutput, StageResult } from '../../src/stage.ts'
import did from '../../stages/did/stage.ts'
import eventCompare from '../../stages/event-compare/stage.ts'
import policyMix from '../../stages/policy-mix/stage.ts'
import type { PolicyMixParams } from '../../stages/policy-mix/params.ts'
import fixture from '../fixtures/policy-mix/policy-mix.json' with { type: 'json' }
import { makeTestContext } from '../helpers/context.ts'
import { expectClose, readCsvFrame } from '../unit/stats/helpers.ts'

/** The acceptance tolerances: estimates 1e-8, standard errors and test statistics 1e-6 (relative). */
const COEF = { rel: 1e-8, abs: 1e-12 }
const SE = { rel: 1e-6 }
const P = { rel: 1e-6, abs: 1e-14 }

interface FixtureModel { name: string; nobs: number; r2: number; df: number; coef: Record<string, number>; se: Record<string, number>; p: Record<string, number> }
interface FixtureTest { test: string; estimate: number | null; std_error: number | null; statistic: number; df1: number; df2: number | null; p: number }
interface FixtureCase {
  id: string; params: Record<string, unknown>; pair: string[]; models: FixtureModel[]; tests: FixtureTest[]
  event: { coef: Record<string, number>; se: Record<string, number>; nobs: number; pretrend: { f: number; df1: number; df2: number; p: number }; both_units: number }
}
const cases = (fixture as unknown as { cases: FixtureCase[] }).cases

const demoFrame = (() => {
  const f = readCsvFrame('pipelines/data/cluster_gie_panel.csv')
  const inv = f.numbers('green_inv'), uti = f.numbers('green_uti')
  return f.withColumn('lnpat', { type: 'number', data: inv.map((v, i) => Math.log(1 + v + uti[i])) })
})()
const synthetic: Record<string, Frame> = {
  weighted: readCsvFrame('test/fixtures/policy-mix/weighted.csv'),
  three: readCsvFrame('test/fixtures/policy-mix/three.csv'),
}
const frameOf = (id: string): Frame => (id === 'demo' ? demoFrame : id === 'robust' ? synthetic.weighted : id.startsWith('three') ? synthetic.three : synthetic[id])
const panelOf = (id: string) => (id === 'demo' ? { unit: 'city', time: 'year' } : { unit: 'unit', time: 'year' })

const DEFAULTS = { window: [-4, 4] as [number, number], reference: -1, level: 0.95 }

async function run(params: Partial<PolicyMixParams>, inputs: Record<string, Frame | (Partial<StageOutput> & Partial<ArtifactValues>)> = { vars: demoFrame }, panel = { unit: 'city', time: 'year' }) {
  const ctx = makeTestContext<PolicyMixParams>({ params: { ...DEFAULTS, ...params } as PolicyMixParams, inputs, panel, stage: 'mix', kind: 'policy-mix' })
  const result = await policyMix.run(ctx)
  return { result, ctx, files: result.files as Record<string, string> }
}

async function quasiError(p: Promise<unknown>): Promise<QuasiError> {
  try { await p } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

/** CSV cells of a line; quoted cells (the tests' names have commas) lose their quotes. */
const cells = (line: string): string[] => [...line.matchAll(/"([^"]*)"|([^,]*)/g)].filter((m) => m.index === 0 || line[m.index - 1] === ',').map((m) => m[1] ?? m[2])
const csv = (text: string) => text.trim().split('\n').map(cells)
function rowsOf(text: string): Record<string, string>[] {
  const [head, ...rest] = csv(text)
  return rest.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])))
}

describe.each(cases.map((c) => [c.id, c] as const))('%s against R', async (id, c) => {
  const { result, files } = await run({ from: 'vars', ...(c.params as Partial<PolicyMixParams>) }, { vars: frameOf(id) }, panelOf(id))
  const tidy = rowsOf(files['tidy.csv'])
  const glance = rowsOf(files['glance.csv'])

  test.each(c.models.map((m) => [m.name, m] as const))('column %s: estimates, standard errors, p-values, N, R²', (name, m) => {
    const rows = tidy.filter((r) => r.model === name)
    expect(rows.map((r) => r.term)).toEqual(Object.keys(m.coef))
    for (const r of rows) {
      expectClose(Number(r.estimate), m.coef[r.term], COEF, `${id} ${name} ${r.term} estimate`)
      expectClose(Number(r['std.error']), m.se[r.term], SE, `${id} ${name} ${r.term} std.error`)
      expectClose(Number(r['p.value']), m.p[r.term], P, `${id} ${name} ${r.term} p.value`)
    }
    const g = glance.find((r) => r.model === name)!
    expect(Number(g.nobs)).toBe(m.nobs)
    expectClose(Number(g['r.squared']), m.r2, COEF, `${id} ${name} r2`)
  })

  test('tests: synergy F(1, df), joint F of the products, joint − sum χ²(1) (suest)', () => {
    const got = rowsOf(files['tests.csv'])
    expect(got.map((r) => r.test)).toEqual(c.tests.map((t) => t.test))
    for (const t of c.tests) {
      const r = got.find((x) => x.test === t.test)!
      if (t.estimate !== null) expectClose(Number(r.estimate), t.estimate, COEF, `${id} ${t.test} estimate`)
      if (t.std_error !== null) expectClose(Number(r['std.error']), t.std_error, SE, `${id} ${t.test} std.error`)
      expectClose(Number(r.statistic), t.statistic, SE, `${id} ${t.test} statistic`)
      expect(Number(r['df.num'])).toBe(t.df1)
      if (t.df2 === null) expect(r['df.den']).toBe('')
      else expect(Number(r['df.den'])).toBe(t.df2)
      expectClose(Number(r['p.value']), t.p, P, `${id} ${t.test} p`)
    }
  })

  test('event study of the joint exposure: coefficients, standard errors, pre-trend F', () => {
    const rows = tidy.filter((r) => r.model === 'event')
    expect(rows.map((r) => r.term)).toEqual(Object.keys(c.event.coef))
    for (const r of rows) {
      expectClose(Number(r.estimate), c.event.coef[r.term], COEF, `${id} event ${r.term}`)
      expectClose(Number(r['std.error']), c.event.se[r.term], SE, `${id} event ${r.term} se`)
    }
    const f = result.facts!
    expectClose(f.pretrend_F, c.event.pretrend.f, SE, `${id} pretrend F`)
    expectClose(f.pretrend_p, c.event.pretrend.p, P, `${id} pretrend p`)
    expect(f.pretrend_df).toBe(c.event.pretrend.df1)
    expect(f.both_units).toBe(c.event.both_units)
  })

  test('facts: the interacted column, synergy, joint, sum of separate, alone(<policy>)', () => {
    const f = result.facts!
    const inter = c.models.find((m) => m.name === 'interacted')!
    for (const [term, b] of Object.entries(inter.coef)) {
      expectClose(f[`coef(${term})`], b, COEF, `coef(${term})`)
      expectClose(f[`se(${term})`], inter.se[term], SE, `se(${term})`)
    }
    const [a, b] = c.pair
    const head = c.tests.find((t) => t.test === `synergy(${a},${b})`)!
    expectClose(f.synergy, head.estimate!, COEF, 'synergy')
    expectClose(f[`synergy(${a},${b})`], head.estimate!, COEF, 'synergy(a,b)')
    expectClose(f.synergy_p, head.p, P, 'synergy_p')
    const cats = c.models.find((m) => m.name === 'categories')!
    expectClose(f.joint, cats.coef.both, COEF, 'joint')
    const alone = (p: string) => c.models.find((m) => m.name === `alone(${p})`)!.coef[p]
    expectClose(f[`alone(${a})`], alone(a), COEF, 'alone(a)')
    expectClose(f.sum_separate, alone(a) + alone(b), COEF, 'sum_separate')
    expectClose(f.joint_minus_sum_p, c.tests.find((t) => t.test === 'joint_minus_sum')!.p, P, 'joint_minus_sum_p')
    expect(result.model!.main).toBe(c.models.findIndex((m) => m.name === 'interacted'))
    for (const t of c.tests.filter((x) => x.test.startsWith('synergy('))) {
      const key = t.test.slice('synergy'.length)
      expectClose(f[`synergy${key}`], t.estimate!, COEF, t.test)
      expectClose(f[`synergy_p${key}`], t.p, P, `${t.test} p`)
    }
    const all = c.tests.find((t) => t.test === 'synergies')
    if (all) {
      expectClose(f.synergies_F, all.statistic, SE, 'synergies_F')
      expectClose(f.synergies_p, all.p, P, 'synergies_p')
    } else expect(f.synergies_F).toBeUndefined()
  })
})

describe('the demo panel: table, files, data', async () => {
  const { result, files, ctx } = await run({ from: 'vars', outcome: 'lnpat', controls: ['fin', 'urban', 'gov', 'industry'], cluster: 'city', policies: { cluster: 'pilot_year', lowcarbon: { adoption: 'lowcarbon_year' } } })

  test('the table has one column per specification, the tests under them, and the FE rows', () => {
    const md = files['table.md']
    expect(md).toContain('|  | (1) | (2) | (3) | (4) | (5) |')
    expect(md).toContain('| Specification | Alone | Alone | Additive | Interacted | Categories |')
    expect(md).toContain('| cluster × lowcarbon |')
    expect(md).toContain('| cluster and lowcarbon |')
    expect(md).toMatch(/\| Synergy cluster × lowcarbon: F\(1, 279\) \|  \|  \|  \| 9\.526 \[p = 0\.002\] \|  \|/)
    expect(md).toMatch(/\| Joint − sum of separate: χ²\(1\) \|( {2}\|){4} 0\.029 \[p = 0\.864\] \|/)
    expect(md).toContain('| city FE | Yes | Yes | Yes | Yes | Yes |')
    for (const f of ['table.tex', 'table.html', 'table.csv', 'event_study.md', 'event_study.tex', 'event_study.html', 'event_study.csv']) expect(files[f].length).toBeGreaterThan(100)
    expect(files['event_study.svg']).toMatch(/^<svg/)
    expect(files['event_study.svg']).toContain('Event study of the joint exposure')
  })

  test('the categories column is the interacted one reparametrized: both = β_a + β_b + δ', () => {
    const f = result.facts!
    expectClose(f.joint, f['coef(cluster)'] + f['coef(lowcarbon)'] + f['coef(cluster:lowcarbon)'], { rel: 1e-10 }, 'identity')
  })

  test('the frame carries the post indicators and the categories; `both` starts at the later adoption year', () => {
    const fr = result.frame!
    const t = fr.numbers('year'), a = fr.numbers('pilot_year'), b = fr.numbers('lowcarbon_year'), both = fr.numbers('both')
    for (let i = 0; i < fr.nrows; i++) {
      const want = a[i] === a[i] && b[i] === b[i] && t[i] >= Math.max(a[i], b[i]) ? 1 : 0
      expect(both[i]).toBe(want)
    }
    expect(fr.has('cluster_only') && fr.has('lowcarbon_only') && fr.has('cluster')).toBe(true)
  })

  test('data publishes the event-study series and the tests; progress reaches the end', () => {
    const data = result.data as { event_study: { periods: { k: number; reference: boolean }[]; level: number }; tests: { test: string }[] }
    expect(data.event_study.periods.map((x) => x.k)).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4])
    expect(data.event_study.periods.find((x) => x.k === -1)!.reference).toBe(true)
    expect(data.tests.map((t) => t.test)).toEqual(['synergy(cluster,lowcarbon)', 'joint_minus_sum'])
    expect(ctx.progressCalls.at(-1)).toEqual([6, 6])
  })

  test('event-compare overlays the joint exposure beside another series', async () => {
    const ctx2 = makeTestContext({ params: { stages: ['mix'] }, inputs: { mix: { kind: 'policy-mix', data: result.data, model: result.model } }, stage: 'cmp', kind: 'event-compare' })
    const out = await eventCompare.run(ctx2 as never) as StageResult
    const facts = out.facts!
    expect(facts.estimators).toBe(1)
    const tidy = rowsOf(files['tidy.csv']).filter((r) => r.model === 'event')
    expect(facts['estimate(mix,2)']).toBe(Number(tidy.find((r) => r.term === 'post2')!.estimate))
    expect((out.files as Record<string, string>)['estimates.csv']).toContain('Joint exposure (policy mix)')
  })

  test('the same run twice gives the same bytes', async () => {
    const again = await run({ from: 'vars', outcome: 'lnpat', controls: ['fin', 'urban', 'gov', 'industry'], cluster: 'city', policies: { cluster: 'pilot_year', lowcarbon: { adoption: 'lowcarbon_year' } } })
    expect(again.files).toEqual(files)
  })
})

test('titles and labels reach the table and the figure', async () => {
  const { files } = await run({
    from: 'vars', outcome: 'lnpat', cluster: 'city', policies: { cluster: 'pilot_year', lowcarbon: 'lowcarbon_year' },
    titles: { table: 'Table 6. Two pilots', event: 'Figure 4. Both pilots' }, labels: { cluster: 'Cluster pilot' },
  })
  expect(files['table.md']).toMatch(/^\*\*Table 6\. Two pilots\*\*/)
  expect(files['table.md']).toContain('| Cluster pilot × lowcarbon |')
  expect(files['table.md']).toContain('| Cluster pilot only |')
  expect(files['event_study.md']).toMatch(/^\*\*Figure 4\. Both pilots\*\*/)
  expect(files['event_study.svg']).toContain('Figure 4. Both pilots')
})

describe('model: a did stage', () => {
  test('inherits outcome, controls, fixed effects and clustering; the did treatment is replaced by the policies', async () => {
    const dctx = makeTestContext({ params: { from: 'vars', outcome: 'lnpat', treatment: { adoption: 'pilot_year' }, controls: ['fin', 'urban', 'gov', 'industry'], cluster: 'city', stepwise: false, digits: 3 }, inputs: { vars: demoFrame }, panel: { unit: 'city', time: 'year' }, stage: 'baseline', kind: 'did' })
    const base = await did.run(dctx as never) as StageResult
    const { result } = await run({ model: 'baseline', policies: { cluster: 'pilot_year', lowcarbon: 'lowcarbon_year' } }, { baseline: { kind: 'did', frame: base.frame, model: base.model } })
    const demo = cases.find((c) => c.id === 'demo')!
    const inter = demo.models.find((m) => m.name === 'interacted')!
    expectClose(result.facts!['coef(cluster:lowcarbon)'], inter.coef['cluster:lowcarbon'], COEF, 'synergy through model:')
    expectClose(result.facts!['se(cluster:lowcarbon)'], inter.se['cluster:lowcarbon'], SE, 'se through model:')
    expect(result.model!.models[0].controls).toEqual(['fin', 'urban', 'gov', 'industry'])
  })
})

describe('bad input', () => {
  const frame = synthetic.weighted
  const panel = { unit: 'unit', time: 'year' }
  const base = { from: 'vars', outcome: 'y', cluster: 'unit' }

  test('identical timing: the interaction is not identified, naming both policies', async () => {
    const e = await quasiError(run({ ...base, policies: { a: 'a_year', a2: 'a_year' } }, { vars: frame }, panel))
    expect(e.code).toBe('INVALID_SPEC')
    expect(e.message).toBe('the interaction of `a` and `a2` is not identified: the two policies have identical timing: they switch on in the same year in every unit')
    expect(e.param).toEqual(['policies', 'a2'])
    expect(e.hint).toContain('drop one of the two policies')
  })

  test('a product collinear with the main effects (every b unit already has a): not identified', async () => {
    // b = a's year for units with a, never otherwise, but a year later: b implies a, and a:b = b
    const a = frame.numbers('a_year')
    const late = frame.withColumn('b_late', { type: 'number', data: a.map((v) => (v === v ? v + 1 : NaN)) })
    const e = await quasiError(run({ ...base, policies: { a: 'a_year', b: 'b_late' } }, { vars: late }, panel))
    expect(e.code).toBe('INVALID_SPEC')
    expect(e.message).toMatch(/^the interaction of `a` and `b` is not identified: their product `a:b` is collinear/)
  })

  test('a pair that no unit has both of: not identified', async () => {
    const a = frame.numbers('a_year'), b = frame.numbers('b_year')
    const apart = frame.withColumn('b_apart', { type: 'number', data: b.map((v, i) => (a[i] === a[i] ? NaN : v)) })
    const e = await quasiError(run({ ...base, policies: { a: 'a_year', b: 'b_apart' } }, { vars: apart }, panel))
    expect(e.code).toBe('INVALID_SPEC')
    expect(e.message).toBe('the interaction of `a` and `b` is not identified: no unit is exposed to both in the estimation sample')
  })

  test('a policy nobody adopts', async () => {
    const none = frame.withColumn('z_year', { type: 'number', data: new Float64Array(frame.nrows) })
    const e = await quasiError(run({ ...base, policies: { a: 'a_year', z: 'z_year' } }, { vars: none }, panel))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.message).toBe('policy `z` is never adopted in the estimation sample: `z_year` is missing or 0 in every row')
    expect(e.param).toEqual(['policies', 'z'])
  })

  test('an unknown adoption column, with a suggestion', async () => {
    const e = await quasiError(run({ ...base, policies: { a: 'a_year', b: { adoption: 'b_yaer' } } }, { vars: frame }, panel))
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.message).toContain('did you mean `b_year`?')
    expect(e.param).toEqual(['policies', 'b', 'adoption'])
  })

  test('check: `pair` names a policy that is not there; fewer than two policies is the schema\'s', () => {
    const errs = policyMix.check!({ ...DEFAULTS, ...base, policies: { a: 'a_year', b: 'b_year' }, pair: ['a', 'c'] } as PolicyMixParams)
    expect(errs.map((e) => [e.code, e.param])).toEqual([['INVALID_VALUE', ['pair', 1]]])
    expect((policyMix.params as { properties: { policies: { minProperties: number } } }).properties.policies.minProperties).toBe(2)
  })

  test('a control that is a policy term', async () => {
    const f2 = frame.withColumn('a', { type: 'number', data: new Float64Array(frame.nrows) })
    const e = await quasiError(run({ ...base, controls: ['x', 'a'], policies: { a: 'a_year', b: 'b_year' } }, { vars: f2 }, panel))
    expect(e.code).toBe('INVALID_SPEC')
    expect(e.param).toEqual(['controls', 1])
  })

  test('two-way clustering: the suest test is left out with a warning', async () => {
    const { result, ctx, files } = await run({ ...base, cluster: ['unit', 'year'], policies: { a: 'a_year', b: 'b_year' } }, { vars: frame }, panel)
    expect(ctx.logs.some((l) => l.level === 'warn' && l.message.includes('clustered two ways (unit, year)'))).toBe(true)
    expect(result.facts!.joint_minus_sum_p).toBeUndefined()
    expect(rowsOf(files['tests.csv']).map((r) => r.test)).toEqual(['synergy(a,b)'])
    expect(Number.isFinite(result.facts!.synergy_p)).toBe(true)
  })
})
