/**
 * The spatial-tests stage on plm::Produc with queen contiguity (test/fixtures/spatial-models/make.R):
 * LM tests (spdep::lm.LMtests on the stacked demeaned data), LR and Wald tests of the SDM against
 * the SAR and the SEM (from the written-out Elhorst ML), the Hausman test (plm::phtest).
 */
import { describe, expect, test } from 'vitest'
import type { Weights } from '../../src/artifacts/weights.ts'
import { QuasiError } from '../../src/errors.ts'
import spatialTests from '../../stages/spatial-tests/stage.ts'
import type { SpatialTestsParams } from '../../stages/spatial-tests/params.ts'
import { chisqPValue } from '../../src/stats/dist.ts'
import { makeTestContext } from '../helpers/context.ts'
import { expectClose } from '../unit/stats/helpers.ts'
import { composite, models, produc, units, wDist, wQueen, weightsOf } from '../unit/stats/spatial/fixture.ts'

const panel = { unit: 'state', time: 'year' }
const REG = ['lpcap', 'lpc', 'lemp', 'unemp']

async function run(params: Partial<SpatialTestsParams>, weights: Weights = weightsOf({ label: 'W', matrix: wQueen })) {
  const ctx = makeTestContext<SpatialTestsParams>({
    params: { from: 'produc', weights: 'w', outcome: 'lgsp', regressors: REG, ...params } as SpatialTestsParams,
    inputs: { produc, w: { kind: 'spatial-weights', weights } }, panel, stage: 'tests', kind: 'spatial-tests',
  })
  return { result: await spatialTests.run(ctx), ctx }
}

describe('two-way FE on Produc', async () => {
  const { result } = await run({})
  const f = result.facts!

  test('LM tests equal spdep::lm.LMtests (1e-8 relative)', () => {
    expectClose(f.lm_lag, models.lm.LMlag, { rel: 1e-8 }, 'lm_lag')
    expectClose(f.lm_err, models.lm.LMerr, { rel: 1e-8 }, 'lm_err')
    expectClose(f.rlm_lag, models.lm.RLMlag, { rel: 1e-8 }, 'rlm_lag')
    expectClose(f.rlm_err, models.lm.RLMerr, { rel: 1e-8 }, 'rlm_err')
    expectClose(f.p_lm_lag, chisqPValue(models.lm.LMlag, 1), { rel: 1e-8 }, 'p_lm_lag')
  })

  test('LR and Wald tests of the SDM against SAR and SEM', () => {
    expectClose(f.lr_sar, models.lr.sar, { rel: 1e-6 }, 'lr_sar')
    expectClose(f.lr_sem, models.lr.sem, { rel: 1e-6 }, 'lr_sem')
    expectClose(f.wald_sar, models.wald.sar, { rel: 1e-6 }, 'wald_sar')
    expectClose(f.wald_sem, models.wald.sem, { rel: 1e-6 }, 'wald_sem')
    expectClose(f.p_wald_sem, chisqPValue(models.wald.sem, 4), { rel: 1e-5 }, 'p_wald_sem')
  })

  test('Hausman equals plm::phtest (two-way, Swamy–Arora)', () => {
    expectClose(f.hausman, models.hausman.twoways.statistic, { rel: 1e-8 }, 'hausman')
    expectClose(f.p_hausman, models.hausman.twoways.p, { rel: 1e-6 }, 'p_hausman')
  })

  test('the paper table lists every test with statistic, df and p', () => {
    const md = result.files!['tests.md'] as string
    for (const l of ['LM lag', 'Robust LM lag', 'LM error', 'Robust LM error', 'LR test: SDM against SAR', 'Wald test: SDM against SEM', 'Hausman test: FE against RE']) expect(md).toContain(l)
    const csv = (result.files!['tests.csv'] as string).trim().split('\n')
    expect(csv[0]).toBe('test,label,statistic,df,p')
    expect(csv.map((l) => l.split(',')[0]).slice(1)).toEqual(['lm_lag', 'rlm_lag', 'lm_err', 'rlm_err', 'lr_sar', 'lr_sem', 'wald_sar', 'wald_sem', 'hausman'])
  })
})

test('unit effects: Hausman with individual effects (plm::phtest)', async () => {
  const { result } = await run({ fixed_effects: ['state'] })
  expectClose(result.facts!.hausman, models.hausman.individual.statistic, { rel: 1e-8 }, 'hausman/individual')
})

test('time effects only: no Hausman test, said in the log', async () => {
  const { result, ctx } = await run({ fixed_effects: ['year'] })
  expect(result.facts!.hausman).toBeUndefined()
  expect(ctx.logs.some((l) => l.message.includes('no Hausman test'))).toBe(true)
})

describe('several candidates', () => {
  const grid: Weights = { units, style: 'row', description: 'composite', candidates: [0, 1].map((a) => ({ label: `a = ${a}`, a, matrix: composite(a, wQueen, wDist) })) }
  test('without `a`: a coded error listing the candidates', async () => {
    try { await run({}, grid); throw new Error('no error') } catch (e) {
      expect(e).toBeInstanceOf(QuasiError)
      expect((e as QuasiError).code).toBe('MISSING_PARAM')
      expect((e as QuasiError).hint).toContain('0, 1')
    }
  })
  test('with `a: 1` the queen candidate gives the same tests as queen alone', async () => {
    const { result } = await run({ a: 1 }, grid)
    expectClose(result.facts!.lm_lag, models.lm.LMlag, { rel: 1e-8 }, 'lm_lag at a = 1')
  })
})
