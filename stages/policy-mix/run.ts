/** The policy-mix estimation, loaded on demand by stage.ts (formulas: specifications.ts, tests.ts, event.ts). */
import { Frame } from '../../src/artifacts/frame.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import type { Model } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import { glanceCsv, tidyCsv } from '../../src/report/broom.ts'
import { fixed, type RegressionTable } from '../../src/report/table.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { toModel } from '../_estimation/model.ts'
import { glanceOf, modelFacts, modelTable, renderedTable } from '../_estimation/outputs.ts'
import { applySample } from '../_estimation/prepare.ts'
import { checkWindow } from '../_estimation/relative-time.ts'
import { paramOf, resolveSpec, type EstimationSpec } from '../_estimation/spec.ts'
import { jointEventStudy } from './event.ts'
import { checkAdoptionColumns, checkIdentification, withExposure } from './exposure.ts'
import { DEFAULT_TITLE, type PolicyMixParams } from './params.ts'
import { BOTH_TERM, builtTerms, onlyTerm, pairsOf, policiesOf, productTerm } from './policies.ts'
import { fitSpecification, specifications, type FittedSpec } from './specifications.ts'
import { jointMinusSum, synergyTests, type NamedTest } from './tests.ts'

export async function runPolicyMix(ctx: StageContext<PolicyMixParams>): Promise<StageResult> {
  const p = ctx.params
  checkWindow(p.window, p.reference, [-4, 4])
  const { spec: resolved, origin, frame: given } = resolveSpec(ctx, { needs: 'regressors' })
  const time = ctx.panel?.time
  if (!time || !given.has(time)) {
    throw new QuasiError('INVALID_SPEC', 'policy-mix builds each policy\'s post indicator from its adoption years and needs the panel time column: declare `panel: { unit, time }` in the pipeline', { param: ['policies'] })
  }
  const policies = policiesOf(p)
  const names = policies.map((x) => x.name)
  const { pair, products } = pairsOf(p)
  const input = checkAdoptionColumns(given, policies)
  const built = builtTerms(names, pair)
  resolved.controls.forEach((c, k) => {
    if (built.includes(c)) {
      throw new QuasiError('INVALID_SPEC', `control \`${c}\` is a term policy-mix builds (${names.includes(c) ? `the post indicator of policy \`${c}\`` : 'a category of the pair'})`, {
        param: paramOf(origin, 'controls', k), hint: origin.controls === 'model' ? 'give `controls:` without it' : 'remove it from `controls`',
      })
    }
  })
  const spec: EstimationSpec = { ...resolved, stepwise: false, labels: defaultLabels(resolved.labels, pair, products), title: p.titles?.table ?? DEFAULT_TITLE }

  const frame = withExposure(ctx, input, time, policies, pair)
  const { frame: data, dropped } = applySample(ctx, spec, origin, frame)
  if (spec.sample) ctx.log.info(`sample \`${spec.sample}\`: ${data.nrows} of ${frame.nrows} rows`)
  checkIdentification(data, spec.outcome, policies, products)

  const list = specifications(names, pair, products)
  const steps = list.length + 1
  const fitted: FittedSpec[] = []
  for (const s of list) {
    if (ctx.signal.aborted) throw new QuasiError('CANCELLED', 'cancelled')
    fitted.push(fitSpecification(data, spec, origin, s, policies, pair, p.level))
    ctx.progress(fitted.length, steps)
  }
  const byName = (n: string) => fitted.find((f) => f.name === n)!
  const interacted = byName('interacted'), categories = byName('categories')
  for (const m of interacted.fit.messages) ctx.log.info(m)
  ctx.log.info(interacted.fit.vcovLabel)

  // ---- tests ------------------------------------------------------------------------
  const tests: NamedTest[] = synergyTests(interacted.fit, products)
  const alone = [byName(`alone(${pair[0]})`), byName(`alone(${pair[1]})`)] as const
  if (spec.vcov === 'cluster' && spec.cluster.length > 1) {
    ctx.log.warn(`the test of the joint effect against the sum of the separate effects is left out: it stacks the models' scores by one cluster variable, and the model is clustered two ways (${spec.cluster.join(', ')})`)
  } else {
    tests.push(jointMinusSum(spec, data, alone, categories, pair))
  }
  const event = await jointEventStudy(ctx, data, spec, origin, policies, pair)
  ctx.progress(steps, steps)

  // ---- models, table, files ---------------------------------------------------------
  const notes = [
    `Post indicators are 1 from each policy's adoption year on (${policies.map((x) => `\`${x.name}\`: ${x.adoption}`).join(', ')}), 0 before and for units that never adopt it; \`${BOTH_TERM}\` is on from the later of the two years.`,
  ]
  if (spec.weights) notes.push(`Weighted least squares, weights \`${spec.weights}\`.`)
  const models: Model[] = fitted.map((f, j) => toModel(f.fit, { stage: ctx.stage, kind: ctx.kind, label: `(${j + 1})`, spec: f.spec, controls: spec.controls, frame: data, panel: ctx.panel, notes }))
  const main = fitted.indexOf(interacted)
  const syn = tests.filter((t) => t.name.startsWith('synergy('))
  const jms = tests.find((t) => t.name === 'joint_minus_sum')
  const blank = () => fitted.map(() => '')
  const rows: Record<string, string[]> = { Specification: fitted.map((f) => f.row) }
  syn.forEach((t, k) => {
    const r = blank()
    r[main] = `${fixed(t.wald.F, 3)} [p = ${fixed(t.wald.pF, 3)}]`
    rows[`Synergy ${products[k].join(' × ')}: F(1, ${t.wald.dfDen})`] = r
  })
  const all = tests.find((t) => t.name === 'synergies')
  if (all) {
    const r = blank()
    r[main] = `${fixed(all.wald.F, 3)} [p = ${fixed(all.wald.pF, 3)}]`
    rows[`All synergies: F(${all.wald.dfNum}, ${all.wald.dfDen})`] = r
  }
  if (jms) {
    const r = blank()
    r[fitted.indexOf(categories)] = `${fixed(jms.wald.chi2, 3)} [p = ${fixed(jms.wald.pChi2, 3)}]`
    rows['Joint − sum of separate: χ²(1)'] = r
  }
  const keep = [...names, ...products.map(([a, b]) => productTerm(a, b)), onlyTerm(pair[0]), onlyTerm(pair[1]), BOTH_TERM, ...spec.controls]
  const table = modelTable(models, {
    title: spec.title!, keep, digits: spec.digits, rows,
    notes: [
      'Synergy: t test of the product term in the interacted column, as F(1, df) = t² with the model\'s variance.',
      ...(jms ? [`Joint − sum of separate: Wald χ²(1) of ${BOTH_TERM} (categories) = ${pair[0]} (alone) + ${pair[1]} (alone), covariance across the separately fitted models from their scores stacked by cluster (suest, factor G/(G − 1)).`] : []),
    ],
  })
  const eventTable: RegressionTable = (() => {
    const base = modelTable([event.model], { title: event.model.title, keep: event.rt.periods.filter((x) => !x.reference).map((x) => x.label), digits: spec.digits })
    return { ...base, stats: [...base.stats, { label: `Pre-trend F(${event.pretrend.df1}, ${event.pretrend.df2})`, values: [`${fixed(event.pretrend.f, 3)} [p = ${fixed(event.pretrend.p, 3)}]`] }] }
  })()
  const tidyModels = [...fitted.map((f, j) => ({ model: f.name, terms: models[j].terms })), { model: 'event', terms: event.model.terms }]
  const files: Record<string, string> = {
    ...renderedTable(table),
    'tidy.csv': tidyCsv(tidyModels),
    'glance.csv': glanceCsv([...fitted.map((f, j) => ({ model: f.name, glance: glanceOf(models[j]) })), { model: 'event', glance: glanceOf(event.model) }]),
    'tests.csv': testsCsv(tests),
    ...renderedTable(eventTable, 'event_study'),
    'event_study.svg': event.svg,
  }

  // ---- facts ------------------------------------------------------------------------
  const coef = (f: FittedSpec, term: string) => f.fit.terms.find((t) => t.term === term)!
  const facts: Record<string, number> = { ...modelFacts(models[main]), policies: names.length }
  for (const n of names) {
    const t = coef(byName(`alone(${n})`), n)
    facts[`alone(${n})`] = t.estimate
    facts[`alone_se(${n})`] = t.stdError
    facts[`alone_p(${n})`] = t.pValue
  }
  syn.forEach((t, k) => {
    const key = products[k].join(',')
    facts[`synergy(${key})`] = t.wald.estimate
    facts[`synergy_p(${key})`] = t.wald.pF
  })
  facts.synergy = syn[0].wald.estimate
  facts.synergy_se = syn[0].wald.stdError
  facts.synergy_p = syn[0].wald.pF
  if (all) Object.assign(facts, { synergies_F: all.wald.F, synergies_p: all.wald.pF })
  const both = coef(categories, BOTH_TERM)
  facts.joint = both.estimate
  facts.joint_se = both.stdError
  facts.sum_separate = facts[`alone(${pair[0]})`] + facts[`alone(${pair[1]})`]
  if (jms) Object.assign(facts, { joint_minus_sum: jms.wald.estimate, joint_minus_sum_se: jms.wald.stdError, joint_minus_sum_chi2: jms.wald.chi2, joint_minus_sum_p: jms.wald.pChi2 })
  Object.assign(facts, { pretrend_F: event.pretrend.f, pretrend_p: event.pretrend.p, pretrend_df: event.pretrend.df1, both_units: event.units })
  const s0 = syn[0]
  ctx.log.info(`synergy ${products[0].join(' × ')}: ${fixed(s0.wald.estimate, 4)} (se ${fixed(s0.wald.stdError, 4)}, p = ${fixed(s0.wald.pF, 3)}); joint ${fixed(both.estimate, 4)} vs sum of separate ${fixed(facts.sum_separate, 4)}${jms ? ` (χ²(1) = ${fixed(jms.wald.chi2, 3)}, p = ${fixed(jms.wald.pChi2, 3)})` : ''}`)

  const num = (x: number): number | null => (Number.isFinite(x) ? x : null)
  return {
    frame,
    model: { models, main },
    data: {
      policies: policies.map((x) => ({ name: x.name, adoption: x.adoption })),
      pair: [...pair],
      products: products.map((x) => [...x]),
      sample_dropped: dropped,
      tests: tests.map((t) => ({ test: t.name, hypothesis: t.hypothesis, estimate: num(t.wald.estimate), std_error: num(t.wald.stdError), statistic: num(t.chi2 ? t.wald.chi2 : t.wald.F), df1: t.wald.dfNum, df2: t.chi2 ? null : t.wald.dfDen, p: num(t.chi2 ? t.wald.pChi2 : t.wald.pF) })),
      window: [...p.window],
      reference: p.reference,
      pretrend: { f: num(event.pretrend.f), df1: event.pretrend.df1, df2: event.pretrend.df2, p: num(event.pretrend.p), terms: event.pretrend.terms },
      // the series event-study publishes, for `event-compare`
      event_study: event.series,
    },
    files,
    facts,
  }
}

