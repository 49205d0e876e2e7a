/**
 * entropy(x₁, …, x_m; negative: [x_k, …], shift: s) [by keys]: a composite index by the
 * entropy weight method, pooled over all rows or per group with `by` (e.g. `by year`).
 *
 * ## Method (per group, on the n rows where every indicator is observed)
 *   1. min–max normalisation, direction by indicator:
 *        positive  z_ij = (x_ij − min_j)/(max_j − min_j) + s
 *        negative  z_ij = (max_j − x_ij)/(max_j − min_j) + s        (s = shift, default 0)
 *   2. shares     p_ij = z_ij / Σ_i z_ij
 *   3. entropy    e_j  = −(1/ln n) Σ_i p_ij ln p_ij,  with 0·ln 0 = 0 (its limit)
 *   4. divergence d_j  = 1 − e_j
 *   5. weight     w_j  = d_j / Σ_k d_k
 *   6. index      y_i  = Σ_j w_j z_ij     (in [0, 1] when s = 0)
 * A constant indicator carries no information: e_j = 1, d_j = 0, w_j = 0 (the limit of a
 * uniform p). Rows with a missing indicator get a missing index and do not enter the weights.
 * A group with fewer than 2 complete rows, or where every indicator is constant, gets missing.
 * Many applied papers add a shift (0.0001 or 0.01) so that ln never sees 0; `shift:` gives it,
 * and with the 0·ln 0 = 0 convention none is needed.
 *
 * Indicators are the positional arguments plus any `negative:` item not already among them;
 * an argument also listed in `negative:` is negative.
 *
 * ## References
 * C.-L. Hwang, K. Yoon (1981), Multiple Attribute Decision Making, Lecture Notes in Economics
 *   and Mathematical Systems 186, Springer, §3 (entropy method), doi:10.1007/978-3-642-48318-9.
 * Z. Zou, Y. Yun, J. Sun (2006), "Entropy method for determination of weight of evaluating
 *   indicators in fuzzy synthetic evaluation for water quality assessment", Journal of
 *   Environmental Sciences 18(5), 1020–1023, doi:10.1016/S1001-0742(06)60032-6.
 */
import type { Column } from '../../artifacts/frame.ts'
import type { Call, Expr } from '../ast.ts'
import { exprError } from '../errors.ts'
import type { CheckContext, EntropyReport, EvalContext, FnSpec } from '../spec.ts'
import { constNumber, groupRows, num, nums, option } from './util.ts'

interface Indicator {
  readonly expr: Expr
  readonly label: string
  readonly negative: boolean
}

/** Same indicator written twice? Column names compare by name, other expressions by text. */
function sameIndicator(a: Expr, b: Expr, source: string): boolean {
  if (a.kind === 'column' && b.kind === 'column') return a.name === b.name
  const text = (e: Expr) => source.slice(e.start, e.end).replace(/\s+/g, '')
  return text(a) === text(b)
}

export function indicatorsOf(call: Call, source: string): Indicator[] {
  const neg = option(call, 'negative')
  const negItems = neg?.kind === 'list' ? neg.items : []
  const label = (e: Expr) => (e.kind === 'column' ? e.name : source.slice(e.start, e.end))
  const out: Indicator[] = call.args.map((e) => ({
    expr: e,
    label: label(e),
    negative: negItems.some((n) => sameIndicator(n, e, source)),
  }))
  for (const e of negItems) {
    if (!out.some((o) => sameIndicator(o.expr, e, source))) out.push({ expr: e, label: label(e), negative: true })
  }
  return out
}

