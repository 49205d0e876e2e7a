/** The bacon stage's work, loaded on demand by stage.ts (see docs/methods.md, "bacon"). */
import { Frame } from '../../src/artifacts/frame.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import { QuasiError } from '../../src/errors.ts'
import { baconScatterPlot, renderSvg } from '../../src/report/figure.ts'
import { gridFiles, type GridTable } from '../../src/report/grid.ts'
import type { Json, StageContext, StageResult } from '../../src/stage.ts'
import { withInteractionColumns } from '../../src/stats/ols/terms.ts'
import { baconDecomposeCovariates, type CovariateDecomposition } from '../../src/stats/bacon/covariates.ts'
import { baconDecompose, COMPARISON_TYPES, COVARIATE_TYPES, summarizeTypes, TYPE_KEYS, type Comparison, type Decomposition } from '../../src/stats/bacon/decompose.ts'
import { baconPanel, type PanelColumns } from '../../src/stats/bacon/panel.ts'
import { adoptionColumn, atParam, staggeredModel } from '../_estimation/check.ts'
import { fitRegression } from '../_estimation/fit.ts'
import { applySample, checkVariation, withTreatment } from '../_estimation/prepare.ts'
import type { EstimationSpec } from '../_estimation/spec.ts'
import { DEFAULT_TITLE, type BaconParams } from './params.ts'

/** |Σ s·β̂ − TWFE| above this (relative) means the decomposition and the regression disagree: a bug. */
const IDENTITY_TOL = 1e-8

const names = (cs: readonly string[]) => cs.map((c) => `\`${c}\``).join(', ')

export async function runBacon(ctx: StageContext<BaconParams>): Promise<StageResult> {
  const p = ctx.params
  const { spec, origin, frame: input, panel } = staggeredModel(ctx, 'bacon', 'with adoption timing to decompose')
  const adoption = adoptionColumn(spec, p.model, 'the decomposition groups units by adoption period: give the did stage the adoption-year column')
  if (p.covariates && spec.controls.length === 0) {
    throw new QuasiError('INVALID_VALUE', `\`${p.model}\` has no controls: there are no covariates to decompose with`, {
      param: ['covariates'], expected: `\`false\`, or a \`model:\` with \`controls:\``, found: '`true`',
      hint: `remove \`covariates: true\`, or give \`${p.model}\` its \`controls:\``,
    })
  }
  if (!p.covariates && spec.controls.length) {
    ctx.log.warn(`the decomposition leaves out the controls of \`${p.model}\` (${names(spec.controls)}): it decomposes the two-way FE regression without them (\`covariates: true\` decomposes the regression with them)`)
  }
  if (spec.weights) ctx.log.warn(`the decomposition is unweighted: the weights \`${spec.weights}\` of \`${p.model}\` are left out`)
  const term = spec.term!
  const { frame: prepared } = applySample(ctx, spec, origin, withTreatment(ctx, spec, origin, input))
  checkVariation(spec, origin, prepared)
  // Product columns for controls written `a:b`, as the regression builds them.
  const data = p.covariates ? withInteractionColumns(prepared, spec.controls) : prepared
  const unit = data.column(panel.unit)
  if (!unit) throw new QuasiError('MISSING_COLUMN', `the panel unit column \`${panel.unit}\` is not a column of the data`, { param: ['model'] })
  const columns: PanelColumns = {
    unit: { name: panel.unit, values: unit.data as ArrayLike<unknown> },
    time: { name: panel.time, values: data.numbers(panel.time) },
    outcome: { name: spec.outcome, values: data.numbers(spec.outcome) },
    treatment: { name: adoption, values: data.numbers(term) },
  }
  const controls = p.covariates ? spec.controls : []
  const cov = p.covariates ? atParam(() => baconDecomposeCovariates(baconPanel({ ...columns, covariates: controls.map((c) => ({ name: c, values: data.numbers(c) })) }))) : null
  const plain = cov ? null : atParam(() => baconDecompose(baconPanel(columns)))
  if (cov && cov.kept.length === 0) {
    throw new QuasiError('INVALID_VALUE', `every control of \`${p.model}\` (${names(cov.absorbed)}) is absorbed by the unit and period effects: the decomposition with them is the one without`, {
      param: ['covariates'], expected: 'a control that varies within units over time', hint: 'remove `covariates: true`',
    })
  }
  const total = (cov ?? plain!).total

  // The project's own TWFE estimate on the same rows: unit and period effects, the controls when decomposed with them, no weights.
  const twoWay: EstimationSpec = { ...spec, controls, regressors: [], fixed_effects: [panel.unit, panel.time], weights: null, sample: null, singletons: 'keep' }
  const fit = atParam(() => fitRegression(data, twoWay, origin, [term, ...controls]))
  const twfe = fit.terms.find((t) => t.term === term)!.estimate
  if (!(Math.abs(total - twfe) <= IDENTITY_TOL * Math.max(1, Math.abs(twfe)))) {
    throw new QuasiError('INTERNAL', `the weighted sum of the 2×2 estimates (${total}) differs from the TWFE coefficient (${twfe})`)
  }
  const fe = [...spec.fixed_effects].sort().join(',')
  if (fe !== [panel.unit, panel.time].sort().join(',')) {
    ctx.log.info(`\`${p.model}\` has fixed effects ${spec.fixed_effects.map((f) => `\`${f}\``).join(', ') || 'none'}; the decomposition is of the regression with \`${panel.unit}\` and \`${panel.time}\` effects`)
  }
  return cov ? covariateOutputs(ctx, cov, term, twfe) : plainOutputs(ctx, plain!, term, twfe, spec.controls)
}

