/** The did estimation itself, loaded on demand by stage.ts (see the formula there). */
import type { Model } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { fitRegression } from '../_estimation/fit.ts'
import { toModel } from '../_estimation/model.ts'
import { modelFacts, modelTable, tableFiles } from '../_estimation/outputs.ts'
import { applySample, checkVariation, withTreatment } from '../_estimation/prepare.ts'
import { resolveSpec } from '../_estimation/spec.ts'
import type { DidParams } from './params.ts'

export const DEFAULT_TITLE = 'Difference-in-differences estimates'

export async function runDid(ctx: StageContext<DidParams>): Promise<StageResult> {
  const { spec, origin, frame: input } = resolveSpec(ctx, { needs: 'treatment' })
  const term = spec.term!
  const frame = withTreatment(ctx, spec, origin, input)
  const { frame: data, dropped } = applySample(ctx, spec, origin, frame)
  if (spec.sample) ctx.log.info(`sample \`${spec.sample}\`: ${data.nrows} of ${frame.nrows} rows`)
  checkVariation(spec, origin, data)

  const steps = spec.stepwise ? spec.controls.map((_, k) => spec.controls.slice(0, k + 1)) : []
  const sets = spec.stepwise ? [[], ...steps] : [spec.controls]
  const notes = typeof spec.treatment === 'object'
    ? [`\`${term}\` = 1 from the adoption year (${spec.treatment.adoption}) on, 0 before and for never-treated units.`]
    : []
  // A weighted fit (e.g. a PSM-DID on a matched frame) says so under the table.
  if (spec.weights) notes.push(`Weighted least squares, weights \`${spec.weights}\`.`)
  const models: Model[] = []
  for (const [k, controls] of sets.entries()) {
    if (ctx.signal.aborted) throw new QuasiError('CANCELLED', 'cancelled')
    const label = `(${k + 1})`
    const result = fitRegression(data, { ...spec, controls }, origin, [term, ...controls])
    for (const m of result.messages) ctx.log.info(`${label} ${m}`)
    models.push(toModel(result, { stage: ctx.stage, kind: ctx.kind, label, spec, controls, frame: data, panel: ctx.panel, notes }))
    ctx.progress(k + 1, sets.length)
  }
  const main = models[models.length - 1]
  const d = main.terms.find((t) => t.term === term)!
  ctx.log.info(main.variance.label)
  ctx.log.info(`${term}: ${d.estimate.toPrecision(4)} (se ${d.stdError.toPrecision(3)}, p = ${d.pValue.toPrecision(3)}), N = ${main.nobs}`)

  const table = modelTable(models, { title: spec.title ?? DEFAULT_TITLE, keep: [term, ...spec.controls], digits: spec.digits })
  return {
    frame,
    model: { models, main: models.length - 1 },
    data: { sample_dropped: dropped },
    files: tableFiles(table, models),
    facts: { ...modelFacts(main), columns: models.length },
  }
}
