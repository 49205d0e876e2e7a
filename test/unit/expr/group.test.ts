import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { quantileStata, quantileType7 } from '../../../src/expr/index.ts'
import { Frame, expectClose, run, values } from './run.ts'

/** Fixture from test/fixtures/expr/make.R (R 4.2, quantile types 7 and 2, rank, sd, scale). */
const ref = JSON.parse(readFileSync(new URL('../../fixtures/expr/reference.json', import.meta.url), 'utf8')) as {
  header: { tool: string }
  quantiles: {
    name: string
    x: number[]
    probs: number[]
    type7: number[]
    type2: number[]
    winsor: { lo: number; hi: number; type7: number[]; type2: number[] }[]
  }[]
  summaries: { x: number[]; rank: number[]; sd: number; mean: number; median: number; standardize: number[] }
}

/** Our type 7 repeats R's operations in R's order; allow a few ulps for JSON round-trips. */
const SAME_FORMULA_REL = 4e-16
/** Sums and two-pass sd in a different order than R's long-double accumulation. */
const SUMMATION_REL = 1e-14

const NA = NaN
const sorted = (x: number[]) => Float64Array.from(x).sort()

describe('quantile definitions', () => {
  test('R type 7 agrees with R quantile(type = 7) on every fixture case', () => {
    for (const c of ref.quantiles) {
      const s = sorted(c.x)
      expectClose(c.probs.map((p) => quantileType7(s, p)), c.type7, { rel: SAME_FORMULA_REL, label: `type7/${c.name}` })
    }
  })

  test("Stata's _pctile definition on hand cases", () => {
    const x = sorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    // P = n·p: 0.1 → P = 1 (integer: average x1, x2); 0.25 → 2.5 (x3); 0.5 → 5 (average x5, x6);
    // 0.99 → 9.9 (x10); 0.01 → 0.1 (x1); 0 → x1; 1 → x10
    expect([0.1, 0.25, 0.5, 0.99, 0.01, 0, 1].map((p) => quantileStata(x, p))).toEqual([1.5, 3, 5.5, 10, 1, 1, 10])
    // P = 100 × 0.07 = 7.000000000000001 in binary: Stata (7 percent of 100, exact) averages x7 and x8
    const h = sorted(Array.from({ length: 100 }, (_, i) => i + 1))
    expect(100 * 0.07).not.toBe(7)
    expect(quantileStata(h, 0.07)).toBe(7.5)
    expect(quantileStata(h, 0.075)).toBe(8)
    expect(quantileStata(sorted([5]), 0.5)).toBe(5)
    expect(quantileStata(sorted([]), 0.5)).toBeNaN()
  })

  test("Stata's definition equals R type 2 wherever n·p is not within rounding of an integer", () => {
    let compared = 0
    for (const c of ref.quantiles) {
      const s = sorted(c.x)
      c.probs.forEach((p, k) => {
        const P = c.x.length * p
        const nearInteger = Math.abs(P - Math.round(P)) < 1e-9 && P !== Math.round(P)
        if (nearInteger) return // R type 2 compares n·p with floor(n·p) exactly; Stata works in exact percents
        expect(quantileStata(s, p), `stata vs type2 ${c.name} p=${p}`).toBe(c.type2[k])
        compared++
      })
    }
    expect(compared).toBeGreaterThan(80)
  })
})

describe('winsor', () => {
  test('matches R: pmin(pmax(x, q(lo)), q(hi)) with type 7, and Stata with type 2', () => {
    for (const c of ref.quantiles) {
      for (const w of c.winsor) {
        const f = Frame.from({ x: c.x })
        const label = `${c.name} [${w.lo}, ${w.hi}]`
        expectClose(values(`winsor(x, ${w.lo}, ${w.hi})`, f) as number[], w.type7, { rel: SAME_FORMULA_REL, label: `r7 ${label}` })
        expectClose(values(`winsor(x, ${w.lo}, ${w.hi}; quantile: "stata")`, f) as number[], w.type2, { rel: 0, label: `stata ${label}` })
      }
    }
  })

  test('missing values stay missing and do not enter the quantiles; by groups', () => {
    const f = Frame.from({ x: [1, 2, 3, 4, 100, NA, 10, 20, 30, 40], g: ['a', 'a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'] })
    // group a: 1,2,3,4,100 → type 7 q(.25) = 2, q(.75) = 4;  group b: 10..40 → q(.25) = 17.5, q(.75) = 32.5
    expect(values('winsor(x, 0.25, 0.75) by g', f)).toEqual([2, 2, 3, 4, 4, null, 17.5, 20, 30, 32.5])
    // Stata: n = 5, P = 1.25 → x2 = 2, P = 3.75 → x4 = 4;  n = 4, P = 1 → (10+20)/2, P = 3 → (30+40)/2
    expect(values('winsor(x, 0.25, 0.75; quantile: "stata") by g', f)).toEqual([2, 2, 3, 4, 4, null, 15, 20, 30, 35])
  })

  test('winsor(x, 0, 1) changes nothing', () => {
    const x = ref.quantiles.find((c) => c.name === 'normal_100')!.x
    expect(values('winsor(x, 0, 1)', Frame.from({ x }))).toEqual(x)
  })
})

