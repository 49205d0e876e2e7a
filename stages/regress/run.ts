/** The regress estimation, loaded on demand by stage.ts (see the formula there). */
import { QuasiError } from '../../src/errors.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { parseHypothesis, waldTest, type WaldTest } from '../../src/stats/ols/hypothesis.ts'
import { expandRegressors, withInteractionColumns } from '../../src/stats/ols/terms.ts'
import type { RegressionResult } from '../../src/stats/ols/types.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import { Frame } from '../../src/artifacts/frame.ts'
import { fitRegression } from '../_estimation/fit.ts'
import { toModel } from '../_estimation/model.ts'
import { modelFacts, modelTable, tableFiles } from '../_estimation/outputs.ts'
import { applySample } from '../_estimation/prepare.ts'
import { paramOf, resolveSpec } from '../_estimation/spec.ts'
import type { RegressParams } from './params.ts'

export const DEFAULT_TITLE = 'Regression estimates'

export async function runRegress(ctx: StageContext<RegressParams>): Promise<StageResult> {
  const { spec: resolved, origin, frame } = resolveSpec(ctx, { needs: 'regressors' })
  if (resolved.regressors.length === 0) {
    throw new QuasiError('MISSING_PARAM', 'regress needs `regressors:` (the columns to estimate coefficients for)', { param: paramOf(origin, 'regressors'), expected: 'regressors' })
  }
  const terms = expandRegressors([...resolved.regressors, ...resolved.controls], frame.names)
  const spec = { ...resolved, regressors: terms.filter((t) => !resolved.controls.includes(t)) }
  let data
  try {
    data = withInteractionColumns(frame, terms)
  } catch (err) {
    if (err instanceof QuasiError && err.param === undefined) err.param = paramOf(origin, 'regressors')
    throw err
  }
  const { frame: sampled, dropped } = applySample(ctx, spec, origin, data)
  if (spec.sample) ctx.log.info(`sample \`${spec.sample}\`: ${sampled.nrows} of ${data.nrows} rows (${dropped} dropped)`)

  const result = fitRegression(sampled, spec, origin, terms, { level: ctx.params.level })
  for (const m of result.messages) ctx.log.info(m)
  const model = toModel(result, { stage: ctx.stage, kind: ctx.kind, label: '(1)', spec, controls: spec.controls, frame: sampled, panel: ctx.panel })
  ctx.log.info(model.variance.label)

  const tests = runTests(ctx.params.test, result)
  const table = modelTable([model], { title: spec.title ?? DEFAULT_TITLE, digits: spec.digits })
  const facts: Record<string, number> = modelFacts(model)
  for (const t of tests) {
    facts[`wald_F(${t.name})`] = t.wald.F
    facts[`wald_p(${t.name})`] = t.wald.pF
    facts[`wald_chi2(${t.name})`] = t.wald.chi2
    facts[`wald_p_chi2(${t.name})`] = t.wald.pChi2
    ctx.log.info(`test ${t.name} (${t.labels.join('; ')}): F(${t.wald.dfNum}, ${t.wald.dfDen}) = ${t.wald.F.toPrecision(4)}, p = ${t.wald.pF.toPrecision(3)}; χ²(${t.wald.q}) = ${t.wald.chi2.toPrecision(4)}, p = ${t.wald.pChi2.toPrecision(3)}`)
  }
  const withTests = tests.length ? { ...table, notes: [...table.notes, testNote(tests)] } : table
  return {
    frame,
    model: { models: [model], main: 0 },
    files: { ...tableFiles(withTests, [model]), ...(tests.length ? { 'tests.csv': testsCsv(tests) } : {}) },
    facts,
  }
}

interface NamedTest {
  readonly name: string
  readonly labels: readonly string[]
  readonly wald: WaldTest
}

/** Each hypothesis of `test:` parsed against the fitted terms and tested; errors point into the hypothesis. */
function runTests(test: RegressParams['test'], result: RegressionResult): NamedTest[] {
  if (!test) return []
  const entries: [string, string | string[], (string | number)[]][] = Array.isArray(test)
    ? test.map((h, i) => [`h${i + 1}`, h, ['test', i]])
    : Object.entries(test).map(([k, h]) => [k, h, ['test', k]])
  return entries.map(([name, h, param]) => {
    let parsed
    try {
      parsed = parseHypothesis(h, result.terms.map((t) => t.term), { dropped: result.collinear })
    } catch (err) {
      if (err instanceof QuasiError) {
        const index = (err as QuasiError & { role?: { index?: number } }).role?.index
        err.param = Array.isArray(h) && index !== undefined ? [...param, index] : param
      }
      throw err
    }
    return { name, labels: parsed.labels, wald: waldTest(result, parsed.R, parsed.r) }
  })
}

function testNote(tests: readonly NamedTest[]): string {
  return 'Wald tests (F on the model\'s degrees of freedom of t; p-values): ' +
    tests.map((t) => `${t.labels.join('; ')}: F(${t.wald.dfNum}, ${t.wald.dfDen}) = ${t.wald.F.toFixed(3)}, p = ${t.wald.pF.toFixed(3)}`).join('. ') + '.'
}

/** tests.csv: one row per test, in the broom-like naming of tidy.csv. */
function testsCsv(tests: readonly NamedTest[]): string {
  const num = (f: (t: NamedTest) => number) => Float64Array.from(tests, f)
  return writeCsv(Frame.from({
    test: tests.map((t) => t.name),
    hypothesis: tests.map((t) => t.labels.join('; ')),
    'df.num': num((t) => t.wald.dfNum),
    'df.den': num((t) => t.wald.dfDen),
    statistic: num((t) => t.wald.F),
    'p.value': num((t) => t.wald.pF),
    'chi.sq': num((t) => t.wald.chi2),
    'p.chi.sq': num((t) => t.wald.pChi2),
    estimate: num((t) => t.wald.estimate),
    'std.error': num((t) => t.wald.stdError),
  }))
}
