/** The mediation stage's work, loaded on demand by stage.ts (see docs/methods.md, "mediation"). */
import { Frame } from '../../src/artifacts/frame.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import { QuasiError } from '../../src/errors.ts'
import { forestPlot, renderSvg } from '../../src/report/figure.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import type { Factor } from '../../src/stats/fe/factor.ts'
import { runBootstrap, type BootJob } from '../../src/stats/mediation/bootstrap.ts'
import { bootDesign, type DrawCoefficients, type MediationData } from '../../src/stats/mediation/design.ts'
import { indirectTests } from '../../src/stats/mediation/indirect.ts'
import { bootSummary, type BootSummary } from '../../src/stats/mediation/intervals.ts'
import { factorOfName } from '../../src/stats/ols/regress.ts'
import { requireDidModel } from '../_estimation/check.ts'
import { labeller, tableFiles } from '../_estimation/outputs.ts'
import { applySample, checkVariation, withTreatment } from '../_estimation/prepare.ts'
import { resolveSpec, type EstimationSpec, type SpecInput } from '../_estimation/spec.ts'
import { DEFAULT_BOOTSTRAP, DEFAULT_TITLE, type MediationParams } from './params.ts'
import { readResamples } from './resamples.ts'
import { checkMediators, fitMediator, type MediatorFit, type TotalFits } from './steps.ts'
import { mechanismTable } from './table.ts'