async function plainOutputs(ctx: StageContext<BaconParams>, d: Decomposition, term: string, twfe: number, controls: readonly string[]): Promise<StageResult> {
  const types = summarizeTypes(d.comparisons)
  ctx.log.info(`TWFE ${term}: ${twfe.toPrecision(4)} = Σ of ${d.comparisons.length} 2×2 comparisons; ${types.map((t) => `${t.type} weight ${t.weight.toFixed(3)}`).join(', ')}`)
  const table = summaryTable(types, d.comparisons.length, twfe, ctx.params.title ?? DEFAULT_TITLE, [
    'Goodman-Bacon (2021) decomposition of the two-way fixed-effects DID coefficient (unit and period effects' +
    `${controls.length ? ', without the model\'s controls' : ''}) on a balanced panel: weight is the type's share of the variance-weights, ` +
    'average estimate the weight-averaged 2×2 estimate of the type.',
  ])
  const files = await outputFiles(d.comparisons, table, twfe, COMPARISON_TYPES)
  return {
    data: { term, twfe, cohorts: d.cohorts.map((c) => ({ cohort: c.label, units: c.units })) },
    files,
    facts: typeFacts(types, twfe, d.comparisons.length),
  }
}

async function covariateOutputs(ctx: StageContext<BaconParams>, d: CovariateDecomposition, term: string, twfe: number): Promise<StageResult> {
  if (d.absorbed.length) {
    ctx.log.warn(`${names(d.absorbed)} ${d.absorbed.length > 1 ? 'are' : 'is'} absorbed by the unit and period effects (or collinear with the other controls) and left out of the decomposition, as the regression drops ${d.absorbed.length > 1 ? 'them' : 'it'}`)
  }
  const within: Comparison[] = d.within ? [{ treated: '', control: '', type: 'Within', estimate: d.within.estimate, weight: d.within.weight }] : []
  const rows = [...d.comparisons, ...within]
  const types = summarizeTypes(d.comparisons, COVARIATE_TYPES)
  const omega = d.within?.weight ?? 0
  if (!d.within) ctx.log.info(`the treatment, residualized on ${names(d.kept)} and the effects, does not vary within timing groups: Ω = 0, no within component`)
  ctx.log.info(`TWFE ${term} with ${names(d.kept)}: ${twfe.toPrecision(4)} = Ω·β̂_w + Σ of ${d.comparisons.length} 2×2 comparisons; ${[...types.map((t) => `${t.type} weight ${t.weight.toFixed(3)}`), `within Ω ${omega.toFixed(3)}`].join(', ')}`)
  const table = summaryTable(types, d.comparisons.length, twfe, ctx.params.title ?? DEFAULT_TITLE, [
    `Goodman-Bacon (2021, section 5) decomposition of the two-way fixed-effects DID coefficient with the model's controls (${d.kept.join(', ')}) ` +
    'and unit and period effects on a balanced panel. The treatment is first residualized on the controls and the effects; the within row is ' +
    'the variation of that residual within timing groups (weight Ω), the 2×2 rows compare pairs of timing groups on its group × period means. ' +
    'Weights sum to 1; average estimate is the weight-averaged 2×2 estimate of the type.',
  ], d.within)
  const files = await outputFiles(rows, table, twfe, COVARIATE_TYPES, 'Estimate (2×2 DD or within)')
  const facts = typeFacts(types, twfe, d.comparisons.length)
  facts['weight(within)'] = omega
  if (d.within) facts['estimate(within)'] = d.within.estimate
  const data: Record<string, Json> = {
    term, twfe, cohorts: d.cohorts.map((c) => ({ cohort: c.label, units: c.units })),
    covariates: [...d.kept], within: d.within ? { weight: d.within.weight, estimate: d.within.estimate } : null,
  }
  return { data, files, facts }
}

async function outputFiles(rows: readonly Comparison[], table: GridTable, twfe: number, types: typeof COMPARISON_TYPES, yTitle?: string): Promise<Record<string, string>> {
  return {
    'decomposition.csv': writeCsv(Frame.from({
      treated: rows.map((c) => c.treated),
      control: rows.map((c) => c.control),
      type: rows.map((c) => c.type),
      estimate: Float64Array.from(rows, (c) => c.estimate),
      weight: Float64Array.from(rows, (c) => c.weight),
    })),
    ...gridFiles('summary', table),
    'scatter.svg': await renderSvg(baconScatterPlot(rows, twfe, { types, ...(yTitle ? { yTitle } : {}) })),
  }
}

function typeFacts(types: ReturnType<typeof summarizeTypes>, twfe: number, comparisons: number): Record<string, number> {
  const facts: Record<string, number> = { twfe, comparisons }
  for (const t of types) {
    facts[`weight(${TYPE_KEYS[t.type]})`] = t.weight
    facts[`estimate(${TYPE_KEYS[t.type]})`] = t.estimate
  }
  return facts
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '')

function summaryTable(types: ReturnType<typeof summarizeTypes>, comparisons: number, twfe: number, title: string, notes: string[], within?: { weight: number; estimate: number } | null): GridTable {
  return {
    title,
    header: ['Comparison', '2×2 comparisons', 'Weight', 'Average estimate'],
    align: ['l', 'c', 'c', 'c'],
    sections: [{
      rows: [
        ...types.map((t) => ({ cells: [t.type, String(t.comparisons), fmt(t.weight), fmt(t.estimate)] })),
        ...(within === undefined ? [] : [{ cells: ['Within timing groups', '', fmt(within?.weight ?? 0), within ? fmt(within.estimate) : ''] }]),
        { cells: ['TWFE (weighted sum)', String(comparisons), fmt(1), fmt(twfe)] },
      ],
    }],
    notes,
  }
}
