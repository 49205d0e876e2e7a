/** The imputation stage's work, loaded on demand by stage.ts (see docs/methods.md, "imputation"). */
import { Frame, numberColumn } from '../../src/artifacts/frame.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import type { Model, Term } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import { coefficientPlot, renderSvg, type CoefPoint } from '../../src/report/figure.ts'
import { gridFiles, type GridRow } from '../../src/report/grid.ts'
import { fixed } from '../../src/report/table.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { fPValue, normalQuantile, zPValue } from '../../src/stats/dist.ts'
import type { Factor } from '../../src/stats/fe/factor.ts'
import { imputationFit, type Estimand, type ImputationFit } from '../../src/stats/imputation/estimate.ts'
import { factorOfName } from '../../src/stats/ols/regress.ts'
import { expandRegressors, withInteractionColumns } from '../../src/stats/ols/terms.ts'
import { namedUnits } from '../../src/stats/balanced.ts'
import { isNeverTreated } from '../../src/stats/treatment.ts'
import { adoptionColumn, atParam, staggeredModel } from '../_estimation/check.ts'
import { fitRegression } from '../_estimation/fit.ts'
import { applySample } from '../_estimation/prepare.ts'
import { specJson, type EstimationSpec, type Origin } from '../_estimation/spec.ts'
import { waldTest } from '../_estimation/wald.ts'
import { DEFAULT_TITLE, type ImputationParams } from './params.ts'

interface Effect {
  readonly h: number
  readonly estimate: number
  readonly se: number
  readonly low: number
  readonly high: number
  readonly n: number
  readonly from: 'imputation' | 'pretrend'
}

