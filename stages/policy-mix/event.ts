/**
 * The event study of the joint exposure: around the year the second policy of the pair
 * arrives, E_i = max(A_a,i, A_b,i) for units that adopt both (units with one policy or none
 * are the comparison),
 *   y_it = Σ_{k ∈ [lo, hi], k ≠ ref} β_k D^k_it + Σ_p θ_p post_p,it + γ'X_it + α_i + λ_t + ε_it,
 * D^k the relative-time indicators of event-study (binned end points,
 * ../_estimation/relative-time.ts) with E_i as the adoption year. Every policy's own post
 * indicator is a regressor, so that β_k is the joint exposure's effect beyond the single
 * policies' (k ≥ 0: the dynamic synergy), and the single-policy units are controls net of
 * their own policy; the pre-periods test that nothing moves before the second arrival.
 */
import { numberColumn, type Frame } from '../../src/artifacts/frame.ts'
import type { Model } from '../../src/artifacts/model.ts'
import { coefficientPlot, renderSvg } from '../../src/report/figure.ts'
import { fixed } from '../../src/report/table.ts'
import type { Json, StageContext } from '../../src/stage.ts'
import type { RegressionResult } from '../../src/stats/ols/types.ts'
import { isNeverTreated } from '../../src/stats/treatment.ts'
import { fitRegression } from '../_estimation/fit.ts'
import { toModel } from '../_estimation/model.ts'
import { eventPoints, eventSeries, pretrendTest, relativeTimeDummies, type RelativeTime } from '../_estimation/relative-time.ts'
import type { EstimationSpec, Origin } from '../_estimation/spec.ts'
import { DEFAULT_EVENT_TITLE, type PolicyMixParams } from './params.ts'
import type { Policy } from './policies.ts'

/** The column of E_i, the year the unit's second policy of the pair arrives (missing without both). */
const ARRIVAL = '__both_year'

export interface EventStudy {
  readonly model: Model
  readonly fit: RegressionResult
  readonly rt: RelativeTime
  readonly pretrend: { f: number; df1: number; df2: number; p: number; terms: string[] }
  readonly svg: string
  /** The series event-compare overlays (the shape event-study publishes). */
  readonly series: Json
  readonly units: number
}

export async function jointEventStudy(ctx: StageContext<PolicyMixParams>, data: Frame, spec: EstimationSpec, origin: Origin, policies: readonly Policy[], pair: readonly [string, string]): Promise<EventStudy> {
  const p = ctx.params
  const time = ctx.panel!.time
  const [a, b] = pair.map((n) => data.numbers(policies.find((x) => x.name === n)!.adoption))
  const arrival = Float64Array.from(a, (x, i) => (isNeverTreated(x) || isNeverTreated(b[i]) ? NaN : Math.max(x, b[i])))
  const rt = relativeTimeDummies(data.withColumn(ARRIVAL, numberColumn(arrival)), time, ARRIVAL, p.window, p.reference)
  const dummies = rt.periods.filter((x) => !x.reference).map((x) => x.label)
  for (const d of dummies) if (data.has(d)) ctx.log.warn(`column \`${d}\` of the data is replaced by the period indicator`)
  const names = policies.map((x) => x.name)
  const own: EstimationSpec = { ...spec, regressors: [...dummies, ...names], title: p.titles?.event ?? DEFAULT_EVENT_TITLE }
  const fit = fitRegression(rt.frame, own, origin, [...dummies, ...names, ...spec.controls], { level: p.level })
  const dropped = fit.collinear.filter((t) => dummies.includes(t) || names.includes(t))
  if (dropped.length) ctx.log.warn(`event study: ${dropped.map((t) => `\`${t}\``).join(', ')} dropped (no variation left after the other terms and the fixed effects)`)
  const unit = ctx.panel!.unit
  const units = new Set<string>()
  const u = data.column(unit)
  if (u) for (let i = 0; i < arrival.length; i++) if (arrival[i] === arrival[i]) units.add(String(u.data[i]))

  const pretrend = pretrendTest(rt, fit)
  ctx.log.info(`joint exposure (${pair.join(' and ')}): ${units.size} units get both; pre-trend F(${pretrend.df1}, ${fit.dfT}) = ${fixed(pretrend.f, 3)}, p = ${fixed(pretrend.p, 3)}`)

  const svg = await renderSvg(coefficientPlot(eventPoints(rt, fit, spec.labels), {
    title: own.title!,
    yTitle: `Coefficient on ${spec.labels[spec.outcome] ?? spec.outcome} (${Math.round(p.level * 100)} % CI)`,
    xTitle: 'Years relative to the arrival of the second policy',
    markAt: 0,
  }))
  const ref = rt.periods.find((x) => x.reference)!
  const model = toModel(fit, {
    stage: ctx.stage, kind: ctx.kind, label: '(1)', spec: own, controls: spec.controls, frame: rt.frame, panel: ctx.panel,
    notes: [
      `Relative time to the year the second of ${pair.map((n) => `\`${n}\``).join(' and ')} arrives, for units that adopt both; units with one policy or none are the comparison. ` +
        `Each policy's own post indicator is a regressor. \`${rt.periods[0].label}\` and \`${rt.periods[rt.periods.length - 1].label}\` bin earlier and later years; \`${ref.label}\` is the omitted reference period.`,
    ],
  })
  return { model, fit, rt, pretrend, svg, series: eventSeries(rt, fit, p.level), units: units.size }
}
