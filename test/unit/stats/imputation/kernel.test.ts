/**
 * The imputation kernel (src/stats/imputation) by routes independent of the R fixture: each
 * imputed effect τ̂_it equals the coefficient on that observation's own dummy in the
 * full-sample regression with one dummy per treated observation (BJS 2024, the imputation
 * representation), fitted by the project's OLS kernel; and the fixed-effect normal-equation
 * solver returns exact solutions on an unbalanced three-factor design.
 */
import { describe, expect, test } from 'vitest'
import { factorize, type Factor } from '../../../../src/stats/fe/factor.ts'
import { imputationFit } from '../../../../src/stats/imputation/estimate.ts'
import { feSolver } from '../../../../src/stats/imputation/fixef.ts'
import { regress } from '../../../../src/stats/ols/regress.ts'
import { Rng } from '../../../../src/stats/rng.ts'
import { readCsvFrame } from '../helpers.ts'

describe('imputed effects', () => {
  test('τ̂_it is the coefficient on the observation\'s own dummy in the full-sample regression (unit, year, x1·year)', () => {
    const all = readCsvFrame('test/fixtures/staggered/panel.csv')
    const units = all.column('unit')!.data as (string | null)[]
    const frame0 = all.filter(Uint8Array.from(units, (u) => (Number(u!.slice(1)) <= 40 ? 1 : 0)))
    const year = frame0.numbers('year'), adopt = frame0.numbers('adopt'), x1 = frame0.numbers('x1')
    const x1year = Float64Array.from(x1, (v, i) => v * year[i])
    const n = frame0.nrows
    const treated = Uint8Array.from(year, (t, i) => (adopt[i] === adopt[i] && t >= adopt[i] ? 1 : 0))
    const fit = imputationFit({
      y: frame0.numbers('y'),
      factors: [factorize(frame0.column('unit')!), factorize(frame0.column('year')!)],
      controls: [{ name: 'x1year', values: x1year }],
      treated, cohort: adopt, event: Float64Array.from(year, (t, i) => t - adopt[i]), cluster: factorize(frame0.column('unit')!),
    })
    let frame = frame0.withColumn('x1year', { type: 'number', data: x1year })
    const dummies: string[] = []
    const rows: number[] = []
    for (let i = 0; i < n; i++) {
      if (!treated[i]) continue
      const d = new Float64Array(n)
      d[i] = 1
      const name = `d${i}`
      frame = frame.withColumn(name, { type: 'number', data: d })
      dummies.push(name)
      rows.push(i)
    }
    expect(rows.length).toBeGreaterThan(50)
    const r = regress(frame, { outcome: 'y', regressors: [...dummies, 'x1year'], fixedEffects: ['unit', 'year'], vcov: 'iid' })
    let worst = 0
    rows.forEach((i, k) => {
      expect(fit.identified[i]).toBe(1)
      worst = Math.max(worst, Math.abs(r.terms.find((t) => t.term === dummies[k])!.estimate - fit.tau[i]))
    })
    expect(worst).toBeLessThan(1e-8)
    expect(Math.abs(r.terms.find((t) => t.term === 'x1year')!.estimate - fit.beta[0])).toBeLessThan(1e-10)
  })
})

describe('fixed-effect normal equations', () => {
  test('exact solutions on an unbalanced design with three factors (D\'D c = g for g in the row space)', () => {
    const rng = new Rng(['imputation-fixef'])
    const n = 3000
    const mk = (levels: number): Factor => {
      const codes = Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * levels))
      return { codes, levels }
    }
    // Recode so that every level occurs (as the kernel's Ω₀ factors do).
    const dense = (f: Factor): Factor => factorize({ type: 'number', data: Float64Array.from(f.codes) })
    const factors = [dense(mk(400)), dense(mk(15)), dense(mk(40))]
    const s = feSolver(factors)
    const x = Float64Array.from({ length: n }, () => rng.normal())
    const g = new Float64Array(s.size)
    factors.forEach((f, k) => f.codes.forEach((c, i) => { g[s.offsets[k] + c] += x[i] }))
    const back = s.normal(s.solve(g))
    let gap = 0, scale = 0
    for (let j = 0; j < g.length; j++) { gap = Math.max(gap, Math.abs(back[j] - g[j])); scale = Math.max(scale, Math.abs(g[j])) }
    expect(gap / scale).toBeLessThan(1e-10)
    // The fitted values D c are the projection of x: the residual is orthogonal to every dummy.
    const c = s.solve(g)
    const resid = Float64Array.from(x, (v, i) => v - factors.reduce((acc, f, k) => acc + c[s.offsets[k] + f.codes[i]], 0))
    const check = new Float64Array(s.size)
    factors.forEach((f, k) => f.codes.forEach((code, i) => { check[s.offsets[k] + code] += resid[i] }))
    expect(Math.max(...Array.from(check, Math.abs))).toBeLessThan(1e-9)
  })
})
