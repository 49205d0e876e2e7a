import loadHighsModule from 'highs'
import type { Highs } from 'highs'
import { beforeAll, describe, expect, test } from 'vitest'
import { DenseSimplex } from '../../../../src/stats/lp/simplex.ts'
import { Rng } from '../../../../src/stats/rng.ts'
import { expectClose } from '../dea/close.ts'

// `highs` ships CommonJS types for an ES module build; under NodeNext the default import is typed as the namespace.
const loadHighs = loadHighsModule as unknown as () => Promise<Highs>
let highs: Highs
beforeAll(async () => {
  highs = await loadHighs()
})

/** Both solvers work in double precision on O(1) data; HiGHS runs at 1e-10 feasibility/optimality. */
const AGREE = 1e-8

interface Lp {
  rows: number
  cols: number
  a: number[][] // rows × cols
  b: number[]
  c: number[]
  lo: number[]
  up: number[]
}

function solveDense(lp: Lp): { status: string; objective: number; x: number[] } {
  const s = new DenseSimplex(lp.rows, lp.cols)
  s.reset(lp.b)
  for (let j = 0; j < lp.cols; j++) s.addColumn(lp.a.map((r) => r[j]), lp.c[j], lp.lo[j], lp.up[j])
  const status = s.solve()
  return { status, objective: s.objective, x: Array.from({ length: lp.cols }, (_, j) => s.value(j)) }
}

function solveHighs(lp: Lp): { status: string; objective: number } {
  const starts = [0]
  const indices: number[] = []
  const values: number[] = []
  for (const row of lp.a) {
    row.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j)
        values.push(v)
      }
    })
    starts.push(indices.length)
  }
  const inf = (v: number): number => (v === Infinity ? highs.infinity : v === -Infinity ? -highs.infinity : v)
  const model = highs.createModel({
    numCols: lp.cols,
    numRows: lp.rows,
    colCost: lp.c,
    colLower: lp.lo.map(inf),
    colUpper: lp.up.map(inf),
    rowLower: lp.b,
    rowUpper: lp.b,
    matrix: { format: 'csr', numRows: lp.rows, numCols: lp.cols, starts, indices, values },
  })
  try {
    model.options.set({ output_flag: false, primal_feasibility_tolerance: 1e-10, dual_feasibility_tolerance: 1e-10 })
    model.run()
    const st = model.getModelStatus()
    const status = st === highs.constants.modelStatus.optimal ? 'optimal' : st === highs.constants.modelStatus.infeasible ? 'infeasible' : 'other'
    return { status, objective: status === 'optimal' ? model.getObjectiveValue() : NaN }
  } finally {
    model.dispose()
  }
}

/** A random LP that is feasible by construction (b = A x₀ with x₀ inside the bounds) and bounded (finite bounds or c ≥ 0 on unbounded columns). */
function randomLp(rng: Rng, rows: number, cols: number, degenerate: boolean): Lp {
  const a = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rng.uniform() < 0.6 ? Math.round(10 * (rng.uniform() * 2 - 1)) / 4 : 0)))
  const lo: number[] = []
  const up: number[] = []
  const c: number[] = []
  const x0: number[] = []
  for (let j = 0; j < cols; j++) {
    const kind = rng.int(4)
    if (kind === 0) {
      lo.push(0)
      up.push(Infinity)
      c.push(rng.uniform() * 2)
    } else if (kind === 1) {
      lo.push(-1)
      up.push(2)
      c.push(rng.uniform() * 2 - 1)
    } else if (kind === 2) {
      lo.push(0)
      up.push(3)
      c.push(rng.uniform() * 2 - 1)
    } else {
      lo.push(0)
      up.push(Infinity)
      c.push(rng.uniform() * 3)
    }
    // degenerate LPs start from a vertex-like point with many variables at their bounds
    x0.push(degenerate && rng.uniform() < 0.7 ? lo[j] : lo[j] + rng.uniform() * Math.min(2, up[j] - lo[j]))
  }
  const b = a.map((r) => r.reduce((s, v, j) => s + v * x0[j], 0))
  return { rows, cols, a, b, c, lo, up }
}

