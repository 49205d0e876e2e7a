/** Small vector helpers shared by the built-in functions. */
import type { Column, NumberColumn } from '../../artifacts/frame.ts'
import { numberColumn } from '../../artifacts/frame.ts'
import type { Call, Expr } from '../ast.ts'
import type { Groups } from '../spec.ts'

export const num = (data: Float64Array): NumberColumn => numberColumn(data)

/** The numeric data of a column the checker typed as number. */
export function nums(c: Column): Float64Array {
  if (c.type !== 'number') throw new TypeError('expression evaluator: expected a numeric value')
  return c.data
}

/** Non-finite results (±Inf from overflow or division by zero) become missing, as in Stata. */
export function finite(v: number): number {
  return v - v === 0 ? v : NaN
}

/** A numeric constant written in the expression: 0.01, -1, +2 (no arithmetic). */
export function constNumber(e: Expr): number | undefined {
  if (e.kind === 'number') return e.value
  if (e.kind === 'unary' && (e.op === '-' || e.op === '+')) {
    const v = constNumber(e.arg)
    return v === undefined ? undefined : e.op === '-' ? -v : v
  }
  return undefined
}

export function option(call: Call, name: string): Expr | undefined {
  return call.options.find((o) => o.name === name)?.value
}

/** Rows of each group, in row order; rows with a missing key belong to none. */
export function groupRows(g: Groups): Int32Array[] {
  const sizes = new Int32Array(g.count)
  for (let i = 0; i < g.id.length; i++) if (g.id[i] >= 0) sizes[g.id[i]]++
  const out = Array.from(sizes, (s) => new Int32Array(s))
  const fill = new Int32Array(g.count)
  for (let i = 0; i < g.id.length; i++) {
    const k = g.id[i]
    if (k >= 0) out[k][fill[k]++] = i
  }
  return out
}

/** Non-missing values of `x` at `rows`, sorted ascending. */
export function sortedValues(x: Float64Array, rows: Int32Array): Float64Array {
  let m = 0
  for (let r = 0; r < rows.length; r++) if (!Number.isNaN(x[rows[r]])) m++
  const out = new Float64Array(m)
  m = 0
  for (let r = 0; r < rows.length; r++) {
    const v = x[rows[r]]
    if (!Number.isNaN(v)) out[m++] = v
  }
  return out.sort()
}
