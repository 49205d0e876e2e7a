/** The cs-did stage's work, loaded on demand by stage.ts (see docs/methods.md, "cs-did"). */
import { Frame } from '../../src/artifacts/frame.ts'
import type { Json } from '../../src/artifacts/json.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import { QuasiError } from '../../src/errors.ts'
import { coefficientPlot, renderSvg, type CoefPoint } from '../../src/report/figure.ts'
import { gridFiles, type GridTable } from '../../src/report/grid.ts'
import { fixed } from '../../src/report/table.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { normalQuantile, zPValue } from '../../src/stats/dist.ts'
import { aggregate, seOf, type Aggregation, type AggregationType, type Clusters } from '../../src/stats/csdid/aggregate.ts'
import { attGt, type AttGtResult } from '../../src/stats/csdid/attgt.ts'
import { multiplierBootstrap } from '../../src/stats/csdid/bootstrap.ts'
import { csPanel } from '../../src/stats/csdid/panel.ts'
import { atParam, staggeredModel } from '../_estimation/check.ts'
import { applySample } from '../_estimation/prepare.ts'
import { paramOf } from '../_estimation/spec.ts'
import { DEFAULT_TITLE, type CsDidParams } from './params.ts'

/** One reported estimate: the aggregation's point with the standard error in use and its interval. */
interface Row {
  readonly key: number | null
  readonly att: number
  readonly se: number
  readonly seAnalytic: number
  readonly low: number
  readonly high: number
  readonly reference: boolean
}

interface Reported {
  readonly type: AggregationType
  readonly overall: Row
  readonly points: readonly Row[]
  /** Critical value of the uniform band of the points (dynamic, with the bootstrap), else null. */
  readonly crit: number | null
}

