/** Checks estimation kinds share: required keys without `model:`; a `model:` that is a DID. */
import { mainModel } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import type { Frame } from '../../src/artifacts/frame.ts'
import type { StageContext } from '../../src/stage.ts'
import { resolveSpec, type EstimationSpec, type Origin, type SpecInput } from './spec.ts'

/** Without `model:`, the keys that define the model are required. */
export function requiredUnlessModel<P extends object>(kind: string, params: P, keys: readonly (keyof P & string)[]): QuasiError[] {
  const p = params as Record<string, unknown>
  if (p.model !== undefined) return []
  const missing = keys.filter((k) => p[k] === undefined)
  if (missing.length === 0) return []
  return [new QuasiError('MISSING_PARAM', `${kind} needs ${missing.map((m) => `\`${m}\``).join(', ')} (or \`model:\` to reuse a fitted model)`, {
    param: [], expected: missing.join(', '),
  })]
}

/**
 * The `model:` stage of a cross-model stage (placebo, mediation) must carry a DID
 * specification (an outcome and a treatment); a `regress` stage does not. `use` says what the
 * treatment is needed for, e.g. "to reassign".
 */
export function requireDidModel(ctx: StageContext<{ model: string }>, use: string): void {
  const up = ctx.input(ctx.params.model)
  const models = up.artifact('model')
  const spec = models ? (mainModel(models).spec as { treatment?: unknown; outcome?: unknown } | null) : null
  if (!spec || typeof spec !== 'object' || typeof spec.outcome !== 'string' || spec.treatment === undefined || spec.treatment === null) {
    throw new QuasiError('INVALID_VALUE', `stage \`${ctx.params.model}\` (${up.kind}) is not a difference-in-differences specification: it has no treatment ${use}`, {
      param: ['model'], expected: 'a `did` stage', found: `a \`${up.kind}\` stage`,
    })
  }
}

/**
 * The `model:` of a staggered-adoption stage (bacon, cs-did, imputation): a DID specification,
 * resolved, and the panel's unit and time it needs. `kind` names the stage kind in the message.
 */
export function staggeredModel(ctx: StageContext<{ model: string }>, kind: string, use: string): { spec: EstimationSpec; origin: Origin; frame: Frame; panel: { readonly unit: string; readonly time: string } } {
  requireDidModel(ctx, use)
  const panel = ctx.panel
  if (!panel) {
    throw new QuasiError('INVALID_SPEC', `${kind} needs the panel unit and time columns: declare \`panel: { unit, time }\` in the pipeline`, { param: ['model'] })
  }
  return { ...resolveSpec(ctx as unknown as StageContext<SpecInput>, { needs: 'treatment' }), panel }
}

/** The adoption column of a specification whose treatment must be timing, not a 0/1 column; `why` is the hint. */
export function adoptionColumn(spec: EstimationSpec, model: string, why: string): string {
  const treatment = spec.treatment
  if (typeof treatment !== 'object' || treatment === null) {
    throw new QuasiError('INVALID_VALUE', `stage \`${model}\` has a 0/1 treatment column (\`${String(spec.treatment)}\`), not adoption timing`, {
      param: ['model'], expected: 'a `did` stage with `treatment: { adoption: <column> }`', found: `\`treatment: ${String(spec.treatment)}\``, hint: why,
    })
  }
  return treatment.adoption
}

/** Runs a kernel; its coded errors that name no parameter are put at `param` (by default `model:`, whose data they are about). */
export function atParam<T>(f: () => T, param: (string | number)[] = ['model']): T {
  try {
    return f()
  } catch (err) {
    if (err instanceof QuasiError && err.param === undefined && err.code !== 'INTERNAL') err.param = param
    throw err
  }
}
