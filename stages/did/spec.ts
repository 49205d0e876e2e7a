/**
 * The did specification: what the user wrote in `with:` merged over the specification of a
 * `model:` stage, with defaults from the panel, checked against the table. The resolved
 * specification is JSON and goes into the stage's `data`, so later stages (`model: <stage>`)
 * re-estimate exactly the same model with their own overrides.
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { Json, StageContext } from '../../src/stage.ts'
import { suggest } from '../../src/suggest.ts'
import type { RegressionSpec } from '../../src/stats/ols/types.ts'
import type { DidParams, SmallSampleName, Treatment, VcovName } from './params.ts'

export interface DidSpec {
  /** Stage whose table was used. */
  readonly from: string
  readonly outcome: string
  readonly treatment: Treatment
  /** Name of the treatment regressor: the 0/1 column, or `did` for an adoption column. */
  readonly term: string
  readonly controls: readonly string[]
  readonly fixed_effects: readonly string[]
  readonly cluster: readonly string[]
  readonly vcov: VcovName
  readonly small_sample: SmallSampleName
  readonly cluster_df: 'min' | 'each'
  readonly singletons: 'drop' | 'keep'
  readonly weights: string | null
  readonly sample: string | null
  readonly stepwise: boolean
}

/** Term of an adoption-year treatment (public: `coef(did)` in expectations). */
export const ADOPTION_TERM = 'did'

/** Keys a `model:` stage can pass on; everything else in `with:` is presentation. */
const MODEL_KEYS = ['outcome', 'treatment', 'controls', 'fixed_effects', 'cluster', 'vcov', 'small_sample', 'cluster_df', 'singletons', 'weights', 'sample', 'stepwise'] as const

/** Where each resolved value came from, so errors point at the right place in the YAML. */
export type Origin = Partial<Record<(typeof MODEL_KEYS)[number], 'with' | 'model'>>

export function resolveSpec(ctx: StageContext<DidParams>): { spec: DidSpec; origin: Origin; frame: Frame } {
  const p = ctx.params
  let base: Partial<DidSpec> = {}
  const origin: Origin = {}
  if (p.model !== undefined) {
    const up = ctx.input(p.model)
    const spec = (up.data as { spec?: DidSpec } | undefined)?.spec
    if (!spec) {
      throw new QuasiError('INVALID_VALUE', `stage \`${p.model}\` (${up.kind}) has no regression specification to reuse`, {
        param: ['model'], expected: 'a `did` stage', found: `a \`${up.kind}\` stage`,
      })
    }
    base = spec
    for (const k of MODEL_KEYS) origin[k] = 'model'
  }
  for (const k of MODEL_KEYS) if (p[k] !== undefined) origin[k] = 'with'

  const fromStage = p.from ?? (p.model !== undefined ? p.model : undefined)
  if (fromStage === undefined) {
    throw new QuasiError('MISSING_PARAM', 'did needs `from:` (the stage with the data) or `model:` (a did stage to reuse)', {
      param: [], expected: '`from` or `model`',
    })
  }
  const frame = ctx.input(fromStage).frame
  if (!frame) {
    throw new QuasiError('INVALID_VALUE', `stage \`${fromStage}\` has no table to estimate on`, { param: [p.from !== undefined ? 'from' : 'model'] })
  }

  const outcome = p.outcome ?? base.outcome
  const treatment = p.treatment ?? base.treatment
  if (outcome === undefined) throw new QuasiError('MISSING_PARAM', 'did needs `outcome:` (the dependent variable)', { param: [], expected: 'outcome' })
  if (treatment === undefined) throw new QuasiError('MISSING_PARAM', 'did needs `treatment:` (a 0/1 column or {adoption: <column>})', { param: [], expected: 'treatment' })
  const cluster = p.cluster !== undefined ? (typeof p.cluster === 'string' ? [p.cluster] : p.cluster) : base.cluster ?? []
  const fixedEffects = p.fixed_effects ?? base.fixed_effects ?? (ctx.panel ? [ctx.panel.unit, ctx.panel.time] : [])
  const vcov = p.vcov ?? (p.cluster !== undefined ? 'cluster' : base.vcov) ?? (cluster.length ? 'cluster' : 'iid')
  if (vcov === 'cluster' && cluster.length === 0) {
    throw new QuasiError('INVALID_SPEC', '`vcov: cluster` needs a cluster variable', {
      param: ['vcov'], hint: 'add `cluster: <column>` (usually the panel unit), or choose `vcov: hc1`',
    })
  }
  const spec: DidSpec = {
    from: fromStage,
    outcome,
    treatment,
    term: typeof treatment === 'string' ? treatment : ADOPTION_TERM,
    controls: p.controls ?? base.controls ?? [],
    fixed_effects: fixedEffects,
    cluster,
    vcov,
    small_sample: p.small_sample ?? base.small_sample ?? 'nested',
    cluster_df: p.cluster_df ?? base.cluster_df ?? 'min',
    singletons: p.singletons ?? base.singletons ?? 'drop',
    weights: p.weights ?? base.weights ?? null,
    sample: p.sample ?? base.sample ?? null,
    stepwise: p.stepwise ?? base.stepwise ?? false,
  }
  checkColumns(spec, origin, frame)
  return { spec, origin, frame }
}

/** Every column the specification names exists (with a suggestion if not) and is of the right type. */
function checkColumns(spec: DidSpec, origin: Origin, frame: Frame): void {
  const at = (key: (typeof MODEL_KEYS)[number], ...rest: (string | number)[]): (string | number)[] =>
    origin[key] === 'model' ? ['model'] : [key, ...rest]
  const need = (name: string, role: string, param: (string | number)[], numeric: boolean) => {
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
  need(spec.outcome, 'outcome', at('outcome'), true)
  if (typeof spec.treatment === 'string') need(spec.treatment, 'treatment', at('treatment'), true)
  else need(spec.treatment.adoption, 'adoption-year column', at('treatment', 'adoption'), true)
  spec.controls.forEach((c, k) => need(c, 'control', at('controls', k), true))
  spec.fixed_effects.forEach((c, k) => need(c, 'fixed effect', at('fixed_effects', k), false))
  spec.cluster.forEach((c, k) => need(c, 'cluster variable', at('cluster', k), false))
  if (spec.weights) need(spec.weights, 'weight column', at('weights'), true)
  if (spec.controls.includes(spec.term)) {
    throw new QuasiError('INVALID_SPEC', `the treatment \`${spec.term}\` is also listed as a control`, { param: at('controls', spec.controls.indexOf(spec.term)) })
  }
}

/** The kernel's RegressionSpec for this specification with the given regressors. */
export function regressionSpec(spec: DidSpec, regressors: readonly string[], level?: number): RegressionSpec {
  return {
    outcome: spec.outcome,
    regressors,
    fixedEffects: spec.fixed_effects,
    cluster: spec.cluster,
    vcov: spec.vcov,
    smallSample: spec.small_sample,
    clusterDf: spec.cluster_df,
    singletons: spec.singletons,
    weights: spec.weights ?? undefined,
    ...(level === undefined ? {} : { level }),
  }
}

/** The spec as stored in `data` (plain JSON). */
export function specJson(spec: DidSpec): Json {
  return JSON.parse(JSON.stringify(spec)) as Json
}
