/**
 * The spatial stage on plm::Produc with queen contiguity between the lower-48 states
 * (test/fixtures/spatial-models/make.R): SAR, SEM and SDM against the Elhorst ML in R, the
 * model artifact, effects, the composite-W grid and its choice, a spatial DID, and the
 * errors of the list.
 */
import { describe, expect, test } from 'vitest'
import { Frame } from '../../src/artifacts/frame.ts'
import { Matrix, inverse } from 'ml-matrix'
import { sparseToDense, type Weights } from '../../src/artifacts/weights.ts'
import { QuasiError } from '../../src/errors.ts'
import did from '../../stages/did/stage.ts'
import spatial from '../../stages/spatial/stage.ts'
import table from '../../stages/table/stage.ts'
import type { TableParams } from '../../stages/_estimation/table-params.ts'
import type { SpatialParams } from '../../stages/spatial/params.ts'
import { makeTestContext } from '../helpers/context.ts'
import { expectClose } from '../unit/stats/helpers.ts'
import { composite, models, produc, units, wDist, wQueen, weightsOf } from '../unit/stats/spatial/fixture.ts'

const panel = { unit: 'state', time: 'year' }
const queen = weightsOf({ label: 'W', matrix: wQueen })
const REG = ['lpcap', 'lpc', 'lemp', 'unemp']

async function run(params: Partial<SpatialParams>, opts: { frame?: Frame; weights?: Weights; seed?: number } = {}) {
  const ctx = makeTestContext<SpatialParams>({
    params: { from: 'produc', weights: 'w', model: 'sdm', outcome: 'lgsp', regressors: REG, select: 'aic', effects_draws: 200, correction: 'none', logdet: 'exact', ...params } as SpatialParams,
    inputs: { produc: opts.frame ?? produc, w: { kind: 'spatial-weights', weights: opts.weights ?? queen } },
    panel, stage: 'sdm', kind: 'spatial', seed: opts.seed ?? 3,
  })
  const result = await spatial.run(ctx)
  return { result, ctx }
}

