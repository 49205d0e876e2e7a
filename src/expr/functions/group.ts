/**
 * Group statistics and within-group transformations. Without `by` the group is the whole
 * table (pooled); with `by region, year` each combination of keys is a group, and rows whose
 * key is missing get a missing result. Missing values of x are left out of every statistic.
 *
 *   mean   x̄_g = Σ x / n_g                         sum  Σ x             count  n_g (non-missing)
 *   sd     √(Σ (x − x̄_g)² / (n_g − 1))  (sample, n − 1; missing when n_g < 2)
 *   min, max, median (R type 7 at p = 0.5, the usual median)
 *   A group with no observed value gives missing (count gives 0), unlike R's
 *   sum(na.rm = TRUE) and Stata's egen total(), which give 0: a sum of nothing is not data.
 *   standardize(x) = (x − x̄_g) / sd_g; missing where sd_g is 0 or undefined.
 *   rank(x): 1 for the smallest, ties get the average of their ranks (R's ties.method = "average").
 *   winsor(x, lo, hi): x clipped to [q_g(lo), q_g(hi)], quantiles by R type 7 (default) or
 *   Stata's definition (option `quantile: "stata"`); see ../quantile.ts.
 */
import type { Call } from '../ast.ts'
import { exprError, q } from '../errors.ts'
import { QUANTILE_DEFINITIONS, quantileSorted, quantileType7 } from '../quantile.ts'
import type { QuantileDefinition } from '../quantile.ts'
import type { CheckContext, EvalContext, FnSpec } from '../spec.ts'
import { constNumber, groupRows, num, nums, option, sortedValues } from './util.ts'

type Stat = (x: Float64Array, rows: Int32Array) => number

function values(x: Float64Array, rows: Int32Array): number[] {
  const v: number[] = []
  for (let r = 0; r < rows.length; r++) {
    const a = x[rows[r]]
    if (a === a) v.push(a)
  }
  return v
}

function meanOf(v: readonly number[]): number {
  if (v.length === 0) return NaN
  let s = 0
  for (const a of v) s += a
  return s / v.length
}

/** Two-pass sample standard deviation (numerically stable for data far from 0). */
function sdOf(v: readonly number[]): number {
  if (v.length < 2) return NaN
  const m = meanOf(v)
  let ss = 0
  for (const a of v) ss += (a - m) * (a - m)
  return Math.sqrt(ss / (v.length - 1))
}

const stats: Record<'mean' | 'sum' | 'min' | 'max' | 'sd' | 'median', Stat> = {
  mean: (x, rows) => meanOf(values(x, rows)),
  sum: (x, rows) => {
    const v = values(x, rows)
    let s = 0
    for (const a of v) s += a
    return v.length === 0 ? NaN : s
  },
  min: (x, rows) => {
    const v = values(x, rows)
    return v.length === 0 ? NaN : v.reduce((a, b) => (b < a ? b : a))
  },
  max: (x, rows) => {
    const v = values(x, rows)
    return v.length === 0 ? NaN : v.reduce((a, b) => (b > a ? b : a))
  },
  sd: (x, rows) => sdOf(values(x, rows)),
  median: (x, rows) => quantileType7(sortedValues(x, rows), 0.5),
}

/** Compute a statistic per group and broadcast it to the group's rows. */
function broadcast(call: Call, x: Float64Array, ex: EvalContext, stat: Stat): Float64Array {
  const g = ex.groups(call.by)
  const perGroup = groupRows(g).map((rows) => stat(x, rows))
  const out = new Float64Array(x.length)
  for (let i = 0; i < out.length; i++) out[i] = g.id[i] < 0 ? NaN : perGroup[g.id[i]]
  return out
}

function aggregate(name: keyof typeof stats): FnSpec {
  return {
    name,
    signature: `${name}(x) [by keys]`,
    minArgs: 1,
    maxArgs: 1,
    group: true,
    evaluate: (call, [x], ex) => num(broadcast(call, nums(x), ex, stats[name])),
  }
}

/** Apply `f` to each group's rows, writing into `out`. */
function perGroup(call: Call, n: number, ex: EvalContext, f: (rows: Int32Array, out: Float64Array) => void): Float64Array {
  const out = new Float64Array(n).fill(NaN)
  for (const rows of groupRows(ex.groups(call.by))) f(rows, out)
  return out
}

