/** The spatial stage's work, loaded on demand by stage.ts (see docs/methods.md, "Spatial panel models"). */
import { QuasiError } from '../../src/errors.ts'
import { Frame } from '../../src/artifacts/frame.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import type { Model, Term } from '../../src/artifacts/model.ts'
import { tidyCsv } from '../../src/report/broom.ts'
import { criterionPlot, renderSvg } from '../../src/report/figure.ts'
import { gridFiles, type GridTable } from '../../src/report/grid.ts'
import { count, fixed, renderCsv, renderHtml, renderLatex, renderMarkdown, stars } from '../../src/report/table.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { normalQuantile, zPValue } from '../../src/stats/dist.ts'
import { spatialEffects, type Effect } from '../../src/stats/spatial/effects.ts'
import { fitSpatial, transform, type SpatialFit } from '../../src/stats/spatial/ml.ts'
import { momentSpectrum, spectrum, type Spectrum } from '../../src/stats/spatial/spectrum.ts'
import { labeller, modelBlock } from '../_estimation/outputs.ts'
import { at, candidateName, preparePanel, type SpatialPanel } from '../_spatial/prepare.ts'
import { DEFAULT_EFFECTS_DRAWS, type SpatialParams } from './params.ts'

const TITLES = { sar: 'Spatial autoregressive (SAR) model', sem: 'Spatial error (SEM) model', sdm: 'Spatial Durbin (SDM) model' }
const EFFECTS_WORDS = { twoways: 'unit and time', unit: 'unit', time: 'time', none: 'no' }

interface CandidateFit {
  readonly label: string
  readonly a?: number
  readonly fit: SpatialFit
  readonly spectrum: Spectrum
  readonly index: number
}

export async function runSpatial(ctx: StageContext<SpatialParams>): Promise<StageResult> {
  const p = ctx.params
  const sp = preparePanel(ctx)
  const { n, t } = sp.layout
  const convention = p.lag_convention ?? 'elhorst'
  const cands = sp.weights.candidates
  const fits: CandidateFit[] = []
  for (const [index, c] of cands.entries()) {
    const s = p.logdet === 'monte-carlo' ? momentSpectrum(c.matrix, { rng: ctx.rng.fork('logdet').fork(index) }) : spectrum(c.matrix)
    const data = { n, t, y: sp.y, x: sp.x, names: sp.names, w: c.matrix, spectrum: s, effects: sp.effects, convention }
    if (p.correction === 'transformation') checkTransformation(p, sp, s, candidateName(c))
    // with several candidates only the likelihood is needed to compare them (the transformation's own, which
    // differs from the direct approach's); the chosen one is refitted with its covariance
    const correction = cands.length === 1 || p.correction === 'transformation' ? p.correction ?? 'none' : 'none'
    const fit = at(['regressors'], () => fitSpatial(p.model, data, transform(data), { information: cands.length === 1, correction }))
    fits.push({ label: candidateName(c), ...(c.a !== undefined ? { a: c.a } : {}), fit, spectrum: s, index })
    ctx.progress(index + 1, cands.length + 1)
  }
  let chosen = choose(ctx, fits)
  if (cands.length > 1) {
    const data = { n, t, y: sp.y, x: sp.x, names: sp.names, w: cands[chosen.index].matrix, spectrum: chosen.spectrum, effects: sp.effects, convention }
    chosen = { ...chosen, fit: at(['regressors'], () => fitSpatial(p.model, data, transform(data), { correction: p.correction ?? 'none' })) }
  }
  const fit = chosen.fit
  const param = p.model === 'sem' ? 'lambda' : 'rho'
  if (fit.atBoundary) {
    ctx.log.warn(`${param} = ${fit.rho.toPrecision(6)} is at the edge of its interval (${fit.interval[0].toPrecision(4)}, ${fit.interval[1].toPrecision(4)}): the likelihood has no interior maximum, so its standard error is not reliable`)
  }
  ctx.log.info(`${p.model.toUpperCase()}, ${EFFECTS_WORDS[sp.effects]} fixed effects, N = ${n}, T = ${t}: ${param} = ${fit.rho.toPrecision(5)}, logLik = ${fit.logLik.toFixed(3)}`)

  const model = toModel(ctx, sp, fit, chosen, param)
  const K = sp.names.length
  let effects: Effect[] = []
  if (p.model !== 'sem') {
    const m = p.model === 'sdm' ? 2 * K + 1 : K + 1
    const V = new Float64Array(m * m)
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) V[i * m + j] = fit.vcov[i * fit.k + j]
    const draws = p.effects_draws ?? DEFAULT_EFFECTS_DRAWS
    const r = spatialEffects({
      w: cands[chosen.index].matrix, spectrum: chosen.spectrum, terms: sp.names, beta: fit.beta.subarray(0, K),
      ...(p.model === 'sdm' ? { theta: fit.beta.subarray(K, 2 * K) } : {}), rho: fit.rho, vcov: V, interval: fit.interval,
    }, draws, ctx.rng.fork('effects'))
    if (r.used < draws) ctx.log.warn(`${draws - r.used} of ${draws} effect draws had ρ outside its interval and were left out`)
    effects = r.effects
  }
  ctx.progress(cands.length + 1, cands.length + 1)

  const label = labeller([model], p.labels)
  const digits = p.digits ?? 3
  const files: Record<string, string> = { ...modelFiles(model, fit, n, t, digits) }
  if (effects.length) Object.assign(files, effectsFiles(effects, label, digits, p.model))
  if (fits.length > 1) Object.assign(files, await gridOutputs(fits, chosen))
  return {
    model: { models: [model], main: 0 },
    data: {
      model: p.model, convention, effects: sp.effects, N: n, T: t, [param]: fit.rho,
      ...(fits.length > 1 ? { candidate: chosen.label, ...(chosen.a !== undefined ? { a: chosen.a } : {}) } : {}),
    },
    files,
    facts: facts(model, fit, n, t, effects, chosen),
  }
}