async function quasiError(p: Promise<unknown>): Promise<QuasiError> {
  try { await p } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

describe('two-way fixed effects against R', () => {
  for (const model of ['sar', 'sem', 'sdm'] as const) {
    test(`${model}: terms, SEs, logLik, AIC, BIC, sigma2`, async () => {
      const { result } = await run({ model })
      const ref = models.fits[`${model}_twoways`]
      const m = result.model!.models[0]
      expect(m.estimator).toBe('ml')
      const param = model === 'sem' ? 'lambda' : 'rho'
      expect(m.terms.map((t) => t.term)).toEqual([...ref.terms, param])
      ref.terms.forEach((name, j) => {
        expectClose(m.terms[j].estimate, ref.beta[j], { rel: 1e-6 }, `${model}/${name}`)
        expectClose(m.terms[j].stdError, ref.se[j], { rel: 1e-6 }, `${model}/se(${name})`)
      })
      const k = ref.terms.length
      expectClose(result.facts![`coef(${param})`], ref.rho, { rel: 1e-6 }, `${model}/${param}`)
      expectClose(result.facts![`se(${param})`], ref.se[k], { rel: 1e-6 }, `${model}/se(${param})`)
      expectClose(result.facts!.logLik, ref.logLik, { rel: 1e-9 }, `${model}/logLik`)
      expectClose(result.facts!.AIC, ref.AIC, { rel: 1e-9 }, `${model}/AIC`)
      expectClose(result.facts!.BIC, ref.BIC, { rel: 1e-9 }, `${model}/BIC`)
      expectClose(result.facts!.sigma2, ref.sigma2, { rel: 1e-6 }, `${model}/sigma2`)
      expect(result.facts!.N).toBe(48)
      expect(result.facts!.T).toBe(17)
      const glance = (result.files!['glance.csv'] as string).split('\n')
      expect(glance[0]).toBe('model,nobs,N,T,logLik,AIC,BIC,sigma2')
      expect(result.files!['tidy.csv']).toContain(`${model.toUpperCase()},${param},`)
    })
  }

  test('sdm effects: exact within 1e-8 of R, simulated SEs in effects.csv and the facts', async () => {
    const { result } = await run({ model: 'sdm' })
    const ref = models.fits.sdm_twoways.effects as unknown as { term: string; direct: number; indirect: number; total: number }[]
    for (const r of ref) {
      for (const c of ['direct', 'indirect', 'total'] as const) expectClose(result.facts![`${c}(${r.term})`], r[c], { rel: 1e-8, abs: 1e-12 }, `${c}(${r.term})`)
      expect(result.facts![`se_total(${r.term})`]).toBeGreaterThan(0)
    }
    expect((result.files!['effects.csv'] as string).split('\n')[0]).toBe('term,direct,se_direct,p_direct,indirect,se_indirect,p_indirect,total,se_total,p_total')
    expect(result.files!['effects.md']).toContain('Direct')
  })

  test('effects are byte-identical for the same seed and differ for another', async () => {
    const a = await run({ model: 'sar' }), b = await run({ model: 'sar' }), c = await run({ model: 'sar' }, { seed: 4 })
    expect(a.result.files!['effects.csv']).toBe(b.result.files!['effects.csv'])
    expect(c.result.files!['effects.csv']).not.toBe(a.result.files!['effects.csv'])
  })

  test('correction: elhorst moves rho as the fixture says and notes it under the table', async () => {
    const { result } = await run({ correction: 'elhorst', effects_draws: 0 })
    expectClose(result.facts!['coef(rho)'], models.bias_corrected.sdm_twoways.rho, { rel: 1e-8 }, 'bc rho')
    expectClose(result.facts!.logLik, models.fits.sdm_twoways.logLik, { rel: 1e-12 }, 'logLik at the maximum')
    expect(result.files!['table.md']).toContain('Bias-corrected')
  })

  test('correction: transformation gives the Lee–Yu transformed ML of the fixture, notes the sample size, and refuses splm lags', async () => {
    const { result } = await run({ correction: 'transformation', effects_draws: 0 })
    const ref = models.transformation.sdm_twoways
    expectClose(result.facts!['coef(rho)'], ref.rho, { rel: 1e-8 }, 'tr rho')
    expectClose(result.facts!['se(rho)'], ref.se[ref.terms.length], { rel: 1e-7 }, 'tr se(rho)')
    expectClose(result.facts!.logLik, ref.logLik, { rel: 1e-10 }, 'tr logLik')
    expectClose(result.facts!.BIC, ref.BIC, { rel: 1e-10 }, 'tr BIC')
    expect(result.files!['table.md']).toContain('transformed to (N − 1 = 47) × (T − 1 = 16) observations')
    expect((result.model!.models[0].spec as Record<string, unknown>).correction).toBe('transformation')
    const e = await quasiError(run({ correction: 'transformation', lag_convention: 'splm' }))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['correction'])
    expect(e.hint).toContain('lag_convention: elhorst')
  })

  test('correction: transformation with time effects and weights that are not row-standardized: INVALID_VALUE at `correction`', async () => {
    const binary = { ...wQueen, values: wQueen.values.map(() => 1) }
    const e = await quasiError(run({ correction: 'transformation' }, { weights: { ...weightsOf({ label: 'W', matrix: binary }), style: 'binary' } }))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['correction'])
    expect(e.hint).toContain('style: row')
    // unit effects only: no such requirement, and rho equals the direct approach's (Lee and Yu 2010)
    const u = await run({ correction: 'transformation', fixed_effects: ['state'], effects_draws: 0 })
    expectClose(u.result.facts!['coef(rho)'], models.fits.sdm_unit.rho, { rel: 1e-10 }, 'unit: rho as direct')
    expectClose(u.result.facts!.sigma2, models.transformation.sdm_unit.sigma2, { rel: 1e-10 }, 'unit: sigma2 on N(T − 1)')
  })

  test('logdet: monte-carlo stays within 5e-3 of the exact rho on Produc and is reproducible', async () => {
    const a = await run({ logdet: 'monte-carlo', effects_draws: 0 }), b = await run({ logdet: 'monte-carlo', effects_draws: 0 })
    expect(Math.abs(a.result.facts!['coef(rho)'] - models.fits.sdm_twoways.rho)).toBeLessThan(5e-3)
    expect(a.result.files!['tidy.csv']).toBe(b.result.files!['tidy.csv'])
    expect(a.result.files!['table.md']).toContain('Monte Carlo')
  })

  test('unit fixed effects and the splm lag convention', async () => {
    const u = await run({ fixed_effects: ['state'] })
    expectClose(u.result.facts!['coef(rho)'], models.fits.sdm_unit.rho, { rel: 1e-6 }, 'sdm_unit/rho')
    const s = await run({ lag_convention: 'splm' })
    expectClose(s.result.facts!['coef(rho)'], models.fits.sdm_twoways_splm.rho, { rel: 1e-6 }, 'splm/rho')
    expectClose(s.result.facts!.logLik, models.fits.sdm_twoways_splm.logLik, { rel: 1e-9 }, 'splm/logLik')
  })
})

