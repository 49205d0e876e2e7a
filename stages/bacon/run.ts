/** The bacon stage's work, loaded on demand by stage.ts (see docs/methods.md, "bacon"). */
import { Frame } from '../../src/artifacts/frame.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import { QuasiError } from '../../src/errors.ts'
import { baconScatterPlot, renderSvg } from '../../src/report/figure.ts'
import { gridFiles, type GridTable } from '../../src/report/grid.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { baconDecompose, COMPARISON_TYPES, summarizeTypes, TYPE_KEYS, type Decomposition } from '../../src/stats/bacon/decompose.ts'
import { baconPanel } from '../../src/stats/bacon/panel.ts'
import { adoptionColumn, atParam, staggeredModel } from '../_estimation/check.ts'
import { fitRegression } from '../_estimation/fit.ts'
import { applySample, checkVariation, withTreatment } from '../_estimation/prepare.ts'
import { DEFAULT_TITLE, type BaconParams } from './params.ts'

/** |Σ s·β̂ − TWFE| above this (relative) means the decomposition and the regression disagree: a bug. */
const IDENTITY_TOL = 1e-8

export async function runBacon(ctx: StageContext<BaconParams>): Promise<StageResult> {
  const p = ctx.params
  const { spec, origin, frame: input, panel } = staggeredModel(ctx, 'bacon', 'with adoption timing to decompose')
  const adoption = adoptionColumn(spec, p.model, 'the decomposition groups units by adoption period: give the did stage the adoption-year column')
  if (p.covariates) {
    throw new QuasiError('INVALID_VALUE', 'the decomposition with covariates (Goodman-Bacon 2021, section 5) is not implemented', {
      param: ['covariates'], expected: '`false`', found: '`true`', hint: 'remove `covariates: true`: the decomposition is then of the regression without controls',
    })
  }
  if (spec.controls.length) {
    ctx.log.warn(`the decomposition leaves out the controls of \`${p.model}\` (${spec.controls.map((c) => `\`${c}\``).join(', ')}): it decomposes the two-way FE regression without them`)
  }
  if (spec.weights) ctx.log.warn(`the decomposition is unweighted: the weights \`${spec.weights}\` of \`${p.model}\` are left out`)
  const term = spec.term!
  const { frame: data } = applySample(ctx, spec, origin, withTreatment(ctx, spec, origin, input))
  checkVariation(spec, origin, data)
  const unit = data.column(panel.unit)
  if (!unit) throw new QuasiError('MISSING_COLUMN', `the panel unit column \`${panel.unit}\` is not a column of the data`, { param: ['model'] })

  const d = atParam(() => baconDecompose(baconPanel({
    unit: { name: panel.unit, values: unit.data as ArrayLike<unknown> },
    time: { name: panel.time, values: data.numbers(panel.time) },
    outcome: { name: spec.outcome, values: data.numbers(spec.outcome) },
    treatment: { name: adoption, values: data.numbers(term) },
  })))

  // The project's own TWFE estimate on the same rows: unit and period effects, no controls, no weights.
  const twoWay = { ...spec, controls: [], regressors: [], fixed_effects: [panel.unit, panel.time], weights: null, sample: null, singletons: 'keep' as const }
  const fit = atParam(() => fitRegression(data, twoWay, origin, [term]))
  const twfe = fit.terms.find((t) => t.term === term)!.estimate
  if (!(Math.abs(d.total - twfe) <= IDENTITY_TOL * Math.max(1, Math.abs(twfe)))) {
    throw new QuasiError('INTERNAL', `the weighted sum of the 2×2 estimates (${d.total}) differs from the TWFE coefficient (${twfe})`)
  }
  const fe = [...spec.fixed_effects].sort().join(',')
  if (fe !== [panel.unit, panel.time].sort().join(',')) {
    ctx.log.info(`\`${p.model}\` has fixed effects ${spec.fixed_effects.map((f) => `\`${f}\``).join(', ') || 'none'}; the decomposition is of the regression with \`${panel.unit}\` and \`${panel.time}\` effects`)
  }
  const types = summarizeTypes(d)
  ctx.log.info(`TWFE ${term}: ${twfe.toPrecision(4)} = Σ of ${d.comparisons.length} 2×2 comparisons; ${types.map((t) => `${t.type} weight ${t.weight.toFixed(3)}`).join(', ')}`)

  const files: Record<string, string> = {
    'decomposition.csv': writeCsv(Frame.from({
      treated: d.comparisons.map((c) => c.treated),
      control: d.comparisons.map((c) => c.control),
      type: d.comparisons.map((c) => c.type),
      estimate: Float64Array.from(d.comparisons, (c) => c.estimate),
      weight: Float64Array.from(d.comparisons, (c) => c.weight),
    })),
    ...gridFiles('summary', summaryTable(d, twfe, p.title ?? DEFAULT_TITLE, spec.controls)),
    'scatter.svg': await renderSvg(baconScatterPlot(d.comparisons, twfe, { types: COMPARISON_TYPES })),
  }
  const facts: Record<string, number> = { twfe, comparisons: d.comparisons.length }
  for (const t of types) {
    facts[`weight(${TYPE_KEYS[t.type]})`] = t.weight
    facts[`estimate(${TYPE_KEYS[t.type]})`] = t.estimate
  }
  return {
    data: { term, twfe, cohorts: d.cohorts.map((c) => ({ cohort: c.label, units: c.units })) },
    files,
    facts,
  }
}


const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '')

function summaryTable(d: Decomposition, twfe: number, title: string, controls: readonly string[]): GridTable {
  const types = summarizeTypes(d)
  return {
    title,
    header: ['Comparison', '2×2 comparisons', 'Weight', 'Average estimate'],
    align: ['l', 'c', 'c', 'c'],
    sections: [{
      rows: [
        ...types.map((t) => ({ cells: [t.type, String(t.comparisons), fmt(t.weight), fmt(t.estimate)] })),
        { cells: ['TWFE (weighted sum)', String(d.comparisons.length), fmt(1), fmt(twfe)] },
      ],
    }],
    notes: [
      'Goodman-Bacon (2021) decomposition of the two-way fixed-effects DID coefficient (unit and period effects' +
      `${controls.length ? ', without the model\'s controls' : ''}) on a balanced panel: weight is the type's share of the variance-weights, ` +
      'average estimate the weight-averaged 2×2 estimate of the type.',
    ],
  }
}
