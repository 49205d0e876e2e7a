/** The did estimation itself, loaded on demand by stage.ts (see the formula there). */
import { QuasiError } from '../../src/errors.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { regress } from '../../src/stats/ols/regress.ts'
import type { RegressionResult } from '../../src/stats/ols/types.ts'
import type { DidParams } from './params.ts'
import type { FittedColumn } from './outputs.ts'
import { buildTable, dataOf, factsOf, renderFiles } from './outputs.ts'
import { applySample, checkVariation, withTreatment } from './prepare.ts'
import type { DidSpec, Origin } from './spec.ts'
import { regressionSpec, resolveSpec } from './spec.ts'

export async function runDid(ctx: StageContext<DidParams>): Promise<StageResult> {
  const { spec, origin, frame: input } = resolveSpec(ctx)
  const frame = withTreatment(ctx, spec, origin, input)
  const { frame: data, dropped } = applySample(ctx, spec, origin, frame)
  if (spec.sample) ctx.log.info(`sample \`${spec.sample}\`: ${data.nrows} of ${frame.nrows} rows`)
  checkVariation(spec, origin, data)

  const steps = spec.stepwise ? spec.controls.map((_, k) => spec.controls.slice(0, k + 1)) : []
  const sets = spec.stepwise ? [[], ...steps] : [spec.controls]
  const cols: FittedColumn[] = []
  for (const [k, controls] of sets.entries()) {
    if (ctx.signal.aborted) throw new QuasiError('CANCELLED', 'cancelled')
    const label = `(${k + 1})`
    const result = fit(spec, origin, data, controls)
    for (const m of result.messages) ctx.log.info(`${label} ${m}`)
    cols.push({ label, controls, result })
    ctx.progress(k + 1, sets.length)
  }
  const main = cols[cols.length - 1].result
  const d = main.terms.find((t) => t.term === spec.term)!
  ctx.log.info(`${main.vcovLabel}`)
  ctx.log.info(`${spec.term}: ${d.estimate.toPrecision(4)} (se ${d.stdError.toPrecision(3)}, p = ${d.pValue.toPrecision(3)}), N = ${main.nobs}`)

  const table = buildTable(spec, cols, { labels: ctx.params.labels ?? {}, title: ctx.params.title, digits: ctx.params.digits ?? 3 })
  return {
    frame,
    data: dataOf(spec, cols, dropped),
    files: renderFiles(table, cols),
    facts: factsOf(cols),
  }
}

/** One column; a treatment the fixed effects or controls absorb is an error, not a dropped row. */
export function fit(spec: DidSpec, origin: Origin, frame: Parameters<typeof regress>[0], controls: readonly string[]): RegressionResult {
  let result: RegressionResult
  try {
    result = regress(frame, regressionSpec(spec, [spec.term, ...controls]))
  } catch (err) {
    if (err instanceof QuasiError && err.param === undefined) {
      throw new QuasiError(err.code, err.message, {
        param: paramFor(err, origin, spec), expected: err.expected, found: err.found, hint: err.hint, cause: err,
      })
    }
    throw err
  }
  if (result.collinear.includes(spec.term)) {
    throw new QuasiError('SINGULAR_DESIGN', `treatment \`${spec.term}\` is collinear with the fixed effects${controls.length ? ' and controls' : ''} and cannot be estimated`, {
      param: origin.treatment === 'model' ? ['model'] : ['treatment'],
      hint: 'a treatment that is constant within units (or within years) is absorbed by the unit (or year) effects; DID needs treatment that switches on over time',
    })
  }
  return result
}

/** Best place in `with:` for a kernel error (clusters, weights, the design). */
function paramFor(err: QuasiError, origin: Origin, spec: DidSpec): (string | number)[] {
  const at = (k: keyof Origin): (string | number)[] => (origin[k] === 'model' ? ['model'] : [k])
  if (err.code === 'SINGULAR_DESIGN' && err.message.includes(`\`${spec.term}\``)) return at('treatment')
  if (/cluster/.test(err.message)) return at('cluster')
  if (/weight/.test(err.message)) return at('weights')
  if (err.code === 'SINGULAR_DESIGN') return at('controls')
  return []
}