test('the table stage puts SAR, SEM and SDM side by side from their model artifacts', async () => {
  const sets = Object.fromEntries(await Promise.all((['sar', 'sem', 'sdm'] as const).map(async (m) => [m, { model: (await run({ model: m, effects_draws: 0 })).result.model, kind: 'spatial' }])))
  const ctx = makeTestContext<TableParams>({ params: { columns: ['sar', 'sem', 'sdm'] } as TableParams, inputs: sets, panel, stage: 'table9', kind: 'table' })
  const out = await table.run(ctx)
  const tidy = (out.files!['tidy.csv'] as string).trim().split('\n').slice(1).map((l) => l.split(','))
  expect(tidy.filter((r) => r[1] === 'rho').map((r) => r[0])).toEqual(['(1)', '(3)'])
  expect(tidy.filter((r) => r[1] === 'lambda').map((r) => r[0])).toEqual(['(2)'])
  expect(Number(tidy.find((r) => r[0] === '(3)' && r[1] === 'W*lpc')![2])).toBeCloseTo(models.fits.sdm_twoways.beta[5], 12)
  const md = out.files!['table.md'] as string
  expect(md).toContain('ρ')
  expect(md).toContain('λ')
  expect(md).toContain('| Log-likelihood | 1659.487 | 1672.824 | 1680.623 |')
  expect(md).not.toContain('R²')
})

describe('composite W over a grid of a', () => {
  const grid: Weights = { units, style: 'row', description: 'a·queen + (1 − a)·inverse distance', candidates: models.grid.map((g) => ({ label: `a = ${g.a}`, a: g.a, matrix: composite(g.a, wQueen, wDist) })) }

  test('fits every candidate, writes grid.csv and grid.svg, chooses the a minimising AIC', async () => {
    const { result } = await run({ model: 'sdm', effects_draws: 0 }, { weights: grid })
    const lines = (result.files!['grid.csv'] as string).trim().split('\n')
    expect(lines[0]).toBe('a,logLik,AIC,BIC,rho,chosen')
    models.grid.forEach((g, k) => {
      const [a, ll, aic, bic, rho] = lines[k + 1].split(',').map(Number)
      expect(a).toBe(g.a)
      expectClose(ll, g.logLik, { rel: 1e-9 }, `grid ${g.a} logLik`)
      expectClose(aic, g.AIC, { rel: 1e-9 }, `grid ${g.a} AIC`)
      expectClose(bic, g.BIC, { rel: 1e-9 }, `grid ${g.a} BIC`)
      expectClose(rho, g.rho, { rel: 1e-6 }, `grid ${g.a} rho`)
    })
    const best = models.grid.reduce((a, b) => (b.AIC < a.AIC ? b : a))
    expect(result.facts!.a).toBe(best.a)
    // The chosen row, and only it, is flagged in grid.csv.
    expect(lines.slice(1).filter((l) => l.endsWith(',1')).map((l) => Number(l.split(',')[0]))).toEqual([best.a])
    expectClose(result.facts!['coef(rho)'], best.rho, { rel: 1e-6 }, 'chosen rho')
    expect(result.files!['grid.svg']).toMatch(/^<svg/)
  })

  test('with `correction: transformation` every candidate is compared by the transformed likelihood', async () => {
    const { result } = await run({ model: 'sdm', effects_draws: 0, correction: 'transformation' }, { weights: grid })
    const rows = (result.files!['grid.csv'] as string).trim().split('\n').slice(1).map((l) => l.split(',').map(Number))
    for (const [k, g] of models.grid.entries()) {
      const one = await run({ model: 'sdm', effects_draws: 0, correction: 'transformation' }, { weights: { ...grid, candidates: [grid.candidates[k]] } })
      expect(rows[k][1]).toBe(one.result.facts!.logLik)
      expect(rows[k][1]).not.toBeCloseTo(g.logLik, 3) // not the direct approach's
    }
    expect(result.facts!.logLik).toBe(rows.find((r) => r[5] === 1)![1])
  })

  test('AIC and BIC choose the same a (one k across candidates), so `select: bic` gives the same model and no warning', async () => {
    const a = await run({ model: 'sem', effects_draws: 0 }, { weights: grid })
    const b = await run({ model: 'sem', effects_draws: 0, select: 'bic' }, { weights: grid })
    expect(b.result.facts!.a).toBe(a.result.facts!.a)
    expect(b.result.facts!['coef(lambda)']).toBe(a.result.facts!['coef(lambda)'])
    expect(b.ctx.logs.some((l) => l.level === 'warn' && l.message.includes('disagree'))).toBe(false)
  })
})

