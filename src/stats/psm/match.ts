/**
 * Matching on the propensity score, within one group of rows (all rows, or one period).
 *
 * ## Nearest neighbour (greedy, deterministic MatchIt `m.order = "largest"`)
 * Treated rows are taken from the largest score to the smallest (ties: the earlier row first).
 * In round r = 1..k each treated row that got r − 1 matches takes the nearest eligible control
 * by |p_t − p_c| (ties: the earlier row). Without replacement a control serves once; with
 * replacement the rounds give each treated row its k nearest controls. Eligible: within the
 * caliper, if any. A treated row with no eligible control in round 1 stays unmatched; one that
 * runs out later keeps the matches it has.
 * ## Radius  every control with |p_t − p_c| ≤ caliper, each with weight 1/(their number).
 * ## Kernel  every control with |u| < 1, u = (p_c − p_t)/h, weight K(u)/Σ K, Epanechnikov
 * K(u) = 0.75(1 − u²), h = bandwidth (psmatch2's default 0.06).
 *
 * ## Method  Controls sorted by (score, row); a treated row's position by binary search, then
 * outward on both sides. Without replacement, used controls are skipped through two
 * path-compressed "next unused to the left/right" links, so a match costs about O(log n).
 * ## References  Ho, Imai, King & Stuart (2011), MatchIt, J. Stat. Software 42(8);
 * Leuven & Sianesi (2003), psmatch2, Statistical Software Components S432001.
 */

export type MatchMethod = 'nearest' | 'radius' | 'kernel'

/** A caliper on the score (`scale: ps`) or on the linear predictor (`scale: lp`), as a half-width. */
export interface Caliper {
  readonly scale: 'ps' | 'lp'
  readonly width: number
}

export interface MatchOptions {
  readonly method: MatchMethod
  /** Controls per treated row (nearest). */
  readonly k: number
  readonly replace: boolean
  readonly caliper: Caliper | null
  /** Kernel bandwidth in score units. */
  readonly bandwidth: number
}

/** Matches in the order they were made: treated t, control c (indices into the group), distance and weight w_tc (Σ_c w_tc = 1 per t). */
export interface Matches {
  readonly t: Int32Array
  readonly c: Int32Array
  readonly distance: Float64Array
  readonly w: Float64Array
}

export interface MatchGroup {
  readonly ps: Float64Array
  /** Linear predictor (for a caliper in its SDs). */
  readonly lp: Float64Array
  readonly treated: Uint8Array
  /** Rows that take part (e.g. on common support); default all. Controls always do. */
  readonly active?: Uint8Array
}

/** Controls of a group sorted by (score, index). */
export interface SortedControls {
  readonly idx: Int32Array
  readonly ps: Float64Array
}

export function sortControls(ps: Float64Array, treated: Uint8Array): SortedControls {
  const list: number[] = []
  for (let i = 0; i < ps.length; i++) if (!treated[i]) list.push(i)
  list.sort((a, b) => ps[a] - ps[b] || a - b)
  const idx = Int32Array.from(list)
  return { idx, ps: Float64Array.from(list, (i) => ps[i]) }
}

/** Treated rows (active ones) from the largest score to the smallest, ties in row order. */
export function treatedOrder(g: MatchGroup): Int32Array {
  const list: number[] = []
  for (let i = 0; i < g.ps.length; i++) if (g.treated[i] && (!g.active || g.active[i])) list.push(i)
  list.sort((a, b) => g.ps[b] - g.ps[a] || a - b)
  return Int32Array.from(list)
}