export async function runMediation(ctx: StageContext<MediationParams>): Promise<StageResult> {
  const p = ctx.params
  requireDidModel(ctx, 'whose effect to decompose')
  const { spec, origin, frame: input } = resolveSpec(ctx as unknown as StageContext<SpecInput>, { needs: 'treatment' })
  const term = spec.term!
  const frame = withTreatment(ctx, spec, origin, input)
  const { frame: data } = applySample(ctx, spec, origin, frame)
  checkVariation(spec, origin, data)
  checkMediators(p.mediators, spec, data)
  if (p.steps === 'two' && (p.bootstrap !== undefined || p.resamples !== undefined)) ctx.log.warn('`steps: two` estimates no b, so there is no a·b to bootstrap: `bootstrap` and `resamples` are ignored')

  const totals: TotalFits = []
  const fits = p.mediators.map((m, k) => {
    if (ctx.signal.aborted) throw new QuasiError('CANCELLED', 'cancelled')
    return fitMediator(ctx, data, spec, origin, m, k, p.steps, totals)
  })
  const label = labeller(fits.flatMap((f) => [f.models.a, f.models.total]), p.labels)
  const rows = fits.map((f) => summarizeStep(f, term))
  for (const r of rows) ctx.log.info(`${r.mediator}: a = ${r.a.toPrecision(4)} (se ${r.seA.toPrecision(3)})${p.steps === 'three' ? `, b = ${r.b.toPrecision(4)} (se ${r.seB.toPrecision(3)}), a·b = ${(r.a * r.b).toPrecision(4)}` : ''}, N = ${r.nobs}`)

  const table = mechanismTable(fits, { title: spec.title ?? DEFAULT_TITLE, term, labels: { ...spec.labels, ...(p.labels ?? {}) }, digits: spec.digits, steps: p.steps })
  const models = fits.flatMap((f) => [f.models.total, f.models.a, ...(f.models.b ? [f.models.b] : [])])
  const files: Record<string, string> = tableFiles(table, models, models.map((m) => m.label))
  const facts: Record<string, number> = { mediators: fits.length }

  if (p.steps === 'two') {
    files['indirect.csv'] = writeCsv(Frame.from({
      mediator: rows.map((r) => r.mediator),
      a: col(rows, (r) => r.a), se_a: col(rows, (r) => r.seA), t_a: col(rows, (r) => r.a / r.seA), p_a: col(rows, (r) => r.pA),
      total: col(rows, (r) => r.total), nobs: col(rows, (r) => r.nobs),
    }))
    for (const r of rows) Object.assign(facts, { [`a(${r.mediator})`]: r.a, [`se_a(${r.mediator})`]: r.seA, [`p_a(${r.mediator})`]: r.pA, [`total(${r.mediator})`]: r.total })
    return { data: { steps: 'two', term, mediators: p.mediators }, files, facts }
  }

  const { draws, job } = await bootstrapDraws(ctx, data, spec, fits)
  const R = draws.a.length / fits.length
  const M = fits.length
  const summaries: BootSummary[] = rows.map((r, k) => bootSummary(Float64Array.from({ length: R }, (_, d) => draws.a[d * M + k] * draws.b[d * M + k]), r.a * r.b, p.level))
  summaries.forEach((s, k) => { if (s.used < R) ctx.log.warn(`${rows[k].mediator}: ${R - s.used} of ${R} bootstrap draws have no estimate (the treatment or the mediator collinear with the fixed effects and controls in that resample); they are left out`) })
  const tests = rows.map((r) => indirectTests(r.a, r.seA, r.b, r.seB))
  const ci = (s: BootSummary) => (p.interval === 'bc' ? s.bc : s.percentile)

  files['indirect.csv'] = writeCsv(Frame.from({
    mediator: rows.map((r) => r.mediator),
    a: col(rows, (r) => r.a), se_a: col(rows, (r) => r.seA), p_a: col(rows, (r) => r.pA),
    b: col(rows, (r) => r.b), se_b: col(rows, (r) => r.seB), p_b: col(rows, (r) => r.pB),
    indirect: col(rows, (r) => r.a * r.b),
    z_sobel: col(tests, (t) => t.sobel.z), p_sobel: col(tests, (t) => t.sobel.p),
    z_aroian: col(tests, (t) => t.aroian.z), p_aroian: col(tests, (t) => t.aroian.p),
    z_goodman: col(tests, (t) => t.goodman.z), p_goodman: col(tests, (t) => t.goodman.p),
    boot_draws: col(summaries, (s) => s.used), boot_se: col(summaries, (s) => s.sd),
    ci_low_percentile: col(summaries, (s) => s.percentile.low), ci_high_percentile: col(summaries, (s) => s.percentile.high),
    ci_low_bc: col(summaries, (s) => s.bc.low), ci_high_bc: col(summaries, (s) => s.bc.high),
    total: col(rows, (r) => r.total), direct: col(rows, (r) => r.direct), share: col(rows, (r) => (r.a * r.b) / r.total),
    nobs: col(rows, (r) => r.nobs),
  }))
  files['draws.csv'] = writeCsv(Frame.from({
    draw: Float64Array.from({ length: R * M }, (_, i) => Math.floor(i / M) + 1),
    mediator: Array.from({ length: R * M }, (_, i) => rows[i % M].mediator),
    a: draws.a, b: draws.b, indirect: draws.a.map((a, i) => a * draws.b[i]),
  }))
  const levelPct = `${+(p.level * 100).toFixed(6)} %`
  files['indirect.svg'] = await renderSvg(forestPlot(rows.map((r, k) => ({ label: label(r.mediator), estimate: r.a * r.b, low: ci(summaries[k]).low, high: ci(summaries[k]).high })), {
    xTitle: `Indirect effect a·b on ${label(spec.outcome)} (${levelPct} ${p.interval === 'bc' ? 'bias-corrected' : 'percentile'} bootstrap CI)`,
    labelLimit: 320,
  }))
  rows.forEach((r, k) => {
    const m = r.mediator, s = summaries[k], t = tests[k]
    Object.assign(facts, {
      [`indirect(${m})`]: r.a * r.b, [`a(${m})`]: r.a, [`b(${m})`]: r.b, [`se_a(${m})`]: r.seA, [`se_b(${m})`]: r.seB, [`p_a(${m})`]: r.pA, [`p_b(${m})`]: r.pB,
      [`z_sobel(${m})`]: t.sobel.z, [`p_sobel(${m})`]: t.sobel.p, [`p_aroian(${m})`]: t.aroian.p, [`p_goodman(${m})`]: t.goodman.p,
      [`ci_low(${m})`]: ci(s).low, [`ci_high(${m})`]: ci(s).high, [`share(${m})`]: (r.a * r.b) / r.total, [`total(${m})`]: r.total, [`direct(${m})`]: r.direct,
    })
    ctx.log.info(`${m}: a·b = ${(r.a * r.b).toPrecision(4)}, Sobel p = ${t.sobel.p.toPrecision(3)}, ${levelPct} CI [${ci(s).low.toPrecision(4)}, ${ci(s).high.toPrecision(4)}] (${p.interval}), share ${((r.a * r.b) / r.total).toPrecision(3)}`)
  })
  facts.draws = R
  return { data: { steps: 'three', term, mediators: p.mediators, draws: R, replay: job.kind === 'replay' }, files, facts }
}

interface StepRow {
  readonly mediator: string
  readonly a: number
  readonly seA: number
  readonly pA: number
  readonly b: number
  readonly seB: number
  readonly pB: number
  readonly total: number
  readonly direct: number
  readonly nobs: number
}

