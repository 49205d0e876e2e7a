/**
 * Continuous moderation: y = β D + δ Z + θ D·Z + controls + FE + ε, with Z centred at its
 * mean on the estimation sample when `center: true` (the default), so that β is the effect
 * of D at the mean of Z. The marginal effect of D at Z = z and its variance are
 *   ME(z) = β + θ (z − c),   Var = V_ββ + (z − c)² V_θθ + 2 (z − c) V_βθ,
 * c the centring constant (0 uncentred), drawn at GRID points from the smallest to the
 * largest Z of the estimation sample with the model's t interval (G − 1 df clustered).
 * The test of moderation is the t test of θ. Reference: Brambor, Clark & Golder (2006),
 * "Understanding interaction models", Political Analysis 14(1), 63–82.
 */
import { Frame } from '../../src/artifacts/frame.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import { QuasiError } from '../../src/errors.ts'
import { marginalEffectPlot, renderSvg } from '../../src/report/figure.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { tQuantile } from '../../src/stats/dist.ts'
import { fitRegression } from '../_estimation/fit.ts'
import { toModel } from '../_estimation/model.ts'
import { modelFacts, modelTable, tableFiles } from '../_estimation/outputs.ts'
import type { EstimationSpec, Origin } from '../_estimation/spec.ts'
import type { HeterogeneityParams } from './params.ts'

/** Points of the marginal-effect curve. */
export const GRID = 50

export async function runModeration(
  ctx: StageContext<HeterogeneityParams>, spec: EstimationSpec, origin: Origin, data: Frame, label: (n: string) => string,
): Promise<StageResult> {
  const p = ctx.params
  const z = p.moderator!
  const term = spec.term!
  const col = data.column(z)
  if (!col || col.type !== 'number') {
    throw new QuasiError(col ? 'BAD_DATA' : 'MISSING_COLUMN', col ? `moderator \`${z}\` is a text column` : `moderator \`${z}\` is not a column of the data`, {
      param: ['moderator'], expected: 'a numeric column', found: col ? 'text' : z,
    })
  }
  if (z === term) throw new QuasiError('INVALID_VALUE', `the moderator \`${z}\` is the treatment itself`, { param: ['moderator'] })
  const inter = `${term}:${z}`
  const controls = spec.controls.filter((c) => c !== z)
  if (controls.length < spec.controls.length) ctx.log.info(`\`${z}\` is a control of the model; it enters once, as the moderator`)
  const regressors = [term, z, inter, ...controls]
  const mspec: EstimationSpec = { ...spec, controls: [z, inter, ...controls] }
  // The estimation rows do not depend on centring: fit once to find them and Z's mean there.
  const raw = fitRegression(data, mspec, origin, regressors)
  const zr = Float64Array.from(raw.rows, (i) => col.data[i])
  const center = p.center === false ? 0 : zr.reduce((s, v) => s + v, 0) / zr.length
  const frame = center === 0 ? data : data.withColumn(z, { type: 'number', data: col.data.map((v) => v - center) })
  const fit = center === 0 ? raw : fitRegression(frame, mspec, origin, regressors)
  if (fit.collinear.includes(inter)) {
    throw new QuasiError('SINGULAR_DESIGN', `\`${term}\` × \`${z}\` is collinear with the fixed effects and controls`, { param: ['moderator'] })
  }
  for (const m of fit.messages) ctx.log.info(m)
  const notes = [
    center === 0 ? `\`${z}\` uncentred: \`${term}\` is the effect at \`${z}\` = 0.` : `\`${z}\` centred at its sample mean (${center.toPrecision(6)}): \`${term}\` is the effect at the mean.`,
  ]
  const model = toModel(fit, { stage: ctx.stage, kind: ctx.kind, label: '(1)', spec: mspec, controls: mspec.controls, frame, panel: ctx.panel, notes })

  const k = (name: string) => fit.terms.findIndex((t) => t.term === name)
  const ib = k(term), it = k(inter), r = fit.terms.length
  const b = fit.terms[ib].estimate, th = fit.terms[it].estimate
  const vbb = fit.vcov[ib * r + ib], vtt = fit.vcov[it * r + it], vbt = fit.vcov[ib * r + it]
  const tcrit = tQuantile(0.975, fit.dfT)
  let lo = Infinity, hi = -Infinity
  for (const v of zr) { if (v < lo) lo = v; if (v > hi) hi = v }
  const grid = Float64Array.from({ length: GRID }, (_, j) => lo + ((hi - lo) * j) / (GRID - 1))
  const effect = grid.map((g) => b + th * (g - center))
  const se = grid.map((g) => Math.sqrt(vbb + (g - center) ** 2 * vtt + 2 * (g - center) * vbt))
  const low = effect.map((e, j) => e - tcrit * se[j]), high = effect.map((e, j) => e + tcrit * se[j])
  const pMod = fit.terms[it].pValue
  ctx.log.info(`${inter}: ${th.toPrecision(4)} (p = ${pMod.toPrecision(3)}); effect of ${term} at the mean of ${z}: ${(b + th * (center === 0 ? zr.reduce((s, v) => s + v, 0) / zr.length : 0)).toPrecision(4)}`)

  const table = modelTable([model], {
    title: spec.title ?? `Moderation by ${label(z)}`, keep: [term, z, inter, ...controls], digits: spec.digits,
    labels: { [inter]: `${label(term)} × ${label(z)}` },
  })
  const files: Record<string, string> = {
    ...tableFiles(table, [model]),
    'marginal.csv': writeCsv(Frame.from({ [z]: grid, effect, se, 'conf.low': low, 'conf.high': high })),
    'marginal.svg': await renderSvg(marginalEffectPlot(
      Array.from(grid, (x, j) => ({ x, effect: effect[j], low: low[j], high: high[j] })),
      { xTitle: label(z), yTitle: `Marginal effect of ${label(term)}` },
    )),
  }
  return {
    model: { models: [model], main: 0 },
    data: { term, moderator: z, center },
    files,
    facts: { ...modelFacts(model), p_moderation: pMod, coef_moderation: th, center },
  }
}
