/**
 * What `describe` and `trend` share before any statistic: the table of the `from` stage and
 * its models' labels, the rows kept by `period:` and `sample:`, the numeric columns they
 * name (with the errors a user can fix), and the groups of `by:`.
 */
import type { Column, Frame } from '../../src/artifacts/frame.ts'
import { mainModel } from '../../src/artifacts/model.ts'
import { unknownColumn } from '../../src/columns/names.ts'
import { QuasiError, QuasiErrors } from '../../src/errors.ts'
import { checkExpression, evaluate, exprError, inParam, parseExpression, schemaOf } from '../../src/expr/index.ts'
import type { StageContext, StageOutput } from '../../src/stage.ts'

export type Param = readonly (string | number)[]

/** The keys of `with:` this module reads. */
export interface SampleParams {
  readonly from: string
  readonly by?: string
  readonly by_levels?: readonly (string | number)[]
  readonly period?: readonly [number, number]
  readonly sample?: string
  readonly labels?: Readonly<Record<string, string>>
}

/** More groups than this make a table or a figure no one can read; it is almost always a wrong `by`. */
export const MAX_GROUPS = 20

export interface Source {
  readonly stage: string
  readonly frame: Frame
  /** Labels of the `from` stage's models (the main model's win), then the `labels` parameter. */
  readonly labels: Readonly<Record<string, string>>
}

export function sourceOf(ctx: StageContext<SampleParams>): Source {
  const p = ctx.params
  const input = ctx.input(p.from)
  const frame = input.frame
  if (!frame) throw new QuasiError('INVALID_VALUE', `stage \`${p.from}\` has no table to describe`, { param: ['from'], expected: 'a stage that produces a table' })
  return { stage: p.from, frame, labels: { ...modelLabels(input), ...p.labels } }
}

function modelLabels(input: StageOutput): Record<string, string> {
  const set = input.artifact('model')
  if (!set) return {}
  const main = mainModel(set)
  return Object.assign({}, ...set.models.filter((m) => m !== main).map((m) => m.labels), main.labels)
}

export interface Restricted {
  readonly frame: Frame
  /** What was kept, for the table's notes: "year 2007–2012", "rows where …". */
  readonly notes: readonly string[]
}

/** The rows inside `period` (on the panel time) and where `sample` is true. */
export function restrict(ctx: StageContext<SampleParams>, frame: Frame): Restricted {
  const p = ctx.params
  const notes: string[] = []
  let out = frame
  if (p.period) {
    const [lo, hi] = p.period
    const time = ctx.panel?.time
    if (!time) {
      throw new QuasiError('INVALID_SPEC', '`period` needs the panel time column: declare `panel: { unit, time }` in the pipeline', {
        param: ['period'], hint: 'or restrict the rows with `sample:`, e.g. `sample: "year <= 2012"`',
      })
    }
    const t = frame.column(time)
    if (!t || t.type !== 'number') {
      throw new QuasiError('BAD_DATA', `the panel time column \`${time}\` is ${t ? 'not numeric' : 'missing from the table'}`, { param: ['period'] })
    }
    out = out.filter(Uint8Array.from(t.data, (v) => (v >= lo && v <= hi ? 1 : 0)))
    notes.push(lo === hi ? `${time} ${lo}` : `${time} ${lo}–${hi}`)
  }
  if (p.sample) {
    const v = evaluateParam(ctx, out, p.sample, ['sample'], 'sample')
    if (v.type === 'string') {
      throw new QuasiError('BAD_EXPRESSION', 'sample, the condition is text; write a comparison', { param: ['sample'], expected: 'a condition', found: 'text' })
    }
    out = out.filter(Uint8Array.from(v.data, (x) => (x === x && x !== 0 ? 1 : 0)))
    notes.push(`rows where ${p.sample}`)
  }
  if (out.nrows === 0) {
    throw new QuasiError('NO_VARIATION', `no rows left after ${[p.period && '`period`', p.sample && '`sample`'].filter(Boolean).join(' and ')}`, {
      param: p.sample ? ['sample'] : ['period'],
      hint: 'check the window against the years of the panel, and the condition against the data',
    })
  }
  return { frame: out, notes }
}

/** Parse, check and evaluate an expression parameter on `frame`; errors point into it. */
export function evaluateParam(ctx: StageContext<unknown>, frame: Frame, source: string, param: Param, label: string): Column {
  let expr
  try {
    expr = parseExpression(source)
  } catch (err) {
    throw err instanceof QuasiError ? inParam(err, param, label) : err
  }
  const { errors } = checkExpression(expr, source, schemaOf(frame, ctx.panel))
  const located = errors.map((e) => inParam(e, param, label))
  if (located.length === 1) throw located[0]
  if (located.length > 1) throw new QuasiErrors(located)
  let r
  try {
    r = evaluate(expr, frame, { source, ...(ctx.panel ? { panel: ctx.panel } : {}), signal: ctx.signal })
  } catch (err) {
    throw err instanceof QuasiError && err.code !== 'CANCELLED' ? inParam(err, param, label) : err
  }
  for (const w of r.warnings) ctx.log.warn(`${label}, ${w.message}`)
  return r.column
}