export async function runImputation(ctx: StageContext<ImputationParams>): Promise<StageResult> {
  const p = ctx.params
  if (p.horizons && p.horizons[0] > p.horizons[1]) {
    throw new QuasiError('INVALID_VALUE', `Expected \`horizons\` [lo, hi] with lo ≤ hi, got [${p.horizons.join(', ')}]`, { param: ['horizons'], hint: 'e.g. `horizons: [0, 5]`' })
  }
  const { spec, origin, frame: input, panel } = staggeredModel(ctx, 'imputation', 'with adoption timing')
  const adoption = adoptionColumn(spec, p.model, 'the imputation estimator needs each unit\'s adoption period: give the did stage the adoption-year column')
  if (spec.weights) ctx.log.warn(`the imputation estimator is unweighted here: the weights \`${spec.weights}\` of \`${p.model}\` are left out`)
  if (spec.cluster.length > 1) {
    throw new QuasiError('INVALID_VALUE', `the imputation variance clusters on one variable; \`${p.model}\` clusters on ${spec.cluster.map((c) => `\`${c}\``).join(' and ')}`, {
      param: ['model'], hint: 'cluster the did model on one column (usually the panel unit)',
    })
  }
  const clusterName = spec.cluster[0] ?? panel.unit
  if (!spec.cluster.length) ctx.log.info(`\`${p.model}\` has no cluster: the variance clusters on the panel unit \`${panel.unit}\` (the BJS default)`)
  if (!spec.fixed_effects.length) {
    throw new QuasiError('INVALID_SPEC', `\`${p.model}\` has no fixed effects; the imputation model needs unit and period effects`, { param: ['model'] })
  }

  const tc = input.column(panel.time)
  if (!tc || tc.type !== 'number') {
    throw new QuasiError('BAD_DATA', `the panel time column \`${panel.time}\` is ${tc ? 'not numeric' : 'missing from the data'}`, { param: ['model'] })
  }
  // Rows: the sample, then complete cases of every column the model uses.
  const { frame: sampled } = applySample(ctx, spec, origin, input)
  const controls = expandRegressors(spec.controls, sampled.names)
  let data = atParam(() => withInteractionColumns(sampled, controls))
  const factorsAll = atParam(() => spec.fixed_effects.map((f, k) => factorOfName(data, f, 'fixed_effect', k)))
  const clusterAll = atParam(() => factorOfName(data, clusterName, 'cluster', 0))
  {
    const y = data.numbers(spec.outcome), t = data.numbers(panel.time)
    const xs = controls.map((c) => data.numbers(c))
    const keep = new Uint8Array(data.nrows)
    let kept = 0
    for (let i = 0; i < keep.length; i++) {
      const ok = y[i] === y[i] && t[i] === t[i] && xs.every((x) => x[i] === x[i]) && factorsAll.every((f) => f.codes[i] >= 0) && clusterAll.codes[i] >= 0
      keep[i] = ok ? 1 : 0
      kept += keep[i]
    }
    if (kept < data.nrows) {
      ctx.log.info(`${data.nrows - kept} of ${data.nrows} rows dropped (missing outcome, controls, fixed effects or cluster)`)
      data = data.filter(keep)
    }
  }
  if (data.nrows === 0) throw new QuasiError('EMPTY_DATA', 'no rows left with the outcome, controls and fixed effects present', { param: ['model'] })
  const time = data.numbers(panel.time)
  const adopt = data.numbers(adoption)
  checkAbsorbing(data, panel.unit, adopt, adoption)
  const n = data.nrows
  const treated = new Uint8Array(n)
  const event = new Float64Array(n).fill(NaN)
  for (let i = 0; i < n; i++) {
    if (isNeverTreated(adopt[i])) continue
    event[i] = time[i] - adopt[i]
    treated[i] = event[i] >= -p.anticipation ? 1 : 0
  }
  const factors: Factor[] = spec.fixed_effects.map((f, k) => factorOfName(data, f, 'fixed_effect', k))
  const fit = atParam(() => imputationFit({
    y: data.numbers(spec.outcome), factors, controls: controls.map((c) => ({ name: c, values: data.numbers(c) })),
    treated, cohort: adopt, event, cluster: factorOfName(data, clusterName, 'cluster', 0),
  }))
  reportDropped(ctx, fit, data, spec, time, adopt)

  // Estimands: overall (h ≥ 0) and each event time, equal weights on identified treated rows.
  const level = p.level
  const z = normalQuantile(0.5 + level / 2)
  const byH = new Map<number, number>()
  let nPost = 0
  for (let i = 0; i < n; i++) {
    if (!fit.identified[i]) continue
    byH.set(event[i], (byH.get(event[i]) ?? 0) + 1)
    if (event[i] >= 0) nPost++
  }
  if (nPost === 0) {
    throw new QuasiError('NO_VARIATION', 'no treated observation from adoption on has an imputed Y(0)', {
      param: ['model'], hint: 'the imputation needs untreated observations (never-treated or not-yet-treated units) in the periods where units are treated',
    })
  }
  const equalWeights = (sel: (i: number) => boolean, count: number) => Float64Array.from({ length: n }, (_, i) => (fit.identified[i] && sel(i) ? 1 / count : 0))
  const overall = fit.estimand(equalWeights((i) => event[i] >= 0, nPost))
  let hs = [...byH.keys()].sort((a, b) => a - b)
  if (p.horizons) {
    const [lo, hi] = p.horizons
    const missing: number[] = []
    for (let h = Math.max(lo, -p.anticipation); h <= hi; h++) if (!byH.has(h)) missing.push(h)
    if (missing.length) ctx.log.warn(`no treated observation at event time${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of \`horizons\``)
    hs = hs.filter((h) => h >= lo && h <= hi)
  }
  if (p.minn !== undefined) {
    const few = hs.filter((h) => byH.get(h)! < p.minn!)
    if (few.length) ctx.log.info(`event time${few.length > 1 ? 's' : ''} ${few.join(', ')} left out: fewer than minn = ${p.minn} treated observations`)
    hs = hs.filter((h) => byH.get(h)! >= p.minn!)
  }
  const byHorizon = hs.map((h) => fit.estimand(equalWeights((i) => event[i] === h, byH.get(h)!)))
  const effects: Effect[] = byHorizon.map((r, j) => ({ h: hs[j], estimate: r.estimate, se: r.se, low: r.estimate - z * r.se, high: r.estimate + z * r.se, n: r.treated, from: 'imputation' }))
  ctx.log.info(`imputation: ${fit.untreatedRows} untreated observations fit Y(0); overall ATT ${fixed(overall.estimate, 4)} (se ${fixed(overall.se, 4)}) on ${overall.treated} treated observations`)

  const pre = p.pretrends > 0 ? pretrendTest(ctx, spec, origin, data, treated, event, controls, clusterName, z) : undefined
  const facts: Record<string, number> = { att: overall.estimate, se: overall.se, p: zPValue(overall.estimate / overall.se), n_treated: overall.treated }
  for (const e of effects) {
    facts[`att(${e.h})`] = e.estimate
    facts[`se(${e.h})`] = e.se
    facts[`p(${e.h})`] = zPValue(e.estimate / e.se)
  }
  if (pre) {
    facts.pretrend_F = pre.f
    facts.pretrend_p = pre.p
    for (const e of pre.effects) facts[`pre(${e.h})`] = e.estimate
  }
  const all = [...(pre?.effects ?? []), ...effects].sort((a, b) => a.h - b.h)
  const title = p.title ?? DEFAULT_TITLE
  const labels = spec.labels
  const minus = (k: number) => (k < 0 ? `\u2212${-k}` : String(k))
  const points: CoefPoint[] = all.map((e) => ({ k: e.h, label: minus(e.h), estimate: e.estimate, low: e.low, high: e.high }))
  const svg = await renderSvg(coefficientPlot(points, {
    title,
    yTitle: p.y_title ?? `Effect on ${labels[spec.outcome] ?? spec.outcome} (${Math.round(level * 100)} % CI)`,
    xTitle: p.x_title ?? 'Years relative to adoption',
    markAt: -0.5 - p.anticipation,
  }))
  const num = (x: number): number | null => (Number.isFinite(x) ? x : null)
  const model = imputationModel(ctx, spec, data, fit, [spec.term!, ...hs.map(periodLabel)], [overall, ...byHorizon], z, clusterName, controls)
  return {
    model: { models: [model], main: 0 },
    data: {
      outcome: spec.outcome,
      adoption: adoption,
      anticipation: p.anticipation,
      cluster: clusterName,
      untreated_obs: fit.untreatedRows,
      dropped_treated_obs: fit.dropped.size,
      overall: { estimate: overall.estimate, std_error: overall.se, treated_obs: overall.treated },
      ...(pre ? { pretrend: { f: num(pre.f), df1: pre.df1, df2: pre.df2, p: num(pre.p) } } : {}),
      event_study: {
        level,
        band: 'pointwise',
        periods: all.map((e) => ({ k: e.h, estimate: e.estimate, std_error: num(e.se), low: num(e.low), high: num(e.high), reference: false })),
      },
    },
    files: {
      'effects.csv': writeCsv(Frame.from({
        h: Float64Array.from(all, (e) => e.h),
        estimate: Float64Array.from(all, (e) => e.estimate),
        se: Float64Array.from(all, (e) => e.se),
        low: Float64Array.from(all, (e) => e.low),
        high: Float64Array.from(all, (e) => e.high),
        n_treated: Float64Array.from(all, (e) => e.n),
        from: all.map((e) => e.from),
      })),
      ...gridFiles('table', {
        title,
        header: ['', 'Estimate', 'Std. error', `${Math.round(level * 100)} % CI`, 'Treated obs.'],
        align: ['l', 'c', 'c', 'c', 'c'],
        sections: [
          { rows: [row('Overall ATT (h ≥ 0)', overall.estimate, overall.se, z, overall.treated)] },
          { rows: all.map((e) => row(e.from === 'pretrend' ? `Pre-trend, h = ${minus(e.h)}` : `h = ${minus(e.h)}`, e.estimate, e.se, z, e.n)) },
          ...(pre ? [{ rows: [{ cells: [`Pre-trend F(${pre.df1}, ${pre.df2})`, `${fixed(pre.f, 3)} [p = ${fixed(pre.p, 3)}]`, '', '', ''] }] }] : []),
        ],
        notes: [
          'Imputation estimator of Borusyak, Jaravel and Spiess (2024): unit and period effects' + (controls.length ? ' and controls' : '') +
          ` fitted on the ${fit.untreatedRows} untreated observations, Y(0) imputed for treated ones; h is the period relative to adoption.` +
          ` Conservative standard errors clustered by ${clusterName} (BJS Theorem 3, residuals of treated observations net of cohort × event-time means).`,
          ...(pre ? [`Pre-trend coefficients: regression on untreated observations with indicators of the ${p.pretrends} period(s) before ${p.anticipation ? 'anticipation' : 'adoption'}, the model's standard errors.`] : []),
        ],
      }),
      'event_study.svg': svg,
    },
    facts,
  }
}