describe('spatial DID', () => {
  // A made-up policy: states in the first third adopt in 1980 (public data has no such policy; the
  // point is the treatment's handling, checked against the same model with the 0/1 column given).
  const adopt = Float64Array.from(produc.column('state')!.data as string[], (s) => (units.indexOf(s) < 16 ? 1980 : NaN))
  const years = produc.numbers('year')
  const d = Float64Array.from(adopt, (a, i) => (a <= years[i] ? 1 : 0))
  const frame = produc.withColumn('pilot', { type: 'number', data: adopt }).withColumn('treated', { type: 'number', data: d })

  test('`{adoption}` builds did; the SDM has did and W*did; same as the 0/1 column', async () => {
    const a = await run({ treatment: { adoption: 'pilot' }, regressors: ['lpcap', 'lpc'] }, { frame })
    const b = await run({ treatment: 'treated', regressors: ['lpcap', 'lpc'] }, { frame })
    const terms = a.result.model!.models[0].terms.map((t) => t.term)
    expect(terms).toEqual(['did', 'lpcap', 'lpc', 'W*did', 'W*lpcap', 'W*lpc', 'rho'])
    expect(a.result.model!.models[0].focus).toBe('did')
    expect(a.result.facts!['coef(did)']).toBe(b.result.facts!['coef(treated)'])
    expect(a.result.facts!['total(did)']).toBe(b.result.facts!['total(treated)'])
  })
})

test('`spec:` takes outcome, treatment, controls and fixed effects from a did stage; `with:` overrides', async () => {
  const adopt = Float64Array.from(produc.column('state')!.data as string[], (st) => (units.indexOf(st) % 3 === 0 ? 1978 : NaN))
  const frame = produc.withColumn('pilot', { type: 'number', data: adopt })
  const dctx = makeTestContext({ params: { from: 'produc', outcome: 'lgsp', treatment: { adoption: 'pilot' }, controls: ['lpcap', 'lpc'], small_sample: 'nested', digits: 3 }, inputs: { produc: frame }, panel, stage: 'baseline', kind: 'did' })
  const base = await did.run(dctx as never)
  const ctx = (params: Record<string, unknown>) => makeTestContext<SpatialParams>({
    params: { weights: 'w', model: 'sdm', select: 'aic', effects_draws: 0, correction: 'none', logdet: 'exact', ...params } as SpatialParams,
    inputs: { baseline: { kind: 'did', frame: base.frame, model: base.model }, produc: frame, w: { kind: 'spatial-weights', weights: queen } }, panel, stage: 'sdm', kind: 'spatial',
  })
  const viaSpec = await spatial.run(ctx({ spec: 'baseline' }))
  const explicit = await spatial.run(ctx({ from: 'produc', outcome: 'lgsp', treatment: { adoption: 'pilot' }, regressors: ['lpcap', 'lpc'] }))
  expect(viaSpec.model!.models[0].terms.map((t) => t.term)).toEqual(['did', 'lpcap', 'lpc', 'W*did', 'W*lpcap', 'W*lpc', 'rho'])
  expect(viaSpec.facts!['coef(did)']).toBe(explicit.facts!['coef(did)'])
  const fewer = await spatial.run(ctx({ spec: 'baseline', regressors: ['lpc'] }))
  expect(fewer.model!.models[0].terms.map((t) => t.term)).toEqual(['did', 'lpc', 'W*did', 'W*lpc', 'rho'])
})