/**
 * A numeric column named at `param`: an unknown name is MISSING_COLUMN (with a suggestion), a
 * text column BAD_DATA, each naming the stage whose table it is.
 */
export function numericColumn(frame: Frame, name: string, param: Param, stage: string): Float64Array {
  const c = frame.column(name)
  if (!c) throw unknownColumn(name, frame.names, `stage \`${stage}\``, param)
  if (c.type !== 'number') {
    throw new QuasiError('BAD_DATA', `\`${name}\` is a text column of stage \`${stage}\`; only numeric columns can be described`, {
      param,
      expected: 'a numeric column',
      found: `text, e.g. ${JSON.stringify(c.data.find((v) => v !== null) ?? '')}`,
      hint: `compare groups of a text column with \`by: ${name}\`, or code it as numbers with derive (e.g. \`if(${name} == "…", 1, 0)\`)`,
    })
  }
  return c.data
}

export interface Level {
  /** The value as text (numbers in shortest round-trip form). */
  readonly key: string
  /** How tables and legends name the group. */
  readonly label: string
}

export interface Grouping {
  readonly levels: readonly Level[]
  /** Group of each row of the restricted frame, −1 where `by` is missing. */
  readonly index: Int32Array
  /** Rows where `by` is missing. */
  readonly missing: number
}

/**
 * The groups of `by`: its value per row, ordered by `by_levels` or ascending (numbers by
 * value, text by code point). A numeric group is labelled "<label of by> = <value>" when `by`
 * is a column, "<by> = <value>" when it is an expression; a text group by its value.
 */
export function groupsOf(ctx: StageContext<SampleParams>, frame: Frame, labels: Readonly<Record<string, string>>): Grouping {
  const p = ctx.params
  const by = p.by!
  const col = evaluateParam(ctx, frame, by, ['by'], 'by')
  const keys: (string | null)[] = col.type === 'number' ? Array.from(col.data, (v) => (v === v ? String(v) : null)) : [...col.data]
  const present = new Set<string>()
  for (const k of keys) if (k !== null) present.add(k)
  let order: string[]
  if (p.by_levels) {
    order = p.by_levels.map(String)
    order.forEach((k, i) => {
      if (order.indexOf(k) !== i) throw new QuasiError('INVALID_VALUE', `\`by_levels\` lists \`${k}\` twice`, { param: ['by_levels', i] })
      if (!present.has(k)) {
        throw new QuasiError('INVALID_VALUE', `\`by_levels\` lists \`${k}\`, which \`by\` never takes on the sample`, {
          param: ['by_levels', i], expected: `values of \`by\`: ${[...present].sort().map((v) => '`' + v + '`').join(', ')}`, found: `\`${k}\``,
        })
      }
    })
    const unlisted = [...present].filter((k) => !order.includes(k))
    if (unlisted.length) {
      throw new QuasiError('INVALID_VALUE', `\`by\` takes ${unlisted.map((k) => '`' + k + '`').join(', ')}, which \`by_levels\` does not list`, {
        param: ['by_levels'], hint: 'list every group, or leave the others out with `sample:`',
      })
    }
  } else {
    order = [...present].sort(col.type === 'number' ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0))
  }
  if (order.length < 2) {
    throw new QuasiError('NO_VARIATION', `\`by\` has ${order.length === 0 ? 'no value' : `one value (\`${order[0]}\`)`} on the sample: there are no groups to compare`, { param: ['by'] })
  }
  if (order.length > MAX_GROUPS) {
    throw new QuasiError('INVALID_VALUE', `\`by\` has ${order.length} values on the sample; at most ${MAX_GROUPS} groups can be shown`, {
      param: ['by'], hint: 'group a variable with many values first, e.g. with derive: `if(x > median(x), "High", "Low")`',
    })
  }
  const at = new Map(order.map((k, i) => [k, i]))
  const index = Int32Array.from(keys, (k) => (k === null ? -1 : at.get(k)!))
  const missing = keys.filter((k) => k === null).length
  const isColumn = frame.has(by)
  const name = isColumn ? labels[by] ?? by : by
  const levels = order.map((key) => ({ key, label: col.type === 'number' ? `${name} = ${key}` : labels[key] ?? key }))
  return { levels, index, missing }
}
