/**
 * The heterogeneity kernels: the suest covariance (stacked cluster scores) against R's hand
 * computation (test/fixtures/heterogeneity/make.R) and against the regression kernel's own
 * CR0/HC0 sandwich for one model; the permutation kernel's fast two-way path against the
 * general one; the split-sample z.
 */
import { describe, expect, test } from 'vitest'
import { factorize } from '../../../../src/stats/fe/factor.ts'
import { groupStatistic, splitSampleZ, equalityTest } from '../../../../src/stats/heterogeneity/compare.ts'
import { fastPath, groupCoefficients, type PermutationDesign } from '../../../../src/stats/heterogeneity/permute.ts'
import { modelScores } from '../../../../src/stats/heterogeneity/scores.ts'
import { suestVcov, type SuestModel } from '../../../../src/stats/heterogeneity/suest.ts'
import { regress } from '../../../../src/stats/ols/regress.ts'
import type { RegressionSpec } from '../../../../src/stats/ols/types.ts'
import { Rng } from '../../../../src/stats/rng.ts'
import fx from '../../../fixtures/heterogeneity/guns.json' with { type: 'json' }
import { expectClose, readCsvFrame } from '../helpers.ts'

const guns = readCsvFrame('test/fixtures/heterogeneity/guns.csv')
const CONTROLS = ['prisoners', 'afam', 'cauc', 'male', 'population', 'income', 'density']
const spec: RegressionSpec = { outcome: 'lviolent', regressors: ['law', ...CONTROLS], fixedEffects: ['state', 'year'], cluster: ['state'], vcov: 'cluster' }

/** The model on the rows where `keep`, with its scores and cluster codes in the coding of all rows. */
function fitOn(keep: (i: number) => boolean, s: RegressionSpec = spec) {
  const rowsAll = Int32Array.from({ length: guns.nrows }, (_, i) => i).filter(keep)
  const frame = guns.filter(Uint8Array.from({ length: guns.nrows }, (_, i) => (keep(i) ? 1 : 0)))
  const fit = regress(frame, s)
  const sc = modelScores(frame, s, fit)
  return { fit, sc, rowsAll }
}

const stateCodes = factorize(guns.column('state')!).codes
const year = guns.numbers('year')

function suestOf(parts: ReturnType<typeof fitOn>[], codes: Int32Array): ReturnType<typeof suestVcov> {
  const used = new Map<number, number>()
  const models: SuestModel[] = parts.map(({ sc, rowsAll }) => ({
    X: sc.X, resid: sc.resid, bread: sc.bread,
    cluster: Int32Array.from(sc.rows, (r) => { const c = codes[rowsAll[r]]; if (!used.has(c)) used.set(c, used.size); return used.get(c)! }),
  }))
  return suestVcov(models, used.size)
}

describe('suest covariance', () => {
  test('early and late years (states in both): the whole 16 × 16 matrix matches R within 1e-8', () => {
    const early = fitOn((i) => year[i] < 1988), late = fitOn((i) => year[i] >= 1988)
    const V = suestOf([early, late], stateCodes)
    const R = fx.period.suest.vcov
    expect(V.P).toBe(16)
    let worst = 0
    for (let a = 0; a < 16; a++) for (let b = 0; b < 16; b++) worst = Math.max(worst, Math.abs(V.V[a * 16 + b] - R[a][b]) / Math.abs(R[a][a] * R[b][b]) ** 0.5)
    expect(worst).toBeLessThan(1e-8)
    expect(Math.abs(V.V[0 * 16 + 8])).toBeGreaterThan(0)
  })

  test('one model: G/(G − 1) times the kernel\'s CR0 covariance', () => {
    const all = fitOn(() => true, { ...spec, smallSample: 'cr0' })
    const V = suestOf([all], stateCodes)
    const G = 51, r = all.fit.terms.length
    for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) expectClose(V.V[a * r + b], all.fit.vcov[a * r + b] * G / (G - 1), { rel: 1e-10, abs: 1e-18 }, `V[${a},${b}]`)
  })

  test('without clusters (each row its own): HC0 times N/(N − 1)', () => {
    const s: RegressionSpec = { ...spec, cluster: [], vcov: 'hc1', smallSample: 'cr0' }
    const all = fitOn(() => true, s)
    const V = suestOf([all], Int32Array.from({ length: guns.nrows }, (_, i) => i))
    const N = all.fit.nobs, r = all.fit.terms.length
    for (let a = 0; a < r; a++) expectClose(V.V[a * r + a], all.fit.vcov[a * r + a] * N / (N - 1), { rel: 1e-10 }, `V[${a},${a}]`)
  })

  test('groups of whole clusters: the cross-model block is exactly zero', () => {
    const size = guns.column('size')!.data as (string | null)[]
    const V = suestOf([fitOn((i) => size[i] === 'large'), fitOn((i) => size[i] === 'small')], stateCodes)
    for (let a = 0; a < 8; a++) for (let b = 8; b < 16; b++) expect(V.V[a * 16 + b]).toBe(0)
    expectClose(V.V[0], fx.size.suest.vcov_law[0][0], { rel: 1e-8 }, 'V_law large')
    expectClose(V.V[8 * 16 + 8], fx.size.suest.vcov_law[1][1], { rel: 1e-8 }, 'V_law small')
  })
})

