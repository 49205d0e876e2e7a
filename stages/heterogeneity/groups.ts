/**
 * The groups of `by:`: a categorical column (one group per value, sorted), or named
 * conditions in the expression language of `sample:`. Each row belongs to at most one group.
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError, QuasiErrors } from '../../src/errors.ts'
import { checkExpression, evaluate, exprError, inParam, parseExpression, schemaOf } from '../../src/expr/index.ts'
import type { StageContext } from '../../src/stage.ts'
import { suggest } from '../../src/suggest.ts'

export interface Groups {
  readonly names: readonly string[]
  /** Where each group is written, for errors: `['by']` for a column, `['by', key]` for a condition. */
  readonly params: readonly (readonly (string | number)[])[]
  /** Group index of each row (−1: in no group). */
  readonly of: Int32Array
  /** The column, when `by` names one. */
  readonly column?: string
}

export function resolveGroups(ctx: StageContext<unknown>, by: string | string[] | Record<string, string>, frame: Frame, levels?: readonly (string | number)[]): Groups {
  if (typeof by === 'string') return columnGroups(by, frame, levels)
  if (levels !== undefined) throw new QuasiError('INVALID_VALUE', '`levels` orders the values of a `by` column; with conditions, their order is the order written', { param: ['levels'], hint: 'remove `levels`' })
  const entries: [string, string, (string | number)[]][] = Array.isArray(by)
    ? by.map((c, k) => [c, c, ['by', k]])
    : Object.entries(by).map(([name, c]) => [name, c, ['by', name]])
  const of = new Int32Array(frame.nrows).fill(-1)
  entries.forEach(([name, source, param], g) => {
    const truth = condition(ctx, source, param, frame)
    for (let i = 0; i < frame.nrows; i++) {
      if (!truth[i]) continue
      if (of[i] >= 0) {
        throw new QuasiError('BAD_DATA', `groups \`${entries[of[i]][0]}\` and \`${name}\` overlap: row ${i + 1} of the estimation table satisfies both conditions`, {
          param, expected: 'conditions that no row satisfies twice', hint: 'make the conditions exclusive, e.g. `x == 1` and `x == 0`',
        })
      }
      of[i] = g
    }
  })
  return { names: entries.map((e) => e[0]), params: entries.map((e) => e[2]), of }
}

function columnGroups(name: string, frame: Frame, levels?: readonly (string | number)[]): Groups {
  const col = frame.column(name)
  if (!col) {
    const near = suggest(name, frame.names)
    throw new QuasiError('MISSING_COLUMN', `\`by\` column \`${name}\` is not a column of the data${near ? `; did you mean \`${near}\`?` : ''}`, {
      param: ['by'], expected: 'a column name', found: name, hint: near ? `did you mean \`${near}\`?` : undefined,
    })
  }
  const of = new Int32Array(frame.nrows).fill(-1)
  let names: string[]
  if (col.type === 'number') {
    const values = [...new Set(Array.from(col.data).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b)
    const at = new Map(values.map((v, k) => [v, k]))
    col.data.forEach((v, i) => { of[i] = at.get(v) ?? -1 })
    names = values.map(String)
  } else {
    const values = [...new Set(col.data.filter((v): v is string => v !== null))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    const at = new Map(values.map((v, k) => [v, k]))
    col.data.forEach((v, i) => { of[i] = v === null ? -1 : at.get(v)! })
    names = values
  }
  if (levels !== undefined) {
    // Keep and order the listed values; a listed value the data lack is a typo, not a group of none.
    const listed = levels.map(String)
    const missing = listed.filter((v) => !names.includes(v))
    if (missing.length) {
      throw new QuasiError('INVALID_VALUE', `\`levels\` lists ${missing.map((v) => `\`${v}\``).join(', ')}, not ${missing.length === 1 ? 'a value' : 'values'} of \`${name}\` on the estimation sample`, {
        param: ['levels', levels.map(String).indexOf(missing[0])], expected: `values of \`${name}\`: ${names.map((v) => `\`${v}\``).join(', ')}`, found: missing[0],
      })
    }
    const position = new Map(listed.map((v, k) => [v, k]))
    const remap = names.map((v) => position.get(v) ?? -1)
    for (let i = 0; i < of.length; i++) if (of[i] >= 0) of[i] = remap[of[i]]
    names = listed
  }
  if (names.length < 2) {
    throw new QuasiError('INVALID_VALUE', `\`by\` column \`${name}\` has ${names.length} value${names.length === 1 ? '' : 's'} on the estimation sample; at least two groups are needed`, {
      param: ['by'], expected: 'a column with two or more values', found: names.map((v) => `\`${v}\``).join(', ') || 'no values',
    })
  }
  return { names, params: names.map(() => ['by']), of, column: name }
}

/** 1 where the condition is true (missing counts as false). */
function condition(ctx: StageContext<unknown>, source: string, param: (string | number)[], frame: Frame): Uint8Array {
  const label = 'by'
  let expr
  try {
    expr = parseExpression(source)
  } catch (err) {
    throw err instanceof QuasiError ? inParam(err, param, label) : err
  }
  const { type, errors } = checkExpression(expr, source, schemaOf(frame, ctx.panel))
  const located = errors.map((e) => inParam(e, param, label))
  if (located.length === 1) throw located[0]
  if (located.length > 1) throw new QuasiErrors(located)
  if (type === 'string') {
    throw inParam(exprError('BAD_EXPRESSION', source, expr, 'the group condition is text; write a comparison', { expected: 'a condition', found: 'text' }), param, label)
  }
  const r = evaluate(expr, frame, { source, ...(ctx.panel ? { panel: ctx.panel } : {}), signal: ctx.signal })
  for (const w of r.warnings) ctx.log.warn(`by, ${w.message}`)
  const v = r.column.data as Float64Array
  const out = new Uint8Array(frame.nrows)
  for (let i = 0; i < out.length; i++) out[i] = v[i] === v[i] && v[i] !== 0 ? 1 : 0
  return out
}

/** Indices i (ascending) where `test(a[i])`. */
export function indicesWhere(a: ArrayLike<number>, test: (v: number) => boolean): Int32Array {
  let n = 0
  for (let i = 0; i < a.length; i++) if (test(a[i])) n++
  const out = new Int32Array(n)
  for (let i = 0, p = 0; i < a.length; i++) if (test(a[i])) out[p++] = i
  return out
}