/** Term names as event-study names its periods (pre2, current, post3), so that tables align them. */
function periodLabel(k: number): string {
  return k < 0 ? `pre${-k}` : k === 0 ? 'current' : `post${k}`
}

/**
 * The model artifact, so that `table` stages can show the imputation estimates next to a did
 * or event study: the overall ATT under the did model's term (e.g. `did`), the event-time
 * effects under event-study's period names; covariance Σ_c s_c s_c' from the cluster scores.
 */
function imputationModel(
  ctx: StageContext<ImputationParams>, spec: EstimationSpec, data: Frame, fit: ImputationFit,
  names: readonly string[], estimands: readonly Estimand[], z: number, cluster: string, controls: readonly string[],
): Model {
  const k = estimands.length
  const vcov = new Array<number>(k * k).fill(0)
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0
      const sa = estimands[a].scores, sb = estimands[b].scores
      for (let c = 0; c < sa.length; c++) s += sa[c] * sb[c]
      vcov[a * k + b] = vcov[b * k + a] = s
    }
  }
  const terms: Term[] = estimands.map((r, j) => ({
    term: names[j], estimate: r.estimate, stdError: r.se, statistic: r.estimate / r.se, pValue: zPValue(r.estimate / r.se),
    confLow: r.estimate - z * r.se, confHigh: r.estimate + z * r.se,
  }))
  const panel = ctx.panel!
  const unit = data.column(panel.unit)!, time = data.numbers(panel.time)
  const rows: number[] = []
  for (let i = 0; i < data.nrows; i++) if (fit.identified[i] || !fit.treated[i]) rows.push(i)
  const G = estimands[0].scores.length
  return {
    label: '(1)', stage: ctx.stage, kind: ctx.kind, estimator: 'imputation', outcome: spec.outcome, focus: names[0],
    terms, vcov, nobs: rows.length, dfResidual: NaN, dfT: G - 1, nClusters: [G],
    variance: {
      type: 'cluster', smallSample: 'cr0', cluster: [cluster],
      label: `Conservative standard errors clustered by ${cluster} in parentheses (Borusyak, Jaravel and Spiess 2024, Theorem 3; normal p-values).`,
    },
    fit: { r2: NaN, adjR2: NaN, withinR2: NaN, logLik: NaN, aic: NaN, bic: NaN },
    fixedEffects: [...spec.fixed_effects], controls: [...controls],
    sample: { unit: panel.unit, time: panel.time, keys: rows.map((i) => [unit.data[i] ?? '', time[i]] as [string | number, number]) },
    ...(spec.sample ? { subset: spec.sample } : {}),
    spec: specJson(spec), labels: { ...spec.labels },
    notes: ['Imputation estimator (Borusyak, Jaravel and Spiess 2024): effects of treated observations against Y(0) imputed from unit and period effects fitted on untreated observations; the treatment row is the overall ATT (event times ≥ 0), `current`, `postK` the effects at event times 0, K.'],
  }
}