export async function runCsDid(ctx: StageContext<CsDidParams>): Promise<StageResult> {
  const p = ctx.params
  const { spec, origin, frame: input, panel } = staggeredModel(ctx, 'cs-did', 'with adoption timing')
  const treatment = spec.treatment!
  const { frame: data } = applySample(ctx, spec, origin, input)
  if (spec.weights) ctx.log.warn(`the estimator is unweighted: the weights \`${spec.weights}\` of \`${p.model}\` are left out`)

  const covariates = p.covariates ?? spec.controls
  const covParam = p.covariates !== undefined ? ['covariates'] : paramOf(origin, 'controls')
  covariates.forEach((c, k) => {
    const col = data.column(c)
    if (!col) throw new QuasiError('MISSING_COLUMN', `the covariate \`${c}\` is not a column of the data`, { param: p.covariates !== undefined ? ['covariates', k] : covParam })
    if (col.type !== 'number') throw new QuasiError('BAD_DATA', `the covariate \`${c}\` is not numeric`, { param: p.covariates !== undefined ? ['covariates', k] : covParam })
  })
  const unit = data.column(panel.unit)
  if (!unit) throw new QuasiError('MISSING_COLUMN', `the panel unit column \`${panel.unit}\` is not a column of the data`, { param: ['model'] })
  const trName = typeof treatment === 'object' ? treatment.adoption : treatment
  const cs = atParam(() => csPanel({
    unit: { name: panel.unit, values: unit.data as ArrayLike<unknown> },
    time: { name: panel.time, values: data.numbers(panel.time) },
    outcome: { name: spec.outcome, values: data.numbers(spec.outcome) },
    treatment: { name: trName, values: data.numbers(trName), kind: typeof treatment === 'object' ? 'adoption' : 'indicator' },
    covariates: covariates.map((c) => ({ name: c, values: data.numbers(c) })),
  }))
  const method = covariates.length ? p.method : 'none'
  const clusterCol = clusterColumn(ctx, spec.cluster, panel.unit)
  const r = atParam(() => {
    try {
      return attGt(cs, { control: p.control, base: p.base, anticipation: p.anticipation, method })
    } catch (err) {
      if (err instanceof QuasiError && err.code === 'NO_VARIATION' && /never treated/.test(err.message)) err.param = ['control']
      if (err instanceof QuasiError && err.code === 'SINGULAR_DESIGN') err.param = covParam
      throw err
    }
  })
  for (const f of r.dropped.firstPeriod) {
    const when = p.anticipation ? `by period ${cs.times[0] + p.anticipation} (the first period ${cs.times[0]} plus the anticipation ${p.anticipation})` : `in the first period ${cs.times[0]}`
    ctx.log.warn(`group ${f.group} (${f.units} unit${f.units > 1 ? 's' : ''}) is treated ${when}: it has no pre-treatment period to compare with and is dropped`)
  }
  if (r.dropped.lastGroupAsControl !== null) {
    ctx.log.info(`no unit is never treated: periods from ${r.dropped.periodsFrom} on are left out and the last group (${r.dropped.lastGroupAsControl}) is the comparison group`)
  }
  const clusters = clusterCol ? atParam(() => unitClusters(data, panel.unit, clusterCol, r.units), paramOf(origin, 'cluster')) : undefined
  if (clusters) ctx.log.info(`standard errors clustered by \`${clusterCol}\` (${clusters.count} clusters)`)
  const unconverged = r.cells.filter((c) => !c.converged)
  if (unconverged.length) ctx.log.warn(`the propensity score did not converge in ${unconverged.length} comparison${unconverged.length > 1 ? 's' : ''} (first: group ${unconverged[0].group}, period ${unconverged[0].time}): check the overlap of the covariates`)
  ctx.log.info(`${r.cells.length} ATT(g,t) for groups ${r.groups.join(', ')} on ${r.n} units × ${r.times.length} periods; ${method === 'none' ? 'no covariates' : `${method} with ${covariates.map((c) => `\`${c}\``).join(', ')}`}, ${p.control} treated comparison units, ${p.base} base period`)

  const z = normalQuantile(1 - (1 - p.level) / 2)
  if (p.uniform && p.bootstrap === 0 && p.aggregate.includes('dynamic')) ctx.log.info('bootstrap: 0, so the event study has pointwise intervals (a uniform band needs the bootstrap)')
  const reported = p.aggregate.map((type) => report(ctx, r, type, z, clusters))
  const cellSe = cellErrors(ctx, r, z, clusters)
  const files: Record<string, string> = {
    'attgt.csv': writeCsv(Frame.from({
      group: Float64Array.from(r.cells, (c) => c.group),
      time: Float64Array.from(r.cells, (c) => c.time),
      base: Float64Array.from(r.cells, (c) => c.base),
      att: Float64Array.from(r.cells, (c) => c.att),
      se: cellSe.se,
      low: Float64Array.from(r.cells, (c, k) => c.att - cellSe.crit * cellSe.se[k]),
      high: Float64Array.from(r.cells, (c, k) => c.att + cellSe.crit * cellSe.se[k]),
      se_analytic: cellSe.analytic,
      treated: Float64Array.from(r.cells, (c) => c.treated),
      controls: Float64Array.from(r.cells, (c) => c.controls),
    })),
  }
  const title = p.title ?? DEFAULT_TITLE
  const notes = tableNotes(p, method, covariates, r, clusters ? `by ${clusterCol} (${clusters.count} clusters)` : 'by unit')
  for (const a of reported) Object.assign(files, gridFiles(a.type, aggregationTable(a, title, p.level, notes)))

  const facts: Record<string, number> = { cells: r.cells.length }
  if (cellSe.uniform) facts['crit(attgt)'] = cellSe.crit
  for (const a of reported) {
    if (a.type === 'simple') {
      facts.att = a.overall.att; facts.se = a.overall.se; facts.p = zPValue(a.overall.att / a.overall.se)
      continue
    }
    const key = KEY[a.type]
    if (Number.isFinite(a.overall.att)) facts[`att(${a.type})`] = a.overall.att
    for (const pt of a.points) {
      facts[`att(${key}=${pt.key})`] = pt.att
      if (Number.isFinite(pt.se)) facts[`se(${key}=${pt.key})`] = pt.se
    }
    if (a.crit !== null) facts[a.type === 'dynamic' ? 'crit' : `crit(${a.type})`] = a.crit
  }

  const dyn = reported.find((a) => a.type === 'dynamic')
  let eventStudy: Json = null
  if (dyn) {
    const band = dyn.crit !== null ? 'uniform' : 'pointwise'
    const minus = (k: number) => (k < 0 ? `\u2212${-k}` : String(k))
    const points: CoefPoint[] = dyn.points.map((pt) => ({ k: pt.key!, label: minus(pt.key!), estimate: pt.att, low: pt.low, high: pt.high, reference: pt.reference }))
    files['event_study.svg'] = await renderSvg(coefficientPlot(points, {
      title: `${title}: event study`,
      yTitle: p.y_title ?? `ATT (${Math.round(p.level * 100)} % ${band === 'uniform' ? 'uniform band' : 'CI'})`,
      xTitle: p.x_title ?? 'Periods relative to adoption',
      markAt: -0.5 - p.anticipation,
    }))
    eventStudy = {
      level: p.level, band,
      periods: dyn.points.map((pt) => ({ k: pt.key, estimate: pt.att, std_error: pt.reference ? null : num(pt.se), low: pt.reference ? 0 : num(pt.low), high: pt.reference ? 0 : num(pt.high), reference: pt.reference })),
    }
  }
  return {
    data: {
      units: r.n, periods: [...r.times], groups: [...r.groups],
      control: p.control, base: p.base, anticipation: p.anticipation, method, covariates: [...covariates],
      bootstrap: p.bootstrap, level: p.level,
      attgt: r.cells.map((c, k) => ({ group: c.group, time: c.time, att: c.att, se: num(cellSe.se[k]), se_analytic: num(cellSe.analytic[k]), treated: c.treated, controls: c.controls })),
      attgt_band: cellSe.uniform ? 'uniform' : 'pointwise',
      aggregations: Object.fromEntries(reported.map((a): [string, Json] => [a.type, {
        att: a.overall.att, se: num(a.overall.se), se_analytic: num(a.overall.seAnalytic), crit: a.crit,
        points: a.points.map((pt) => ({ [KEY[a.type]]: pt.key, att: pt.att, se: num(pt.se), se_analytic: num(pt.seAnalytic), low: num(pt.low), high: num(pt.high) })),
      }])),
      ...(eventStudy ? { event_study: eventStudy } : {}),
    },
    files,
    facts,
  }
}

