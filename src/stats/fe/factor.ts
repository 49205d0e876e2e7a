/**
 * Factors: a categorical column as dense integer codes 0..G−1 (−1 = missing), the form
 * every fixed-effect and cluster computation works on.
 */
import type { Column } from '../../artifacts/frame.ts'

export interface Factor {
  /** Code of each row, 0..levels−1; −1 marks a missing value. */
  readonly codes: Int32Array
  readonly levels: number
}

/**
 * Codes in order of first appearance (deterministic for a given row order). Numeric keys
 * compare by value (NaN is missing); string keys by exact text (null is missing).
 */
export function factorize(col: Column): Factor {
  const n = col.data.length
  const codes = new Int32Array(n)
  let levels = 0
  if (col.type === 'number') {
    const d = col.data
    const dense = denseIntegerCodes(d)
    if (dense) return dense
    const map = new Map<number, number>()
    for (let i = 0; i < n; i++) {
      const v = d[i]
      if (Number.isNaN(v)) { codes[i] = -1; continue }
      let c = map.get(v)
      if (c === undefined) { c = levels++; map.set(v, c) }
      codes[i] = c
    }
  } else {
    const d = col.data
    const map = new Map<string, number>()
    for (let i = 0; i < n; i++) {
      const v = d[i]
      if (v === null) { codes[i] = -1; continue }
      let c = map.get(v)
      if (c === undefined) { c = levels++; map.set(v, c) }
      codes[i] = c
    }
  }
  return { codes, levels }
}

/**
 * Integer keys in a range at most DENSE_RANGE_FACTOR × n wide (unit ids, years) are coded
 * through a lookup array instead of a hash map: same codes (first appearance), ~5× faster.
 */
const DENSE_RANGE_FACTOR = 4

function denseIntegerCodes(d: Float64Array): Factor | undefined {
  const n = d.length
  let lo = Infinity, hi = -Infinity
  for (let i = 0; i < n; i++) {
    const v = d[i]
    if (v !== v) continue
    if (!Number.isInteger(v)) return undefined
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (lo > hi) return { codes: new Int32Array(n).fill(-1), levels: 0 }
  if (hi - lo + 1 > DENSE_RANGE_FACTOR * n + 16) return undefined
  const lookup = new Int32Array(hi - lo + 1).fill(-1)
  const codes = new Int32Array(n)
  let levels = 0
  for (let i = 0; i < n; i++) {
    const v = d[i]
    if (v !== v) { codes[i] = -1; continue }
    const k = v - lo
    let c = lookup[k]
    if (c < 0) { c = levels++; lookup[k] = c }
    codes[i] = c
  }
  return { codes, levels }
}

/**
 * The factor on a subset of rows, recoded densely so that every level 0..G'−1 occurs
 * (levels absent from the subset disappear). Rows must not be missing in `f`.
 */
export function subsetFactor(f: Factor, rows: Int32Array): Factor {
  // Every row kept (rows ascending): the codes are already dense.
  if (rows.length === f.codes.length) return f
  const map = new Int32Array(f.levels).fill(-1)
  const codes = new Int32Array(rows.length)
  let levels = 0
  for (let i = 0; i < rows.length; i++) {
    const c = f.codes[rows[i]]
    let d = map[c]
    if (d < 0) { d = levels++; map[c] = d }
    codes[i] = d
  }
  return { codes, levels }
}

/** The interaction of two factors (one level per observed pair), e.g. state × year clusters. */
export function interactFactors(a: Factor, b: Factor): Factor {
  const n = a.codes.length
  const codes = new Int32Array(n)
  const map = new Map<number, number>()
  let levels = 0
  for (let i = 0; i < n; i++) {
    const ca = a.codes[i], cb = b.codes[i]
    if (ca < 0 || cb < 0) { codes[i] = -1; continue }
    const key = ca * b.levels + cb // < 2^53 for any realistic level counts
    let c = map.get(key)
    if (c === undefined) { c = levels++; map.set(key, c) }
    codes[i] = c
  }
  return { codes, levels }
}

/** Observations per level (optionally weighted). */
export function levelWeights(f: Factor, weights?: Float64Array): Float64Array {
  const out = new Float64Array(f.levels)
  const c = f.codes
  if (weights) for (let i = 0; i < c.length; i++) out[c[i]] += weights[i]
  else for (let i = 0; i < c.length; i++) out[c[i]] += 1
  return out
}

/**
 * Whether factor `inner` is nested in `outer`: every level of `inner` occurs with exactly
 * one level of `outer` (e.g. city fixed effects inside city or province clusters).
 */
export function isNested(inner: Factor, outer: Factor): boolean {
  const owner = new Int32Array(inner.levels).fill(-1)
  const a = inner.codes, b = outer.codes
  for (let i = 0; i < a.length; i++) {
    const o = owner[a[i]]
    if (o < 0) owner[a[i]] = b[i]
    else if (o !== b[i]) return false
  }
  return true
}
