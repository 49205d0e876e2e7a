/**
 * measure-gie: green innovation efficiency of every unit-year by DEA — non-oriented
 * super-SBM with undesirable outputs by default (as MaxDEA/DEARUN compute it), SBM, radial
 * CCR/BCC for comparison, or the global Malmquist–Luenberger index — on a global,
 * contemporaneous, sequential or window frontier. The LPs are solved by the dense simplex
 * of src/stats/lp on threads leased from the run's budget (`ctx.threads`, `--threads`);
 * docs/methods.md writes every LP out.
 */
import { numberColumn, type Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import { defineStage, type StageContext, type StageResult } from '../../src/stage.ts'
import { AbortedError, type LeaseThreads } from '../../src/stats/dea/executor.ts'
import { runGml } from '../../src/stats/dea/gml.ts'
import { runDea } from '../../src/stats/dea/run.ts'
import {
  deaFacts,
  gmlCsv,
  gmlFacts,
  gmlSummaryTable,
  scoresCsv,
  stageData,
  summaryCsv,
  summaryMd,
  summaryTable,
  type Labels,
} from './outputs.ts'
import { knownColumns } from './columns.ts'
import { measureGieParams, type MeasureGieParams } from './params.ts'
import { prepare, resolveOptions, type Prepared } from './prepare.ts'

export default defineStage<MeasureGieParams>({
  kind: 'measure-gie',
  version: 2,
  description: 'Green innovation efficiency by DEA: super-SBM/SBM with undesirable outputs, CCR/BCC, or the GML index, on a global, contemporaneous, sequential or window frontier.',
  params: measureGieParams,
  references: ['from'],
  produces: ['frame', 'data'],
  facts: ['mean(<score>)', 'sd(<score>)', 'min(<score>)', 'max(<score>)', 'n(<score>)', 'share_efficient(<score>)', 'mean(<score>_ec)', 'mean(<score>_tc)', 'excluded', 'zeros_replaced', 'super_infeasible', 'failed'],
  consumes: { from: 'frame' },
  columns: knownColumns,
  async run(ctx) {
    const p = ctx.params
    const resolved = resolveOptions(p)
    const src = inputFrame(ctx)
    const prep = prepare(src, p, ctx.panel)
    const panel = ctx.panel!
    if (prep.data.n === 0) {
      throw new QuasiError('BAD_DATA', `no unit-year of \`${p.from}\` has all of ${prep.columns.join(', ')}`, { param: ['from'] })
    }
    logPreparation(ctx, prep)
    const labels: Labels = {
      unit: panel.unit,
      time: panel.time,
      unitOf: (r) => src.key(panel.unit, r) ?? '',
      timeOf: (r) => src.key(panel.time, r) ?? '',
      nrows: src.nrows,
    }
    const name = (k: number): string => `${prep.units[prep.unit[k]]}@${prep.periods[prep.period[k]]}`
    const twins = prep.twins.map((g) => g.map(name).join(' = '))
    // Threads come from the budget all running stages share; the DEA run leases what helps
    // (none below MIN_LPS_FOR_THREADS) and releases it when it ends, also on failure.
    const common = { lease: (max: number) => ctx.threads.acquire(max), signal: ctx.signal, onProgress: (done: number, total: number) => ctx.progress(done, total) }
    try {
      return p.model === 'gml' ? await gml(ctx, src, prep, labels, resolved, common, twins) : await dea(ctx, src, prep, labels, resolved, common, twins, name)
    } catch (e) {
      if (e instanceof AbortedError) throw new QuasiError('CANCELLED', 'measure-gie cancelled')
      throw e
    }
  },
})

type Common = { lease: LeaseThreads; signal: AbortSignal; onProgress: (done: number, total: number) => void }

async function dea(
  ctx: StageContext<MeasureGieParams>,
  src: Frame,
  prep: Prepared,
  labels: Labels,
  resolved: ReturnType<typeof resolveOptions>,
  common: Common,
  twins: string[],
  name: (k: number) => string,
): Promise<StageResult> {
  const p = ctx.params
  const model = p.model as 'super-sbm' | 'sbm' | 'ccr' | 'bcc'
  const res = await runDea(prep.data, prep.period, prep.periods.length, {
    model,
    returns: resolved.returns,
    orientation: resolved.orientation,
    frontier: p.frontier,
    window: p.window,
    superInfeasible: p.super_infeasible,
    periodLabels: prep.periods,
    ...common,
  })
  // Wall time and thread count vary with the machine, --jobs and --threads, so they stay out of the log and the data.
  ctx.log.info(`${res.lps} LPs (${res.iterations} pivots)`)
  const superInfeasible = res.superInfeasible.map(name)
  const failed = res.failed.map(name)
  if (superInfeasible.length > 0) {
    ctx.log.warn(
      `super-SBM infeasible for ${superInfeasible.length} SBM-efficient unit-year(s) (${p.super_infeasible === 'one' ? 'kept at SBM score 1' : 'score set missing'}): ${preview(superInfeasible)}`,
    )
  }
  const noReference = res.noReference.map(name)
  if (noReference.length > 0) {
    ctx.log.warn(`super-SBM undefined for ${noReference.length} unit-year(s) with no other unit-year in their reference set (score missing): ${preview(noReference)}`)
  }
  if (failed.length > 0) ctx.log.warn(`LP failed for ${failed.length} unit-year(s); their score is missing: ${preview(failed)}`)
  if (twins.length > 0 && model === 'super-sbm') ctx.log.warn(`identical input–output vectors (super-SBM of such a unit-year is at most 1 while its twin is in the reference set): ${preview(twins, '; ')}`)

  const column = new Float64Array(src.nrows).fill(NaN)
  prep.rows.forEach((r, k) => (column[r] = res.score[k]))
  const table = summaryTable(prep, res.score, labels.time)
  const facts = deaFacts(p.as, prep, res.score, res)
  return {
    frame: src.withColumn(p.as, numberColumn(column)),
    files: {
      'scores.csv': scoresCsv(prep, res, labels, p.frontier === 'window'),
      'summary.csv': summaryCsv(table),
      'summary.md': summaryMd(p, resolved, prep, table, { superInfeasible, noReference, failed, twins }, labels),
    },
    facts: finite(facts),
    data: stageData(p, resolved, prep, {
      efficient: res.status.filter((s) => s === 'efficient' || s === 'super').length,
      superInfeasible,
      noReference,
      failed,
      twins,
      lps: res.lps,
    }),
  }
}

async function gml(
  ctx: StageContext<MeasureGieParams>,
  src: Frame,
  prep: Prepared,
  labels: Labels,
  resolved: ReturnType<typeof resolveOptions>,
  common: Common,
  twins: string[],
): Promise<StageResult> {
  const p = ctx.params
  const res = await runGml(prep.data, prep.unit, prep.period, prep.periods.length, { returns: resolved.returns, ...common })
  ctx.log.info(`${res.lps} LPs (${res.iterations} pivots)`)
  const failed = res.failed.map((k) => `${prep.units[prep.unit[k]]}@${prep.periods[prep.period[k]]}`)
  if (failed.length > 0) ctx.log.warn(`LP failed for ${failed.length} unit-year(s); their index is missing: ${preview(failed)}`)
  const cols: [string, Float64Array][] = [
    [p.as, res.gml],
    [`${p.as}_ec`, res.ec],
    [`${p.as}_tc`, res.tc],
    [`${p.as}_cum`, res.cum],
  ]
  let frame = src
  for (const [name, values] of cols) {
    const column = new Float64Array(src.nrows).fill(NaN)
    prep.rows.forEach((r, k) => (column[r] = values[k]))
    frame = frame.withColumn(name, numberColumn(column))
  }
  const table = gmlSummaryTable(prep, res, labels.time)
  return {
    frame,
    files: {
      'scores.csv': gmlCsv(prep, res, labels),
      'summary.csv': summaryCsv(table),
      'summary.md': summaryMd(p, resolved, prep, table, { superInfeasible: [], noReference: [], failed, twins }, labels),
    },
    facts: finite(gmlFacts(p.as, prep, res)),
    data: stageData(p, resolved, prep, { failed, lps: res.lps }),
  }
}

function logPreparation(ctx: StageContext<MeasureGieParams>, prep: Prepared): void {
  const p = ctx.params
  if (prep.missing.rows > 0) {
    const by = Object.entries(prep.missing.byColumn).map(([c, k]) => `${c} ${k}`)
    ctx.log.warn(`${prep.missing.rows} unit-year(s) left out for missing values${by.length ? ` (${by.join(', ')})` : ''}`)
  }
  for (const [c, k] of Object.entries(prep.zeros.byColumn)) {
    if (p.zeros === 'replace') ctx.log.warn(`${k} zero(s) in \`${c}\` replaced by ${prep.zeros.substitute[c]} (${p.zero_value} × smallest positive value)`)
  }
  if (prep.zeros.excludedRows > 0) ctx.log.warn(`${prep.zeros.excludedRows} unit-year(s) with zero values left out (zeros: exclude)`)
  ctx.log.info(`${prep.data.n} unit-years (${prep.units.length} units × ${prep.periods.length} periods at most); ${prep.data.m} inputs, ${prep.data.s1} desirable, ${prep.data.s2} undesirable outputs`)
}

function inputFrame(ctx: StageContext<MeasureGieParams>): Frame {
  const f = ctx.input(ctx.params.from).frame
  if (f) return f
  throw new QuasiError('INVALID_VALUE', `stage \`${ctx.params.from}\` produces no table`, {
    param: ['from'],
    expected: 'a stage that produces a frame (ingest, derive, impute, …)',
  })
}

/** Names for a log line: the first 30, then a count (summary.md lists them all). */
function preview(names: readonly string[], sep = ', '): string {
  const shown = names.slice(0, 30).join(sep)
  return names.length > 30 ? `${shown}${sep}… and ${names.length - 30} more (all in summary.md)` : shown
}

function finite(facts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => Number.isFinite(v)))
}