const KEY: Record<AggregationType, string> = { simple: '', dynamic: 'e', group: 'g', calendar: 't' }

/**
 * Standard errors of the ATT(g,t) themselves: analytic, or (bootstrap > 0) the multiplier
 * bootstrap over all cells jointly with a uniform band when `uniform` (as did's att_gt).
 */
function cellErrors(ctx: StageContext<CsDidParams>, r: AttGtResult, z: number, clusters?: Clusters): { analytic: Float64Array; se: Float64Array; crit: number; uniform: boolean } {
  const p = ctx.params
  const analytic = Float64Array.from(r.cells, (c) => (clusters && !c.reference ? seOf(c.inf, r.n, clusters) : c.se))
  const se = analytic.slice()
  if (p.bootstrap === 0) return { analytic, se, crit: z, uniform: false }
  const live = r.cells.map((c, k) => (c.reference ? -1 : k)).filter((k) => k >= 0)
  const b = multiplierBootstrap(live.map((k) => r.cells[k].inf), { draws: p.bootstrap, weights: p.multiplier, level: p.level, rng: ctx.rng.fork('bootstrap').fork('attgt'), cluster: clusters })
  live.forEach((k, j) => { se[k] = b.se[j] })
  if (!p.uniform) return { analytic, se, crit: z, uniform: false }
  if (!(Number.isFinite(b.crit) && b.crit >= z)) {
    ctx.log.warn(`the ATT(g,t)'s uniform critical value (${b.crit}) is below the pointwise one or missing: pointwise intervals instead`)
    return { analytic, se, crit: z, uniform: false }
  }
  return { analytic, se, crit: b.crit, uniform: true }
}

