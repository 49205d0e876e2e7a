/** The propensity-score model (src/stats/psm/logit.ts) against R glm on MatchIt::lalonde (test/fixtures/psm/make.R), and its errors. */
import { describe, expect, test } from 'vitest'
import { QuasiError } from '../../../../src/errors.ts'
import { fitBinary } from '../../../../src/stats/psm/logit.ts'
import fx from '../../../fixtures/psm/psm.json' with { type: 'json' }
import { expectClose, readCsvFrame } from '../helpers.ts'

const L = readCsvFrame('test/fixtures/psm/lalonde.csv')
const COVS = fx.header.covariates as string[]
const y = L.numbers('treat')
const X = COVS.map((c) => L.numbers(c))

function thrown(f: () => unknown): QuasiError {
  try { f() } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

describe.each([['logit', 'nn1', 1e-12], ['probit', 'nn1_probit_common', 1e-12]] as const)('%s on lalonde = R glm', (link, c, tol) => {
  const R = fx.lalonde[c]
  const f = fitBinary(y, X, COVS, link)
  test(`fitted probabilities within ${tol}, linear predictor and coefficients within 1e-10 (relative)`, () => {
    let worst = 0
    R.pscore.forEach((v, i) => { worst = Math.max(worst, Math.abs(f.p[i] - v)) })
    expect(worst).toBeLessThan(tol)
    R.lp.forEach((v, i) => expectClose(f.eta[i], v, { rel: 1e-10, abs: 1e-10 }, `eta ${i}`))
    R.coef.forEach((v, j) => expectClose(f.coef[j], v, { rel: 1e-10 }, `coef ${j}`))
  })
})

describe('errors carry the covariate role', () => {
  test('a constant covariate: NO_VARIATION with its index', () => {
    const e = thrown(() => fitBinary(y, [X[0], new Float64Array(y.length).fill(3)], ['age', 'three']))
    expect(e.code).toBe('NO_VARIATION')
    expect(e.role).toEqual({ role: 'covariate', column: 'three', index: 1 })
  })

  test('complete separation by one covariate: SEPARATION naming it', () => {
    const s = Float64Array.from(y, (v, i) => (v ? 100 + (i % 5) : i % 5))
    const e = thrown(() => fitBinary(y, [X[0], s], ['age', 's']))
    expect(e.code).toBe('SEPARATION')
    expect(e.role).toEqual({ role: 'covariate', column: 's', index: 1 })
  })

  test('quasi-complete separation (a 0/1 covariate that is 1 only among treated rows)', () => {
    const d = Float64Array.from(y, (v, i) => (v && i % 3 === 0 ? 1 : 0))
    const e = thrown(() => fitBinary(y, [X[0], d], ['age', 'd']))
    expect(e.code).toBe('SEPARATION')
    expect(e.message).toContain('`d` separates')
  })

  test('separation by a combination: SEPARATION naming all covariates', () => {
    // a + b is +1 for treated and -1 for controls; neither alone separates.
    const a = Float64Array.from(y, (_, i) => (i % 11) - 5), b = Float64Array.from(y, (v, i) => (v ? 1 : -1) - a[i])
    const e = thrown(() => fitBinary(y, [a, b], ['a', 'b']))
    expect(e.code).toBe('SEPARATION')
    expect(e.message).toContain('together')
  })

  test('collinear covariates: SINGULAR_DESIGN at the dependent one', () => {
    const e = thrown(() => fitBinary(y, [X[0], X[1], Float64Array.from(X[0], (v, i) => v - X[1][i])], ['age', 'educ', 'diff']))
    expect(e.code).toBe('SINGULAR_DESIGN')
    expect(e.role).toEqual({ role: 'covariate', column: 'diff', index: 2 })
  })

  test('too few iterations: NOT_CONVERGED', () => {
    const e = thrown(() => fitBinary(y, X, COVS, 'logit', { maxit: 2 }))
    expect(e.code).toBe('NOT_CONVERGED')
  })
})
