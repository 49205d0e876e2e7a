/**
 * Aggregations of ATT(g,t) (Callaway & Sant'Anna 2021, section 3; the conventions of R's
 * did::aggte), each with its influence function including the estimation of the weights.
 *
 * ## Method
 * Post-treatment cells are those with g ≤ t (≤ g + max_e). With P(G = g) the share of units
 * in group g and cells weighted by P(G = g_c):
 *   simple:   Σ_c P(G=g_c) ATT_c / Σ_c P(G=g_c) over post-treatment cells;
 *   dynamic:  θ(e) = weighted average of the cells with t − g = e (all event times, before and
 *             after adoption; with balance_e only groups observed e periods after adoption and
 *             e in [balance_e − (T_last − T_first), balance_e]; then min_e ≤ e ≤ max_e);
 *             overall: the plain mean of θ(e) over e ≥ 0;
 *   group:    θ(g) = plain mean of g's post-treatment cells; overall Σ_g P(G=g) θ(g)/Σ_g P(G=g);
 *   calendar: θ(t) = weighted average of the post-treatment cells in period t, for t ≥ the first
 *             group; overall the plain mean of θ(t).
 * Influence function of a weighted average Σ_c w_c ATT_c with w_c = P(G=g_c)/Σ P(G=g_k):
 *   Σ_c w_c ψ_c + Σ_c ATT_c ω_c with the weights' own influence function (aggte's "wif")
 *   ω_c,i = (1{G_i = g_c} − P(G=g_c))/Σ_k P(G=g_k) − Σ_k (1{G_i = g_k} − P(G=g_k)) · P(G=g_c)/(Σ_k P(G=g_k))².
 * Plain means (group's θ(g), the overall dynamic and calendar effects) have no weight term.
 */
import { QuasiError } from '../../errors.ts'
import type { AttGtResult } from './attgt.ts'

export type AggregationType = 'simple' | 'dynamic' | 'group' | 'calendar'

export interface AggregateOptions {
  readonly balance_e?: number | null
  readonly min_e?: number
  readonly max_e?: number
}

export interface AggregatePoint {
  /** Event time, group or period; null for the overall effect. */
  readonly key: number | null
  readonly att: number
  readonly inf: Float64Array
  readonly se: number
}

export interface Aggregation {
  readonly type: AggregationType
  readonly overall: AggregatePoint
  /** By event time, group or period (empty for simple). */
  readonly points: readonly AggregatePoint[]
}

interface Item { readonly group: number; readonly att: number; readonly inf: Float64Array }

export function aggregate(r: AttGtResult, type: AggregationType, opts: AggregateOptions = {}): Aggregation {
  const n = r.n
  const minE = opts.min_e ?? -Infinity, maxE = opts.max_e ?? Infinity
  const cells = r.cells
  const share = new Map<number, number>()
  for (const g of r.groups) share.set(g, 0)
  for (let i = 0; i < n; i++) if (share.has(r.group[i])) share.set(r.group[i], share.get(r.group[i])! + 1)
  for (const [g, c] of share) share.set(g, c / n)
  const post = (c: Item & { time: number }) => c.group <= c.time && c.time <= c.group + maxE
  const weighted = (key: number | null, items: readonly Item[]) => weightedAverage(key, items, share, r.group, n)
  const all = cells.map((_, k) => k)

  if (type === 'simple') {
    return { type, overall: weighted(null, cells.filter(post)), points: [] }
  }
  if (type === 'dynamic') {
    const last = r.times[r.times.length - 1], first = r.times[0]
    const inBalance = (k: number) => opts.balance_e == null || last - cells[k].group >= opts.balance_e
    let es = [...new Set(all.filter(inBalance).map((k) => cells[k].time - cells[k].group))].sort((a, b) => a - b)
    if (opts.balance_e != null) es = es.filter((e) => e <= opts.balance_e! && e >= opts.balance_e! - last + first)
    es = es.filter((e) => e >= minE && e <= maxE)
    if (es.length === 0) {
      throw new QuasiError('NO_VARIATION', `no event time is left for the dynamic aggregation (event times ${opts.balance_e != null ? `up to balance_e = ${opts.balance_e}, ` : ''}from ${minE} to ${maxE})`, {
        hint: 'widen min_e/max_e or lower balance_e',
      })
    }
    const points = es.map((e) => weighted(e, all.filter((k) => inBalance(k) && cells[k].time - cells[k].group === e).map((k) => cells[k])))
    return { type, overall: plainMean(null, points.filter((p) => p.key! >= 0), n), points }
  }
  if (type === 'group') {
    const points = r.groups.map((g) => plainMean(g, cells.filter((c) => c.group === g && post(c)), n))
    return { type, overall: weighted(null, points.map((p) => ({ group: p.key!, att: p.att, inf: p.inf }))), points }
  }
  const minG = Math.min(...r.groups)
  const ts = [...new Set(cells.map((c) => c.time))].filter((t) => t >= minG).sort((a, b) => a - b)
  const points = ts.map((t) => weighted(t, cells.filter((c) => c.time === t && c.group <= t)))
  return { type, overall: plainMean(null, points, n), points }
}

