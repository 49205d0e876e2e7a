/**
 * The balanced, stacked panel of a spatial stage: the specification (what `with:` says over a
 * `spec:` stage's), the treatment column, the units matched to the weights, and every
 * column stacked time-major in the weights' unit order. Kernel errors (src/stats/spatial)
 * come back located at the parameter that caused them.
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { mainModel } from '../../src/artifacts/model.ts'
import type { Weights, WeightsCandidate } from '../../src/artifacts/weights.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageContext } from '../../src/stage.ts'
import { suggest } from '../../src/suggest.ts'
import { panelLayout, stack, type PanelLayout, type SpatialEffects } from '../../src/stats/spatial/panel.ts'
import type { Treatment } from '../_estimation/params.ts'
import { withTreatment } from '../_estimation/prepare.ts'
import { ADOPTION_TERM, type EstimationSpec, type Origin } from '../_estimation/spec.ts'
import type { SpatialSpecParams } from './params.ts'

export interface SpatialPanel {
  readonly frame: Frame
  readonly outcome: string
  readonly treatment?: Treatment
  /** The treatment term (`did` for an adoption column), when there is one. */
  readonly term?: string
  /** Treatment term first, then the regressors. */
  readonly names: readonly string[]
  readonly fixedEffects: readonly string[]
  readonly effects: SpatialEffects
  readonly weights: Weights
  readonly layout: PanelLayout
  readonly y: Float64Array
  readonly x: readonly Float64Array[]
  readonly labels: Readonly<Record<string, string>>
}

/**
 * Re-throw a kernel error (no position yet) at `param`, or at `weights` when the kernel says
 * the weights are at fault (role `weights`: a singular I − ρW, units that differ).
 */
export function at<T>(param: (string | number)[], f: () => T): T {
  try {
    return f()
  } catch (err) {
    if (err instanceof QuasiError && err.param === undefined) {
      const where = err.role?.role === 'weights' ? ['weights'] : param
      throw new QuasiError(err.code, err.message, { param: where, expected: err.expected, found: err.found, hint: err.hint, cause: err })
    }
    throw err
  }
}