describe('bad input', () => {
  test('validate: an unknown column in `with:` is reported before anything runs, at its position', () => {
    const ctx = { input: (param: string) => (param === 'from' ? produc.names : undefined), header: () => undefined, panel }
    const { errors } = spatial.columns!({ from: 'produc', weights: 'w', model: 'sdm', outcome: 'lgsp', regressors: ['lpc', 'lpcx'] } as SpatialParams, ctx)
    expect(errors).toHaveLength(1)
    expect(errors[0].code).toBe('MISSING_COLUMN')
    expect(errors[0].param).toEqual(['regressors', 1])
    expect(spatial.columns!({ spec: 'baseline', weights: 'w', model: 'sdm' } as SpatialParams, { ...ctx, input: () => undefined }).errors).toHaveLength(0)
  })

  test('units of the data and of the weights differ: WEIGHTS_MISMATCH naming both sides', async () => {
    const other: Weights = { ...queen, units: [...units.slice(0, 47), 'PUERTO_RICO'] }
    const e = await quasiError(run({}, { weights: other }))
    expect(e.code).toBe('WEIGHTS_MISMATCH')
    expect(e.param).toEqual(['weights'])
    expect(e.message).toContain('`WYOMING`')
    expect(e.message).toContain('`PUERTO_RICO`')
  })

  test('an unbalanced panel: UNBALANCED_PANEL at `from`', async () => {
    const keep = new Uint8Array(produc.nrows).fill(1)
    keep[5] = 0
    const e = await quasiError(run({}, { frame: produc.filter(keep) }))
    expect(e.code).toBe('UNBALANCED_PANEL')
    expect(e.param).toEqual(['from'])
    expect(e.message).toMatch(/unit `\w+` has no row for period 1970/)
  })

  test('a missing value in a regressor names it', async () => {
    const x = Float64Array.from(produc.numbers('lpc')); x[10] = NaN
    const e = await quasiError(run({}, { frame: produc.withColumn('lpc', { type: 'number', data: x }) }))
    expect(e.code).toBe('BAD_DATA')
    expect(e.param).toEqual(['regressors', 1])
  })

  test('no fixed effects: refused (the models have no intercept)', async () => {
    const e = await quasiError(run({ fixed_effects: [] }))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['fixed_effects'])
  })

  test('a regressor absorbed by the unit effects: SINGULAR_DESIGN at `regressors`', async () => {
    const region = Float64Array.from(produc.column('state')!.data as string[], (st) => units.indexOf(st) % 5)
    const e = await quasiError(run({ regressors: ['lpc', 'region'] }, { frame: produc.withColumn('region', { type: 'number', data: region }) }))
    expect(e.code).toBe('SINGULAR_DESIGN')
    expect(e.param).toEqual(['regressors'])
    expect(e.hint).toContain('absorbed')
  })

  test('a fixed effect other than the panel unit and time', async () => {
    const e = await quasiError(run({ fixed_effects: ['state', 'lpc'] }))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['fixed_effects', 1])
  })

  test('an unknown regressor suggests the nearest column', async () => {
    const e = await quasiError(run({ regressors: ['lpcap', 'lcp'] }))
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.param).toEqual(['regressors', 1])
    expect(e.hint).toContain('lpc')
  })

  test('rho at the boundary: a warning', async () => {
    const { result, ctx } = await run({ model: 'sar', outcome: 'yy', regressors: ['unemp'], effects_draws: 0 }, { frame: produc.withColumn('yy', { type: 'number', data: boundaryOutcome() }) })
    expect(result.facts!['coef(rho)']).toBeGreaterThan(0.9999)
    expect(ctx.logs.some((l) => l.level === 'warn' && l.message.includes('edge of its interval'))).toBe(true)
  })
})

/** y_t = (I − ρ₀W)⁻¹(unemp_t + 10⁻⁶ noise) with ρ₀ = 1 − 10⁻⁷: the estimate of ρ sits at the edge of its interval. */
function boundaryOutcome(): Float64Array {
  const n = wQueen.n, rho0 = 1 - 1e-7
  const A = Matrix.eye(n).sub(new Matrix(Array.from(sparseToDense(wQueen), (r) => Array.from(r))).mul(rho0))
  const Ai = inverse(A)
  const states = produc.column('state')!.data as string[], years = produc.numbers('year'), x = produc.numbers('unemp')
  const out = new Float64Array(produc.nrows)
  for (const yr of new Set(years)) {
    const rows = [...years.keys()].filter((r) => years[r] === yr)
    const e = new Array<number>(n).fill(0)
    for (const r of rows) e[units.indexOf(states[r])] = x[r] + 1e-6 * Math.sin(r * 12.9898)
    const u = Ai.mmul(Matrix.columnVector(e)).to1DArray()
    for (const r of rows) out[r] = u[units.indexOf(states[r])]
  }
  return out
}
