/**
 * The regression specification of an estimation stage: what the user wrote in `with:`
 * merged over the specification of a `model:` stage, with defaults from the panel, checked
 * against the table. The resolved specification is JSON and travels in the model artifact,
 * so a later stage (`model: <stage>`) re-estimates exactly the same model with its own
 * overrides.
 *
 * Inheritance: every key of the specification is inherited unless given again; `labels`
 * are merged (the child's win); `title` and `stepwise` are layout and are inherited only
 * from a stage of the same kind (an event study's title is not a table title).
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { mainModel } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import type { Json, StageContext } from '../../src/stage.ts'
import { suggest } from '../../src/suggest.ts'
import type { RegressionSpec } from '../../src/stats/ols/types.ts'
import type { RegressionParams, SmallSampleName, Treatment, VcovName } from './params.ts'

export interface EstimationSpec {
  /** Stage whose table was used. */
  readonly from: string
  readonly outcome: string
  /** The treatment of a DID (absent for a general regression). */
  readonly treatment?: Treatment
  /** The headline regressor: the treatment term (`did` for an adoption column). */
  readonly term?: string
  /** Regressors before the controls (a general regression's own list, expanded). */
  readonly regressors: readonly string[]
  readonly controls: readonly string[]
  readonly fixed_effects: readonly string[]
  readonly cluster: readonly string[]
  readonly vcov: VcovName
  readonly small_sample: Exclude<SmallSampleName, 'none'>
  readonly cluster_df: 'min' | 'each'
  readonly singletons: 'drop' | 'keep'
  readonly weights: string | null
  readonly sample: string | null
  readonly stepwise: boolean
  readonly labels: Readonly<Record<string, string>>
  readonly digits: number
  readonly title: string | null
  /** Kind of the stage that first wrote this specification's layout. */
  readonly kind: string
}

/** Term of an adoption-year treatment (public: `coef(did)` in expectations). */
export const ADOPTION_TERM = 'did'

/** Keys a `model:` stage passes on. */
export const MODEL_KEYS = ['outcome', 'treatment', 'regressors', 'controls', 'fixed_effects', 'cluster', 'vcov', 'small_sample', 'cluster_df', 'singletons', 'weights', 'sample', 'stepwise', 'labels', 'digits', 'title'] as const
export type ModelKey = (typeof MODEL_KEYS)[number]

/** Where each resolved value came from, so errors point at the right place in the YAML. */
export type Origin = Partial<Record<ModelKey, 'with' | 'model'>>

/** The parameter path for an error about `key`: the key itself, or `model:` when inherited. */
export function paramOf(origin: Origin, key: ModelKey, ...rest: (string | number)[]): (string | number)[] {
  return origin[key] === 'model' ? ['model'] : [key, ...rest]
}

export interface SpecInput extends RegressionParams {
  treatment?: Treatment
  regressors?: string[]
  stepwise?: boolean
}

export interface ResolveOptions {
  /** The stage needs a treatment (did, event-study) or takes regressors (regress). */
  readonly needs: 'treatment' | 'regressors'
}

export function resolveSpec(ctx: StageContext<SpecInput>, opts: ResolveOptions): { spec: EstimationSpec; origin: Origin; frame: Frame } {
  const p = ctx.params
  let base: Partial<EstimationSpec> = {}
  const origin: Origin = {}
  if (p.model !== undefined) {
    const up = ctx.input(p.model)
    const models = up.artifact('model')
    const spec = models ? (mainModel(models).spec as Partial<EstimationSpec> | null) : null
    if (!spec || typeof spec !== 'object' || typeof spec.outcome !== 'string') {
      throw new QuasiError('INVALID_VALUE', `stage \`${p.model}\` (${up.kind}) has no regression specification to reuse`, {
        param: ['model'], expected: 'a `did`, `event-study` or `regress` stage', found: `a \`${up.kind}\` stage`,
      })
    }
    const sameKind = spec.kind === ctx.kind
    base = { ...spec, ...(sameKind ? {} : { title: null, stepwise: false }) }
    for (const k of MODEL_KEYS) if (sameKind || (k !== 'title' && k !== 'stepwise')) origin[k] = 'model'
  }
  for (const k of MODEL_KEYS) if ((p as Record<string, unknown>)[k] !== undefined) origin[k] = 'with'

  const fromStage = p.from ?? base.from
  if (fromStage === undefined) {
    throw new QuasiError('MISSING_PARAM', `${ctx.kind} needs \`from:\` (the stage with the data) or \`model:\` (a stage whose model to reuse)`, {
      param: [], expected: '`from` or `model`',
    })
  }
  // With `model:` alone the data come from the model stage's own table (its input plus the treatment column).
  const dataStage = p.from ?? p.model!
  const upFrame = ctx.input(dataStage).frame
  if (!upFrame) {
    throw new QuasiError('INVALID_VALUE', `stage \`${dataStage}\` has no table to estimate on`, {
      param: [p.from !== undefined ? 'from' : 'model'], hint: p.from === undefined ? 'name the data stage with `from:`' : undefined,
    })
  }

  const outcome = p.outcome ?? base.outcome
  if (outcome === undefined) throw new QuasiError('MISSING_PARAM', `${ctx.kind} needs \`outcome:\` (the dependent variable)`, { param: [], expected: 'outcome' })
  const treatment = p.treatment ?? base.treatment
  if (opts.needs === 'treatment' && treatment === undefined) {
    throw new QuasiError('MISSING_PARAM', `${ctx.kind} needs \`treatment:\` (a 0/1 column or {adoption: <column>})`, { param: [], expected: 'treatment' })
  }
  const cluster = p.cluster !== undefined ? (typeof p.cluster === 'string' ? [p.cluster] : p.cluster) : base.cluster ?? []
  const vcov = p.vcov ?? (p.cluster !== undefined ? 'cluster' : base.vcov) ?? (cluster.length ? 'cluster' : 'iid')
  if (vcov === 'cluster' && cluster.length === 0) {
    throw new QuasiError('INVALID_SPEC', '`vcov: cluster` needs a cluster variable', {
      param: paramOf(origin, 'vcov'), hint: 'add `cluster: <column>` (usually the panel unit), or choose `vcov: hc1`',
    })
  }
  let smallSample = p.small_sample ?? base.small_sample ?? 'nested'
  if (smallSample === 'none') {
    ctx.log.warn('`small_sample: none` is deprecated and will be removed: write `small_sample: cr0` (same meaning: no finite-sample factor)')
    smallSample = 'cr0'
  }
  const term = opts.needs === 'treatment' && treatment !== undefined ? (typeof treatment === 'string' ? treatment : ADOPTION_TERM) : undefined
  const spec: EstimationSpec = {
    from: fromStage,
    outcome,
    ...(treatment !== undefined && opts.needs === 'treatment' ? { treatment, term } : {}),
    regressors: opts.needs === 'regressors' ? (p.regressors ?? base.regressors ?? []) : [],
    controls: p.controls ?? base.controls ?? [],
    fixed_effects: p.fixed_effects ?? base.fixed_effects ?? (ctx.panel ? [ctx.panel.unit, ctx.panel.time] : []),
    cluster,
    vcov,
    small_sample: smallSample,
    cluster_df: p.cluster_df ?? base.cluster_df ?? 'min',
    singletons: p.singletons ?? base.singletons ?? 'drop',
    weights: p.weights ?? base.weights ?? null,
    sample: p.sample ?? base.sample ?? null,
    stepwise: p.stepwise ?? base.stepwise ?? false,
    labels: { ...(base.labels ?? {}), ...(p.labels ?? {}) },
    digits: p.digits ?? base.digits ?? 3,
    title: p.title ?? base.title ?? null,
    kind: p.title !== undefined || p.stepwise !== undefined || base.kind === undefined ? ctx.kind : base.kind,
  }
  checkColumns(spec, origin, upFrame)
  return { spec, origin, frame: upFrame }
}