/**
 * Σ_c w_c ATT_c with w_c = P(G=g_c)/Σ_k P(G=g_k), and its influence function
 * Σ_c w_c ψ_c + Σ_c ATT_c ω_c (ω the weights' influence function, see the header).
 */
function weightedAverage(key: number | null, items: readonly Item[], share: ReadonlyMap<number, number>, group: Float64Array, n: number): AggregatePoint {
  const pg = items.map((c) => share.get(c.group)!)
  const sp = pg.reduce((s, p) => s + p, 0)
  const inf = new Float64Array(n)
  let att = 0, sumPAtt = 0
  const attOf = new Map<number, number>(), cellsOf = new Map<number, number>()
  items.forEach((c, k) => {
    const w = pg[k] / sp
    att += w * c.att
    sumPAtt += pg[k] * c.att
    const f = c.inf
    for (let i = 0; i < n; i++) inf[i] += w * f[i]
    attOf.set(c.group, (attOf.get(c.group) ?? 0) + c.att)
    cellsOf.set(c.group, (cellsOf.get(c.group) ?? 0) + 1)
  })
  // Σ_c ATT_c (1{G_i=g_c} − P_c)/sp − (Σ_k 1{G_i=g_k} − sp) · Σ_c P_c ATT_c/sp²
  for (let i = 0; i < n; i++) {
    const gi = group[i]
    inf[i] += ((attOf.get(gi) ?? 0) - sumPAtt) / sp - ((cellsOf.get(gi) ?? 0) - sp) * sumPAtt / (sp * sp)
  }
  return { key, att, inf, se: seOf(inf, n) }
}

/** Plain mean (no weight term). */
function plainMean(key: number | null, pts: readonly { att: number; inf: Float64Array }[], n: number): AggregatePoint {
  const inf = new Float64Array(n)
  let att = 0
  for (const p of pts) {
    att += p.att / pts.length
    for (let i = 0; i < n; i++) inf[i] += p.inf[i] / pts.length
  }
  return { key, att, inf, se: seOf(inf, n) }
}

/** Clusters of the units: `index[i]` in [0, count). */
export interface Clusters {
  readonly index: Int32Array
  readonly count: number
}

/** sqrt(Σ_i ψ_i²)/n, or clustered sqrt(Σ_c (Σ_{i∈c} ψ_i)²)/n. */
export function seOf(inf: Float64Array, n: number, clusters?: Clusters): number {
  let s = 0
  if (clusters) {
    const sums = new Float64Array(clusters.count)
    for (let i = 0; i < n; i++) sums[clusters.index[i]] += inf[i]
    for (let c = 0; c < clusters.count; c++) s += sums[c] * sums[c]
  } else {
    for (let i = 0; i < n; i++) s += inf[i] * inf[i]
  }
  return Math.sqrt(s) / n
}