/** First position whose score is >= p. */
export function lowerBound(a: Float64Array, p: number): number {
  let lo = 0, hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (a[mid] < p) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Treated rows outside [min, max] of the controls' scores (psmatch2 `common`): 1 = off support. */
export function offSupport(ps: Float64Array, treated: Uint8Array): Uint8Array {
  let lo = Infinity, hi = -Infinity
  for (let i = 0; i < ps.length; i++) if (!treated[i]) { if (ps[i] < lo) lo = ps[i]; if (ps[i] > hi) hi = ps[i] }
  return Uint8Array.from(ps, (p, i) => (treated[i] && (p < lo || p > hi) ? 1 : 0))
}

/** Matches appended into typed arrays that double when full (large samples make hundreds of thousands). */
class MatchList {
  #n = 0
  #t: Int32Array; #c: Int32Array; #d: Float64Array; #w: Float64Array
  constructor(capacity = 1024) {
    const k = Math.max(16, capacity)
    this.#t = new Int32Array(k); this.#c = new Int32Array(k); this.#d = new Float64Array(k); this.#w = new Float64Array(k)
  }
  push(t: number, c: number, d: number, w: number): void {
    if (this.#n === this.#t.length) {
      const grow = <A extends Int32Array | Float64Array>(a: A): A => { const b = new (a.constructor as new (n: number) => A)(a.length * 2); b.set(a); return b }
      this.#t = grow(this.#t); this.#c = grow(this.#c); this.#d = grow(this.#d); this.#w = grow(this.#w)
    }
    const i = this.#n++
    this.#t[i] = t; this.#c[i] = c; this.#d[i] = d; this.#w[i] = w
  }
  done(): Matches {
    const n = this.#n
    return { t: this.#t.slice(0, n), c: this.#c.slice(0, n), distance: this.#d.slice(0, n), w: this.#w.slice(0, n) }
  }
}

export function match(g: MatchGroup, o: MatchOptions, signal?: AbortSignal): Matches {
  const sc = sortControls(g.ps, g.treated)
  const order = treatedOrder(g)
  if (o.method === 'radius') return radius(g, sc, order, o.caliper)
  if (o.method === 'kernel') return kernel(g, sc, order, o.bandwidth)
  return o.replace ? nearestWithReplacement(g, sc, order, o) : nearestWithoutReplacement(g, sc, order, o, signal)
}

/** Whether control at sorted position q is within the caliper of treated row t. */
function eligible(g: MatchGroup, sc: SortedControls, t: number, q: number, cal: Caliper | null): boolean {
  if (!cal) return true
  return cal.scale === 'ps' ? Math.abs(g.ps[t] - sc.ps[q]) <= cal.width : Math.abs(g.lp[sc.idx[q]] - g.lp[t]) <= cal.width
}

/**
 * Sorted positions of the k controls nearest to score p by (distance, index), skipping
 * position `skip`, taking only those `ok` accepts (a side stops at its first refusal, since
 * the caliper is monotone along each side).
 */
export function kNearest(sc: SortedControls, p: number, k: number, skip = -1, ok: (q: number) => boolean = () => true): number[] {
  const n = sc.ps.length
  let l = lowerBound(sc.ps, p) - 1, r = l + 1
  let openL = true, openR = true
  const out: number[] = []
  while (out.length < k) {
    if (l === skip) l--
    if (r === skip) r++
    if (openL && l >= 0 && !ok(l)) openL = false
    if (openR && r < n && !ok(r)) openR = false
    const dl = openL && l >= 0 ? Math.abs(p - sc.ps[l]) : Infinity
    const dr = openR && r < n ? Math.abs(p - sc.ps[r]) : Infinity
    const d = Math.min(dl, dr)
    if (d === Infinity) break
    const group: number[] = []
    if (dl === d) while (l >= 0) { if (l === skip) { l--; continue } if (Math.abs(p - sc.ps[l]) === d && ok(l)) group.push(l--); else break }
    if (dr === d) while (r < n) { if (r === skip) { r++; continue } if (Math.abs(p - sc.ps[r]) === d && ok(r)) group.push(r++); else break }
    if (group.length > 1) group.sort((a, b) => sc.idx[a] - sc.idx[b])
    for (const q of group) { if (out.length === k) break; out.push(q) }
  }
  return out
}

function nearestWithReplacement(g: MatchGroup, sc: SortedControls, order: Int32Array, o: MatchOptions): Matches {
  const out = new MatchList(order.length * o.k)
  // Rounds are what define the rule, but with replacement round r gives each treated row its r-th nearest control:
  // the k nearest at once, recorded round by round so the order of matches is the same as the rule's.
  const picks = Array.from(order, (t) => kNearest(sc, g.ps[t], o.k, -1, (q) => eligible(g, sc, t, q, o.caliper)))
  for (let r = 0; r < o.k; r++) {
    order.forEach((t, j) => {
      const got = picks[j]
      if (r < got.length) out.push(t, sc.idx[got[r]], Math.abs(g.ps[t] - sc.ps[got[r]]), 1 / got.length)
    })
  }
  return out.done()
}

function nearestWithoutReplacement(g: MatchGroup, sc: SortedControls, order: Int32Array, o: MatchOptions, signal?: AbortSignal): Matches {
  const n = sc.ps.length
  // left[q]: the nearest unused position <= q (-1 if none), through links; right[q] likewise >= q (n if none).
  const left = new Int32Array(n + 1), right = new Int32Array(n + 1)
  for (let q = 0; q <= n; q++) { left[q] = q; right[q] = q }
  // left is indexed by q + 1 so that -1 is a valid answer stored at 0.
  const findL = (q: number): number => {
    let x = q + 1
    while (left[x] !== x) { left[x] = left[left[x]]; x = left[x] }
    return x - 1
  }
  const findR = (q: number): number => {
    let x = q
    while (x < n && right[x] !== x) { right[x] = right[right[x]]; x = right[x] }
    return x
  }
  const use = (q: number) => { left[q + 1] = q; right[q] = q + 1 }

  const got = new Int32Array(order.length)
  const chosen: number[][] = Array.from(order, () => [])
  const pos = Int32Array.from(order, (t) => lowerBound(sc.ps, g.ps[t]))
  for (let r = 0; r < o.k; r++) {
    if (signal?.aborted) break
    for (let j = 0; j < order.length; j++) {
      if (got[j] < r) continue
      const t = order[j], p = g.ps[t]
      let l = findL(pos[j] - 1), rr = findR(pos[j])
      if (l >= 0 && !eligible(g, sc, t, l, o.caliper)) l = -1
      if (rr < n && !eligible(g, sc, t, rr, o.caliper)) rr = n
      const dl = l >= 0 ? Math.abs(p - sc.ps[l]) : Infinity
      const dr = rr < n ? Math.abs(p - sc.ps[rr]) : Infinity
      const d = Math.min(dl, dr)
      if (d === Infinity) continue
      // Among the unused controls at this distance (either side), the earliest row.
      let best = -1
      const consider = (q: number) => { if (best < 0 || sc.idx[q] < sc.idx[best]) best = q }
      if (dl === d) for (let q = l; q >= 0 && Math.abs(p - sc.ps[q]) === d; q = findL(q - 1)) if (eligible(g, sc, t, q, o.caliper)) consider(q)
      if (dr === d) for (let q = rr; q < n && Math.abs(p - sc.ps[q]) === d; q = findR(q + 1)) if (eligible(g, sc, t, q, o.caliper)) consider(q)
      use(best)
      got[j]++
      chosen[j].push(best)
    }
  }
  const out = new MatchList(order.length * o.k)
  for (let r = 0; r < o.k; r++) {
    order.forEach((t, j) => {
      const q = chosen[j][r]
      if (q !== undefined) out.push(t, sc.idx[q], Math.abs(g.ps[t] - sc.ps[q]), 1 / got[j])
    })
  }
  return out.done()
}

function radius(g: MatchGroup, sc: SortedControls, order: Int32Array, cal: Caliper | null): Matches {
  const out = new MatchList()
  for (const t of order) {
    const p = g.ps[t]
    const at = lowerBound(sc.ps, p)
    const qs: number[] = []
    for (let q = at - 1; q >= 0 && eligible(g, sc, t, q, cal); q--) qs.push(q)
    for (let q = at; q < sc.ps.length && eligible(g, sc, t, q, cal); q++) qs.push(q)
    qs.sort((a, b) => sc.idx[a] - sc.idx[b])
    for (const q of qs) out.push(t, sc.idx[q], Math.abs(p - sc.ps[q]), 1 / qs.length)
  }
  return out.done()
}

function kernel(g: MatchGroup, sc: SortedControls, order: Int32Array, h: number): Matches {
  const out = new MatchList()
  for (const t of order) {
    const p = g.ps[t]
    const at = lowerBound(sc.ps, p)
    const qs: number[] = []
    const inside = (q: number) => Math.abs((sc.ps[q] - p) / h) < 1
    for (let q = at - 1; q >= 0 && inside(q); q--) qs.push(q)
    for (let q = at; q < sc.ps.length && inside(q); q++) qs.push(q)
    qs.sort((a, b) => sc.idx[a] - sc.idx[b])
    const kw = qs.map((q) => { const u = (sc.ps[q] - p) / h; return 0.75 * (1 - u * u) })
    const sum = kw.reduce((s, v) => s + v, 0)
    qs.forEach((q, m) => out.push(t, sc.idx[q], Math.abs(p - sc.ps[q]), kw[m] / sum))
  }
  return out.done()
}

/**
 * MatchIt's weights: a matched treated row 1; a control Σ_t w_tc over the treated rows it
 * serves, rescaled so the controls' weights add up to the number of distinct matched controls;
 * 0 for everything else. `m` holds rows of the whole frame.
 */
export function matchWeights(m: Matches, n: number): Float64Array {
  const w = new Float64Array(n)
  for (let j = 0; j < m.t.length; j++) w[m.t[j]] = 1
  const cw = new Float64Array(n)
  const seen = new Uint8Array(n)
  let distinct = 0, total = 0
  for (let j = 0; j < m.c.length; j++) {
    const c = m.c[j]
    if (!seen[c]) { seen[c] = 1; distinct++ }
    cw[c] += m.w[j]
    total += m.w[j]
  }
  const f = distinct / total
  for (let i = 0; i < n; i++) if (seen[i]) w[i] = cw[i] * f
  return w
}