function checkEntropy(call: Call, _t: unknown, cx: CheckContext): void {
  const neg = option(call, 'negative')
  if (neg) {
    if (neg.kind !== 'list') {
      cx.errors.push(exprError('BAD_EXPRESSION', cx.source, neg, 'negative: takes a list of indicators, as in negative: [so2, dust]'))
    } else {
      for (const item of neg.items) {
        const t = cx.check(item)
        if (t === 'string') {
          cx.errors.push(exprError('BAD_EXPRESSION', cx.source, item, 'type mismatch: an entropy indicator must be numeric, not text', { expected: 'number', found: 'string' }))
        }
      }
    }
  }
  const shift = option(call, 'shift')
  if (shift) {
    const s = constNumber(shift)
    if (s === undefined || !(s >= 0)) {
      cx.errors.push(exprError('BAD_EXPRESSION', cx.source, shift, 'shift: must be a constant >= 0, as in shift: 0.0001'))
    }
  }
  if (indicatorsOf(call, cx.source).length < 2) {
    cx.errors.push(exprError('BAD_EXPRESSION', cx.source, call, 'entropy() needs at least 2 indicators, as in entropy(a, b; negative: [c])'))
  }
}

function evaluateEntropy(call: Call, args: readonly Column[], ex: EvalContext): Column {
  const inds = indicatorsOf(call, ex.source)
  const cols = inds.map((ind, j) => nums(j < args.length ? args[j] : ex.evaluate(ind.expr)))
  const shiftExpr = option(call, 'shift')
  const shift = shiftExpr ? constNumber(shiftExpr)! : 0
  const m = inds.length
  const n = ex.n
  const out = new Float64Array(n).fill(NaN)
  const g = ex.groups(call.by)
  const report: EntropyReport['groups'][number][] = []
  let thin = 0
  let flat = 0
  groupRows(g).forEach((rows, gi) => {
    const complete = Array.from(rows).filter((i) => cols.every((c) => c[i] === c[i]))
    const k = complete.length
    if (k < 2) {
      thin++
      return
    }
    const z = cols.map(() => new Float64Array(k))
    const e = new Float64Array(m)
    for (let j = 0; j < m; j++) {
      const x = cols[j]
      let lo = Infinity
      let hi = -Infinity
      for (const i of complete) {
        if (x[i] < lo) lo = x[i]
        if (x[i] > hi) hi = x[i]
      }
      const range = hi - lo
      if (!(range > 0)) {
        e[j] = 1 // constant indicator: no information
        z[j].fill(shift)
        continue
      }
      let total = 0
      for (let r = 0; r < k; r++) {
        const v = x[complete[r]]
        z[j][r] = (inds[j].negative ? hi - v : v - lo) / range + shift
        total += z[j][r]
      }
      let h = 0
      for (let r = 0; r < k; r++) {
        const p = z[j][r] / total
        if (p > 0) h -= p * Math.log(p)
      }
      e[j] = h / Math.log(k)
    }
    let dsum = 0
    for (let j = 0; j < m; j++) dsum += 1 - e[j]
    const w = Array.from(e, (ej) => (1 - ej) / dsum)
    if (!(dsum > 0)) {
      flat++
      return
    }
    for (let r = 0; r < k; r++) {
      let y = 0
      for (let j = 0; j < m; j++) y += w[j] * z[j][r]
      out[complete[r]] = y
    }
    report.push({
      group: g.labels[gi],
      n: k,
      indicators: inds.map((ind, j) => ({
        indicator: ind.label,
        direction: ind.negative ? 'negative' : 'positive',
        entropy: e[j],
        divergence: 1 - e[j],
        weight: w[j],
      })),
    })
  })
  if (thin > 0) ex.warn(call, `${thin} group(s) with fewer than 2 complete rows left missing`)
  if (flat > 0) ex.warn(call, `${flat} group(s) where every indicator is constant left missing`)
  ex.entropy.push({
    expression: ex.source.slice(call.start, call.end),
    by: call.by ? call.by.keys.map((k) => k.name) : [],
    groups: report,
  })
  return num(out)
}

export const entropyFunction: FnSpec = {
  name: 'entropy',
  signature: 'entropy(x1, x2, …; negative: [x3, …], shift: 0) [by keys]',
  minArgs: 0,
  maxArgs: Infinity,
  options: ['negative', 'shift'],
  group: true,
  check: checkEntropy,
  evaluate: evaluateEntropy,
}