describe('DenseSimplex', () => {
  test('a small bounded LP: min −x₁ − 2x₂ s.t. x₁ + x₂ ≤ 4, x₁ + 3x₂ ≤ 6, 0 ≤ x₁ ≤ 3', () => {
    const r = solveDense({ rows: 2, cols: 4, a: [[1, 1, 1, 0], [1, 3, 0, 1]], b: [4, 6], c: [-1, -2, 0, 0], lo: [0, 0, 0, 0], up: [3, Infinity, Infinity, Infinity] })
    expect(r.status).toBe('optimal')
    expectClose(r.objective, -5, { abs: 1e-12, label: 'objective' })
    expectClose(r.x[0], 3, { abs: 1e-12, label: 'x1' })
    expectClose(r.x[1], 1, { abs: 1e-12, label: 'x2' })
  })

  test('a free variable: min x − y with x + y = 2, x − y free in sign, y ≤ 5', () => {
    const r = solveDense({ rows: 1, cols: 2, a: [[1, 1]], b: [2], c: [1, -1], lo: [-Infinity, 0], up: [Infinity, 5] })
    expect(r.status).toBe('optimal')
    expectClose(r.objective, -8, { abs: 1e-12, label: 'objective' })
  })

  test('reports infeasible and unbounded problems', () => {
    expect(solveDense({ rows: 1, cols: 2, a: [[1, 1]], b: [-1], c: [1, 1], lo: [0, 0], up: [Infinity, Infinity] }).status).toBe('infeasible')
    expect(solveDense({ rows: 1, cols: 2, a: [[1, -1]], b: [1], c: [-1, 0], lo: [0, 0], up: [Infinity, Infinity] }).status).toBe('unbounded')
  })

  test('agrees with HiGHS on random LPs, degenerate ones included', () => {
    const rng = new Rng(['simplex-random'])
    let compared = 0
    for (let k = 0; k < 120; k++) {
      const rows = 2 + rng.int(10)
      const cols = rows + 1 + rng.int(30)
      const lp = randomLp(rng, rows, cols, k % 2 === 0)
      const mine = solveDense(lp)
      const ref = solveHighs(lp)
      expect(mine.status, `LP ${k}`).toBe(ref.status)
      if (ref.status !== 'optimal') continue
      expectClose(mine.objective, ref.objective, { rel: AGREE, label: `LP ${k} objective` })
      // the point is feasible
      lp.a.forEach((row, i) => expectClose(row.reduce((s, v, j) => s + v * mine.x[j], 0), lp.b[i], { abs: 1e-8, label: `LP ${k} row ${i}` }))
      mine.x.forEach((v, j) => expect(v >= lp.lo[j] - 1e-9 && v <= lp.up[j] + 1e-9, `LP ${k} x${j} = ${v}`).toBe(true))
      compared++
    }
    expect(compared).toBeGreaterThan(100)
  })

  test('columns added after a solve resume from the current basis and reach the full optimum', () => {
    const rng = new Rng(['simplex-colgen'])
    for (let k = 0; k < 30; k++) {
      const lp = randomLp(rng, 6, 40, false)
      const full = solveDense(lp)
      // start from the slack-like half of the columns and add the rest in two batches
      const s = new DenseSimplex(lp.rows, lp.cols)
      s.reset(lp.b)
      const order = [...Array(lp.cols).keys()]
      const add = (j: number): number => s.addColumn(lp.a.map((r) => r[j]), lp.c[j], lp.lo[j], lp.up[j])
      for (const j of order.slice(0, 20)) add(j)
      let st = s.solve()
      for (const j of order.slice(20, 30)) add(j)
      st = s.solve()
      for (const j of order.slice(30)) add(j)
      st = s.solve()
      expect(st, `LP ${k}`).toBe(full.status)
      if (st === 'optimal') expectClose(s.objective, full.objective, { rel: 1e-9, label: `LP ${k} resumed objective` })
    }
  })

  test('a second objective on the optimal face (setBounds + setCost), as the radial models use it', () => {
    // min x₃ s.t. x₁ + x₂ − x₃ = 0, x₁ + x₂ = 1 → x₃ = 1; then max x₁ with x₃ fixed
    const s = new DenseSimplex(2, 3)
    s.reset([0, 1])
    s.addColumn([1, 1], 0)
    s.addColumn([1, 1], 0)
    s.addColumn([-1, 0], 1)
    expect(s.solve()).toBe('optimal')
    expectClose(s.value(2), 1, { abs: 1e-12, label: 'x3' })
    s.setBounds(2, s.value(2), s.value(2))
    s.setCost(2, 0)
    s.setCost(0, -1)
    expect(s.solve()).toBe('optimal')
    expectClose(s.value(0), 1, { abs: 1e-12, label: 'x1 after the second objective' })
    expectClose(s.value(1), 0, { abs: 1e-12, label: 'x2 after the second objective' })
  })

  test('reduced costs certify dual nondegeneracy only when the optimum is unique', () => {
    // min x₁ + x₂ s.t. x₁ + x₂ = 1: every point of the segment is optimal
    const tie = new DenseSimplex(1, 2)
    tie.reset([1])
    tie.addColumn([1], 1)
    tie.addColumn([1], 1)
    expect(tie.solve()).toBe('optimal')
    expect(tie.minNonbasicReducedCost()).toBeLessThan(1e-9)
    const unique = new DenseSimplex(1, 2)
    unique.reset([1])
    unique.addColumn([1], 1)
    unique.addColumn([1], 2)
    expect(unique.solve()).toBe('optimal')
    expect(unique.minNonbasicReducedCost()).toBeGreaterThan(0.5)
  })
})
