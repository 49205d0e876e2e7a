/** The event-study estimation, loaded on demand by stage.ts. */
import { QuasiError } from '../../src/errors.ts'
import { coefficientPlot, renderSvg } from '../../src/report/figure.ts'
import { fixed } from '../../src/report/table.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { isNeverTreated } from '../../src/stats/treatment.ts'
import { fitRegression } from '../_estimation/fit.ts'
import { toModel } from '../_estimation/model.ts'
import { modelFacts, modelTable, tableFiles } from '../_estimation/outputs.ts'
import { applySample } from '../_estimation/prepare.ts'
import { paramOf, resolveSpec } from '../_estimation/spec.ts'
import type { EventStudyParams } from './params.ts'
import { checkWindow, eventPoints, eventSeries, pretrendTest, relativeTimeDummies } from '../_estimation/relative-time.ts'

export const DEFAULT_TITLE = 'Event study'

export async function runEventStudy(ctx: StageContext<EventStudyParams>): Promise<StageResult> {
  const p = ctx.params
  checkWindow(p.window, p.reference, [-5, 5])
  const { spec: resolved, origin, frame: input } = resolveSpec(ctx, { needs: 'treatment' })
  const spec = { ...resolved, stepwise: false }
  if (typeof spec.treatment !== 'object') {
    throw new QuasiError('INVALID_SPEC', `an event study needs adoption years, but the treatment is the 0/1 column \`${spec.treatment}\``, {
      param: paramOf(origin, 'treatment'),
      hint: 'write `treatment: {adoption: <column of adoption years>}` (e.g. pilot_year)',
    })
  }
  const time = ctx.panel?.time
  if (!time || !input.has(time)) {
    throw new QuasiError('INVALID_SPEC', 'an event study needs the panel time column: declare `panel: { unit, time }` in the pipeline', { param: paramOf(origin, 'treatment') })
  }
  const adoption = spec.treatment.adoption
  const { frame: sampled } = applySample(ctx, spec, origin, input)
  let data = sampled
  if (p.controls_group === 'not-yet') {
    const a = data.numbers(adoption)
    data = data.filter(Array.from(a, (v) => !isNeverTreated(v)))
    ctx.log.info(`controls_group: not-yet: never-treated units dropped, ${data.nrows} of ${sampled.nrows} rows kept`)
  }
  const rt = relativeTimeDummies(data, time, adoption, p.window, p.reference)
  for (const per of rt.periods) {
    if (!per.reference && data.has(per.label)) ctx.log.warn(`column \`${per.label}\` of the data is replaced by the period indicator`)
  }
  const dummies = rt.periods.filter((x) => !x.reference).map((x) => x.label)
  ctx.log.info(`periods ${rt.periods.map((x) => `${x.label}${x.reference ? ' (reference)' : ''}: ${rt.counts.get(x.k)}`).join(', ')} treated observations`)

  const result = fitRegression(rt.frame, { ...spec, term: undefined }, origin, [...dummies, ...spec.controls], { level: p.level })
  for (const m of result.messages) ctx.log.info(m)
  const dropped = dummies.filter((d) => result.collinear.includes(d))
  if (dropped.length) ctx.log.warn(`period indicator${dropped.length > 1 ? 's' : ''} ${dropped.join(', ')} dropped (no variation left after the fixed effects)`)

  const pretrend = pretrendTest(rt, result)
  ctx.log.info(`pre-trend test: F(${pretrend.df1}, ${result.dfT}) = ${fixed(pretrend.f, 3)}, p = ${fixed(pretrend.p, 3)} (joint test of ${pretrend.terms.join(', ')})`)

  const labels = spec.labels
  const points = eventPoints(rt, result, labels)
  const title = spec.title ?? DEFAULT_TITLE
  const svg = await renderSvg(
    coefficientPlot(points, {
      title,
      yTitle: p.y_title ?? `Coefficient on ${labels[spec.outcome] ?? spec.outcome} (${Math.round(p.level * 100)} % CI)`,
      xTitle: p.x_title ?? 'Years relative to adoption',
      markAt: 0,
    }),
  )
  const ref = rt.periods.find((x) => x.reference)!
  const model = toModel(result, {
    stage: ctx.stage, kind: ctx.kind, label: '(1)', spec: { ...spec, term: undefined }, controls: spec.controls, frame: rt.frame, panel: ctx.panel,
    notes: [
      `Relative periods \`${rt.periods[0].label}\` and \`${rt.periods[rt.periods.length - 1].label}\` bin all earlier and later years; \`${ref.label}\` is the omitted reference period.`,
      'The pre-trend F tests that all pre-period coefficients are zero.',
    ],
  })
  const base = modelTable([model], { title, keep: rt.periods.filter((x) => !x.reference).map((x) => x.label), digits: spec.digits })
  const table = { ...base, stats: [...base.stats, { label: `Pre-trend F(${pretrend.df1}, ${result.dfT})`, values: [`${fixed(pretrend.f, 3)} [p = ${fixed(pretrend.p, 3)}]`] }] }
  const facts: Record<string, number> = { ...modelFacts(model), pretrend_F: pretrend.f, pretrend_p: pretrend.p, pretrend_df: pretrend.df1 }
  return {
    model: { models: [model], main: 0 },
    data: {
      window: [...p.window],
      reference: p.reference,
      controls_group: p.controls_group,
      nobs: result.nobs,
      pretrend: { f: num(pretrend.f), df1: pretrend.df1, df2: result.dfT, p: num(pretrend.p), terms: pretrend.terms },
      periods: rt.periods.map((x) => {
        const t = result.terms.find((r) => r.term === x.label)
        return { k: x.k, label: x.label, reference: x.reference, treated_obs: rt.counts.get(x.k) ?? 0, estimate: x.reference ? 0 : num(t?.estimate ?? NaN), std_error: num(t?.stdError ?? NaN) }
      }),
      // the series the staggered-adoption estimators also publish, for `event-compare`
      event_study: eventSeries(rt, result, p.level),
    },
    files: { ...tableFiles(table, [model]), 'event_study.svg': svg },
    facts,
  }
}

const num = (x: number): number | null => (Number.isFinite(x) ? x : null)
