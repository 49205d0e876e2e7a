/** The event-study estimation, loaded on demand by stage.ts. */
import { QuasiError } from '../../src/errors.ts'
import { glanceCsv, tidyCsv } from '../../src/report/broom.ts'
import { coefficientPlot, renderSvg, type CoefPoint } from '../../src/report/figure.ts'
import type { RegressionTable, TableCell } from '../../src/report/table.ts'
import { count, fixed, renderCsv, renderHtml, renderLatex, renderMarkdown } from '../../src/report/table.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { fPValue } from '../../src/stats/dist.ts'
import { regress } from '../../src/stats/ols/regress.ts'
import type { RegressionResult } from '../../src/stats/ols/types.ts'
import type { DidParams } from '../did/params.ts'
import { applySample } from '../did/prepare.ts'
import { regressionSpec, resolveSpec, specJson, type DidSpec, type Origin } from '../did/spec.ts'
import type { EventStudyParams } from './params.ts'
import { isNeverTreated } from '../../src/stats/treatment.ts'
import { relativeTimeDummies, type RelativeTime } from './relative-time.ts'
import { waldTest } from './wald.ts'

export const DEFAULT_TITLE = 'Event study'

export async function runEventStudy(ctx: StageContext<EventStudyParams>): Promise<StageResult> {
  const p = ctx.params
  checkWindow(p)
  const didCtx = { ...ctx, params: { ...p, stepwise: false } } as unknown as StageContext<DidParams>
  const { spec, origin, frame: input } = resolveSpec(didCtx)
  const where = (k: keyof Origin) => (origin[k] === 'model' ? ['model'] : [k])
  if (typeof spec.treatment === 'string') {
    throw new QuasiError('INVALID_SPEC', `an event study needs adoption years, but the treatment is the 0/1 column \`${spec.treatment}\``, {
      param: where('treatment'),
      hint: 'write `treatment: {adoption: <column of adoption years>}` (e.g. pilot_year)',
    })
  }
  const time = ctx.panel?.time
  if (!time || !input.has(time)) {
    throw new QuasiError('INVALID_SPEC', 'an event study needs the panel time column: declare `panel: { unit, time }` in the pipeline', { param: where('treatment') })
  }
  const adoption = spec.treatment.adoption
  const { frame: sampled } = applySample(didCtx, spec, origin, input)
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

  const result = fit(spec, origin, rt, dummies, p.level)
  for (const m of result.messages) ctx.log.info(m)
  const dropped = dummies.filter((d) => result.collinear.includes(d))
  if (dropped.length) ctx.log.warn(`period indicator${dropped.length > 1 ? 's' : ''} ${dropped.join(', ')} dropped (no variation left after the fixed effects)`)

  const pre = rt.periods.filter((x) => x.k < 0 && !x.reference).map((x) => x.label).filter((l) => !dropped.includes(l))
  const pretrend = waldTest(result, pre)
  const pretrendP = fPValue(pretrend.f, pretrend.df1, result.dfT)
  ctx.log.info(`pre-trend test: F(${pretrend.df1}, ${result.dfT}) = ${fixed(pretrend.f, 3)}, p = ${fixed(pretrendP, 3)} (joint test of ${pre.join(', ')})`)

  const labels = p.labels ?? {}
  // The figure's x axis is the relative period as a number; the binned end points read ≤lo and ≥hi.
  const [lo, hi] = p.window
  const minus = (k: number) => (k < 0 ? `\u2212${-k}` : String(k))
  const tick = (k: number) => (k === lo ? `≤${minus(k)}` : k === hi ? `≥${minus(k)}` : minus(k))
  const points: CoefPoint[] = rt.periods.flatMap((x) => {
    const label = labels[x.label] ?? tick(x.k)
    if (x.reference) return [{ k: x.k, label, estimate: 0, low: 0, high: 0, reference: true }]
    const t = result.terms.find((r) => r.term === x.label)
    return t ? [{ k: x.k, label, estimate: t.estimate, low: t.confLow, high: t.confHigh }] : []
  })
  const title = p.title ?? DEFAULT_TITLE
  const svg = await renderSvg(
    coefficientPlot(points, {
      title,
      yTitle: p.y_title ?? `Coefficient on ${labels[spec.outcome] ?? spec.outcome} (${Math.round(p.level * 100)} % CI)`,
      xTitle: p.x_title ?? 'Years relative to adoption',
      markAt: 0,
    }),
  )
  const table = buildTable(spec, result, rt, { labels, title, digits: p.digits ?? 3, f: pretrend.f, df1: pretrend.df1, p: pretrendP, dfT: result.dfT })
  const facts: Record<string, number> = { nobs: result.nobs, r2: result.r2, pretrend_F: pretrend.f, pretrend_p: pretrendP, pretrend_df: pretrend.df1 }
  if (result.nClusters.length) facts.n_clusters = Math.min(...result.nClusters)
  for (const t of result.terms) {
    facts[`coef(${t.term})`] = t.estimate
    facts[`se(${t.term})`] = t.stdError
    facts[`p(${t.term})`] = t.pValue
  }
  return {
    data: {
      spec: specJson(spec),
      window: [...p.window],
      reference: p.reference,
      controls_group: p.controls_group,
      nobs: result.nobs,
      pretrend: { f: num(pretrend.f), df1: pretrend.df1, df2: result.dfT, p: num(pretrendP), terms: pre },
      periods: rt.periods.map((x) => {
        const t = result.terms.find((r) => r.term === x.label)
        return { k: x.k, label: x.label, reference: x.reference, treated_obs: rt.counts.get(x.k) ?? 0, estimate: x.reference ? 0 : num(t?.estimate ?? NaN), std_error: num(t?.stdError ?? NaN) }
      }),
    },
    files: {
      'table.md': renderMarkdown(table),
      'table.tex': renderLatex(table),
      'table.html': renderHtml(table),
      'table.csv': renderCsv(table),
      'tidy.csv': tidyCsv([{ model: '(1)', terms: result.terms }]),
      'glance.csv': glanceCsv([{ model: '(1)', glance: { nobs: result.nobs, r2: result.r2, adjR2: result.adjR2, withinR2: result.withinR2, dfResidual: result.dfResidual, nClusters: result.nClusters.length ? result.nClusters[0] : NaN, logLik: result.logLik, aic: result.aic, bic: result.bic } }]),
      'event_study.svg': svg,
    },
    facts,
  }
}

