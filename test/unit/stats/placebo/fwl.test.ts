/** The FWL placebo kernel equals a full re-fit; the schemes keep what they promise; workers change nothing. */
import { describe, expect, test } from 'vitest'
import { Frame } from '../../../../src/artifacts/frame.ts'
import { regress } from '../../../../src/stats/ols/regress.ts'
import type { RegressionSpec } from '../../../../src/stats/ols/types.ts'
import { adoptionTreatment, donorTreatment, mixedAdoption, panelPaths, permutation, timeShift } from '../../../../src/stats/placebo/assign.ts'
import { runDraws } from '../../../../src/stats/placebo/draws.ts'
import { fwlDesign, FwlFitter } from '../../../../src/stats/placebo/fwl.ts'
import { quantile7, bwNrd0 } from '../../../../src/stats/placebo/summary.ts'
import { Rng } from '../../../../src/stats/rng.ts'
import { ThreadBudget } from '../../../../src/scheduler/threads.ts'

/** A staggered panel of U units × T years with two controls, a region and random adoption. */
function panel(seed: number, U = 40, T = 8): Frame {
  const rng = new Rng(['fwl-test', seed])
  const unit: string[] = [], year: number[] = [], region: string[] = [], x1: number[] = [], x2: number[] = [], w: number[] = [], D: number[] = [], y: number[] = []
  for (let u = 0; u < U; u++) {
    const adopt = rng.uniform() < 0.4 ? 2002 + rng.int(T - 3) : NaN
    for (let t = 0; t < T; t++) {
      const yr = 2000 + t, d = yr >= adopt ? 1 : 0
      const a = rng.normal(), b = rng.normal()
      unit.push(`u${u}`); year.push(yr); region.push(`r${u % 5}`); x1.push(a); x2.push(b + 0.3 * a); w.push(0.5 + rng.uniform()); D.push(d)
      y.push(0.2 * d + 0.5 * a - 0.3 * b + u * 0.01 + t * 0.05 + rng.normal())
    }
  }
  return Frame.from({ unit, year, region, x1: Float64Array.from(x1), x2: Float64Array.from(x2), w: Float64Array.from(w), D: Float64Array.from(D), y: Float64Array.from(y) })
}

const variants: [string, Partial<RegressionSpec>][] = [
  ['cluster nested', { cluster: ['unit'], vcov: 'cluster', smallSample: 'nested' }],
  ['cluster full, weights', { cluster: ['unit'], vcov: 'cluster', smallSample: 'full', weights: 'w' }],
  ['two-way cluster', { cluster: ['unit', 'year'], vcov: 'cluster', smallSample: 'nested' }],
  ['two-way cluster, each', { cluster: ['unit', 'region'], vcov: 'cluster', smallSample: 'slopes', clusterDf: 'each' }],
  ['hc1', { vcov: 'hc1', smallSample: 'nested' }],
  ['iid cr0', { vcov: 'iid', smallSample: 'cr0' }],
  ['iid, weights, no fixed effects', { vcov: 'iid', smallSample: 'nested', fixedEffects: [], weights: 'w' }],
]

describe('FWL draw = full re-fit', () => {
  test.each(variants)('%s', (_, v) => {
    for (const seed of [1, 2, 3]) {
      const f = panel(seed)
      const spec: RegressionSpec = { outcome: 'y', regressors: ['D', 'x1', 'x2'], fixedEffects: ['unit', 'year'], ...v }
      const fit = regress(f, spec)
      const fitter = new FwlFitter(fwlDesign(f, spec, fit, ['x1', 'x2']))
      const paths = panelPaths(f.column('unit')!, f.numbers('year'), f.numbers('D'), fit.rows)
      for (let d = 1; d <= 5; d++) {
        const fake = donorTreatment(paths, permutation(new Rng(['draw', seed, d]), paths.units.length))
        const got = fitter.fit(fake)
        const full = regress(f.withColumn('D', { type: 'number', data: fake }), spec).terms.find((t) => t.term === 'D')!
        expect(Math.abs(got.estimate - full.estimate)).toBeLessThan(1e-10 * Math.max(1, Math.abs(full.estimate)))
        expect(Math.abs(got.se - full.stdError) / full.stdError).toBeLessThan(1e-9)
        expect(Math.abs(got.p - full.pValue)).toBeLessThan(1e-9)
      }
    }
  })
})

