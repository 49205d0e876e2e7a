/**
 * Group-time average treatment effects ATT(g,t) of Callaway & Sant'Anna (2021) on a balanced
 * panel, with their influence functions, following the conventions of R's did::att_gt.
 *
 * ## Method
 * Group g: the units first treated in period g. For each g and period t the comparison is the
 * 2×2 of group g against the comparison units between a base period b and t (dr.ts):
 *   - base `varying`: before treatment (t < g) b is the period just before t; from g on (and
 *     always with `universal`) b is the last period with b + anticipation < g. With
 *     `universal` the cell t = b is reported as 0 with a zero influence function.
 *   - control `never`: units never treated in the panel; `not-yet`: those and units first
 *     treated after max(t, b) + anticipation, other than g.
 * Covariates are taken at the earlier of b and t (b, except for the cells of a universal base
 * period before it), as did does. Each cell's influence function ψ (one value per
 * unit of the comparison) is scaled by n/n1 and padded with zeros to all n units, so that
 * every ATT(g,t) and aggregate has se = sqrt(Σ_i ψ_i²)/n.
 * Groups treated by the first period plus anticipation have no pre-period: their units are
 * left out (as did does).
 * With `not-yet` and no never-treated units, the periods from the last group's adoption
 * (minus anticipation) on are left out and the last group becomes the comparison group (as
 * did does).
 */
import { QuasiError } from '../../errors.ts'
import { estimate2x2, type CsMethod } from './dr.ts'
import type { CsPanel } from './panel.ts'

export interface AttGtOptions {
  readonly control: 'never' | 'not-yet'
  readonly base: 'varying' | 'universal'
  readonly anticipation: number
  readonly method: CsMethod
}

export interface AttGtCell {
  readonly group: number
  readonly time: number
  readonly base: number
  readonly att: number
  /** Scaled influence function over all n units (zeros outside the comparison). */
  readonly inf: Float64Array
  readonly se: number
  readonly treated: number
  readonly controls: number
  /** The cell t = b of a universal base period, set to 0. */
  readonly reference: boolean
  readonly converged: boolean
}

export interface AttGtResult {
  readonly cells: readonly AttGtCell[]
  /** Units kept (those treated in the first period are left out), sorted. */
  readonly units: readonly string[]
  /** Group of each kept unit: its first treated period, 0 for never treated (after the not-yet fallback). */
  readonly group: Float64Array
  readonly groups: readonly number[]
  readonly times: readonly number[]
  /** Notes on units, groups or periods left out, for the log. */
  readonly dropped: { readonly firstPeriod: { readonly group: number; readonly units: number }[]; readonly periodsFrom: number | null; readonly lastGroupAsControl: number | null }
  readonly n: number
}

export function attGt(panel: CsPanel, opts: AttGtOptions): AttGtResult {
  const T0 = panel.times.length
  let times = panel.times.slice()
  // Units treated in the first period: no pre-period at all.
  const keep: number[] = []
  const firstPeriod = new Map<number, number>()
  for (let i = 0; i < panel.units.length; i++) {
    const g = panel.group[i]
    if (g !== 0 && g <= times[0] + opts.anticipation) firstPeriod.set(g, (firstPeriod.get(g) ?? 0) + 1)
    else keep.push(i)
  }
  const group = Float64Array.from(keep, (i) => panel.group[i])
  let periodsFrom: number | null = null, lastGroupAsControl: number | null = null
  const hasNever = group.some((g) => g === 0)
  if (!hasNever) {
    if (opts.control === 'never') {
      throw new QuasiError('NO_VARIATION', 'no unit is never treated, so there is no never-treated comparison group', {
        hint: 'compare with the not-yet-treated units (`control: not-yet`)',
      })
    }
    const gmax = Math.max(...group)
    periodsFrom = gmax - opts.anticipation
    times = times.filter((t) => t < periodsFrom!)
    lastGroupAsControl = gmax
    for (let i = 0; i < group.length; i++) if (group[i] === gmax) group[i] = 0
  }
  const T = times.length
  if (T < 2) throw new QuasiError('NO_VARIATION', `only ${T} period${T === 1 ? '' : 's'} left to compare`)
  const tPos = times.map((t) => panel.times.indexOf(t))
  const groups = [...new Set(group)].filter((g) => g !== 0 && g <= times[T - 1]).sort((a, b) => a - b)
  if (groups.length === 0) throw new QuasiError('NO_VARIATION', 'no unit is treated within the panel\'s periods')
  const n = keep.length
  const K = panel.x.length
  const cells: AttGtCell[] = []
  const tfac = opts.base === 'universal' ? 0 : 1
  for (const g of groups) {
    // Last period b with b + anticipation < g.
    let gBase = -1
    for (let k = 0; k < T; k++) if (times[k] + opts.anticipation < g) gBase = k
    if (gBase < 0) throw new QuasiError('INTERNAL', `group ${g} has no base period although it is treated after the first period plus anticipation`)
    for (let j = 0; j + tfac < T; j++) {
      const cur = j + tfac
      const post = g <= times[cur]
      const b = post || opts.base === 'universal' ? gBase : j
      if (b === cur) {
        cells.push({ group: g, time: times[cur], base: times[b], att: 0, inf: new Float64Array(n), se: NaN, treated: 0, controls: 0, reference: true, converged: true })
        continue
      }
      const cutoff = times[Math.max(cur, b)] + opts.anticipation
      const members: number[] = []
      let nt = 0
      for (let i = 0; i < n; i++) {
        const gi = group[i]
        if (gi === g) { members.push(i); nt++ } else if (gi === 0 || (opts.control === 'not-yet' && gi > cutoff)) members.push(i)
      }
      const n1 = members.length, nc = n1 - nt
      if (nc === 0) {
        throw new QuasiError('NO_VARIATION', `group ${g} has no comparison units in period ${times[cur]}`, {
          hint: opts.control === 'not-yet' ? 'every other unit is treated by then' : 'no unit is never treated',
        })
      }
      const dy = new Float64Array(n1), d = new Uint8Array(n1)
      const x = K ? new Float64Array(n1 * (K + 1)) : null
      // Covariates at the earlier of the two periods (the base period except for universal-base cells before it), as did does.
      const pc = tPos[cur], pb = tPos[b], px = tPos[Math.min(cur, b)]
      for (let m = 0; m < n1; m++) {
        const u = keep[members[m]]
        dy[m] = panel.y[u * T0 + pc] - panel.y[u * T0 + pb]
        d[m] = group[members[m]] === g ? 1 : 0
        if (x) {
          x[m * (K + 1)] = 1
          for (let c = 0; c < K; c++) x[m * (K + 1) + 1 + c] = panel.x[c][u * T0 + px]
        }
      }
      const est = estimate2x2({ dy, d, x, k: K + 1 }, K ? opts.method : 'none')
      const inf = new Float64Array(n)
      const scale = n / n1
      let ss = 0
      for (let m = 0; m < n1; m++) { const v = est.inf[m] * scale; inf[members[m]] = v; ss += v * v }
      cells.push({ group: g, time: times[cur], base: times[b], att: est.att, inf, se: Math.sqrt(ss) / n, treated: nt, controls: nc, reference: false, converged: est.converged })
    }
  }
  if (cells.length === 0) throw new QuasiError('NO_VARIATION', 'no group has a period before its treatment to compare with')
  return {
    cells, units: keep.map((i) => panel.units[i]), group, groups, times, n,
    dropped: { firstPeriod: [...firstPeriod].map(([g, units]) => ({ group: g, units })), periodsFrom, lastGroupAsControl },
  }
}