function report(ctx: StageContext<CsDidParams>, r: AttGtResult, type: AggregationType, z: number, clusters?: Clusters): Reported {
  const p = ctx.params
  const windowParam = p.balance_e !== undefined ? ['balance_e'] : p.min_e !== undefined ? ['min_e'] : ['max_e']
  const a: Aggregation = atParam(() => aggregate(r, type, { balance_e: p.balance_e ?? null, min_e: p.min_e, max_e: p.max_e }), type === 'dynamic' ? windowParam : ['max_e'])
  // A universal base period's own cell is 0 by construction: it is the reference of the dynamic aggregation.
  const isRef = (pt: Aggregation['points'][number]) => type === 'dynamic' && p.base === 'universal' && pt.key === -1 - p.anticipation
  const analytic = (pt: Aggregation['points'][number]) => (clusters ? seOf(pt.inf, r.n, clusters) : pt.se)
  let seOverall = analytic(a.overall), sePoints = a.points.map((pt) => (isRef(pt) ? NaN : analytic(pt))), crit: number | null = null
  if (p.bootstrap > 0) {
    const rng = ctx.rng.fork('bootstrap').fork(type)
    const opts = { draws: p.bootstrap, weights: p.multiplier, level: p.level, cluster: clusters }
    seOverall = multiplierBootstrap([a.overall.inf], { ...opts, rng: rng.fork('overall') }).se[0]
    if (a.points.length) {
      const b = multiplierBootstrap(a.points.map((pt) => pt.inf), { ...opts, rng: rng.fork('points') })
      sePoints = Array.from(b.se, (s, k) => (isRef(a.points[k]) ? NaN : s))
      if (p.uniform) {
        // As aggte: a band narrower than the pointwise interval, or no critical value, falls back to pointwise.
        if (Number.isFinite(b.crit) && b.crit >= z) crit = b.crit
        else ctx.log.warn(`the ${type} aggregation's uniform critical value (${b.crit}) is below the pointwise one or missing: pointwise intervals instead`)
      }
    }
  }
  const row = (pt: Aggregation['points'][number], se: number, c: number, ref: boolean): Row => ({
    key: pt.key, att: pt.att, se, seAnalytic: ref ? NaN : analytic(pt), low: ref ? 0 : pt.att - c * se, high: ref ? 0 : pt.att + c * se, reference: ref,
  })
  return {
    type, crit,
    overall: row(a.overall, seOverall, z, false),
    points: a.points.map((pt, k) => row(pt, sePoints[k], crit ?? z, isRef(pt))),
  }
}


const num = (x: number): number | null => (Number.isFinite(x) ? x : null)
const fmt = (v: number) => (Number.isFinite(v) ? fixed(v, 3) : '')

const HEADS: Record<AggregationType, string> = { simple: '', dynamic: 'Event time', group: 'Group', calendar: 'Period' }
const OVERALL: Record<AggregationType, string> = { simple: 'ATT (simple average)', dynamic: 'Average over e ≥ 0', group: 'Average over groups', calendar: 'Average over periods' }