/** The transformation approach with time effects needs W1 = 1 and lags formed before demeaning. */
function checkTransformation(p: SpatialParams, sp: SpatialPanel, s: Spectrum, label: string): void {
  if (sp.effects !== 'time' && sp.effects !== 'twoways') return
  if ((p.lag_convention ?? 'elhorst') === 'splm') {
    throw new QuasiError('INVALID_VALUE', '`correction: transformation` with time effects transforms the model before demeaning, so the spatial lags must be formed on the raw data', { param: ['correction'], found: '`lag_convention: splm`', hint: 'use `lag_convention: elhorst` (the default), or `correction: none | elhorst`' })
  }
  if (!s.rowStochastic) {
    throw new QuasiError('INVALID_VALUE', `\`correction: transformation\` with time effects needs row-standardized weights (every row summing to 1); ${label === '' ? 'the weights' : `weights ${label}`} are not`, { param: ['correction'], found: `weights \`${p.weights}\``, hint: 'give the weights stage `style: row` (the default), or use `correction: none | elhorst`' })
  }
}

function transformationNote(sp: SpatialPanel): string {
  const { n, t } = sp.layout
  const time = sp.effects === 'time' || sp.effects === 'twoways', unit = sp.effects === 'unit' || sp.effects === 'twoways'
  const size = `${time ? `(N − 1 = ${count(n - 1)})` : `(N = ${count(n)})`} × ${unit ? `(T − 1 = ${count(t - 1)})` : `(T = ${count(t)})`}`
  return `Lee and Yu (2010) transformation approach: the likelihood of the model transformed to ${size} observations; log-likelihood, AIC and BIC are those of the transformed model.`
}

/** The candidate minimising AIC (or BIC); a warning when the two disagree. */
function choose(ctx: StageContext<SpatialParams>, fits: CandidateFit[]): CandidateFit {
  if (fits.length === 1) return fits[0]
  const best = (f: (c: CandidateFit) => number) => fits.reduce((a, b) => (f(b) < f(a) ? b : a))
  const byAic = best((c) => c.fit.aic), byBic = best((c) => c.fit.bic)
  const chosen = ctx.params.select === 'bic' ? byBic : byAic
  if (byAic !== byBic) {
    ctx.log.warn(`AIC and BIC disagree: AIC chooses ${byAic.label}, BIC chooses ${byBic.label}; following \`select: ${ctx.params.select ?? 'aic'}\` (${chosen.label})`)
  }
  ctx.log.info(`weights: ${chosen.label} chosen among ${fits.length} candidates (AIC ${chosen.fit.aic.toFixed(3)}, BIC ${chosen.fit.bic.toFixed(3)})`)
  return chosen
}