function row(label: string, est: number, se: number, z: number, n: number): GridRow {
  return { cells: [label, fixed(est, 3), fixed(se, 3), `[${fixed(est - z * se, 3)}, ${fixed(est + z * se, 3)}]`, String(n)] }
}

/** Adoption must be one value per unit (absorbing treatment); otherwise name the units. */
function checkAbsorbing(data: Frame, unitName: string, adopt: Float64Array, adoption: string): void {
  const unit = data.column(unitName)
  if (!unit) throw new QuasiError('MISSING_COLUMN', `the panel unit column \`${unitName}\` is not a column of the data`, { param: ['model'] })
  const seen = new Map<string, number>()
  const bad = new Set<string>()
  for (let i = 0; i < data.nrows; i++) {
    const u = String(unit.data[i])
    const a = isNeverTreated(adopt[i]) ? 0 : adopt[i]
    const prev = seen.get(u)
    if (prev === undefined) seen.set(u, a)
    else if (prev !== a) bad.add(u)
  }
  if (bad.size) {
    const list = [...bad]
    throw new QuasiError('BAD_DATA', `the adoption period \`${adoption}\` changes within unit${list.length > 1 ? 's' : ''} ${namedUnits(list)}: the treatment switches off or adoption is recoded`, {
      param: ['model'], expected: 'one adoption period per unit (absorbing treatment)',
      hint: 'the imputation estimator assumes treatment stays on after adoption; give each unit its first adoption period',
    })
  }
}

