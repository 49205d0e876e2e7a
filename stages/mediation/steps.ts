/**
 * The steps of each mediator, fitted by the regression kernel with the `model:` stage's
 * specification, and the checks that make a mediator usable. A mediator's sample is the rows
 * where the three-step regression (outcome on treatment, mediator, controls) can be fitted;
 * steps 1 and 2 use the same rows, so c = c′ + a·b holds exactly (for unweighted and weighted
 * least squares alike).
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import type { Model } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageContext } from '../../src/stage.ts'
import type { RegressionResult } from '../../src/stats/ols/types.ts'
import { fitRegression } from '../_estimation/fit.ts'
import { toModel } from '../_estimation/model.ts'
import type { EstimationSpec, Origin } from '../_estimation/spec.ts'
import { missingMediator } from './columns.ts'

export interface MediatorFit {
  readonly mediator: string
  /** Rows of the estimation frame (the model's table after `sample:`) used by every step. */
  readonly rows: Int32Array
  readonly total: RegressionResult
  readonly a: RegressionResult
  /** Step 3; undefined under `steps: two`. */
  readonly b?: RegressionResult
  readonly models: { readonly total: Model; readonly a: Model; readonly b?: Model }
}

/** Mediators that cannot be one: the outcome, the treatment, a control, a missing or text column. */
export function checkMediators(mediators: readonly string[], spec: EstimationSpec, data: Frame): void {
  mediators.forEach((m, k) => {
    const at = ['mediators', k]
    const clash = m === spec.outcome ? 'the outcome' : m === spec.term ? 'the treatment'
      : typeof spec.treatment === 'object' && m === spec.treatment.adoption ? 'the adoption-year column of the treatment'
      : spec.controls.includes(m) ? 'a control' : undefined
    if (clash) {
      throw new QuasiError('INVALID_VALUE', `mediator \`${m}\` is ${clash} of model \`${spec.from}\`'s specification`, {
        param: at, expected: 'a column other than the outcome, the treatment and the controls', found: m,
        hint: clash === 'a control' ? 'a control cannot also be a channel; drop it from the mediators or from the model\'s controls' : undefined,
      })
    }
    const col = data.column(m)
    if (!col) throw missingMediator(m, k, data.names, `stage \`${spec.from}\``)
    if (col.type !== 'number') throw new QuasiError('BAD_DATA', `mediator \`${m}\` is a text column`, { param: at, expected: 'a numeric column', found: 'text' })
  })
}

/** Step-1 fits by estimation rows: mediators with the same rows share one (the same regression). */
export type TotalFits = { readonly rows: Int32Array; readonly fit: RegressionResult }[]

export function fitMediator(ctx: StageContext<unknown>, data: Frame, spec: EstimationSpec, origin: Origin, m: string, k: number, steps: 'two' | 'three', totals: TotalFits = []): MediatorFit {
  const at = ['mediators', k]
  const term = spec.term!
  const controls = spec.controls
  const onMediator = <T>(f: () => T): T => {
    try { return f() } catch (err) { throw relocate(err, m, at) }
  }
  const full = onMediator(() => fitRegression(data, spec, origin, [term, m, ...controls]))
  checkMediatorVariation(data, full.rows, m, at)
  if (full.collinear.includes(m)) {
    throw new QuasiError('SINGULAR_DESIGN', `mediator \`${m}\` is collinear with the fixed effects${controls.length ? ' and controls' : ''}`, {
      param: at, hint: 'a mediator constant within units (or years) is absorbed by the fixed effects; a channel must change over time within units',
    })
  }
  const sub = data.take(full.rows)
  const rows = full.rows
  const same = totals.find((t) => t.rows.length === rows.length && t.rows.every((v, i) => v === rows[i]))
  const total = same?.fit ?? fitRegression(sub, spec, origin, [term, ...controls])
  if (!same) totals.push({ rows, fit: total })
  const a = onMediator(() => fitRegression(sub, { ...spec, outcome: m }, origin, [term, ...controls]))
  const meta = (label: string, s: EstimationSpec, frame: Frame) => ({ stage: ctx.stage, kind: ctx.kind, label, spec: s, controls, frame, panel: ctx.panel })
  const models = {
    total: toModel(total, meta(`${m}: total`, spec, sub)),
    a: toModel(a, meta(`${m}: M`, { ...spec, outcome: m }, sub)),
    ...(steps === 'three' ? { b: toModel(full, meta(`${m}: Y`, spec, data)) } : {}),
  }
  return { mediator: m, rows, total, a, ...(steps === 'three' ? { b: full } : {}), models }
}

/** A mediator constant on its sample: NO_VARIATION at its position, before the kernel calls it collinear. */
function checkMediatorVariation(data: Frame, rows: Int32Array, m: string, at: (string | number)[]): void {
  const x = data.numbers(m)
  const first = rows.length ? x[rows[0]] : NaN
  for (const i of rows) if (x[i] !== first) return
  throw new QuasiError('NO_VARIATION', `mediator \`${m}\` has no variation: it is ${first} in every row of the estimation sample`, {
    param: at, expected: 'a mediator that varies', found: `${first} in all ${rows.length} rows`,
  })
}

/** A kernel error about the mediator's column (as outcome or regressor) belongs to `mediators[k]`. */
function relocate(err: unknown, m: string, at: (string | number)[]): unknown {
  if (!(err instanceof QuasiError)) return err
  const role = (err.role ?? (err.cause instanceof QuasiError ? err.cause.role : undefined))
  if (role?.column !== m) return err
  return new QuasiError(err.code, err.message, { param: at, expected: err.expected, found: err.found, hint: err.hint, cause: err })
}