function toModel(ctx: StageContext<SpatialParams>, sp: SpatialPanel, fit: SpatialFit, chosen: CandidateFit, param: string): Model {
  const p = ctx.params
  const m = fit.k - 1 // β…, ρ (σ² is not a term)
  const z = normalQuantile(0.975)
  const names = [...fit.names, param]
  const est = [...fit.beta, fit.rho]
  const terms: Term[] = names.map((term, j) => {
    const se = Math.sqrt(fit.vcov[j * fit.k + j]), stat = est[j] / se
    return { term, estimate: est[j], stdError: se, statistic: stat, pValue: zPValue(stat), confLow: est[j] - z * se, confHigh: est[j] + z * se }
  })
  const vcov: number[] = []
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) vcov.push(fit.vcov[i * fit.k + j])
  const notes = [
    `Maximum likelihood (${p.model.toUpperCase()}), ${EFFECTS_WORDS[sp.effects]} fixed effects; spatial lags ${p.lag_convention === 'splm' ? 'of the demeaned data (splm)' : 'formed before demeaning (Elhorst)'}.`,
    ...(p.logdet === 'monte-carlo' ? ['ln|I − ρW| and its traces by Monte Carlo (Barry and Pace 1999; 100 moments, 100 probes).'] : []),
    ...(p.correction === 'elhorst' ? ['Bias-corrected (Lee and Yu 2010, as Elhorst); log-likelihood, AIC and BIC at the uncorrected maximum.'] : []),
    ...(p.correction === 'transformation' ? [transformationNote(sp)] : []),
    ...(sp.weights.candidates.length > 1 ? [`Weights: ${sp.weights.description}, ${chosen.label} (chosen by ${(p.select ?? 'aic').toUpperCase()}).`] : [`Weights: ${sp.weights.description}.`]),
    ...(typeof sp.treatment === 'object' ? [`\`${sp.term}\` = 1 from the adoption year (${sp.treatment.adoption}) on, 0 before and for never-treated units.`] : []),
  ]
  const spec = {
    kind: 'spatial', model: p.model, from: p.from ?? p.spec ?? null, outcome: sp.outcome, treatment: sp.treatment ?? null, regressors: sp.names.filter((x) => x !== sp.term),
    controls: sp.names.filter((x) => x !== sp.term), fixed_effects: [...sp.fixedEffects], weights: p.weights, lag_convention: p.lag_convention ?? 'elhorst', correction: p.correction ?? 'none', logdet: p.logdet ?? 'exact',
    ...(chosen.a !== undefined ? { a: chosen.a } : {}), labels: { ...sp.labels }, digits: p.digits ?? 3, title: p.title ?? null,
  }
  return {
    label: p.model.toUpperCase(), stage: ctx.stage, kind: ctx.kind, estimator: 'ml', outcome: sp.outcome,
    ...(sp.term ? { focus: sp.term } : {}),
    terms, vcov, nobs: fit.nobs, dfResidual: fit.nobs - fit.k, dfT: fit.nobs - fit.k, nClusters: [],
    variance: { type: 'ml', smallSample: 'none', cluster: [], label: 'Standard errors from the inverse of the information matrix in parentheses (asymptotic, z tests).' },
    fit: { r2: NaN, adjR2: NaN, withinR2: NaN, logLik: fit.logLik, aic: fit.aic, bic: fit.bic },
    fixedEffects: [...sp.fixedEffects], controls: sp.names.filter((x) => x !== sp.term), sample: { keys: [] },
    spec, labels: { [param]: param === 'rho' ? 'ρ' : 'λ', ...sp.labels }, title: p.title ?? TITLES[p.model], notes,
  }
}