/** Warn about treated observations whose Y(0) cannot be imputed, by cause. */
function reportDropped(ctx: StageContext<ImputationParams>, fit: ImputationFit, data: Frame, spec: EstimationSpec, time: Float64Array, adopt: Float64Array): void {
  if (!fit.dropped.size) return
  const byFactor = new Map<number, Set<string>>()
  let disconnected = 0
  for (const [i, why] of fit.dropped) {
    if (why.factor < 0) { disconnected++; continue }
    const name = spec.fixed_effects[why.factor]
    const col = data.column(name)
    const label = col ? String(col.data[i]) : `${time[i]}/${adopt[i]}`
    const set = byFactor.get(why.factor) ?? new Set<string>()
    set.add(label)
    byFactor.set(why.factor, set)
  }
  const parts: string[] = []
  for (const [k, set] of byFactor) {
    const list = [...set]
    parts.push(`\`${spec.fixed_effects[k]}\` ${list.slice(0, 8).join(', ')}${list.length > 8 ? ` and ${list.length - 8} more` : ''} (no untreated observation)`)
  }
  if (disconnected) parts.push(`${disconnected} in cells not connected to their unit through untreated observations`)
  const timeDropped = ctx.panel && spec.fixed_effects.indexOf(ctx.panel.time) >= 0 && byFactor.has(spec.fixed_effects.indexOf(ctx.panel.time))
  ctx.log.warn(`${fit.dropped.size} treated observations cannot be imputed and are dropped: ${parts.join('; ')}` +
    (timeDropped ? '. Periods with no untreated observation have no never-treated and no not-yet-treated unit left to identify their period effect' : ''))
}

/** BJS test 1: on untreated observations, the model plus indicators of the pre-adoption periods. */
function pretrendTest(
  ctx: StageContext<ImputationParams>, spec: EstimationSpec, origin: Origin, data: Frame,
  treated: Uint8Array, event: Float64Array, controls: readonly string[], cluster: string, z: number,
) {
  const p = ctx.params
  const keep = Uint8Array.from(treated, (t) => 1 - t)
  let untreated = data.filter(keep)
  const ev = event.filter((_, i) => keep[i])
  const names: string[] = []
  const ks: number[] = []
  for (let k = 1; k <= p.pretrends; k++) {
    const h = -p.anticipation - k
    const name = `pre${k}`
    if (untreated.has(name)) ctx.log.warn(`column \`${name}\` of the data is replaced by the pre-trend indicator`)
    untreated = untreated.withColumn(name, numberColumn(Float64Array.from(ev, (e) => (e === h ? 1 : 0))))
    names.push(name)
    ks.push(h)
  }
  const pspec = { ...spec, term: undefined, cluster: [cluster], vcov: 'cluster' as const, singletons: 'keep' as const, weights: null, sample: null, stepwise: false }
  const result = fitRegression(untreated, pspec, origin, [...names, ...controls], { level: p.level })
  const dropped = names.filter((n) => result.collinear.includes(n))
  if (dropped.length) ctx.log.warn(`pre-trend indicator${dropped.length > 1 ? 's' : ''} ${dropped.join(', ')} dropped (no untreated observation at that event time)`)
  const kept = names.filter((n) => !dropped.includes(n))
  const w = waldTest(result, kept)
  const pv = fPValue(w.f, w.df1, result.dfT)
  ctx.log.info(`pre-trend test: F(${w.df1}, ${result.dfT}) = ${fixed(w.f, 3)}, p = ${fixed(pv, 3)}`)
  const counts = names.map((n) => untreated.numbers(n).reduce((s, v) => s + v, 0))
  const effects: Effect[] = []
  names.forEach((n, j) => {
    const t = result.terms.find((r) => r.term === n)
    if (!t || dropped.includes(n)) return
    effects.push({ h: ks[j], estimate: t.estimate, se: t.stdError, low: t.estimate - z * t.stdError, high: t.estimate + z * t.stdError, n: counts[j], from: 'pretrend' })
  })
  return { f: w.f, df1: w.df1, df2: result.dfT, p: pv, effects }
}

