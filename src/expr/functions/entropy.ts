/**
 * entropy(x₁, …, x_m; negative: [x_k, …], shift: s) [by keys]: a composite index by the
 * entropy weight method, pooled over all rows or per group with `by` (e.g. `by year`).
 *
 * ## Method: the entropy weight method of src/stats/entropy/weights.ts (min–max normalisation
 * with `shift`, shares, entropy with 0·ln 0 = 0, divergence, weights, index), per group.
 * Rows with a missing indicator get a missing index and do not enter the weights. A group
 * with fewer than 2 complete rows, or where every indicator is constant, gets missing and a
 * warning (the kernel reports these as data).
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
import { EntropyInputError, entropyIndex } from '../../stats/entropy/weights.ts'
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
  const n = ex.n
  const out = new Float64Array(n).fill(NaN)
  const g = ex.groups(call.by)
  const report: EntropyReport['groups'][number][] = []
  const indicators = inds.map((ind, j) => ({ column: ind.label, direction: ind.negative ? ('negative' as const) : ('positive' as const), values: cols[j] }))
  let thin = 0
  let flat = 0
  groupRows(g).forEach((rows, gi) => {
    let r
    try {
      r = entropyIndex(indicators, rows, { shift })
    } catch (e) {
      if (!(e instanceof EntropyInputError)) throw e
      if (e.problem.reason === 'too-few-rows') thin++
      else flat++
      return
    }
    rows.forEach((i, k) => (out[i] = r.index[k]))
    report.push({
      group: g.labels[gi],
      n: r.n,
      indicators: r.indicators.map((w) => ({ indicator: w.column, direction: w.direction, entropy: w.entropy, divergence: w.divergence, weight: w.weight })),
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
