/**
 * The did stage on the demo panel: estimates against the R fixture (test/fixtures/ols/demo.json,
 * from test/fixtures/ols/make.R), the files it writes, `model:` reuse, and the errors of the issue's
 * acceptance list.
 */
import { describe, expect, test } from 'vitest'
import { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageOutput } from '../../src/stage.ts'
import did from '../../stages/did/stage.ts'
import type { DidParams } from '../../stages/did/params.ts'
import demo from '../fixtures/ols/demo.json' with { type: 'json' }
import { makeTestContext } from '../helpers/context.ts'
import { count, fixed, stars } from '../../src/report/table.ts'
import { expectClose, readCsvFrame } from '../unit/stats/helpers.ts'
import type { FixtureFile } from '../unit/stats/ols/fixture-suite.ts'

/** The acceptance tolerances of issue 5: coefficients 1e-8, standard errors 1e-6 (relative). */
const COEF_REL = 1e-8
const SE_REL = 1e-6

const fixture = demo as unknown as FixtureFile
const panelFrame = (() => {
  const f = readCsvFrame('pipelines/data/cluster_gie_panel.csv')
  const inv = f.numbers('green_inv'), uti = f.numbers('green_uti')
  return f.withColumn('lnpat', { type: 'number', data: inv.map((v, i) => Math.log(1 + v + uti[i])) })
})()
const panel = { unit: 'city', time: 'year' }
const CONTROLS = ['fin', 'urban', 'gov', 'industry']

async function runDid(params: DidParams, inputs: Record<string, Frame | Partial<StageOutput>> = { vars: panelFrame }) {
  const ctx = makeTestContext<DidParams>({ params: { small_sample: 'nested', stepwise: false, digits: 3, ...params }, inputs, panel, stage: 'baseline', kind: 'did' })
  const result = await did.run(ctx)
  return { result, ctx }
}

