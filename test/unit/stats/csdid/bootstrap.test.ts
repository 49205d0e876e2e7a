/**
 * The multiplier bootstrap (src/stats/csdid/bootstrap.ts) checked in distribution against the
 * analytic standard errors on the shared staggered panel: the IQR-based bootstrap se has a
 * relative sampling sd of about 3.7 % at 999 draws, so the mean over ten seeds must fall
 * within 3 % of the analytic se (2.5 of its sds) and every seed within 15 %.
 */
import { describe, expect, test } from 'vitest'
import { aggregate } from '../../../../src/stats/csdid/aggregate.ts'
import { attGt } from '../../../../src/stats/csdid/attgt.ts'
import { multiplierBootstrap, quantile1 } from '../../../../src/stats/csdid/bootstrap.ts'
import { csPanel } from '../../../../src/stats/csdid/panel.ts'
import { stageRng } from '../../../../src/stats/rng.ts'
import { readCsvFrame } from '../helpers.ts'

const frame = readCsvFrame('test/fixtures/staggered/panel.csv')
const r = attGt(csPanel({
  unit: { name: 'unit', values: frame.column('unit')!.data as ArrayLike<unknown> },
  time: { name: 'year', values: frame.numbers('year') },
  outcome: { name: 'y', values: frame.numbers('y') },
  treatment: { name: 'adopt', values: frame.numbers('adopt'), kind: 'adoption' },
  covariates: [{ name: 'x1', values: frame.numbers('x1') }],
}), { control: 'not-yet', base: 'varying', anticipation: 0, method: 'dr' })

describe.each(['mammen', 'rademacher'] as const)('%s weights', (weights) => {
  test('simple ATT: bootstrap se over ten seeds against the analytic se; one column gives c ≈ 1.96', () => {
    const simple = aggregate(r, 'simple').overall
    const ses: number[] = [], crits: number[] = []
    for (let s = 0; s < 10; s++) {
      const b = multiplierBootstrap([simple.inf], { draws: 999, rng: stageRng(s, 'boot'), weights, level: 0.95 })
      ses.push(b.se[0]); crits.push(b.crit)
    }
    const mean = ses.reduce((a, b) => a + b, 0) / ses.length
    expect(Math.abs(mean / simple.se - 1)).toBeLessThan(0.03)
    for (const s of ses) expect(Math.abs(s / simple.se - 1)).toBeLessThan(0.15)
    const mc = crits.reduce((a, b) => a + b, 0) / crits.length
    expect(Math.abs(mc - 1.96)).toBeLessThan(0.1)
  })

  test('uniform critical value of the event study exceeds the pointwise one and grows with the number of event times', () => {
    const dyn = aggregate(r, 'dynamic')
    const all = multiplierBootstrap(dyn.points.map((p) => p.inf), { draws: 999, rng: stageRng(1, 'boot'), weights, level: 0.95 })
    const few = multiplierBootstrap(dyn.points.slice(0, 2).map((p) => p.inf), { draws: 999, rng: stageRng(1, 'boot'), weights, level: 0.95 })
    expect(all.crit).toBeGreaterThan(few.crit)
    expect(few.crit).toBeGreaterThan(1.96)
    // Bonferroni bounds the uniform value from above.
    expect(all.crit).toBeLessThan(3.6)
  })
})

test('clustered: one unit per cluster gives the same draws as unclustered', () => {
  const inf = aggregate(r, 'simple').overall.inf
  const index = Int32Array.from({ length: inf.length }, (_, i) => i)
  const a = multiplierBootstrap([inf], { draws: 99, rng: stageRng(3, 'b'), weights: 'mammen', level: 0.95 })
  const b = multiplierBootstrap([inf], { draws: 99, rng: stageRng(3, 'b'), weights: 'mammen', level: 0.95, cluster: { index, count: inf.length } })
  expect(b.se[0]).toBe(a.se[0])
})

test('quantile type 1', () => {
  const x = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  expect(quantile1(x, 0.95)).toBe(10)
  expect(quantile1(x, 0.9)).toBe(9)
  expect(quantile1(x, 0.25)).toBe(3)
  expect(quantile1(x, 0.75)).toBe(8)
})