describe('group statistics', () => {
  const f = Frame.from({
    region: ['e', 'e', 'e', 'w', 'w', 'w', null],
    year: [1, 1, 2, 1, 2, 2, 1],
    x: [1, 3, 5, 10, NA, 30, 7],
    s: ['u', null, 'v', 'w', 'x', null, 'y'],
  })

  test.each([
    ['mean(x)', [56 / 6, 56 / 6, 56 / 6, 56 / 6, 56 / 6, 56 / 6, 56 / 6]],
    ['mean(x) by region', [3, 3, 3, 20, 20, 20, null]],
    ['sum(x) by region', [9, 9, 9, 40, 40, 40, null]],
    ['min(x) by region', [1, 1, 1, 10, 10, 10, null]],
    ['max(x) by region', [5, 5, 5, 30, 30, 30, null]],
    ['sd(x) by region', [2, 2, 2, Math.sqrt(200), Math.sqrt(200), Math.sqrt(200), null]],
    ['count(x) by region', [3, 3, 3, 2, 2, 2, null]],
    ['count(s) by region', [2, 2, 2, 2, 2, 2, null]],
    ['median(x) by region', [3, 3, 3, 20, 20, 20, null]],
    ['mean(x) by region, year', [2, 2, 5, 10, 30, 30, null]],
    ['sd(x) by region, year', [Math.SQRT2, Math.SQRT2, null, null, null, null, null]],
    ['sum(x) by year', [21, 21, 35, 21, 35, 35, 21]],
    ['x - mean(x) by region', [-2, 0, 2, -10, null, 10, null]],
    ['standardize(x) by region', [-1, 0, 1, -1 / Math.sqrt(2), null, 1 / Math.sqrt(2), null]],
    ['rank(x)', [1, 2, 3, 5, null, 6, 4]],
    ['rank(x) by year', [1, 2, 1, 4, null, 2, 3]],
  ])('%s', (src, want) => {
    expectClose(values(src, f) as number[], want, { rel: SUMMATION_REL, label: src })
  })

  test('a group with no observed value is missing; count is 0', () => {
    const g = Frame.from({ k: ['a', 'a', 'b'], x: [NA, NA, 1] })
    expect(values('sum(x) by k', g)).toEqual([null, null, 1])
    expect(values('mean(x) by k', g)).toEqual([null, null, 1])
    expect(values('count(x) by k', g)).toEqual([0, 0, 1])
  })

  test('standardize warns about groups without variation', () => {
    const g = Frame.from({ k: ['a', 'a', 'b', 'b'], x: [2, 2, 1, 3] })
    const r = run('standardize(x) by k', g)
    expect(Array.from(r.column.data as Float64Array)).toEqual([NaN, NaN, -1 / Math.SQRT2, 1 / Math.SQRT2])
    expect(r.warnings[0].message).toContain('1 group(s) with no variation (or a single value) left missing')
  })

  test('rank, sd, mean, median and standardize agree with R', () => {
    const s = ref.summaries
    const f2 = Frame.from({ x: s.x })
    expect(values('rank(x)', f2)).toEqual(s.rank)
    expectClose(values('sd(x)', f2) as number[], s.x.map(() => s.sd), { rel: SUMMATION_REL, label: 'sd' })
    expectClose(values('mean(x)', f2) as number[], s.x.map(() => s.mean), { rel: SUMMATION_REL, label: 'mean' })
    expect(values('median(x)', f2)).toEqual(s.x.map(() => s.median))
    expectClose(values('standardize(x)', f2) as number[], s.standardize, { rel: SUMMATION_REL, abs: 1e-15, label: 'scale' })
  })

  test('statistics that overflow are missing, with a warning', () => {
    const g = Frame.from({ x: [1e308, 1e308, 1] })
    const r = run('sum(x)', g)
    expect(Array.from(r.column.data as Float64Array)).toEqual([NaN, NaN, NaN])
    expect(r.warnings.map((w) => w.message)).toEqual(['1:1: sum(x): 3 value(s) missing: result too large'])
    expect(values('sd(x)', g)).toEqual([null, null, null])
  })

  test('numeric by keys group by value', () => {
    const g = Frame.from({ y: [2010, 2011, 2010], x: [1, 5, 3] })
    expect(values('mean(x) by y', g)).toEqual([2, 5, 2])
  })
})
