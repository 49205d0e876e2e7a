/**
 * The envelopment LPs of every DEA model here, written in one scaled form that the dense
 * simplex solves. docs/methods.md writes each of them out in full; this file is the
 * code of those pages.
 *
 * ## Scaling
 * For the evaluated DMU o, every data row is divided by o's own value: column j of the LP
 * holds âᵢⱼ = aᵢⱼ / aᵢₒ, and every slack is measured relative to o (σᵢ = sᵢ / aᵢₒ, times t
 * after the Charnes–Cooper transformation). The SBM scores are unit-invariant, so this is
 * exact, and it makes the right-hand side and the explicit (non-data) columns the same for
 * every o: only the data columns change between LPs, and the rows are all O(1).
 *
 * ## Columns
 * Explicit columns come first, in the same order for every kind:
 *   0            t (SBM, super-SBM: the Charnes–Cooper scale), θ (radial) or β (DDF)
 *   1 … m        input slacks
 *   1+m … m+s1   desirable-output slacks
 *   then         undesirable-output slacks (all kinds but DDF, where those rows are equalities)
 *   then         row slacks of inequality rows (super-SBM only)
 * Data column j (one per reference DMU) has âⱼ in rows dataRow0 … dataRow0+d−1, a 1 in the
 * convexity row under VRS, zeros elsewhere, and cost 0 in every model; so its reduced cost
 * is −Σᵢ y[dataRow0+i] âᵢⱼ − y[vrsRow], which is how callers price columns outside the LP.
 */

/** The LP families: SBM (Tone 2001/2003), super-SBM (Tone 2002), radial CCR/BCC, directional distance. */
export type LpKind = 'sbm' | 'super-sbm' | 'radial' | 'ddf'
export type Orientation = 'none' | 'input'

export interface LpSpec {
  readonly kind: LpKind
  /** Variable returns to scale: adds Σλ = 1 (Σμ = t after the Charnes–Cooper transformation). */
  readonly vrs: boolean
  /** SBM family only: `input` drops the output slacks from the score (Tone 2001 §4, 2002 §3). */
  readonly orientation: Orientation
}

export interface Dims {
  readonly m: number
  readonly s1: number
  readonly s2: number
}

/** One explicit column: sparse (row, value) pairs, cost and bounds. */
export interface ExplicitColumn {
  readonly entries: readonly (readonly [number, number])[]
  readonly cost: number
  readonly lo: number
  readonly up: number
}

export interface Layout {
  readonly spec: LpSpec
  readonly dims: Dims
  readonly rows: number
  /** Row of the first data dimension. */
  readonly dataRow0: number
  /** Convexity row, or −1 under constant returns. */
  readonly vrsRow: number
  readonly b: Float64Array
  readonly extras: readonly ExplicitColumn[]
  /** Index of the first slack column and how many data dimensions have one (DDF: m + s1). */
  readonly slackCount: number
}

/** Build the layout of an LP kind for the given dimensions. */
export function layoutFor(spec: LpSpec, dims: Dims): Layout {
  const { m, s1, s2 } = dims
  const d = m + s1 + s2
  if (m < 1 || s1 + s2 < 1) throw new RangeError('DEA needs at least one input and one output')
  switch (spec.kind) {
    case 'sbm':
      return sbmLayout(spec, dims, d)
    case 'super-sbm':
      return superLayout(spec, dims, d)
    case 'radial':
      return radialLayout(spec, dims, d)
    case 'ddf':
      return ddfLayout(spec, dims, d)
  }
}

const col = (entries: [number, number][], cost: number, lo = 0, up = Infinity): ExplicitColumn => ({ entries, cost, lo, up })

