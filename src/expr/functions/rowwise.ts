/**
 * Row-wise functions: each output row depends only on the same row of the arguments.
 * Missing in → missing out; results that are not finite numbers (log 0, sqrt −1, overflow)
 * become missing, and the evaluator reports how many.
 */
import type { Column } from '../../artifacts/frame.ts'
import { stringColumn } from '../../artifacts/frame.ts'
import { exprError } from '../errors.ts'
import type { FnSpec } from '../spec.ts'
import { finite, num, nums } from './util.ts'

function unary(name: string, f: (x: number) => number, domain: string): FnSpec {
  return {
    name,
    signature: `${name}(x)`,
    minArgs: 1,
    maxArgs: 1,
    evaluate(call, [a], ex) {
      const x = nums(a)
      const out = new Float64Array(x.length)
      let invalid = 0
      const live = ex.live
      for (let i = 0; i < x.length; i++) {
        const v = x[i]
        out[i] = finite(f(v))
        if (v === v && out[i] !== out[i] && (!live || live[i])) invalid++
      }
      if (invalid > 0) ex.warn(call, `${invalid} value(s) missing: ${domain}`)
      return num(out)
    },
  }
}

export const rowwise: readonly FnSpec[] = [
  unary('log', Math.log, 'log of a value <= 0 (log is the natural logarithm)'),
  unary('exp', Math.exp, 'exp overflowed'),
  unary('sqrt', Math.sqrt, 'sqrt of a negative value'),
  unary('abs', Math.abs, 'overflow'),
  {
    name: 'pow',
    signature: 'pow(x, y)',
    minArgs: 2,
    maxArgs: 2,
    evaluate(call, [a, b], ex) {
      const x = nums(a)
      const y = nums(b)
      const out = new Float64Array(x.length)
      let invalid = 0
      const live = ex.live
      for (let i = 0; i < x.length; i++) {
        out[i] = finite(Math.pow(x[i], y[i]))
        if (x[i] === x[i] && y[i] === y[i] && out[i] !== out[i] && (!live || live[i])) invalid++
      }
      if (invalid > 0) ex.warn(call, `${invalid} value(s) missing: power undefined (negative base, fractional exponent) or too large`)
      return num(out)
    },
  },
  {
    name: 'if',
    signature: 'if(condition, then, else)',
    minArgs: 3,
    maxArgs: 3,
    argTypes: ['number', 'any', 'any'],
    branches: true,
    resultType: ([, a, b]) => a ?? b,
    check(call, [, ta, tb], cx) {
      const b = call.args[2]
      if (ta && tb && ta !== tb) {
        cx.errors.push(
          exprError('BAD_EXPRESSION', cx.source, b, `type mismatch: the branches of if() must both be numbers or both be text, got ${ta} and ${tb}`, {
            expected: ta,
            found: tb,
          }),
        )
      }
    },
    evaluate(_call, [c, a, b]) {
      const cond = nums(c)
      const n = cond.length
      if (a.type === 'string' && b.type === 'string') {
        const out = new Array<string | null>(n)
        for (let i = 0; i < n; i++) {
          const v = cond[i]
          out[i] = v !== v ? null : v !== 0 ? a.data[i] : b.data[i]
        }
        return stringColumn(out)
      }
      const x = nums(a)
      const y = nums(b)
      const out = new Float64Array(n)
      for (let i = 0; i < n; i++) {
        const v = cond[i]
        out[i] = v !== v ? NaN : v !== 0 ? x[i] : y[i]
      }
      return num(out)
    },
  },
  {
    name: 'is_missing',
    signature: 'is_missing(x)',
    minArgs: 1,
    maxArgs: 1,
    argTypes: ['any'],
    evaluate(_call, [a]: readonly Column[]) {
      const out = new Float64Array(a.data.length)
      if (a.type === 'number') for (let i = 0; i < out.length; i++) out[i] = a.data[i] !== a.data[i] ? 1 : 0
      else for (let i = 0; i < out.length; i++) out[i] = a.data[i] === null ? 1 : 0
      return num(out)
    },
  },
]
