/**
 * The spatial ML kernel on plm::Produc with queen contiguity between the lower-48 states,
 * against the written-out Elhorst ML in test/fixtures/spatial-models/make.R (itself checked
 * there against spatialreg's lagsarlm/errorsarlm on the stacked demeaned data).
 */
import { describe, expect, test } from 'vitest'
import { fitSpatial, type LagConvention, type SpatialModel } from '../../../../src/stats/spatial/ml.ts'
import { panelLayout, stack, type SpatialEffects } from '../../../../src/stats/spatial/panel.ts'
import { spectrum } from '../../../../src/stats/spatial/spectrum.ts'
import type { SparseMatrix } from '../../../../src/artifacts/weights.ts'
import { expectClose } from '../helpers.ts'
import { composite, models, produc, REGRESSORS, units, wDist, wQueen } from './fixture.ts'

const layout = panelLayout(produc.column('state')!.data as string[], produc.numbers('year'), units)
const y = stack(produc.numbers('lgsp'), layout, 'lgsp')
const x = REGRESSORS.map((c) => stack(produc.numbers(c), layout, c))

function fit(model: SpatialModel, effects: SpatialEffects, convention: LagConvention = 'elhorst', w: SparseMatrix = wQueen) {
  return fitSpatial(model, { n: layout.n, t: layout.t, y, x, names: REGRESSORS, w, spectrum: spectrum(w), effects, convention })
}

type FitRef = (typeof models.fits)['sdm_twoways']

function compare(name: string, ref: FitRef, got: ReturnType<typeof fit>) {
  expectClose(got.rho, ref.rho, { rel: 1e-6 }, `${name}/rho`)
  got.beta.forEach((b, j) => expectClose(b, ref.beta[j], { rel: 1e-6, abs: 1e-9 }, `${name}/${ref.terms[j]}`))
  expectClose(got.logLik, ref.logLik, { rel: 1e-9 }, `${name}/logLik`)
  expectClose(got.sigma2, ref.sigma2, { rel: 1e-6 }, `${name}/sigma2`)
  expectClose(got.aic, ref.AIC, { rel: 1e-9 }, `${name}/AIC`)
  expectClose(got.bic, ref.BIC, { rel: 1e-9 }, `${name}/BIC`)
  const m = got.k
  for (let j = 0; j < m; j++) expectClose(Math.sqrt(got.vcov[j * m + j]), ref.se[j], { rel: 1e-6 }, `${name}/se[${j}]`)
  expect(got.names).toEqual(ref.terms)
}