function checkWinsor(call: Call, _t: unknown, cx: CheckContext): void {
  const bad = (at: Call['args'][number], message: string) =>
    cx.errors.push(exprError('BAD_EXPRESSION', cx.source, at, message))
  const [, loE, hiE] = call.args
  const lo = constNumber(loE)
  const hi = constNumber(hiE)
  if (lo === undefined || !(lo >= 0 && lo <= 1)) bad(loE, 'winsor\'s lower cut must be a constant between 0 and 1, as in winsor(x, 0.01, 0.99)')
  if (hi === undefined || !(hi >= 0 && hi <= 1)) bad(hiE, 'winsor\'s upper cut must be a constant between 0 and 1, as in winsor(x, 0.01, 0.99)')
  else if (lo !== undefined && lo > hi) bad(loE, `winsor's lower cut ${lo} is above its upper cut ${hi}`)
  const def = option(call, 'quantile')
  if (def && !(def.kind === 'string' && (QUANTILE_DEFINITIONS as readonly string[]).includes(def.value))) {
    cx.errors.push(
      exprError('BAD_EXPRESSION', cx.source, def, `quantile must be one of ${QUANTILE_DEFINITIONS.map(q).join(', ')}`, {
        expected: QUANTILE_DEFINITIONS.map(q).join(' or '),
        found: cx.source.slice(def.start, def.end),
      }),
    )
  }
}

export const groupFunctions: readonly FnSpec[] = [
  aggregate('mean'),
  aggregate('sum'),
  aggregate('min'),
  aggregate('max'),
  aggregate('sd'),
  aggregate('median'),
  {
    name: 'count',
    signature: 'count(x) [by keys]',
    minArgs: 1,
    maxArgs: 1,
    argTypes: ['any'],
    group: true,
    evaluate(call, [c], ex) {
      const present = new Float64Array(c.data.length)
      if (c.type === 'number') for (let i = 0; i < present.length; i++) present[i] = c.data[i] === c.data[i] ? 1 : NaN
      else for (let i = 0; i < present.length; i++) present[i] = c.data[i] === null ? NaN : 1
      return num(broadcast(call, present, ex, (x, rows) => values(x, rows).length))
    },
  },
  {
    name: 'standardize',
    signature: 'standardize(x) [by keys]',
    minArgs: 1,
    maxArgs: 1,
    group: true,
    evaluate(call, [c], ex) {
      const x = nums(c)
      let flat = 0
      const out = perGroup(call, x.length, ex, (rows, out) => {
        const v = values(x, rows)
        const m = meanOf(v)
        const s = sdOf(v)
        if (!(s > 0)) {
          if (v.length > 0) flat++
          return
        }
        for (let r = 0; r < rows.length; r++) out[rows[r]] = (x[rows[r]] - m) / s
      })
      if (flat > 0) ex.warn(call, `${flat} group(s) with no variation (or a single value) left missing`)
      return num(out)
    },
  },
  {
    name: 'rank',
    signature: 'rank(x) [by keys]',
    minArgs: 1,
    maxArgs: 1,
    group: true,
    evaluate(call, [c], ex) {
      const x = nums(c)
      return num(
        perGroup(call, x.length, ex, (rows, out) => {
          const idx = Array.from(rows).filter((i) => x[i] === x[i])
          idx.sort((a, b) => x[a] - x[b] || a - b)
          for (let s = 0; s < idx.length; ) {
            let e = s + 1
            while (e < idx.length && x[idx[e]] === x[idx[s]]) e++
            const avg = (s + 1 + e) / 2 // ranks s+1 … e share their mean
            for (let k = s; k < e; k++) out[idx[k]] = avg
            s = e
          }
        }),
      )
    },
  },
  {
    name: 'winsor',
    signature: 'winsor(x, lower, upper; quantile: "r7" | "stata") [by keys]',
    minArgs: 3,
    maxArgs: 3,
    options: ['quantile'],
    group: true,
    check: checkWinsor,
    evaluate(call, [c], ex) {
      const x = nums(c)
      const lo = constNumber(call.args[1])!
      const hi = constNumber(call.args[2])!
      const defExpr = option(call, 'quantile')
      const def = (defExpr?.kind === 'string' ? defExpr.value : 'r7') as QuantileDefinition
      return num(
        perGroup(call, x.length, ex, (rows, out) => {
          const s = sortedValues(x, rows)
          const ql = quantileSorted(s, lo, def)
          const qh = quantileSorted(s, hi, def)
          for (let r = 0; r < rows.length; r++) {
            const v = x[rows[r]]
            out[rows[r]] = v !== v ? NaN : v < ql ? ql : v > qh ? qh : v
          }
        }),
      )
    },
  },
]
