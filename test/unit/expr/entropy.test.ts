import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { Frame, expectClose, run, values } from './run.ts'

/** Fixture from test/fixtures/expr/make.R: the entropy weight method written out in R. */
const ref = JSON.parse(readFileSync(new URL('../../fixtures/expr/reference.json', import.meta.url), 'utf8')).entropy as {
  columns: string[]
  negative: boolean[]
  X: number[][]
  group: string[]
  pooled: { entropy: number[]; weight: number[]; score: number[] }
  by_group: Record<string, { rows: number[]; entropy: number[]; weight: number[]; score: number[] }>
}

/** Same formula, different summation order (R's colSums and %*%). */
const REORDERED_SUMS_REL = 1e-13

describe('entropy weight method', () => {
  // Hand example. Normalised: A (+) = [0, .5, 1], B (+) = [0, 1, 1], C (−) = (5 − x)/4 = [0, .5, 1].
  // Shares: A, C: [0, 1/3, 2/3]; B: [0, 1/2, 1/2].
  // e_A = e_C = −(1/ln 3)(⅓ ln ⅓ + ⅔ ln ⅔) = 1/3 + (2/3)·ln 1.5/ln 3 ≈ 0.579380
  // e_B = −(1/ln 3)(2 · ½ ln ½) = ln 2/ln 3 ≈ 0.630930
  // d = 1 − e: 0.420620, 0.369070, 0.420620; Σd = 1.210310
  // w_A = w_C ≈ 0.347530, w_B ≈ 0.304940;  index = [0, ½w_A + w_B + ½w_C, w_A + w_B + w_C] ≈ [0, 0.652470, 1]
  const hand = Frame.from({ A: [1, 2, 3], B: [10, 20, 20], C: [5, 3, 1] })
  const eA = 1 / 3 + (2 / 3) * (Math.log(1.5) / Math.log(3))
  const eB = Math.log(2) / Math.log(3)
  const dSum = 2 * (1 - eA) + (1 - eB)
  const wA = (1 - eA) / dSum
  const wB = (1 - eB) / dSum
  /** Six-digit hand arithmetic vs double precision. */
  const HAND_ABS = 5e-7

  test('hand-computed weights and index', () => {
    const r = run('entropy(A, B; negative: [C])', hand)
    expectClose(Array.from(r.column.data as Float64Array), [0, 0.65247, 1], { abs: 1e-5, label: 'index (6 digits)' })
    expectClose(Array.from(r.column.data as Float64Array), [0, wA + wB, 2 * wA + wB], { abs: 1e-15, label: 'index (closed form)' })
    expect(r.entropy).toHaveLength(1)
    const [g] = r.entropy[0].groups
    expect(r.entropy[0].expression).toBe('entropy(A, B; negative: [C])')
    expect(g.group).toBe('all')
    expect(g.n).toBe(3)
    expect(g.indicators.map((i) => [i.indicator, i.direction])).toEqual([['A', 'positive'], ['B', 'positive'], ['C', 'negative']])
    expectClose(g.indicators.map((i) => i.entropy), [0.57938, 0.63093, 0.57938], { abs: HAND_ABS * 10, label: 'e' })
    expectClose(g.indicators.map((i) => i.weight), [0.34753, 0.30494, 0.34753], { abs: HAND_ABS * 10, label: 'w' })
    expectClose(g.indicators.map((i) => i.divergence), [1 - eA, 1 - eB, 1 - eA], { abs: 1e-15, label: 'd' })
    expect(g.indicators.reduce((s, i) => s + i.weight, 0)).toBeCloseTo(1, 14)
  })

  test('a negative indicator may be listed among the arguments too', () => {
    expect(values('entropy(A, B, C; negative: [C])', hand)).toEqual(values('entropy(A, B; negative: [C])', hand))
  })

  test('shift adds a constant to the normalised values', () => {
    const r = run('entropy(A, B; negative: [C], shift: 0.01)', hand)
    const zA = [0.01, 0.51, 1.01]
    const zB = [0.01, 1.01, 1.01]
    const e = (z: number[]) => {
      const s = z.reduce((a, b) => a + b, 0)
      return -z.reduce((h, v) => h + (v / s) * Math.log(v / s), 0) / Math.log(3)
    }
    const d = [1 - e(zA), 1 - e(zB), 1 - e(zA)]
    const w = d.map((x) => x / (d[0] + d[1] + d[2]))
    const want = [0, 1, 2].map((i) => w[0] * zA[i] + w[1] * zB[i] + w[2] * zA[i])
    expectClose(Array.from(r.column.data as Float64Array), want, { rel: 1e-14, label: 'shifted index' })
  })

  test('a constant indicator gets weight 0; rows with a missing indicator are left out', () => {
    const f = Frame.from({ A: [1, 2, 3, NaN], K: [4, 4, 4, 4], B: [10, 20, 20, 5] })
    const r = run('entropy(A, K, B)', f)
    const w = r.entropy[0].groups[0].indicators.map((i) => i.weight)
    expect(w[1]).toBe(0)
    expect(r.entropy[0].groups[0].n).toBe(3)
    expect((r.column.data as Float64Array)[3]).toBeNaN()
    // with K weighted 0, A and B as in the hand example (B's shares [0, ½, ½])
    expectClose(w, [(1 - eA) / (2 - eA - eB), 0, (1 - eB) / (2 - eA - eB)], { rel: 1e-14, label: 'w with constant' })
  })

  test('per group with `by`: weights per group; thin groups are missing with a warning', () => {
    const f = Frame.from({
      year: [1, 1, 1, 2, 2, 2, 3],
      A: [1, 2, 3, 1, 2, 3, 9],
      B: [10, 20, 20, 20, 10, 20, 9],
    })
    const r = run('entropy(A, B) by year', f)
    const groups = r.entropy[0].groups
    expect(groups.map((g) => g.group)).toEqual(['1', '2'])
    expect(r.entropy[0].by).toEqual(['year'])
    // year 1: B shares [0, ½, ½]; year 2: B normalised [1, 0, 1] → same entropy; both: w_A/w_B equal
    expectClose(groups[0].indicators.map((i) => i.weight), groups[1].indicators.map((i) => i.weight), { rel: 1e-14, label: 'same weights' })
    expect((r.column.data as Float64Array)[6]).toBeNaN()
    expect(r.warnings.map((w) => w.message)).toEqual(['1:1: entropy(A, B) by year: 1 group(s) with fewer than 2 complete rows left missing'])
  })

  test('pooled weights and index agree with the R implementation', () => {
    const cols = Object.fromEntries(ref.columns.map((c, j) => [c, ref.X[j]]))
    const f = Frame.from({ ...cols, g: ref.group })
    const pos = ref.columns.filter((_, j) => !ref.negative[j])
    const neg = ref.columns.filter((_, j) => ref.negative[j])
    const src = `entropy(${pos.join(', ')}; negative: [${neg.join(', ')}])`
    const r = run(src, f)
    const inds = r.entropy[0].groups[0].indicators
    const order = ref.columns.map((c) => inds.findIndex((i) => i.indicator === c))
    expectClose(order.map((k) => inds[k].weight), ref.pooled.weight, { rel: REORDERED_SUMS_REL, label: 'pooled w' })
    expectClose(order.map((k) => inds[k].entropy), ref.pooled.entropy, { rel: REORDERED_SUMS_REL, label: 'pooled e' })
    expectClose(Array.from(r.column.data as Float64Array), ref.pooled.score, { rel: REORDERED_SUMS_REL, abs: 1e-15, label: 'pooled index' })

    const byGroup = run(`${src} by g`, f)
    for (const g of byGroup.entropy[0].groups) {
      const want = ref.by_group[g.group]
      expectClose(order.map((k) => g.indicators[k].weight), want.weight, { rel: REORDERED_SUMS_REL, label: `w ${g.group}` })
      const got = want.rows.map((row) => (byGroup.column.data as Float64Array)[row - 1])
      expectClose(got, want.score, { rel: REORDERED_SUMS_REL, abs: 1e-15, label: `index ${g.group}` })
    }
    expect(byGroup.entropy[0].groups).toHaveLength(3)
  })
})