describe('permutation kernel', () => {
  function design(weights?: Float64Array): PermutationDesign {
    const unit = factorize(guns.column('state')!)
    return {
      y: guns.numbers('lviolent'), X: ['law', ...CONTROLS].map((c) => guns.numbers(c)), ...(weights ? { weights } : {}),
      fe: [unit, factorize(guns.column('year')!)], dropSingletons: true,
      unit: unit.codes, units: unit.levels, groups: 3,
    }
  }
  const rng = new Rng(['heterogeneity-unit'])
  const labellings = Array.from({ length: 5 }, () => Int32Array.from({ length: 51 }, () => rng.int(3)))

  test.each([['unweighted', undefined], ['weighted', guns.numbers('population')]])('%s: the fast two-way path gives the general path\'s estimates', (_, w) => {
    const d = design(w as Float64Array | undefined)
    const fast = fastPath(d)
    expect(fast).toBeDefined()
    for (const lab of labellings) {
      const a = groupCoefficients(d, lab, fast), b = groupCoefficients(d, lab)
      for (let g = 0; g < 3; g++) expectClose(a[g], b[g], { rel: 1e-9, abs: 1e-13 }, `group ${g}`)
    }
  })

  test('the group estimates are those of the regression kernel on the group rows', () => {
    const d = design()
    const lab = labellings[0]
    const b = groupCoefficients(d, lab, fastPath(d))
    for (let g = 0; g < 3; g++) {
      const frame = guns.filter(Uint8Array.from(stateCodes, (u) => (lab[u] === g ? 1 : 0)))
      const law = regress(frame, spec).terms.find((t) => t.term === 'law')!
      expectClose(b[g], law.estimate, { rel: 1e-9 }, `group ${g}`)
    }
  })

  test('a group whose treatment does not vary has no estimate', () => {
    const law = guns.numbers('law')
    const never = new Int32Array(51).fill(0)
    stateCodes.forEach((u, i) => { if (law[i] === 1) never[u] = 1 })
    const b = groupCoefficients(design(), never)
    expect(Number.isNaN(b[0])).toBe(true)
    expect(Number.isFinite(b[1])).toBe(true)
  })
})

describe('comparisons', () => {
  test('split-sample z and its p', () => {
    const z = splitSampleZ(0.3, 0.1, 0.1, 0.05)
    expectClose(z.z, 0.2 / Math.sqrt(0.0125), { rel: 1e-14 }, 'z')
    expectClose(z.p, 0.07363827012030266, { rel: 1e-12 }, 'p (R: 2 * pnorm(-0.2/sqrt(0.0125)))')
  })

  test('the equality test of two coefficients is the squared z under a diagonal covariance', () => {
    const w = equalityTest([0.3, 0.1], [0.01, 0, 0, 0.0025], Infinity, [0, 1])
    expectClose(w.chi2, 0.04 / 0.0125, { rel: 1e-12 }, 'chi2')
  })

  test('statistic: a difference for two groups, the dispersion for more', () => {
    expect(groupStatistic([0.5, 0.2])).toBeCloseTo(0.3, 15)
    expectClose(groupStatistic([1, 2, 3]), 2, { rel: 1e-15 }, 'dispersion')
    expect(Number.isNaN(groupStatistic([1, NaN, 3]))).toBe(true)
  })
})