function aggregationTable(a: Reported, title: string, level: number, notes: readonly string[]): GridTable {
  const pct = `${Math.round(level * 100)} %`
  const band = a.crit !== null ? `${pct} uniform band` : `${pct} CI`
  const iv = (r: Row) => (r.reference ? '' : `[${fmt(r.low)}, ${fmt(r.high)}]`)
  return {
    title: `${title}: ${a.type} aggregation`,
    header: [a.type === 'simple' ? '' : HEADS[a.type], 'ATT', 'Std. error', band],
    align: ['l', 'c', 'c', 'c'],
    sections: [
      ...(a.points.length ? [{ rows: a.points.map((r) => ({ cells: [String(r.key), fmt(r.att), r.reference ? '(reference)' : fmt(r.se), iv(r)] })) }] : []),
      { rows: [{ cells: [OVERALL[a.type], fmt(a.overall.att), fmt(a.overall.se), `[${fmt(a.overall.low)}, ${fmt(a.overall.high)}]`] }] },
    ],
    notes: [...notes, ...(a.crit !== null ? [`Uniform band: estimate ± ${fmt(a.crit)} × standard error (bootstrap critical value of the largest |t| over the ${a.type === 'dynamic' ? 'event times' : a.type === 'group' ? 'groups' : 'periods'}).`] : [])],
  }
}

function tableNotes(p: CsDidParams, method: string, covariates: readonly string[], r: AttGtResult, clustered: string): string[] {
  const est = method === 'none' ? 'without covariates' : `${method === 'dr' ? 'doubly robust' : method === 'ipw' ? 'inverse probability weighting' : 'outcome regression'} with ${covariates.join(', ')}`
  return [
    `Callaway & Sant'Anna (2021) ATT(g,t) on ${r.n} units, ${est}; comparison units ${p.control === 'never' ? 'never treated' : 'not yet treated'}; ${p.base} base period${p.anticipation ? `; anticipation ${p.anticipation}` : ''}.`,
    p.bootstrap > 0
      ? `Standard errors: multiplier bootstrap (${p.bootstrap} draws, ${p.multiplier === 'mammen' ? 'Mammen' : 'Rademacher'} weights, clustered ${clustered}).`
      : `Standard errors: analytic, from the influence functions (clustered ${clustered}).`,
  ]
}

/** The model's cluster variable other than the unit (did allows one), or null: clustered by unit. */
function clusterColumn(ctx: StageContext<CsDidParams>, cluster: readonly string[], unit: string): string | null {
  const others = cluster.filter((c) => c !== unit)
  if (others.length === 0) return null
  if (others.length > 1) {
    ctx.log.warn(`standard errors are clustered by the panel unit \`${unit}\`: the estimator takes at most one cluster variable besides it, not ${others.map((c) => `\`${c}\``).join(', ')}`)
    return null
  }
  return others[0]
}

/** Cluster index of each unit (in `units` order); the cluster must not change within a unit. */
function unitClusters(data: Frame, unitCol: string, clusterCol: string, units: readonly string[]): Clusters {
  const uc = data.column(unitCol)!.data as ArrayLike<unknown>
  const cc = data.column(clusterCol)
  if (!cc) throw new QuasiError('MISSING_COLUMN', `the cluster variable \`${clusterCol}\` is not a column of the data`)
  const of = new Map<string, string>()
  const varying: string[] = []
  for (let r = 0; r < data.nrows; r++) {
    const u = String(uc[r]), c = String((cc.data as ArrayLike<unknown>)[r])
    const seen = of.get(u)
    if (seen === undefined) of.set(u, c)
    else if (seen !== c && !varying.includes(u)) varying.push(u)
  }
  if (varying.length) {
    throw new QuasiError('INVALID_VALUE', `the cluster variable \`${clusterCol}\` changes within ${varying.length} unit${varying.length > 1 ? 's' : ''} (first: \`${varying[0]}\`)`, {
      hint: 'cluster by a variable that is constant within each unit (e.g. its state), or by the unit itself',
    })
  }
  const ids = new Map<string, number>()
  const index = Int32Array.from(units, (u) => {
    const c = of.get(u)!
    let k = ids.get(c)
    if (k === undefined) { k = ids.size; ids.set(c, k) }
    return k
  })
  return { index, count: ids.size }
}