const num = (x: number): number | null => (Number.isFinite(x) ? x : null)

function checkWindow(p: EventStudyParams): void {
  const [lo, hi] = p.window
  if (!(lo < 0 && hi >= 0)) {
    throw new QuasiError('INVALID_VALUE', `Expected \`window\` to run from a negative period to zero or later, got [${lo}, ${hi}]`, { param: ['window'], hint: 'e.g. `window: [-5, 5]`' })
  }
  if (p.reference < lo || p.reference > hi) {
    throw new QuasiError('INVALID_VALUE', `Expected \`reference\` to lie in the window [${lo}, ${hi}], got ${p.reference}`, { param: ['reference'] })
  }
}

function fit(spec: DidSpec, origin: Origin, rt: RelativeTime, dummies: string[], level: number): RegressionResult {
  try {
    return regress(rt.frame, regressionSpec(spec, [...dummies, ...spec.controls], level))
  } catch (err) {
    if (err instanceof QuasiError && err.param === undefined) err.param = /cluster/.test(err.message) ? (origin.cluster === 'model' ? ['model'] : ['cluster']) : []
    throw err
  }
}

function buildTable(spec: DidSpec, r: RegressionResult, rt: RelativeTime, o: { labels: Record<string, string>; title: string; digits: number; f: number; df1: number; p: number; dfT: number }): RegressionTable {
  const label = (n: string) => o.labels[n] ?? n
  const terms = rt.periods.filter((x) => !x.reference && r.terms.some((t) => t.term === x.label)).map((x) => ({ term: x.label, label: label(x.label) }))
  const ref = rt.periods.find((x) => x.reference)!
  const indicators = spec.fixed_effects.map((fe) => ({ label: `${label(fe)} FE`, values: ['Yes'] }))
  if (spec.controls.length) indicators.push({ label: 'Controls', values: ['Yes'] })
  const stats = [
    { label: 'N', values: [count(r.nobs)] },
    { label: 'R²', values: [fixed(r.r2, 3)] },
    { label: `Pre-trend F(${o.df1}, ${o.dfT})`, values: [`${fixed(o.f, 3)} [p = ${fixed(o.p, 3)}]`] },
  ]
  if (r.nClusters.length) stats.push({ label: 'Clusters', values: [r.nClusters.map(count).join(' × ')] })
  const notes = [
    `Relative periods ${label(rt.periods[0].label)} and ${label(rt.periods[rt.periods.length - 1].label)} bin all earlier and later years; ${label(ref.label)} is the omitted reference period.`,
    r.vcovType === 'cluster'
      ? `Standard errors clustered by ${spec.cluster.join(' and ')} in parentheses (CR1, ${spec.small_sample} small-sample correction; t with G − 1 degrees of freedom).`
      : 'Standard errors in parentheses.',
    'The pre-trend F tests that all pre-period coefficients are zero.',
  ]
  if (spec.sample) notes.push(`Sample: ${spec.sample}.`)
  return {
    title: o.title,
    caption: `Dependent variable: ${label(spec.outcome)}`,
    columns: [{ label: '(1)', cells: new Map<string, TableCell>(r.terms.map((t) => [t.term, { estimate: t.estimate, stdError: t.stdError, pValue: t.pValue }])) }],
    terms,
    indicators,
    stats,
    notes,
    digits: o.digits,
  }
}
