/**
 * derive: add columns computed by expressions (docs/methods.md), in order.
 * Every expression is parsed and checked before any is evaluated, and all errors are
 * reported together, each pointing into its expression: `column eco, 1:7: unknown column …`.
 */
import { Frame, type Column, type ColumnType } from '../../src/artifacts/frame.ts'
import { QuasiError, QuasiErrors, asQuasiErrors } from '../../src/errors.ts'
import { checkExpression, columnsRead, evaluate, inParam, parseExpression, schemaOf } from '../../src/expr/index.ts'
import type { EntropyReport, Expr } from '../../src/expr/index.ts'
import { defineStage } from '../../src/stage.ts'
import type { Json, StageContext } from '../../src/stage.ts'
import { entropyWeightsCsv } from './entropy-csv.ts'
import { knownColumns, MAX_ERRORS, stoppedChecking } from './columns.ts'
import { deriveParams } from './params.ts'
import type { DeriveParams } from './params.ts'

interface Planned {
  readonly name: string
  readonly source: string
  readonly expr: Expr
}

export default defineStage<DeriveParams>({
  kind: 'derive',
  version: 1,
  description: 'Add columns computed from safe expressions (arithmetic, lags within unit, group statistics, winsor, entropy index, treatment timing).',
  params: deriveParams,
  references: ['from'],
  produces: ['frame', 'data'],
  facts: ['rows', 'missing(<column>)', 'mean(<column>)', 'sd(<column>)', 'min(<column>)', 'max(<column>)', 'entropy_weight(<column>, <indicator>)'],
  consumes: { from: 'frame' },
  columns: knownColumns,
  check(params) {
    const errors: QuasiError[] = []
    for (const name of Object.keys(params.columns)) {
      try {
        parseExpression(String(params.columns[name]))
      } catch (err) {
        errors.push(...asQuasiErrors(err).map((e) => inParam(e, ['columns', name], `column ${name}`)))
      }
    }
    return errors
  },
  async run(ctx) {
    let frame = inputFrame(ctx)
    const plan = planColumns(ctx, frame)
    const entropy: { column: string; report: EntropyReport }[] = []
    const facts: Record<string, number> = {}
    const summary: { name: string; expression: string; type: ColumnType; missing: number }[] = []
    // New columns wait here until an expression reads one: adding each to the frame at once
    // copied the column map per column, quadratic in a derive of many columns (16,000 took 3 minutes).
    const pending = new Map<string, Column>()
    let paused = performance.now()
    for (const [i, { name, source, expr }] of plan.entries()) {
      // Let the event loop run now and then, so that Ctrl-C is seen during a long stage.
      if (performance.now() - paused > YIELD_MS) {
        await new Promise((r) => setImmediate(r))
        paused = performance.now()
      }
      if (ctx.signal.aborted) throw new QuasiError('CANCELLED', 'cancelled')
      if (pending.size > 0 && [...columnsRead(expr, ctx.panel)].some((c) => pending.has(c))) frame = withColumns(frame, pending)
      const label = `column ${name}`
      let result
      try {
        result = evaluate(expr, frame, { source, ...(ctx.panel ? { panel: ctx.panel } : {}), signal: ctx.signal })
      } catch (err) {
        throw err instanceof QuasiError && err.code !== 'CANCELLED' ? inParam(err, ['columns', name], label) : err
      }
      for (const w of result.warnings) ctx.log.warn(`${label}, ${w.message}`)
      for (const report of result.entropy) {
        entropy.push({ column: name, report })
        logEntropy(ctx, name, report)
        if (report.by.length === 0 && report.groups.length === 1) {
          for (const ind of report.groups[0].indicators) facts[`entropy_weight(${name}, ${ind.indicator})`] = ind.weight
        }
      }
      if (frame.has(name) || pending.has(name)) ctx.log.info(`${label} replaces the existing column ${name}`)
      pending.set(name, result.column)
      const missing = countMissing(result.column)
      summary.push({ name, expression: source, type: result.column.type, missing })
      Object.assign(facts, columnFacts(name, result.column, missing))
      ctx.log.info(describeColumn(name, source, result.column, missing))
      ctx.progress(i + 1, plan.length)
    }
    frame = withColumns(frame, pending)
    facts.rows = frame.nrows
    const files: Record<string, string> = {}
    if (entropy.length > 0) files['entropy_weights.csv'] = entropyWeightsCsv(entropy)
    return {
      frame,
      files,
      facts,
      data: {
        columns: summary.map((c) => ({ ...c })),
        entropy: entropy.map(({ column, report }) => entropyJson(column, report)),
      },
    }
  },
})

/** How long the stage computes before it lets the event loop run (signals, progress). */
const YIELD_MS = 50