export function preparePanel(ctx: StageContext<SpatialSpecParams>): SpatialPanel {
  const p = ctx.params
  const panel = ctx.panel
  if (!panel) {
    throw new QuasiError('INVALID_SPEC', `${ctx.kind} needs the panel unit and time columns: declare \`panel: { unit, time }\` in the pipeline`, { param: [] })
  }
  let base: Partial<EstimationSpec> = {}
  if (p.spec !== undefined) {
    const up = ctx.input(p.spec)
    const models = up.artifact('model')
    const spec = models ? (mainModel(models).spec as Partial<EstimationSpec> | null) : null
    if (!spec || typeof spec !== 'object' || typeof spec.outcome !== 'string') {
      throw new QuasiError('INVALID_VALUE', `stage \`${p.spec}\` (${up.kind}) has no regression specification to take`, { param: ['spec'], expected: 'a `did` or `regress` stage', found: `a \`${up.kind}\` stage` })
    }
    base = spec
  }
  const dataStage = p.from ?? p.spec
  if (dataStage === undefined) throw new QuasiError('MISSING_PARAM', `${ctx.kind} needs \`from:\` (the stage with the panel) or \`spec:\``, { param: [], expected: '`from` or `spec`' })
  const input = ctx.input(dataStage).frame
  if (!input) throw new QuasiError('INVALID_VALUE', `stage \`${dataStage}\` has no table to estimate on`, { param: [p.from !== undefined ? 'from' : 'spec'] })
  const outcome = p.outcome ?? base.outcome
  if (outcome === undefined) throw new QuasiError('MISSING_PARAM', `${ctx.kind} needs \`outcome:\` (the dependent variable)`, { param: [], expected: 'outcome' })
  const treatment = p.treatment ?? base.treatment
  const regressors = p.regressors ?? [...(base.regressors ?? []), ...(base.controls ?? [])]
  const fromSpec = (k: string) => (p as unknown as Record<string, unknown>)[k] === undefined && p.spec !== undefined
  const where = (k: string, ...rest: (string | number)[]) => (fromSpec(k) ? ['spec'] : [k, ...rest])

  // columns
  const need = (name: string, role: string, param: (string | number)[]) => {
    const col = input.column(name)
    if (!col) {
      const near = suggest(name, input.names)
      throw new QuasiError('MISSING_COLUMN', `${role} \`${name}\` is not a column of the data${near ? `; did you mean \`${near}\`?` : ''}`, { param, expected: 'a column name', found: name, hint: near ? `did you mean \`${near}\`?` : undefined })
    }
    if (col.type !== 'number') throw new QuasiError('BAD_DATA', `${role} \`${name}\` is a text column`, { param, expected: 'a numeric column', found: 'text' })
  }
  need(outcome, 'outcome', where('outcome'))
  if (typeof treatment === 'string') need(treatment, 'treatment', where('treatment'))
  else if (treatment) need(treatment.adoption, 'adoption-year column', [...where('treatment'), ...(fromSpec('treatment') ? [] : ['adoption'])])
  regressors.forEach((c, k) => need(c, 'regressor', where('regressors', k)))

  // fixed effects: the panel's unit and/or time
  const fe = p.fixed_effects ?? (base.fixed_effects as string[] | undefined) ?? [panel.unit, panel.time]
  fe.forEach((f, k) => {
    if (f !== panel.unit && f !== panel.time) {
      throw new QuasiError('INVALID_VALUE', `spatial panel models absorb the panel unit and time only; \`${f}\` is neither`, {
        param: where('fixed_effects', k), expected: `\`${panel.unit}\` and/or \`${panel.time}\``, found: f,
      })
    }
  })
  if (fe.length === 0) {
    throw new QuasiError('INVALID_VALUE', 'spatial panel models here need unit and/or time fixed effects', {
      param: where('fixed_effects'), expected: `[${panel.unit}, ${panel.time}], [${panel.unit}] or [${panel.time}]`, found: '[]',
      hint: 'a pooled spatial model without effects (and with an intercept) is not offered',
    })
  }
  const hasU = fe.includes(panel.unit), hasT = fe.includes(panel.time)
  const effects: SpatialEffects = hasU && hasT ? 'twoways' : hasU ? 'unit' : hasT ? 'time' : 'none'

  const term = treatment === undefined ? undefined : typeof treatment === 'string' ? treatment : ADOPTION_TERM
  const origin: Origin = { treatment: fromSpec('treatment') ? 'model' : 'with' }
  const frame = term ? withTreatment(ctx, { treatment, term } as EstimationSpec, origin, input) : input
  if (term && regressors.includes(term)) throw new QuasiError('INVALID_SPEC', `the treatment \`${term}\` is also listed as a regressor`, { param: where('regressors', regressors.indexOf(term)) })
  const names = term ? [term, ...regressors] : [...regressors]
  if (names.length === 0) throw new QuasiError('MISSING_PARAM', `${ctx.kind} needs at least one regressor (\`treatment\` or \`regressors\`)`, { param: [], expected: 'regressors' })

  const weights = ctx.input(p.weights).artifact('weights')
  if (!weights) throw new QuasiError('INVALID_VALUE', `stage \`${p.weights}\` has no spatial weights`, { param: ['weights'], expected: 'a `spatial-weights` stage' })
  const unitCol = frame.column(panel.unit)
  if (!unitCol) throw new QuasiError('MISSING_COLUMN', `the panel unit column \`${panel.unit}\` is not a column of the data`, { param: [p.from !== undefined ? 'from' : 'spec'] })
  const unitKeys = unitCol.type === 'number' ? Array.from(unitCol.data, (v) => (Number.isNaN(v) ? null : String(v))) : (unitCol.data as (string | null)[])
  const layout = at(['weights'], () => {
    try {
      return panelLayout(unitKeys, frame.numbers(panel.time), weights.units)
    } catch (err) {
      // an unbalanced panel or a repeated key is the data's problem, not the weights'
      if (err instanceof QuasiError && err.code !== 'WEIGHTS_MISMATCH') throw new QuasiError(err.code, err.message, { param: [p.from !== undefined ? 'from' : 'spec'], expected: err.expected, found: err.found, hint: err.hint })
      throw err
    }
  })
  const y = at(where('outcome'), () => stack(frame.numbers(outcome), layout, outcome))
  const x = names.map((c, k) => at(c === term ? where('treatment') : where('regressors', k - (term ? 1 : 0)), () => stack(frame.numbers(c), layout, c)))
  return {
    frame, outcome, ...(treatment !== undefined ? { treatment } : {}), ...(term ? { term } : {}), names, fixedEffects: fe, effects, weights, layout, y, x,
    labels: { ...((base.labels as Record<string, string> | undefined) ?? {}), ...(p.labels ?? {}) },
  }
}

/** A candidate's name in tables and messages. */
export function candidateName(c: WeightsCandidate): string {
  return c.a !== undefined ? `a = ${c.a}` : c.label
}
