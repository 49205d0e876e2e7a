/**
 * Reference solutions of the DEA LPs by HiGHS (npm `highs`, WebAssembly), written from the
 * textbook formulations in their original, unscaled variables (t, Λ = tλ, S = t s): an
 * independent path to the same optima as src/stats/dea, used by tests and bench/dea.ts.
 */
import loadHighsModule from 'highs'
import type { Highs } from 'highs'
import type { DeaData } from '../../../../src/stats/dea/data.ts'
import type { LpSpec } from '../../../../src/stats/dea/layout.ts'

// `highs` ships CommonJS types for an ES module build; under NodeNext the default import is typed as the namespace.
const loadHighs = loadHighsModule as unknown as () => Promise<Highs>
let highsPromise: Promise<Highs> | undefined

export function highs(): Promise<Highs> {
  highsPromise ??= loadHighs()
  return highsPromise
}

/** Feasibility and optimality tolerances given to HiGHS (its defaults are 1e-7). */
export const HIGHS_TOL = 1e-10

export interface HighsOutcome {
  status: 'optimal' | 'infeasible' | 'other'
  objective: number
  /** The model's score (ρ, δ, θ or β). */
  score: number
}

interface Row {
  cols: number[]
  vals: number[]
  lo: number
  up: number
}

/**
 * Solve the LP of DMU `o` against reference DMUs `ref` (o is skipped when `excludeSelf`).
 * Unscaled formulations (docs/methods.md writes the same LPs):
 *  sbm:       min t − (1/m)Σ S⁻ᵢ/xᵢₒ  s.t. t + w⁺(Σ Sᵍ/yᵍₒ + Σ Sᵇ/yᵇₒ) = 1, XΛ + S⁻ = t xₒ, YᵍΛ − Sᵍ = t yᵍₒ, YᵇΛ + Sᵇ = t yᵇₒ
 *  super-sbm: min t + (1/m)Σ S⁻ᵢ/xᵢₒ  s.t. t − w⁺(Σ Sᵍ/yᵍₒ + Σ Sᵇ/yᵇₒ) = 1, XΛ − S⁻ ≤ t xₒ, YᵍΛ + Sᵍ ≥ t yᵍₒ, YᵇΛ − Sᵇ ≤ t yᵇₒ, Sᵍ ≤ t yᵍₒ
 *  radial:    min θ  s.t. Xλ ≤ θ xₒ, Yᵍλ ≥ yᵍₒ, Yᵇλ ≤ θ yᵇₒ
 *  ddf:       max β  s.t. Xλ ≤ xₒ, Yᵍλ ≥ (1+β) yᵍₒ, Yᵇλ = (1−β) yᵇₒ, β free
 *  VRS adds ΣΛ = t (Σλ = 1).
 */
