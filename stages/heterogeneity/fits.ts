/**
 * The group models: the `model:` stage's specification estimated on each group's rows, with
 * the checks that name the group (a group without treatment variation, with fewer than two
 * clusters, or whose treatment the fixed effects absorb).
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import type { Model } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageContext } from '../../src/stage.ts'
import { factorOfName } from '../../src/stats/ols/regress.ts'
import type { RegressionResult } from '../../src/stats/ols/types.ts'
import { fitRegression } from '../_estimation/fit.ts'
import { toModel } from '../_estimation/model.ts'
import type { EstimationSpec, Origin } from '../_estimation/spec.ts'
import { indicesWhere, type Groups } from './groups.ts'

export interface GroupFit {
  readonly name: string
  readonly frame: Frame
  /** Rows of the estimation table in this group (ascending): `frame` is the table at these rows. */
  readonly tableRows: Int32Array
  readonly fit: RegressionResult
  readonly model: Model
}

export function fitGroups(ctx: StageContext<unknown>, spec: EstimationSpec, origin: Origin, data: Frame, groups: Groups, notes: readonly string[]): GroupFit[] {
  const term = spec.term!
  return groups.names.map((name, g) => {
    const at = groups.params[g]
    const tableRows = indicesWhere(groups.of, (v) => v === g)
    if (tableRows.length === 0) {
      throw new QuasiError('EMPTY_DATA', `group \`${name}\` has no rows in the estimation table`, { param: at, hint: 'check the condition against the data' })
    }
    const frame = data.filter(Uint8Array.from(groups.of, (v) => (v === g ? 1 : 0)))
    checkGroup(name, at, spec, frame)
    let fit: RegressionResult
    try {
      fit = fitRegression(frame, spec, origin, [term, ...spec.controls])
    } catch (err) {
      if (err instanceof QuasiError && (err.code === 'SINGULAR_DESIGN' || err.code === 'NO_VARIATION')) {
        throw new QuasiError(err.code, `group \`${name}\`: ${err.message}`, { param: at, hint: err.hint, cause: err })
      }
      throw err
    }
    for (const m of fit.messages) ctx.log.info(`${name}: ${m}`)
    const model = toModel(fit, { stage: ctx.stage, kind: ctx.kind, label: name, spec, controls: spec.controls, frame, panel: ctx.panel, notes })
    return { name, frame, tableRows, fit, model }
  })
}

/** Treatment variation and (clustered) two clusters among the rows with outcome and treatment. */
function checkGroup(name: string, at: readonly (string | number)[], spec: EstimationSpec, frame: Frame): void {
  const d = frame.numbers(spec.term!), y = frame.numbers(spec.outcome)
  const usable: number[] = []
  for (let i = 0; i < d.length; i++) if (!Number.isNaN(d[i]) && !Number.isNaN(y[i])) usable.push(i)
  const first = usable.length ? d[usable[0]] : NaN
  if (!usable.some((i) => d[i] !== first)) {
    throw new QuasiError('NO_VARIATION', `group \`${name}\`: treatment \`${spec.term}\` does not vary (${usable.length ? `it is ${first} in every row` : 'no rows with outcome and treatment'})`, {
      param: at, expected: 'treated and untreated observations in every group', hint: 'merge this group with another, or leave it out of `by`',
    })
  }
  if (spec.vcov !== 'cluster') return
  spec.cluster.forEach((c, k) => {
    const f = factorOfName(frame, c, 'cluster', k)
    const seen = new Set<number>()
    for (const i of usable) if (f.codes[i] >= 0) seen.add(f.codes[i])
    if (seen.size < 2) {
      throw new QuasiError('INVALID_SPEC', `group \`${name}\` has ${seen.size} cluster${seen.size === 1 ? '' : 's'} of \`${c}\`; clustered standard errors need at least two in every group`, {
        param: at, expected: 'two or more clusters per group', found: `${seen.size}`, hint: 'merge this group with another, or cluster on a finer variable in the `model:` stage',
      })
    }
  })
}
