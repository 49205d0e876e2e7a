/**
 * The estimation table of a regression stage: the treatment column (built from adoption years when
 * asked), the `sample:` restriction, and the checks that give clear messages before any
 * regression runs (a 0/1 treatment, variation in it).
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError, QuasiErrors } from '../../src/errors.ts'
import { checkExpression, evaluate, exprError, inParam, parseExpression, schemaOf } from '../../src/expr/index.ts'
import type { StageContext } from '../../src/stage.ts'
import { adoptedIndicator } from '../../src/stats/treatment.ts'
import type { EstimationSpec, Origin } from './spec.ts'

/** The input frame with the treatment column added when it is built from adoption years. */
export function withTreatment(ctx: StageContext<unknown>, spec: EstimationSpec, origin: Origin, frame: Frame): Frame {
  if (spec.treatment === undefined || spec.term === undefined) return frame
  const where = origin.treatment === 'model' ? ['model'] : ['treatment']
  if (typeof spec.treatment === 'string') {
    checkBinary(frame.numbers(spec.treatment), spec.treatment, where)
    return frame
  }
  const time = ctx.panel?.time
  if (!time) {
    throw new QuasiError('INVALID_SPEC', '`treatment: {adoption: …}` needs the panel time column: declare `panel: { unit, time }` in the pipeline', {
      param: where, hint: 'or build a 0/1 column with derive (`adopted(pilot_year)`) and name it in `treatment:`',
    })
  }
  const tc = frame.column(time)
  if (!tc || tc.type !== 'number') {
    throw new QuasiError('BAD_DATA', `the panel time column \`${time}\` is ${tc ? 'not numeric' : 'missing from the data'}`, { param: where })
  }
  const built = adoptedIndicator(tc.data, frame.numbers(spec.treatment.adoption))
  // A table from another did stage already carries the same column; only a different one is worth a warning.
  const old = frame.column(spec.term)
  if (old && !(old.type === 'number' && old.data.every((v, i) => Object.is(v, built[i])))) {
    ctx.log.warn(`column \`${spec.term}\` is replaced by the treatment built from \`${spec.treatment.adoption}\``)
  }
  return frame.withColumn(spec.term!, { type: 'number', data: built })
}

function checkBinary(x: Float64Array, name: string, param: string[]): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]
    if (v === v && v !== 0 && v !== 1) {
      throw new QuasiError('BAD_DATA', `treatment \`${name}\` must be 0 or 1; row ${i + 1} has ${v}`, {
        param, expected: 'a 0/1 column', found: String(v),
        hint: 'for an adoption-year column write `treatment: {adoption: <column>}`',
      })
    }
  }
}

/** Rows where `sample:` is true; rows where it is missing are dropped too (and counted). */
export function applySample(ctx: StageContext<unknown>, spec: EstimationSpec, origin: Origin, frame: Frame): { frame: Frame; dropped: number } {
  if (!spec.sample) return { frame, dropped: 0 }
  const source = spec.sample
  const param = origin.sample === 'model' ? ['model'] : ['sample']
  const label = 'sample'
  let expr
  try {
    expr = parseExpression(source)
  } catch (err) {
    throw err instanceof QuasiError && origin.sample !== 'model' ? inParam(err, param, label) : err
  }
  const { type, errors } = checkExpression(expr, source, schemaOf(frame, ctx.panel))
  const located = errors.map((e) => (origin.sample === 'model' ? e : inParam(e, param, label)))
  if (located.length === 1) throw located[0]
  if (located.length > 1) throw new QuasiErrors(located)
  if (type === 'string') {
    throw inParam(exprError('BAD_EXPRESSION', source, expr, 'the sample condition is text; write a comparison', { expected: 'a condition', found: 'text' }), param, label)
  }
  const r = evaluate(expr, frame, { source, ...(ctx.panel ? { panel: ctx.panel } : {}), signal: ctx.signal })
  for (const w of r.warnings) ctx.log.warn(`sample, ${w.message}`)
  const v = r.column.data as Float64Array
  const keep = new Uint8Array(frame.nrows)
  for (let i = 0; i < keep.length; i++) keep[i] = v[i] === v[i] && v[i] !== 0 ? 1 : 0
  const out = frame.filter(keep)
  return { frame: out, dropped: frame.nrows - out.nrows }
}

/**
 * The treatment must vary on the rows the regression can use (outcome and treatment
 * present); otherwise say so before the regression reports a collinear design.
 */
export function checkVariation(spec: EstimationSpec, origin: Origin, frame: Frame): void {
  if (spec.term === undefined) return
  const d = frame.numbers(spec.term), y = frame.numbers(spec.outcome)
  let first = NaN, varies = false, usable = 0
  for (let i = 0; i < d.length && !varies; i++) {
    if (Number.isNaN(d[i]) || Number.isNaN(y[i])) continue
    usable++
    if (Number.isNaN(first)) first = d[i]
    else if (d[i] !== first) varies = true
  }
  if (!varies) {
    const what = usable === 0 ? 'no rows with both the outcome and the treatment present' : `the treatment is ${first} in every row`
    throw new QuasiError('NO_VARIATION', `treatment \`${spec.term}\` has no variation: ${what}`, {
      param: origin.treatment === 'model' ? ['model'] : ['treatment'],
      hint: typeof spec.treatment === 'object' ? `check the adoption years in \`${spec.treatment.adoption}\` against the years of the panel` : undefined,
    })
  }
}