/** Display names: a product reads "a × b", the categories "a only" and "a and b" (over the model's labels, the user's win). */
function defaultLabels(given: Readonly<Record<string, string>>, pair: readonly [string, string], products: readonly (readonly [string, string])[]): Record<string, string> {
  const label = (n: string) => given[n] ?? n
  const out: Record<string, string> = {}
  for (const [a, b] of products) out[productTerm(a, b)] = `${label(a)} × ${label(b)}`
  out[onlyTerm(pair[0])] = `${label(pair[0])} only`
  out[onlyTerm(pair[1])] = `${label(pair[1])} only`
  out[BOTH_TERM] = `${label(pair[0])} and ${label(pair[1])}`
  return { ...out, ...given }
}

function testsCsv(tests: readonly NamedTest[]): string {
  const num = (f: (t: NamedTest) => number) => Float64Array.from(tests, f)
  return writeCsv(Frame.from({
    test: tests.map((t) => t.name),
    hypothesis: tests.map((t) => t.hypothesis),
    estimate: num((t) => t.wald.estimate),
    'std.error': num((t) => t.wald.stdError),
    distribution: tests.map((t) => (t.chi2 ? 'chi2' : 'F')),
    statistic: num((t) => (t.chi2 ? t.wald.chi2 : t.wald.F)),
    'df.num': num((t) => t.wald.dfNum),
    'df.den': num((t) => (t.chi2 ? NaN : t.wald.dfDen)),
    'p.value': num((t) => (t.chi2 ? t.wald.pChi2 : t.wald.pF)),
  }))
}