describe('ML fits against R (Produc, queen W)', () => {
  const cases: [keyof typeof models.fits, SpatialModel, SpatialEffects, LagConvention][] = [
    ['sar_twoways', 'sar', 'twoways', 'elhorst'],
    ['sem_twoways', 'sem', 'twoways', 'elhorst'],
    ['sdm_twoways', 'sdm', 'twoways', 'elhorst'],
    ['sdm_unit', 'sdm', 'unit', 'elhorst'],
    ['sem_time', 'sem', 'time', 'elhorst'],
    ['sdm_twoways_splm', 'sdm', 'twoways', 'splm'],
    ['sar_twoways_splm', 'sar', 'twoways', 'splm'],
    ['sem_twoways_splm', 'sem', 'twoways', 'splm'],
  ]
  for (const [name, model, fe, conv] of cases) test(name, () => compare(name, models.fits[name] as FitRef, fit(model, fe, conv)))

  test('Elhorst bias correction (Lee–Yu) against the same formula written out in R', () => {
    for (const [name, model, fe] of [['sar_twoways', 'sar', 'twoways'], ['sem_twoways', 'sem', 'twoways'], ['sdm_twoways', 'sdm', 'twoways'], ['sdm_unit', 'sdm', 'unit'], ['sem_time', 'sem', 'time']] as const) {
      const ref = models.bias_corrected[name]
      const got = fitSpatial(model, { n: layout.n, t: layout.t, y, x, names: REGRESSORS, w: wQueen, spectrum: spectrum(wQueen), effects: fe, convention: 'elhorst' }, undefined, { correction: 'elhorst' })
      expectClose(got.rho, ref.rho, { rel: 1e-8 }, `${name}/bc rho`)
      got.beta.forEach((b, j) => expectClose(b, ref.beta[j], { rel: 1e-8, abs: 1e-12 }, `${name}/bc beta[${j}]`))
      expectClose(got.sigma2, ref.sigma2, { rel: 1e-8 }, `${name}/bc sigma2`)
      for (let j = 0; j < got.k; j++) expectClose(Math.sqrt(got.vcov[j * got.k + j]), ref.se[j], { rel: 1e-8 }, `${name}/bc se[${j}]`)
      // unit effects only: beta and rho are not moved, only sigma2
      if (fe === 'unit') expectClose(got.rho, models.fits[name].rho, { rel: 1e-12 }, 'unit: rho unchanged')
    }
  })

  test('Lee–Yu transformation approach against the literal transformation in R (F_N, F_T, W* = F_N′WF_N)', () => {
    const cases = [['sar_twoways', 'sar', 'twoways'], ['sem_twoways', 'sem', 'twoways'], ['sdm_twoways', 'sdm', 'twoways'], ['sdm_unit', 'sdm', 'unit'], ['sem_time', 'sem', 'time'], ['sar_time', 'sar', 'time']] as const
    for (const [name, model, fe] of cases) {
      const ref = models.transformation[name]
      const got = fitSpatial(model, { n: layout.n, t: layout.t, y, x, names: REGRESSORS, w: wQueen, spectrum: spectrum(wQueen), effects: fe, convention: 'elhorst' }, undefined, { correction: 'transformation' })
      expectClose(got.rho, ref.rho, { rel: 1e-8 }, `${name}/tr rho`)
      got.beta.forEach((b, j) => expectClose(b, ref.beta[j], { rel: 1e-8, abs: 1e-12 }, `${name}/tr beta[${j}]`))
      expectClose(got.sigma2, ref.sigma2, { rel: 1e-8 }, `${name}/tr sigma2`)
      expectClose(got.logLik, ref.logLik, { rel: 1e-10 }, `${name}/tr logLik`)
      expectClose(got.aic, ref.AIC, { rel: 1e-10 }, `${name}/tr AIC`)
      expectClose(got.bic, ref.BIC, { rel: 1e-10 }, `${name}/tr BIC`)
      for (let j = 0; j < got.k; j++) expectClose(Math.sqrt(got.vcov[j * got.k + j]), ref.se[j], { rel: 1e-7 }, `${name}/tr se[${j}]`)
      expect(got.names).toEqual(ref.terms)
    }
    // with time effects the transformation moves rho away from the direct approach's
    expect(Math.abs(fit('sdm', 'twoways').rho - models.transformation.sdm_twoways.rho)).toBeGreaterThan(1e-2)
  })

  test('the transformation approach refuses time effects with a W that is not row-standardized, and the splm convention', () => {
    const binary = composite(1, wQueen, wQueen)
    const raw = { ...binary, values: binary.values.map(() => 1) }
    const base = { n: layout.n, t: layout.t, y, x, names: REGRESSORS, effects: 'twoways' as const }
    expect(() => fitSpatial('sar', { ...base, w: raw, spectrum: spectrum(raw), convention: 'elhorst' }, undefined, { correction: 'transformation' })).toThrow(/row-standardized W/)
    expect(() => fitSpatial('sar', { ...base, w: wQueen, spectrum: spectrum(wQueen), convention: 'splm' }, undefined, { correction: 'transformation' })).toThrow(/lags must be formed on the raw data/)
    // unit effects alone need neither
    expect(() => fitSpatial('sar', { ...base, effects: 'unit', w: raw, spectrum: spectrum(raw), convention: 'splm' }, undefined, { correction: 'transformation' })).not.toThrow()
  })

  test('the two lag conventions differ in the fourth decimal of rho on two-way FE', () => {
    const d = Math.abs(fit('sdm', 'twoways').rho - fit('sdm', 'twoways', 'splm').rho)
    expect(d).toBeGreaterThan(1e-4)
    expect(d).toBeLessThan(1e-2)
  })

  test('composite W a·queen + (1 − a)·distance: logLik, AIC, BIC and rho at each a', () => {
    for (const g of models.grid) {
      const f = fit('sdm', 'twoways', 'elhorst', composite(g.a, wQueen, wDist))
      expectClose(f.rho, g.rho, { rel: 1e-6 }, `a=${g.a}/rho`)
      expectClose(f.logLik, g.logLik, { rel: 1e-9 }, `a=${g.a}/logLik`)
      expectClose(f.aic, g.AIC, { rel: 1e-9 }, `a=${g.a}/AIC`)
      expectClose(f.bic, g.BIC, { rel: 1e-9 }, `a=${g.a}/BIC`)
    }
  })
})
