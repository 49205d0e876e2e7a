/**
 * Effects, LM tests and the Hausman test of the spatial kernels against R on Produc
 * (test/fixtures/spatial-models/make.R: effects written out densely and checked there
 * against spatialreg::impacts; spdep::lm.LMtests; plm::phtest).
 */
import { describe, expect, test } from 'vitest'
import { spatialEffects } from '../../../../src/stats/spatial/effects.ts'
import { hausman } from '../../../../src/stats/spatial/hausman.ts'
import { lmTests } from '../../../../src/stats/spatial/lm-tests.ts'
import { fitSpatial, transform } from '../../../../src/stats/spatial/ml.ts'
import { demean, panelLayout, stack } from '../../../../src/stats/spatial/panel.ts'
import { spectrum } from '../../../../src/stats/spatial/spectrum.ts'
import { Rng } from '../../../../src/stats/rng.ts'
import { expectClose } from '../helpers.ts'
import { composite, models, produc, REGRESSORS, units, wDist, wQueen } from './fixture.ts'

const layout = panelLayout(produc.column('state')!.data as string[], produc.numbers('year'), units)
const y = stack(produc.numbers('lgsp'), layout, 'lgsp')
const x = REGRESSORS.map((c) => stack(produc.numbers(c), layout, c))
const K = REGRESSORS.length

function effectsOf(model: 'sar' | 'sdm', w = wQueen, draws = 0) {
  const sp = spectrum(w)
  const f = fitSpatial(model, { n: layout.n, t: layout.t, y, x, names: REGRESSORS, w, spectrum: sp, effects: 'twoways', convention: 'elhorst' })
  const p = model === 'sdm' ? 2 * K + 1 : K + 1
  const V = new Float64Array(p * p)
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) V[i * p + j] = f.vcov[i * f.k + j]
  return spatialEffects({
    w, spectrum: sp, terms: REGRESSORS, beta: f.beta.subarray(0, K), ...(model === 'sdm' ? { theta: f.beta.subarray(K) } : {}),
    rho: f.rho, vcov: V, interval: f.interval,
  }, draws, new Rng(['test', 1]))
}

describe('exact effects', () => {
  for (const name of ['sar_twoways', 'sdm_twoways'] as const) {
    test(`${name}: direct, indirect, total within 1e-8 of R`, () => {
      const { effects } = effectsOf(name.slice(0, 3) as 'sar' | 'sdm')
      const ref = models.fits[name].effects as unknown as { term: string; direct: number; indirect: number; total: number }[]
      effects.forEach((e, k) => {
        expect(e.term).toBe(ref[k].term)
        for (const c of ['direct', 'indirect', 'total'] as const) expectClose(e[c], ref[k][c], { rel: 1e-8, abs: 1e-12 }, `${name}/${e.term}/${c}`)
      })
    })
  }

  test('a W that is not row-stochastic: the Neumann totals equal dense ones', () => {
    // binary-ish: scale the queen weights so rows do not sum to 1
    const w = composite(0.5, wQueen, wDist)
    const scaled = { ...w, values: w.values.map((v, i) => v * (1 + (i % 3) * 0.1)) }
    const sp = spectrum(scaled)
    expect(sp.rowStochastic).toBe(false)
    const rho = 0.3, n = w.n
    const { effects } = spatialEffects({ w: scaled, spectrum: sp, terms: ['x'], beta: [1], theta: [0.5], rho, vcov: [1, 0, 0, 0, 1, 0, 0, 0, 1], interval: [-1, 1] }, 0, new Rng(['t']))
    // dense: u = (I − ρW)⁻¹1 by Gauss–Seidel to convergence
    const dense = Array.from({ length: n }, () => new Float64Array(n))
    for (let i = 0; i < n; i++) for (let k = scaled.rowStart[i]; k < scaled.rowStart[i + 1]; k++) dense[i][scaled.cols[k]] = scaled.values[k]
    const solve = (b: Float64Array) => { const u = new Float64Array(n); for (let it = 0; it < 500; it++) for (let i = 0; i < n; i++) { let s = b[i]; for (let j = 0; j < n; j++) if (j !== i) s += rho * dense[i][j] * u[j]; u[i] = s / (1 - rho * dense[i][i]) } return u }
    const ones = new Float64Array(n).fill(1)
    const w1 = Float64Array.from(dense, (r) => r.reduce((a, v) => a + v, 0))
    const total = (solve(ones).reduce((a, v) => a + v, 0) + 0.5 * solve(w1).reduce((a, v) => a + v, 0)) / n
    expectClose(effects[0].total, total, { rel: 1e-10 }, 'total')
  })

  test('simulated standard errors are reproducible from the seed and close to the delta method scale', () => {
    const a = effectsOf('sdm', wQueen, 400), b = effectsOf('sdm', wQueen, 400)
    expect(a.effects.map((e) => e.seTotal)).toEqual(b.effects.map((e) => e.seTotal))
    expect(a.used).toBe(400)
    // the direct effect is close to β (small feedback), so its simulated SE is close to se(β)
    const ref = models.fits.sdm_twoways
    a.effects.forEach((e, k) => {
      expect(e.seDirect / ref.se[k]).toBeGreaterThan(0.85)
      expect(e.seDirect / ref.se[k]).toBeLessThan(1.15)
    })
  })
})

describe('LM tests on the pooled two-way FE model (spdep::lm.LMtests)', () => {
  const yd = demean(y, layout.n, layout.t, 'twoways'), xd = x.map((c) => demean(c, layout.n, layout.t, 'twoways'))
  const got = Object.fromEntries(lmTests(yd, xd, wQueen, layout.t)!.map((t) => [t.name, t.statistic]))
  const ref = { lm_lag: models.lm.LMlag, lm_err: models.lm.LMerr, rlm_lag: models.lm.RLMlag, rlm_err: models.lm.RLMerr }
  for (const [k, v] of Object.entries(ref)) test(k, () => expectClose(got[k], v, { rel: 1e-8 }, k))
})

describe('Hausman FE against RE (plm::phtest, Swamy–Arora)', () => {
  test('individual effects', () => {
    const h = hausman(y, x, layout.n, layout.t, 'unit')!
    expectClose(h.statistic, models.hausman.individual.statistic, { rel: 1e-8 }, 'hausman/individual')
    expectClose(h.p, models.hausman.individual.p, { rel: 1e-6 }, 'hausman/individual p')
    expect(h.df).toBe(models.hausman.individual.df)
  })
  test('two-way effects', () => {
    const h = hausman(y, x, layout.n, layout.t, 'twoways')!
    expectClose(h.statistic, models.hausman.twoways.statistic, { rel: 1e-8 }, 'hausman/twoways')
    expectClose(h.p, models.hausman.twoways.p, { rel: 1e-6 }, 'hausman/twoways p')
  })
})

test('transform: the elhorst convention lags before demeaning, splm after', () => {
  const d = { n: layout.n, t: layout.t, y, x, names: REGRESSORS, w: wQueen, spectrum: spectrum(wQueen), effects: 'twoways' as const }
  const e = transform({ ...d, convention: 'elhorst' }), s = transform({ ...d, convention: 'splm' })
  expect(e.yd).toEqual(s.yd)
  const diff = Math.max(...e.wyd.map((v, i) => Math.abs(v - s.wyd[i])))
  expect(diff).toBeGreaterThan(1e-6)
})