/**
 * SBM after Charnes–Cooper, scaled (Tone 2001, (10); with bad outputs Tone 2003 / CST ch. 13):
 *   min t − (1/m) Σ σ⁻ᵢ
 *   s.t. t + w⁺ (Σ σᵍᵣ + Σ σᵇ_q) = 1                      (row 0; w⁺ = 1/(s1+s2), or 0 input-oriented)
 *        Σⱼ μⱼ x̂ᵢⱼ + σ⁻ᵢ − t = 0                           (rows 1 … m)
 *        Σⱼ μⱼ ŷᵍᵣⱼ − σᵍᵣ − t = 0                           (rows 1+m …)
 *        Σⱼ μⱼ ŷᵇ_qj + σᵇ_q − t = 0                         (rows 1+m+s1 …)
 *        [VRS] Σⱼ μⱼ − t = 0
 *   ρ* = objective, λ = μ/t, s = σ aₒ / t.
 */
function sbmLayout(spec: LpSpec, { m, s1, s2 }: Dims, d: number): Layout {
  const rows = 1 + d + (spec.vrs ? 1 : 0)
  const vrsRow = spec.vrs ? 1 + d : -1
  const wPlus = spec.orientation === 'none' ? 1 / (s1 + s2) : 0
  const b = new Float64Array(rows)
  b[0] = 1
  const t: [number, number][] = [[0, 1]]
  for (let i = 0; i < d; i++) t.push([1 + i, -1])
  if (spec.vrs) t.push([vrsRow, -1])
  const extras: ExplicitColumn[] = [col(t, 1)]
  for (let i = 0; i < m; i++) extras.push(col([[1 + i, 1]], -1 / m))
  for (let r = 0; r < s1; r++) extras.push(col(wPlus ? [[0, wPlus], [1 + m + r, -1]] : [[1 + m + r, -1]], 0))
  for (let q = 0; q < s2; q++) extras.push(col(wPlus ? [[0, wPlus], [1 + m + s1 + q, 1]] : [[1 + m + s1 + q, 1]], 0))
  return { spec, dims: { m, s1, s2 }, rows, dataRow0: 1, vrsRow, b, extras, slackCount: d }
}

/**
 * Super-SBM after Charnes–Cooper, scaled (Tone 2002, (19)–(20), with undesirable outputs
 * in the denominator with their own slacks; the evaluated DMU is not a column):
 *   min t + (1/m) Σ φ⁻ᵢ
 *   s.t. t − w⁺ (Σ φᵍᵣ + Σ φᵇ_q) = 1                      (row 0)
 *        Σⱼ μⱼ x̂ᵢⱼ − φ⁻ᵢ − t ≤ 0                           (rows 1 … m)
 *        Σⱼ μⱼ ŷᵍᵣⱼ + φᵍᵣ − t ≥ 0                           (rows 1+m …)
 *        Σⱼ μⱼ ŷᵇ_qj − φᵇ_q − t ≤ 0                         (rows 1+m+s1 …)
 *        φᵍᵣ − t ≤ 0                                       (rows 1+d …: a good output cannot fall below 0)
 *        [VRS] Σⱼ μⱼ − t = 0
 *   Input-oriented (w⁺ = 0): φᵍ = φᵇ = 0. δ* = objective.
 */
function superLayout(spec: LpSpec, { m, s1, s2 }: Dims, d: number): Layout {
  const rows = 1 + d + s1 + (spec.vrs ? 1 : 0)
  const capRow0 = 1 + d
  const vrsRow = spec.vrs ? 1 + d + s1 : -1
  const input = spec.orientation === 'input'
  const wPlus = input ? 0 : 1 / (s1 + s2)
  const b = new Float64Array(rows)
  b[0] = 1
  const t: [number, number][] = [[0, 1]]
  for (let i = 0; i < d; i++) t.push([1 + i, -1])
  for (let r = 0; r < s1; r++) t.push([capRow0 + r, -1])
  if (spec.vrs) t.push([vrsRow, -1])
  const extras: ExplicitColumn[] = [col(t, 1)]
  for (let i = 0; i < m; i++) extras.push(col([[1 + i, -1]], 1 / m))
  for (let r = 0; r < s1; r++) {
    const e: [number, number][] = wPlus ? [[0, -wPlus]] : []
    e.push([1 + m + r, 1], [capRow0 + r, 1])
    extras.push(col(e, 0, 0, input ? 0 : Infinity))
  }
  for (let q = 0; q < s2; q++) {
    const e: [number, number][] = wPlus ? [[0, -wPlus]] : []
    e.push([1 + m + s1 + q, -1])
    extras.push(col(e, 0, 0, input ? 0 : Infinity))
  }
  // row slacks: + for ≤ rows, − for ≥ rows
  for (let i = 0; i < m; i++) extras.push(col([[1 + i, 1]], 0))
  for (let r = 0; r < s1; r++) extras.push(col([[1 + m + r, -1]], 0))
  for (let q = 0; q < s2; q++) extras.push(col([[1 + m + s1 + q, 1]], 0))
  for (let r = 0; r < s1; r++) extras.push(col([[capRow0 + r, 1]], 0))
  return { spec, dims: { m, s1, s2 }, rows, dataRow0: 1, vrsRow, b, extras, slackCount: d }
}