export async function highsSolve(spec: LpSpec, data: DeaData, o: number, ref: ArrayLike<number>, excludeSelf: boolean): Promise<HighsOutcome> {
  const h = await highs()
  const { m, s1, s2, d, values } = data
  const v = (j: number, i: number): number => values[j * d + i]
  const refs: number[] = []
  for (let k = 0; k < ref.length; k++) if (!(excludeSelf && ref[k] === o)) refs.push(ref[k])
  const nl = refs.length
  const S = s1 + s2
  const input = spec.orientation === 'input'
  const wPlus = input ? 0 : 1 / S
  const cost: number[] = []
  const lo: number[] = []
  const up: number[] = []
  const rows: Row[] = []
  const INF = h.infinity
  const addVar = (c: number, l = 0, u = INF): number => {
    cost.push(c)
    lo.push(l)
    up.push(u)
    return cost.length - 1
  }
  const lam = refs.map(() => 0)
  const row = (lo: number, up: number): Row => {
    const r = { cols: [], vals: [], lo, up }
    rows.push(r)
    return r
  }
  let sense: 'min' | 'max' = 'min'
  let scoreOf = (obj: number): number => obj

  if (spec.kind === 'sbm' || spec.kind === 'super-sbm') {
    const sup = spec.kind === 'super-sbm'
    const t = addVar(1)
    for (let k = 0; k < nl; k++) lam[k] = addVar(0)
    const sx = Array.from({ length: m }, (_, i) => addVar((sup ? 1 : -1) / (m * v(o, i))))
    const sg = Array.from({ length: s1 }, () => addVar(0, 0, sup && input ? 0 : INF))
    const sb = Array.from({ length: s2 }, () => addVar(0, 0, sup && input ? 0 : INF))
    const r0 = row(1, 1)
    r0.cols.push(t)
    r0.vals.push(1)
    for (let r = 0; r < s1; r++) if (wPlus) (r0.cols.push(sg[r]), r0.vals.push(((sup ? -1 : 1) * wPlus) / v(o, m + r)))
    for (let q = 0; q < s2; q++) if (wPlus) (r0.cols.push(sb[q]), r0.vals.push(((sup ? -1 : 1) * wPlus) / v(o, m + s1 + q)))
    for (let i = 0; i < d; i++) {
      const good = i >= m && i < m + s1
      // sbm: equality rows; super: x, yᵇ rows ≤ 0, yᵍ rows ≥ 0
      const r = sup ? (good ? row(0, INF) : row(-INF, 0)) : row(0, 0)
      refs.forEach((j, k) => (r.cols.push(lam[k]), r.vals.push(v(j, i))))
      r.cols.push(t)
      r.vals.push(-v(o, i))
      const slack = i < m ? sx[i] : good ? sg[i - m] : sb[i - m - s1]
      const sign = i < m ? (sup ? -1 : 1) : good ? (sup ? 1 : -1) : sup ? -1 : 1
      r.cols.push(slack)
      r.vals.push(sign)
    }
    if (sup) {
      for (let r = 0; r < s1; r++) {
        const c = row(-INF, 0)
        c.cols.push(sg[r], t)
        c.vals.push(1, -v(o, m + r))
      }
    }
    if (spec.vrs) {
      const r = row(0, 0)
      lam.forEach((c) => (r.cols.push(c), r.vals.push(1)))
      r.cols.push(t)
      r.vals.push(-1)
    }
  } else if (spec.kind === 'radial') {
    const theta = addVar(1)
    for (let k = 0; k < nl; k++) lam[k] = addVar(0)
    for (let i = 0; i < d; i++) {
      const good = i >= m && i < m + s1
      const r = good ? row(v(o, i), INF) : row(-INF, 0)
      refs.forEach((j, k) => (r.cols.push(lam[k]), r.vals.push(v(j, i))))
      if (!good) (r.cols.push(theta), r.vals.push(-v(o, i)))
    }
    if (spec.vrs) {
      const r = row(1, 1)
      lam.forEach((c) => (r.cols.push(c), r.vals.push(1)))
    }
  } else {
    sense = 'max'
    const beta = addVar(1, -INF, INF)
    for (let k = 0; k < nl; k++) lam[k] = addVar(0)
    for (let i = 0; i < d; i++) {
      const good = i >= m && i < m + s1
      const bad = i >= m + s1
      const r = i < m ? row(-INF, v(o, i)) : good ? row(v(o, i), INF) : row(v(o, i), v(o, i))
      refs.forEach((j, k) => (r.cols.push(lam[k]), r.vals.push(v(j, i))))
      if (good) (r.cols.push(beta), r.vals.push(-v(o, i)))
      if (bad) (r.cols.push(beta), r.vals.push(v(o, i)))
    }
    if (spec.vrs) {
      const r = row(1, 1)
      lam.forEach((c) => (r.cols.push(c), r.vals.push(1)))
    }
    scoreOf = (obj) => obj
  }

  const starts = [0]
  const indices: number[] = []
  const vals: number[] = []
  for (const r of rows) {
    indices.push(...r.cols)
    vals.push(...r.vals)
    starts.push(indices.length)
  }
  const model = h.createModel({
    numCols: cost.length,
    numRows: rows.length,
    sense: sense === 'max' ? h.constants.objectiveSense.maximize : h.constants.objectiveSense.minimize,
    colCost: cost,
    colLower: lo,
    colUpper: up,
    rowLower: rows.map((r) => r.lo),
    rowUpper: rows.map((r) => r.up),
    matrix: { format: 'csr', numRows: rows.length, numCols: cost.length, starts, indices, values: vals },
  })
  try {
    // dual simplex without presolve: the natural set-up for many tiny LPs; tight tolerances first,
    // HiGHS's defaults (1e-7) if it cannot certify at 1e-10 (badly scaled data)
    for (const tol of [HIGHS_TOL, 1e-7]) {
      model.options.set({ output_flag: false, solver: 'simplex', presolve: 'off', primal_feasibility_tolerance: tol, dual_feasibility_tolerance: tol })
      model.run()
      const st = model.getModelStatus()
      if (st === h.constants.modelStatus.optimal) {
        const obj = model.getObjectiveValue()
        return { status: 'optimal', objective: obj, score: scoreOf(obj) }
      }
      if (st === h.constants.modelStatus.infeasible) return { status: 'infeasible', objective: NaN, score: NaN }
      model.clearSolver()
    }
    return { status: 'other', objective: NaN, score: NaN }
  } finally {
    model.dispose()
  }
}
