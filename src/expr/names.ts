/**
 * The columns an expression reads: its column names, its `by` keys, and the panel's unit
 * and time when it calls a panel function. Walked with an explicit stack (a flat chain can
 * be as long as the source).
 */
import type { Expr } from './ast.ts'
import { FUNCTIONS } from './functions/index.ts'

export function columnsRead(expr: Expr, panel?: { readonly unit: string; readonly time: string }): Set<string> {
  const names = new Set<string>()
  const stack: Expr[] = [expr]
  while (stack.length > 0) {
    const e = stack.pop()!
    switch (e.kind) {
      case 'column':
        names.add(e.name)
        break
      case 'unary':
        stack.push(e.arg)
        break
      case 'binary':
        stack.push(e.left, e.right)
        break
      case 'in':
        stack.push(e.arg, e.list)
        break
      case 'list':
        for (const x of e.items) stack.push(x) // loops, not push(...): a list may be very long
        break
      case 'call':
        for (const x of e.args) stack.push(x)
        for (const o of e.options) stack.push(o.value)
        for (const k of e.by?.keys ?? []) names.add(k.name)
        if (panel && FUNCTIONS.get(e.name)?.panel) names.add(panel.unit).add(panel.time)
        break
    }
  }
  return names
}