function summarizeStep(f: MediatorFit, term: string): StepRow {
  const find = (r: MediatorFit['a'], t: string) => r.terms.find((x) => x.term === t)!
  const a = find(f.a, term), total = find(f.total, term)
  const b = f.b ? find(f.b, f.mediator) : undefined
  const direct = f.b ? find(f.b, term) : undefined
  return {
    mediator: f.mediator, a: a.estimate, seA: a.stdError, pA: a.pValue,
    b: b?.estimate ?? NaN, seB: b?.stdError ?? NaN, pB: b?.pValue ?? NaN,
    total: total.estimate, direct: direct?.estimate ?? NaN, nobs: f.a.nobs,
  }
}

function col<T>(xs: readonly T[], f: (x: T) => number): Float64Array {
  return Float64Array.from(xs, f)
}

/**
 * The bootstrap draws of a and b: clusters are the model's (first) cluster variable, else the
 * panel unit, else the rows; drawn at random from the stage's seed or replayed from `resamples`.
 */
async function bootstrapDraws(ctx: StageContext<MediationParams>, data: Frame, spec: EstimationSpec, fits: readonly MediatorFit[]): Promise<{ draws: DrawCoefficients; job: BootJob }> {
  const p = ctx.params
  let clusterName: string | undefined = spec.cluster[0] ?? ctx.panel?.unit
  if (spec.cluster.length > 1) ctx.log.warn(`the bootstrap resamples clusters of \`${spec.cluster[0]}\` only (the model clusters two ways)`)
  if (clusterName !== undefined && !data.has(clusterName) && !clusterName.includes(':')) clusterName = undefined
  if (clusterName === undefined) ctx.log.info('no cluster variable or panel unit: the bootstrap resamples rows')
  const cluster: Factor = clusterName !== undefined
    ? factorOfName(data, clusterName, 'cluster', 0)
    : { codes: Int32Array.from({ length: data.nrows }, (_, i) => i), levels: data.nrows }
  const controlColumn = (c: string) => (data.has(c) || !c.includes(':') ? data.numbers(c) : c.split(':').map((x) => data.numbers(x.trim())).reduce((u, v) => u.map((x, i) => x * v[i])))
  const md: MediationData = {
    y: data.numbers(spec.outcome), d: data.numbers(spec.term!),
    mediators: fits.map((f) => data.numbers(f.mediator)),
    controls: spec.controls.map(controlColumn),
    fixedEffects: spec.fixed_effects.map((f, k) => factorOfName(data, f, 'fixed_effect', k)),
    cluster,
    ...(spec.weights ? { weights: data.numbers(spec.weights) } : {}),
    rows: fits.map((f) => f.rows),
  }
  let design
  try {
    design = bootDesign(md)
  } catch (err) {
    if (err instanceof QuasiError && err.param === undefined) throw new QuasiError(err.code, err.message, { param: ['model'], hint: err.hint, cause: err })
    throw err
  }
  let job: BootJob
  if (p.resamples !== undefined) {
    const col = clusterName !== undefined ? data.column(clusterName) : undefined
    if (!col) throw new QuasiError('INVALID_VALUE', '`resamples` names clusters, but the model has no plain cluster column to match them against', { param: ['resamples'], hint: 'cluster the `model:` stage by a column (e.g. the panel unit)' })
    const labels: string[] = []
    for (let i = 0; i < data.nrows; i++) if (cluster.codes[i] >= 0 && labels[cluster.codes[i]] === undefined) labels[cluster.codes[i]] = String(col.data[i] ?? '')
    const index = new Map(Array.from(design.clusterCodes, (code, k) => [labels[code], k] as [string, number]))
    job = { kind: 'replay', counts: readResamples(ctx.files.resamples, index, clusterName!) }
    if (p.bootstrap !== undefined) ctx.log.warn('`bootstrap` is ignored: the draws are those of `resamples`')
  } else {
    job = { kind: 'random', draws: p.bootstrap ?? DEFAULT_BOOTSTRAP, rngPath: [...ctx.rng.path] }
  }
  ctx.log.info(`cluster bootstrap over ${design.clusters} clusters${clusterName ? ` of \`${clusterName}\`` : ''}: ${job.kind === 'replay' ? `${job.counts.length} replayed draws` : `${job.draws} draws`}`)
  const draws = await runBootstrap(design, job, { threads: ctx.threads, signal: ctx.signal, progress: (d, t) => ctx.progress(d, t) })
  return { draws, job }
}