describe('FWL projection', () => {
  // Six controls fill a block of four and one of two; a fake treatment that is mostly a
  // control leaves a small D̃, which takes the second projection.
  test.each([['six controls', 1], ['treatment mostly a control', 30]] as const)('%s: equals a full re-fit', (_, mix) => {
    const f0 = panel(5)
    const x1 = f0.numbers('x1'), x2 = f0.numbers('x2')
    const f = f0.withColumn('x3', { type: 'number', data: x1.map((v, i) => v * x2[i]) })
      .withColumn('x4', { type: 'number', data: x1.map((v) => v * v) })
      .withColumn('x5', { type: 'number', data: x2.map((v) => Math.sin(v)) })
      .withColumn('x6', { type: 'number', data: x2.map((v, i) => v - 0.5 * x1[i]) })
    const controls = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6']
    const spec: RegressionSpec = { outcome: 'y', regressors: ['D', ...controls], fixedEffects: ['unit', 'year'], cluster: ['unit'], vcov: 'cluster' }
    const fit = regress(f, spec)
    const fitter = new FwlFitter(fwlDesign(f, spec, fit, controls))
    const paths = panelPaths(f.column('unit')!, f.numbers('year'), f.numbers('D'), fit.rows)
    for (let d = 1; d <= 5; d++) {
      const perm = donorTreatment(paths, permutation(new Rng(['proj', d]), paths.units.length))
      const fake = perm.map((v, i) => v + mix * x1[i])
      const got = fitter.fit(fake)
      const full = regress(f.withColumn('D', { type: 'number', data: fake }), spec).terms.find((t) => t.term === 'D')!
      expect(Math.abs(got.estimate - full.estimate)).toBeLessThan(1e-9 * full.stdError)
      expect(Math.abs(got.se - full.stdError) / full.stdError).toBeLessThan(1e-9)
    }
  })
})

describe('schemes', () => {
  const f = panel(4)
  const rows = Int32Array.from({ length: f.nrows }, (_, i) => i)
  const paths = panelPaths(f.column('unit')!, f.numbers('year'), f.numbers('D'), rows)
  const adoptions = (a: Float64Array) => Array.from(a).filter((v) => !Number.isNaN(v)).sort()

  test('units: a permutation keeps the number of treated units and the adoption years', () => {
    const perm = permutation(new Rng(['s', 1]), paths.units.length)
    expect([...perm].sort((a, b) => a - b)).toEqual(paths.units.map((_, k) => k))
    const fake = donorTreatment(paths, perm)
    const again = panelPaths(f.column('unit')!, f.numbers('year'), fake, rows)
    expect(adoptions(again.adoption)).toEqual(adoptions(paths.adoption))
    expect(fake.reduce((s, v) => s + v, 0)).toBe(f.numbers('D').reduce((s, v) => s + v, 0))
  })

  test('mixed: as many treated units, adoption years among the observed ones', () => {
    const a = mixedAdoption(paths, new Rng(['m', 1]))
    const seen = new Set(adoptions(paths.adoption))
    expect(adoptions(a).length).toBe(adoptions(paths.adoption).length)
    for (const v of adoptions(a)) expect(seen.has(v)).toBe(true)
    const d = adoptionTreatment(paths, a)
    expect(d.every((v) => v === 0 || v === 1)).toBe(true)
  })

  test('time: pre-adoption rows and never-treated rows, treatment k years early', () => {
    const { keep, treatment } = timeShift(paths, 2)
    const year = f.numbers('year')
    keep.forEach((i, j) => {
      const a = paths.adoption[paths.unitOf[i]]
      expect(Number.isNaN(a) || year[i] < a).toBe(true)
      expect(treatment[j]).toBe(!Number.isNaN(a) && year[i] >= a - 2 ? 1 : 0)
    })
    const dropped = rows.length - keep.length
    expect(dropped).toBe(f.numbers('D').reduce((s, v) => s + v, 0))
  })
})

test('workers give the same draws as the calling thread', async () => {
  const f = panel(5, 60, 10)
  const spec: RegressionSpec = { outcome: 'y', regressors: ['D', 'x1', 'x2'], fixedEffects: ['unit', 'year'], cluster: ['unit'], vcov: 'cluster' }
  const fit = regress(f, spec)
  const design = fwlDesign(f, spec, fit, ['x1', 'x2'])
  const paths = panelPaths(f.column('unit')!, f.numbers('year'), f.numbers('D'), fit.rows)
  const job = { kind: 'units' as const, draws: 120, rngPath: ['quasi', 1, 'p'] }
  const one = await runDraws(design, paths, job, { maxThreads: 1 })
  const two = await runDraws(design, paths, job, { maxThreads: 2, threads: new ThreadBudget(2) })
  expect(Array.from(two.estimate)).toEqual(Array.from(one.estimate))
  expect(Array.from(two.se)).toEqual(Array.from(one.se))
}, 30_000)

test('quantile type 7 and bw.nrd0 as R', () => {
  const x = Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6])
  const s = x.slice().sort()
  // R: quantile(c(3,1,4,1,5,9,2,6), c(.05,.5,.95)) = 1.00 3.50 7.95; bw.nrd0 = 1.5509141488562004 (R 4.x)
  expect(quantile7(s, 0.05)).toBeCloseTo(1, 12)
  expect(quantile7(s, 0.5)).toBeCloseTo(3.5, 12)
  expect(quantile7(s, 0.95)).toBeCloseTo(7.95, 12)
  expect(bwNrd0(x)).toBeCloseTo(1.5509141488562004, 12)
})
