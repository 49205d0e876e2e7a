/** Checks estimation kinds share: required keys without `model:`; a `model:` that is a DID. */
import { mainModel } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageContext } from '../../src/stage.ts'

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
