/**
 * One regression of an estimation stage through the kernel, with the kernel's structured
 * errors mapped to the parameter that caused them. The kernel says which role failed
 * (outcome, a regressor, a fixed effect, the cluster or weight column, the design); only
 * this layer knows the YAML names, and whether the value was inherited through `model:`.
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import { regress } from '../../src/stats/ols/regress.ts'
import type { RegressionResult } from '../../src/stats/ols/types.ts'
import { paramOf, regressionSpec, type EstimationSpec, type Origin } from './spec.ts'

/** Fit `spec` with these regressors; a focus term the design absorbs is an error, not a dropped term. */
export function fitRegression(frame: Frame, spec: EstimationSpec, origin: Origin, regressors: readonly string[], opts: { level?: number } = {}): RegressionResult {
  let result: RegressionResult
  try {
    result = regress(frame, regressionSpec(spec, regressors, opts.level))
  } catch (err) {
    throw err instanceof QuasiError && err.param === undefined ? located(err, paramForRole(err, spec, origin)) : err
  }
  if (spec.term !== undefined && result.collinear.includes(spec.term)) {
    throw new QuasiError('SINGULAR_DESIGN', `treatment \`${spec.term}\` is collinear with the fixed effects${spec.controls.length ? ' and controls' : ''} and cannot be estimated`, {
      param: paramOf(origin, 'treatment'),
      hint: 'a treatment that is constant within units (or within years) is absorbed by the unit (or year) effects; DID needs treatment that switches on over time',
    })
  }
  return result
}

function located(err: QuasiError, param: (string | number)[]): QuasiError {
  return new QuasiError(err.code, err.message, { param, expected: err.expected, found: err.found, hint: err.hint, cause: err })
}

interface RoleInfo {
  readonly role: string
  readonly column?: string
}

/** The parameter a kernel error belongs to, from the role it reports. */
export function paramForRole(err: QuasiError, spec: EstimationSpec, origin: Origin): (string | number)[] {
  const r = (err as QuasiError & { role?: RoleInfo }).role
  if (!r) return []
  const col = r.column
  const listed = (key: 'regressors' | 'controls' | 'fixed_effects' | 'cluster', list: readonly string[]) => {
    const k = col === undefined ? -1 : list.findIndex((c) => c === col || c.split(':').includes(col))
    return k >= 0 ? paramOf(origin, key, k) : undefined
  }
  switch (r.role) {
    case 'outcome':
      return paramOf(origin, 'outcome')
    case 'regressor':
      if (col !== undefined && col === spec.term) return paramOf(origin, 'treatment')
      return listed('regressors', spec.regressors) ?? listed('controls', spec.controls) ?? paramOf(origin, spec.regressors.length ? 'regressors' : 'controls')
    case 'fixed_effect':
      return listed('fixed_effects', spec.fixed_effects) ?? paramOf(origin, 'fixed_effects')
    case 'cluster':
      return spec.cluster.length === 1 ? paramOf(origin, 'cluster') : listed('cluster', spec.cluster) ?? paramOf(origin, 'cluster')
    case 'weights':
      return paramOf(origin, 'weights')
    case 'design':
      if (col !== undefined && col === spec.term) return paramOf(origin, 'treatment')
      return listed('controls', spec.controls) ?? listed('regressors', spec.regressors) ?? paramOf(origin, spec.regressors.length ? 'regressors' : 'controls')
    default:
      return []
  }
}
