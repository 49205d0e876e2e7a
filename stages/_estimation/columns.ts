/**
 * The column check of the estimation stages (did, event-study, regress), shared here because
 * no stage kind imports another: the columns named in the stage's own `with:`, against the table it
 * estimates on. Values inherited through `model:` are not in its parameters and are left to
 * the run.
 */
import type { QuasiError } from '../../src/errors.ts'
import { inParam } from '../../src/expr/index.ts'
import type { ColumnContext } from '../../src/stage.ts'
import { refsOf, unknownColumns, unknownColumnsIn, type ColumnRef } from '../../src/columns/names.ts'

/** The keys of an estimation stage's `with:` that name columns or the table. */
export interface EstimationColumnParams {
  readonly from?: string
  readonly model?: string
  readonly outcome?: string
  readonly treatment?: string | { readonly adoption: string }
  readonly regressors?: readonly string[]
  readonly controls?: readonly string[]
  readonly fixed_effects?: readonly string[]
  readonly cluster?: string | readonly string[]
  readonly weights?: string
  readonly sample?: string
}

export interface EstimationTable {
  readonly columns: readonly string[]
  /** The stage it comes from, for messages: "stage `vars`". */
  readonly of: string
}

/**
 * The table the stage estimates on: its `from:`, else the `model:` stage's own table (a did
 * stage passes its input through as its frame); undefined when that is not known.
 */
export function estimationTable(p: EstimationColumnParams, ctx: ColumnContext): EstimationTable | undefined {
  const param = p.from !== undefined ? 'from' : p.model !== undefined ? 'model' : undefined
  const columns = param && ctx.input(param)
  return columns ? { columns, of: `stage \`${param === 'from' ? p.from : p.model}\`` } : undefined
}

/**
 * Unknown columns among those the stage names itself; `sampleColumns` are the ones the
 * `sample:` expression sees (the table, plus a treatment column the stage builds first).
 */
export function estimationColumnErrors(
  p: EstimationColumnParams,
  table: EstimationTable,
  sampleColumns: readonly string[],
  panel?: { unit: string; time: string },
): QuasiError[] {
  const refs: ColumnRef[] = []
  if (p.outcome !== undefined) refs.push({ name: p.outcome, param: ['outcome'] })
  if (typeof p.treatment === 'string') refs.push({ name: p.treatment, param: ['treatment'] })
  else if (p.treatment !== undefined) refs.push({ name: p.treatment.adoption, param: ['treatment', 'adoption'] })
  refs.push(...refsOf('regressors', p.regressors), ...refsOf('controls', p.controls), ...refsOf('fixed_effects', p.fixed_effects), ...refsOf('cluster', p.cluster))
  if (p.weights !== undefined) refs.push({ name: p.weights, param: ['weights'] })
  // `a:b` and `a*b` are interactions (unless a column has that very name): check their parts.
  const have = new Set(table.columns)
  const parts = refs.flatMap((r) => (have.has(r.name) || !/[:*]/.test(r.name) ? [r] : r.name.split(/[:*]/).map((n) => ({ name: n.trim(), param: r.param }))))
  const errors = unknownColumns(parts, table.columns, table.of)
  if (p.sample !== undefined) errors.push(...unknownColumnsIn(p.sample, sampleColumns, panel).map((e) => inParam(e, ['sample'], 'sample')))
  return errors
}