/**
 * Input-oriented radial model, CCR (CRS) or BCC (VRS), envelopment form, undesirable
 * outputs treated as inputs and contracted with them:
 *   min θ   s.t. Σⱼ λⱼ x̂ᵢⱼ + s⁻ᵢ − θ = 0,  Σⱼ λⱼ ŷᵍᵣⱼ − sᵍᵣ = 1,  Σⱼ λⱼ ŷᵇ_qj + sᵇ_q − θ = 0,  [Σλ = 1]
 * The second phase (run by the caller) fixes θ = θ* and maximises Σ s (relative slacks).
 */
function radialLayout(spec: LpSpec, { m, s1, s2 }: Dims, d: number): Layout {
  const rows = d + (spec.vrs ? 1 : 0)
  const vrsRow = spec.vrs ? d : -1
  const b = new Float64Array(rows)
  for (let r = 0; r < s1; r++) b[m + r] = 1
  if (spec.vrs) b[vrsRow] = 1
  const theta: [number, number][] = []
  for (let i = 0; i < m; i++) theta.push([i, -1])
  for (let q = 0; q < s2; q++) theta.push([m + s1 + q, -1])
  const extras: ExplicitColumn[] = [col(theta, 1)]
  for (let i = 0; i < m; i++) extras.push(col([[i, 1]], 0))
  for (let r = 0; r < s1; r++) extras.push(col([[m + r, -1]], 0))
  for (let q = 0; q < s2; q++) extras.push(col([[m + s1 + q, 1]], 0))
  return { spec, dims: { m, s1, s2 }, rows, dataRow0: 0, vrsRow, b, extras, slackCount: d }
}

/**
 * Directional distance function with direction g = (0, yᵍₒ, −yᵇₒ) (Chung, Färe & Grosskopf
 * 1997; Oh 2010), weak disposability of undesirable outputs (equality rows):
 *   max β   s.t. Σⱼ λⱼ x̂ᵢⱼ + s⁻ᵢ = 1,  Σⱼ λⱼ ŷᵍᵣⱼ − sᵍᵣ − β = 1,  Σⱼ λⱼ ŷᵇ_qj + β = 1,  [Σλ = 1]
 * solved as min −β with β free.
 */
function ddfLayout(spec: LpSpec, { m, s1, s2 }: Dims, d: number): Layout {
  const rows = d + (spec.vrs ? 1 : 0)
  const vrsRow = spec.vrs ? d : -1
  const b = new Float64Array(rows).fill(1)
  const beta: [number, number][] = []
  for (let r = 0; r < s1; r++) beta.push([m + r, -1])
  for (let q = 0; q < s2; q++) beta.push([m + s1 + q, 1])
  const extras: ExplicitColumn[] = [col(beta, -1, -Infinity, Infinity)]
  for (let i = 0; i < m; i++) extras.push(col([[i, 1]], 0))
  for (let r = 0; r < s1; r++) extras.push(col([[m + r, -1]], 0))
  return { spec, dims: { m, s1, s2 }, rows, dataRow0: 0, vrsRow, b, extras, slackCount: m + s1 }
}