/** Every column the specification names exists (with a suggestion if not) and is of the right type. */
function checkColumns(spec: EstimationSpec, origin: Origin, frame: Frame): void {
  const need = (name: string, role: string, param: (string | number)[], numeric: boolean) => {
    // `a:b` (and `a*b`) name interactions; their parts are checked instead.
    if (/[:*]/.test(name) && !frame.has(name)) {
      for (const part of name.split(/[:*]/)) need(part.trim(), role, param, numeric)
      return
    }
    const col = frame.column(name)
    if (!col) {
      const near = suggest(name, frame.names)
      throw new QuasiError('MISSING_COLUMN', `${role} \`${name}\` is not a column of the data${near ? `; did you mean \`${near}\`?` : ''}`, {
        param, expected: 'a column name', found: name, hint: near ? `did you mean \`${near}\`?` : undefined,
      })
    }
    if (numeric && col.type !== 'number') {
      throw new QuasiError('BAD_DATA', `${role} \`${name}\` is a text column`, { param, expected: 'a numeric column', found: 'text' })
    }
  }
  need(spec.outcome, 'outcome', paramOf(origin, 'outcome'), true)
  if (typeof spec.treatment === 'string') need(spec.treatment, 'treatment', paramOf(origin, 'treatment'), true)
  else if (spec.treatment) need(spec.treatment.adoption, 'adoption-year column', paramOf(origin, 'treatment', 'adoption'), true)
  spec.regressors.forEach((c, k) => need(c, 'regressor', paramOf(origin, 'regressors', k), true))
  spec.controls.forEach((c, k) => need(c, 'control', paramOf(origin, 'controls', k), true))
  spec.fixed_effects.forEach((c, k) => need(c, 'fixed effect', paramOf(origin, 'fixed_effects', k), false))
  spec.cluster.forEach((c, k) => need(c, 'cluster variable', paramOf(origin, 'cluster', k), false))
  if (spec.weights) need(spec.weights, 'weight column', paramOf(origin, 'weights'), true)
  if (spec.term && spec.controls.includes(spec.term)) {
    throw new QuasiError('INVALID_SPEC', `the treatment \`${spec.term}\` is also listed as a control`, { param: paramOf(origin, 'controls', spec.controls.indexOf(spec.term)) })
  }
}

/** The kernel's RegressionSpec for this specification with the given regressors. */
export function regressionSpec(spec: EstimationSpec, regressors: readonly string[], level?: number): RegressionSpec {
  return {
    outcome: spec.outcome,
    regressors,
    fixedEffects: spec.fixed_effects,
    cluster: spec.cluster,
    vcov: spec.vcov,
    smallSample: spec.small_sample as RegressionSpec['smallSample'],
    clusterDf: spec.cluster_df,
    singletons: spec.singletons,
    weights: spec.weights ?? undefined,
    ...(level === undefined ? {} : { level }),
  }
}

/** The spec as stored in the model artifact (plain JSON). */
export function specJson(spec: EstimationSpec): Json {
  return JSON.parse(JSON.stringify(spec)) as Json
}