/** `frame` with the pending columns set in their order (a name it has is replaced in place), and `pending` emptied. */
function withColumns(frame: Frame, pending: Map<string, Column>): Frame {
  if (pending.size === 0) return frame
  const cols = new Map(frame.entries())
  for (const [name, col] of pending) cols.set(name, col)
  pending.clear()
  return new Frame(cols, frame.nrows)
}

function inputFrame(ctx: StageContext<DeriveParams>): Frame {
  const frame = ctx.input(ctx.params.from).frame
  if (!frame) {
    throw new QuasiError('INVALID_VALUE', `stage ${ctx.params.from} has no table to derive columns from`, { param: ['from'] })
  }
  return frame
}

/** Parse and check every expression against the columns it will see; throw all errors together. */
function planColumns(ctx: StageContext<DeriveParams>, frame: Frame): Planned[] {
  const schema = schemaOf(frame, ctx.panel)
  const columns = new Map(schema.columns)
  const errors: QuasiError[] = []
  const plan: Planned[] = []
  const names = Object.keys(ctx.params.columns)
  for (let i = 0; i < names.length; i++) {
    const name = names[i]
    if (errors.length >= MAX_ERRORS) {
      errors.push(stoppedChecking(errors, names, i))
      break
    }
    const source = String(ctx.params.columns[name])
    const label = `column ${name}`
    try {
      const expr = parseExpression(source)
      const { type, errors: found } = checkExpression(expr, source, { columns, ...(ctx.panel ? { panel: ctx.panel } : {}) })
      errors.push(...found.map((e) => inParam(e, ['columns', name], label)))
      // After an error, still declare the name (as a number) so later columns don't cascade.
      columns.set(name, type ?? 'number')
      plan.push({ name, source, expr })
    } catch (err) {
      errors.push(...asQuasiErrors(err).map((e) => inParam(e, ['columns', name], label)))
      columns.set(name, 'number')
    }
  }
  if (errors.length === 1) throw errors[0]
  if (errors.length > 1) throw new QuasiErrors(errors)
  return plan
}

function countMissing(c: Column): number {
  let m = 0
  if (c.type === 'number') for (const v of c.data) m += v !== v ? 1 : 0
  else for (const v of c.data) m += v === null ? 1 : 0
  return m
}

function numericSummary(x: Float64Array): { mean: number; sd: number; min: number; max: number; n: number } {
  let n = 0, s = 0, min = Infinity, max = -Infinity
  for (const v of x) {
    if (v !== v) continue
    n++
    s += v
    if (v < min) min = v
    if (v > max) max = v
  }
  const mean = n > 0 ? s / n : NaN
  let ss = 0
  for (const v of x) if (v === v) ss += (v - mean) * (v - mean)
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN, min: n > 0 ? min : NaN, max: n > 0 ? max : NaN, n }
}

/** Facts for `expect:` lines: mean(eco), sd(eco), min(eco), max(eco), missing(eco). */
function columnFacts(name: string, c: Column, missing: number): Record<string, number> {
  const facts: Record<string, number> = { [`missing(${name})`]: missing }
  if (c.type !== 'number') return facts
  const s = numericSummary(c.data)
  for (const [k, v] of Object.entries({ mean: s.mean, sd: s.sd, min: s.min, max: s.max })) {
    if (Number.isFinite(v)) facts[`${k}(${name})`] = v
  }
  return facts
}

const fmt = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : 'NA')
const count = (n: number) => n.toLocaleString('en-US')

function describeColumn(name: string, source: string, c: Column, missing: number): string {
  const head = `${name} = ${source.replace(/\s+/g, ' ').trim()}: ${count(c.data.length - missing)} values, ${count(missing)} missing`
  if (c.type !== 'number') return `${head} (text)`
  const s = numericSummary(c.data)
  return `${head}; mean ${fmt(s.mean)}, sd ${fmt(s.sd)}, min ${fmt(s.min)}, max ${fmt(s.max)}`
}

function entropyJson(column: string, r: EntropyReport): Json {
  return {
    column,
    expression: r.expression,
    by: [...r.by],
    groups: r.groups.map((g) => ({ group: g.group, n: g.n, indicators: g.indicators.map((x) => ({ ...x })) })),
  }
}

function logEntropy(ctx: StageContext<DeriveParams>, name: string, r: EntropyReport): void {
  if (r.groups.length === 1 && r.by.length === 0) {
    const w = r.groups[0].indicators.map((i) => `${i.indicator}${i.direction === 'negative' ? ' (−)' : ''} ${fmt(i.weight)}`)
    ctx.log.info(`${name}: entropy weights (n = ${count(r.groups[0].n)}): ${w.join(', ')}; written to entropy_weights.csv`)
  } else {
    ctx.log.info(`${name}: entropy weights for ${r.groups.length} groups by ${r.by.join(', ')}; written to entropy_weights.csv`)
  }
}