/** The paper table (one column), tidy.csv and glance.csv (with sigma2, N and T). */
function modelFiles(model: Model, fit: SpatialFit, n: number, t: number, digits: number): Record<string, string> {
  const block = modelBlock([model], { digits, columnLabels: [model.label] })
  const label = labeller([model])
  const table = {
    title: model.title,
    caption: `Dependent variable: ${label(model.outcome)}`,
    ...block,
    stats: [
      { label: 'N × T', values: [`${count(n)} × ${count(t)}`] },
      { label: 'Log-likelihood', values: [fixed(fit.logLik, 3)] },
      { label: 'AIC', values: [fixed(fit.aic, 3)] },
      { label: 'BIC', values: [fixed(fit.bic, 3)] },
      { label: 'σ²', values: [fit.sigma2.toPrecision(4)] },
    ],
    notes: [model.variance.label, ...(model.notes ?? []).map((s) => s.replace(/`([^`]+)`/g, (_, x: string) => label(x)))],
    digits,
  }
  const glance = writeCsv(Frame.from({
    model: [model.label], nobs: Float64Array.of(fit.nobs), N: Float64Array.of(n), T: Float64Array.of(t),
    logLik: Float64Array.of(fit.logLik), AIC: Float64Array.of(fit.aic), BIC: Float64Array.of(fit.bic), sigma2: Float64Array.of(fit.sigma2),
  }))
  return {
    'table.md': renderMarkdown(table), 'table.tex': renderLatex(table), 'table.html': renderHtml(table), 'table.csv': renderCsv(table),
    'tidy.csv': tidyCsv([{ model: model.label, terms: model.terms }]), 'glance.csv': glance,
  }
}

function effectsFiles(effects: readonly Effect[], label: (s: string) => string, digits: number, model: string): Record<string, string> {
  const z = (e: number, se: number) => zPValue(e / se)
  const csv = writeCsv(Frame.from({
    term: effects.map((e) => e.term),
    direct: Float64Array.from(effects, (e) => e.direct), se_direct: Float64Array.from(effects, (e) => e.seDirect), p_direct: Float64Array.from(effects, (e) => z(e.direct, e.seDirect)),
    indirect: Float64Array.from(effects, (e) => e.indirect), se_indirect: Float64Array.from(effects, (e) => e.seIndirect), p_indirect: Float64Array.from(effects, (e) => z(e.indirect, e.seIndirect)),
    total: Float64Array.from(effects, (e) => e.total), se_total: Float64Array.from(effects, (e) => e.seTotal), p_total: Float64Array.from(effects, (e) => z(e.total, e.seTotal)),
  }))
  const cell = (v: number, se: number) => ({ v: fixed(v, digits), s: stars(z(v, se)), se: `(${fixed(se, digits)})` })
  const rows = effects.flatMap((e) => {
    const c = [cell(e.direct, e.seDirect), cell(e.indirect, e.seIndirect), cell(e.total, e.seTotal)]
    return [{ cells: [label(e.term), ...c.map((x) => x.v)], stars: ['', ...c.map((x) => x.s)] }, { cells: ['', ...c.map((x) => x.se)] }]
  })
  const grid: GridTable = {
    title: `Direct, indirect and total effects (${model.toUpperCase()})`,
    header: ['', 'Direct', 'Indirect', 'Total'], align: ['l', 'c', 'c', 'c'], sections: [{ rows }],
    notes: ['Exact effects (LeSage and Pace 2009); standard errors in parentheses from draws of the estimates\' asymptotic normal distribution.'],
    stars: true,
  }
  const files = gridFiles('effects', grid)
  return { ...files, 'effects.csv': csv }
}

async function gridOutputs(fits: readonly CandidateFit[], chosen: CandidateFit): Promise<Record<string, string>> {
  const hasA = fits.every((f) => f.a !== undefined)
  const csv = writeCsv(Frame.from({
    ...(hasA ? { a: Float64Array.from(fits, (f) => f.a!) } : { candidate: fits.map((f) => f.label) }),
    logLik: Float64Array.from(fits, (f) => f.fit.logLik), AIC: Float64Array.from(fits, (f) => f.fit.aic), BIC: Float64Array.from(fits, (f) => f.fit.bic),
    rho: Float64Array.from(fits, (f) => f.fit.rho), chosen: Float64Array.from(fits, (f) => (f.index === chosen.index ? 1 : 0)),
  }))
  const out: Record<string, string> = { 'grid.csv': csv }
  if (hasA) {
    out['grid.svg'] = await renderSvg(criterionPlot(fits.map((f) => ({ a: f.a!, aic: f.fit.aic, bic: f.fit.bic })), chosen.a!, { xTitle: 'Mixing weight a', title: 'Information criteria over the weights grid' }))
  }
  return out
}

function facts(model: Model, fit: SpatialFit, n: number, t: number, effects: readonly Effect[], chosen: CandidateFit): Record<string, number> {
  const f: Record<string, number> = { nobs: fit.nobs, N: n, T: t, logLik: fit.logLik, AIC: fit.aic, BIC: fit.bic, sigma2: fit.sigma2 }
  if (chosen.a !== undefined) f.a = chosen.a
  for (const x of model.terms) {
    f[`coef(${x.term})`] = x.estimate; f[`se(${x.term})`] = x.stdError; f[`z(${x.term})`] = x.statistic; f[`p(${x.term})`] = x.pValue
  }
  for (const e of effects) {
    f[`direct(${e.term})`] = e.direct; f[`indirect(${e.term})`] = e.indirect; f[`total(${e.term})`] = e.total
    f[`se_direct(${e.term})`] = e.seDirect; f[`se_indirect(${e.term})`] = e.seIndirect; f[`se_total(${e.term})`] = e.seTotal
  }
  return f
}