async function quasiError(p: Promise<unknown>): Promise<QuasiError> {
  try { await p } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

const baseline: DidParams = { from: 'vars', outcome: 'lnpat', treatment: { adoption: 'pilot_year' }, controls: CONTROLS, cluster: 'city', stepwise: true }

describe('stepwise baseline on the demo panel', async () => {
  const { result, ctx } = await runDid(baseline)
  const files = result.files as Record<string, string>
  const tidy = files['tidy.csv'].trim().split('\n').map((l) => l.split(','))

  test('columns (1) … (5): no controls, then one control added at a time', () => {
    const models = result.model!.models
    expect(models.map((c) => c.label)).toEqual(['(1)', '(2)', '(3)', '(4)', '(5)'])
    expect(models.map((c) => c.controls.length)).toEqual([0, 1, 2, 3, 4])
    expect(result.model!.main).toBe(4)
    expect(ctx.progressCalls.at(-1)).toEqual([5, 5])
  })

  test.each([
    ['(1)', 'demo_did'],
    ['(5)', 'demo_did_controls'],
  ])('column %s matches R (%s, clustered by city, nested K)', (col, id) => {
    const m = fixture.models.find((x) => x.id === id)!
    const v = m.vcov.find((x) => x.vcov === 'cluster' && x.cluster.join() === 'city' && x.small_sample === 'nested')!
    const rows = tidy.filter((r) => r[0] === col)
    expect(rows.map((r) => r[1])).toEqual(Object.keys(m.coef))
    for (const r of rows) {
      expectClose(Number(r[2]), m.coef[r[1]], { rel: COEF_REL }, `${col} ${r[1]} estimate`)
      expectClose(Number(r[3]), v.se[r[1]], { rel: SE_REL }, `${col} ${r[1]} std.error`)
    }
  })

  test('tidy.csv and glance.csv follow the broom convention', () => {
    expect(tidy[0]).toEqual(['model', 'term', 'estimate', 'std.error', 'statistic', 'p.value', 'conf.low', 'conf.high'])
    expect(tidy.length - 1).toBe(1 + 2 + 3 + 4 + 5)
    const glance = files['glance.csv'].trim().split('\n').map((l) => l.split(','))
    expect(glance[0]).toEqual(['model', 'nobs', 'r.squared', 'adj.r.squared', 'within.r.squared', 'df.residual', 'n.clusters', 'logLik', 'AIC', 'BIC'])
    const m = fixture.models.find((x) => x.id === 'demo_did_controls')!
    expect(glance[5][1]).toBe(String(m.nobs))
    expectClose(Number(glance[5][2]), m.r2, { rel: COEF_REL }, 'r.squared')
    expectClose(Number(glance[5][4]), m.within_r2!, { rel: COEF_REL }, 'within.r.squared')
    expect(glance[5][6]).toBe('280')
  })

  test('facts of the main model for expectations', () => {
    const m = fixture.models.find((x) => x.id === 'demo_did_controls')!
    expectClose(result.facts!['coef(did)'], m.coef.did, { rel: COEF_REL }, 'coef(did)')
    expect(result.facts!['p(did)']).toBeLessThan(0.05)
    expect(result.facts!.nobs).toBe(m.nobs)
    expect(result.facts!.columns).toBe(5)
    expect(result.facts!.n_clusters).toBe(280)
  })

  test('the paper-style table: stars, parentheses, FE and controls rows, N and R²', () => {
    // Expected cells from tidy.csv (itself checked against R above), formatted as papers print them.
    const did = tidy.filter((r) => r[1] === 'did')
    const coefCells = did.map((r) => `${fixed(Number(r[2]), 3)}${stars(Number(r[5]))}`)
    const seCells = did.map((r) => `(${fixed(Number(r[3]), 3)})`)
    expect(stars(Number(did[0][5]))).not.toBe('') // the demo effect is significant: stars are exercised
    const nobs = ['demo_did', 'demo_did_controls'].map((id) => fixture.models.find((x) => x.id === id)!.nobs)
    const md = files['table.md']
    const sup = (c: string) => c.replace(/(\*+)$/, '<sup>$1</sup>')
    expect(md).toContain(`| did | ${coefCells.map(sup).join(' | ')} |`)
    expect(md).toContain(`|  | ${seCells.join(' | ')} |`)
    expect(md).toContain('| city FE | Yes | Yes | Yes | Yes | Yes |')
    expect(md).toContain('| Controls | No | Yes | Yes | Yes | Yes |')
    expect(md).toContain(`| N | ${count(nobs[0])} |`)
    expect(md).toContain(`${count(nobs[1])} |\n| R² |`)
    expect(md).toContain('Standard errors clustered by city in parentheses')
    const tex = files['table.tex']
    expect(tex).toContain('\\toprule')
    expect(tex).toContain(`did & ${coefCells[0].replace(/(\*+)$/, '$^{$1}$')} &`)
    expect(tex).toContain('$R^2$ &')
    expect(tex.match(/\\midrule/g)!.length).toBe(3)
    const html = files['table.html']
    expect(html).toContain('<table class="regression">')
    expect(html).toContain(`<td>did</td><td>${sup(coefCells[0])}</td>`)
    expect(files['table.csv'].split('\n')[1]).toBe(`did,${coefCells.join(',')}`)
  })

  test('the frame passes through with the treatment column, for later stages', () => {
    expect(result.frame!.nrows).toBe(4200)
    const d = result.frame!.numbers('did'), year = result.frame!.numbers('year'), pilot = result.frame!.numbers('pilot_year')
    for (let i = 0; i < d.length; i++) expect(d[i]).toBe(Number.isFinite(pilot[i]) && year[i] >= pilot[i] ? 1 : 0)
  })

  test('model: reuse with overrides keeps the specification and changes what is overridden', async () => {
    const up = { frame: result.frame, model: result.model, kind: 'did' }
    const { result: r2 } = await runDid({ model: 'baseline', sample: 'year >= 2010', stepwise: false }, { baseline: up })
    const spec = r2.model!.models[0].spec as { controls: string[]; cluster: string[]; sample: string }
    expect(spec.controls).toEqual(CONTROLS)
    expect(spec.cluster).toEqual(['city'])
    expect(spec.sample).toBe('year >= 2010')
    expect(r2.model!.models).toHaveLength(1)
    expect(r2.model!.models[0].nobs).toBeLessThan(4051)
    expect(r2.facts!.columns).toBe(1)
  })
})

describe('errors of the acceptance list', () => {
  test('a missing outcome column names the parameter and suggests a name', async () => {
    const e = await quasiError(runDid({ ...baseline, outcome: 'lnpta' }))
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.param).toEqual(['outcome'])
    expect(e.message).toContain('did you mean `lnpat`?')
  })
  test('a treatment with no variation', async () => {
    const f = panelFrame.withColumn('never', { type: 'number', data: new Float64Array(panelFrame.nrows) })
    const e = await quasiError(runDid({ ...baseline, treatment: 'never' }, { vars: f }))
    expect(e.code).toBe('NO_VARIATION')
    expect(e.param).toEqual(['treatment'])
    expect(e.message).toBe('treatment `never` has no variation: the treatment is 0 in every row')
  })
  test('a rank-deficient design: a treatment constant within units', async () => {
    const pilot = panelFrame.numbers('pilot_year')
    const f = panelFrame.withColumn('ever', { type: 'number', data: pilot.map((p) => (Number.isFinite(p) ? 1 : 0)) })
    const e = await quasiError(runDid({ ...baseline, treatment: 'ever', stepwise: false }, { vars: f }))
    expect(e.code).toBe('SINGULAR_DESIGN')
    expect(e.param).toEqual(['treatment'])
    expect(e.message).toContain('collinear with the fixed effects')
    expect(e.exitStatus).toBe(1)
  })
  test('a cluster variable with one level (fewer than 2 clusters)', async () => {
    const f = panelFrame.withColumn('country', { type: 'string', data: new Array(panelFrame.nrows).fill('CN') })
    const e = await quasiError(runDid({ ...baseline, cluster: 'country' }, { vars: f }))
    expect(e.code).toBe('INVALID_SPEC')
    expect(e.param).toEqual(['cluster'])
    expect(e.message).toContain('at least 2 clusters are needed')
    expect(e.exitStatus).toBe(2)
  })
  test('a treatment that is not 0/1', async () => {
    const e = await quasiError(runDid({ ...baseline, treatment: 'pilot_year' }))
    expect(e.code).toBe('BAD_DATA')
    expect(e.message).toContain('must be 0 or 1')
  })
  test('neither from nor model', () => {
    const errs = did.check!({ outcome: 'y' } as DidParams)
    expect(errs.map((e) => e.code)).toEqual(['MISSING_PARAM'])
    expect(errs[0].message).toContain('`from`, `treatment`')
  })
  test('a bad sample expression points into it', async () => {
    const e = await quasiError(runDid({ ...baseline, sample: 'yeer >= 2010' }))
    expect(e.param).toEqual(['sample'])
    expect(e.message).toContain('yeer')
  })
})

describe('model: reuse', () => {
  test('keys left unset inherit the parent specification (small_sample, singletons), set keys override it', async () => {
    const parentCtx = makeTestContext<DidParams>({ params: { ...baseline, stepwise: false, small_sample: 'full', singletons: 'keep' }, inputs: { vars: panelFrame }, panel, stage: 'parent', kind: 'did' })
    const parent = await did.run(parentCtx)
    const childCtx = makeTestContext<DidParams>({
      params: { model: 'parent', outcome: 'lnpat', controls: ['fin'] },
      inputs: { parent: { frame: parent.frame, model: parent.model, kind: 'did' } },
      panel, stage: 'child', kind: 'did',
    })
    const child = await did.run(childCtx)
    const spec = child.model!.models[0].spec as { small_sample: string; singletons: string; controls: string[]; cluster: string[] }
    expect(spec.small_sample).toBe('full')
    expect(spec.singletons).toBe('keep')
    expect(spec.controls).toEqual(['fin'])
    expect(spec.cluster).toEqual(['city'])
  })
})
