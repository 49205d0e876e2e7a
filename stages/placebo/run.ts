/** The placebo stage's work, loaded on demand by stage.ts (see docs/methods.md, "placebo"). */
import { Frame } from '../../src/artifacts/frame.ts'
import { readCsv, readCsvHeader, writeCsv } from '../../src/artifacts/csv.ts'
import { mainModel } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import { placeboDensityPlot, placeboScatterPlot, renderSvg } from '../../src/report/figure.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { panelPaths, timeShift, type PanelPaths } from '../../src/stats/placebo/assign.ts'
import { runDraws, type DrawJob } from '../../src/stats/placebo/draws.ts'
import { fwlDesign } from '../../src/stats/placebo/fwl.ts'
import { kernelDensity, summarize } from '../../src/stats/placebo/summary.ts'
import { requireDidModel } from '../_estimation/check.ts'
import { fitRegression } from '../_estimation/fit.ts'
import { labeller } from '../_estimation/outputs.ts'
import { applySample, checkVariation, withTreatment } from '../_estimation/prepare.ts'
import { regressionSpec, resolveSpec, type SpecInput } from '../_estimation/spec.ts'
import { DEFAULT_DRAWS, type PlaceboParams } from './params.ts'

export async function runPlacebo(ctx: StageContext<PlaceboParams>): Promise<StageResult> {
  const p = ctx.params
  requireDidModel(ctx, 'to reassign')
  const panel = ctx.panel
  if (!panel) {
    throw new QuasiError('INVALID_SPEC', 'placebo needs the panel unit and time columns: declare `panel: { unit, time }` in the pipeline', { param: ['model'] })
  }
  const { spec, origin, frame: input } = resolveSpec(ctx as unknown as StageContext<SpecInput>, { needs: 'treatment' })
  const term = spec.term!
  const frame = withTreatment(ctx, spec, origin, input)
  const { frame: data } = applySample(ctx, spec, origin, frame)
  checkVariation(spec, origin, data)
  const fit = fitRegression(data, spec, origin, [term, ...spec.controls])
  const actual = fit.terms.find((t) => t.term === term)!
  const controls = spec.controls.filter((c) => !fit.collinear.includes(c))
  const unitCol = data.column(panel.unit)
  if (!unitCol) throw new QuasiError('MISSING_COLUMN', `the panel unit column \`${panel.unit}\` is not a column of the data`, { param: ['model'] })
  const paths = panelPaths(unitCol, data.numbers(panel.time), data.numbers(term), fit.rows)
  const treated = paths.adoption.reduce((s, a) => s + (Number.isNaN(a) ? 0 : 1), 0)
  ctx.log.info(`actual ${term}: ${actual.estimate.toPrecision(4)} (se ${actual.stdError.toPrecision(3)}), N = ${fit.nobs}, ${treated} of ${paths.units.length} units treated`)

  let table: { draw: Float64Array; shift?: Float64Array; estimate: Float64Array; se: Float64Array; t: Float64Array; p: Float64Array }
  if (p.scheme === 'time') {
    if (p.assignments !== undefined) throw new QuasiError('INVALID_VALUE', '`assignments` replays unit reassignments; it does not apply to `scheme: time`', { param: ['assignments'], hint: 'remove `assignments` or `scheme: time`' })
    table = timeScheme(ctx, p.shift, paths, data, spec, origin, fit.rows, term, controls)
  } else {
    if (p.scheme === 'mixed' && p.assignments !== undefined) throw new QuasiError('INVALID_VALUE', '`assignments` replays unit reassignments (scheme `units`); it does not apply to `scheme: mixed`', { param: ['assignments'] })
    const design = fwlDesign(data, regressionSpec(spec, [term, ...controls]), fit, controls)
    const job: DrawJob = p.assignments !== undefined
      ? { kind: 'replay', donors: readAssignments(ctx, paths) }
      : { kind: p.scheme, draws: p.draws ?? DEFAULT_DRAWS, rngPath: [...ctx.rng.path] }
    if (p.assignments !== undefined && p.draws !== undefined) ctx.log.warn('`draws` is ignored: the draws are those of `assignments`')
    const r = await runDraws(design, paths, job, { threads: ctx.threads, signal: ctx.signal, progress: (d, t) => ctx.progress(d, t) })
    table = { draw: Float64Array.from(r.estimate, (_, k) => k + 1), ...r }
  }

  const summary = summarize(table.estimate, actual.estimate)
  if (summary.used < summary.draws) ctx.log.warn(`${summary.draws - summary.used} of ${summary.draws} draws gave a treatment collinear with the fixed effects and controls; they have no estimate and are left out of the summary`)
  ctx.log.info(`placebo ${p.scheme}: ${summary.used} estimates, mean ${summary.mean.toPrecision(3)}, sd ${summary.sd.toPrecision(3)}; p (two-sided) = ${summary.p}, p_left = ${summary.pLeft}, p_right = ${summary.pRight}`)

  const drawsCsv = writeCsv(Frame.from({
    draw: table.draw,
    ...(table.shift ? { shift: table.shift } : {}),
    estimate: table.estimate, se: table.se, t: table.t, p: table.p,
  }))
  const stats: [string, number][] = [
    ['draws', summary.draws], ['estimates', summary.used], ['actual', summary.actual],
    ['actual_se', actual.stdError], ['mean', summary.mean], ['sd', summary.sd],
    ...summary.quantiles.map((q): [string, number] => [`q${String(Math.round(q.q * 100)).padStart(2, '0')}`, q.value]),
    ['p_placebo', summary.p], ['p_one_sided', summary.pOneSided], ['p_left', summary.pLeft], ['p_right', summary.pRight],
  ]
  const summaryCsv = writeCsv(Frame.from({ statistic: stats.map((s) => s[0]), value: Float64Array.from(stats, (s) => s[1]) }))
  const label = labeller([mainModel(ctx.input(p.model).artifact('model')!)], undefined)(term)
  const xTitle = `Placebo estimates of ${label}`
  const files: Record<string, string> = { 'draws.csv': drawsCsv, 'summary.csv': summaryCsv }
  const finite = table.estimate.filter((v) => Number.isFinite(v))
  if (finite.length >= 2) {
    files['density.svg'] = await renderSvg(placeboDensityPlot(kernelDensity(finite), actual.estimate, { xTitle }))
  }
  files['scatter.svg'] = await renderSvg(placeboScatterPlot(Array.from(table.estimate, (estimate, k) => ({ estimate, p: table.p[k] })), actual.estimate, { xTitle }))
  return {
    data: { scheme: p.scheme, term, actual: actual.estimate, units: paths.units.length, treated },
    files,
    facts: {
      p_placebo: summary.p, p_left: summary.pLeft, p_right: summary.pRight, p_one_sided: summary.pOneSided,
      mean: summary.mean, sd: summary.sd, actual: summary.actual, draws: summary.draws,
    },
  }
}

function timeScheme(
  ctx: StageContext<PlaceboParams>, shifts: readonly number[], paths: PanelPaths, data: Frame,
  spec: Parameters<typeof fitRegression>[1], origin: Parameters<typeof fitRegression>[2], rows: Int32Array, term: string, controls: readonly string[],
) {
  const R = shifts.length
  const out = { draw: new Float64Array(R), shift: new Float64Array(R), estimate: new Float64Array(R), se: new Float64Array(R), t: new Float64Array(R), p: new Float64Array(R) }
  shifts.forEach((k, j) => {
    const { keep, treatment } = timeShift(paths, k)
    const fake = new Float64Array(data.nrows).fill(NaN)
    keep.forEach((i, m) => { fake[rows[i]] = treatment[m] })
    out.draw[j] = j + 1
    out.shift[j] = k
    try {
      const r = fitRegression(data.withColumn(term, { type: 'number', data: fake }), spec, origin, [term, ...controls])
      const t = r.terms.find((x) => x.term === term)!
      out.estimate[j] = t.estimate; out.se[j] = t.stdError; out.t[j] = t.statistic; out.p[j] = t.pValue
      ctx.log.info(`shift ${k}: ${t.estimate.toPrecision(4)} (se ${t.stdError.toPrecision(3)}) on ${r.nobs} pre-adoption observations`)
    } catch (err) {
      if (!(err instanceof QuasiError) || !['SINGULAR_DESIGN', 'NO_VARIATION'].includes(err.code)) throw err
      ctx.log.warn(`shift ${k}: no estimate (${err.message})`)
      out.estimate[j] = out.se[j] = out.t[j] = out.p[j] = NaN
    }
    ctx.progress(j + 1, R)
  })
  return out
}

/** Donor permutations from the `assignments` file, one Int32Array per draw (unit index → donor index). */
function readAssignments(ctx: StageContext<PlaceboParams>, paths: PanelPaths): Int32Array[] {
  const f = ctx.files.assignments
  const at = ['assignments']
  const text = new TextDecoder().decode(f.bytes)
  const header = readCsvHeader(text) ?? []
  const types = Object.fromEntries(['unit', 'donor'].filter((c) => header.includes(c)).map((c) => [c, 'string' as const]))
  const { frame } = readCsv(text, { file: f.rel, types })
  const missing = ['draw', 'unit', 'donor'].filter((c) => !frame.has(c))
  if (missing.length) {
    throw new QuasiError('MISSING_COLUMN', `${f.rel} has no column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `\`${c}\``).join(', ')}`, {
      param: at, expected: 'columns `draw`, `unit`, `donor`', found: frame.names.map((c) => `\`${c}\``).join(', ') || 'no columns',
    })
  }
  const drawCol = frame.column('draw')!
  const draws = drawCol.type === 'number' ? Array.from(drawCol.data, (v) => (Number.isNaN(v) ? '' : String(v))) : drawCol.data.map((v) => v ?? '')
  const units = frame.column('unit')!.data as readonly (string | null)[]
  const donors = frame.column('donor')!.data as readonly (string | null)[]
  const index = new Map(paths.units.map((u, k) => [u, k]))
  const U = paths.units.length
  const byDraw = new Map<string, Int32Array>()
  const lookup = (v: string | null, row: number, what: string): number => {
    const k = v === null ? undefined : index.get(v.trim())
    if (k === undefined) {
      throw new QuasiError('BAD_DATA', `${f.rel} row ${row + 2}: ${what} \`${v ?? ''}\` is not a unit of the estimation sample`, {
        param: at, expected: `one of the ${U} units of \`${ctx.panel!.unit}\` in the model's estimation sample`, found: String(v ?? 'an empty cell'),
      })
    }
    return k
  }
  for (let i = 0; i < frame.nrows; i++) {
    if (draws[i] === '') throw new QuasiError('BAD_DATA', `${f.rel} row ${i + 2}: \`draw\` is empty`, { param: at })
    let d = byDraw.get(draws[i])
    if (!d) { d = new Int32Array(U).fill(-1); byDraw.set(draws[i], d) }
    const u = lookup(units[i], i, 'unit'), v = lookup(donors[i], i, 'donor')
    if (d[u] !== -1) throw new QuasiError('BAD_DATA', `${f.rel} row ${i + 2}: unit \`${paths.units[u]}\` appears twice in draw ${draws[i]}`, { param: at, expected: 'each unit once per draw' })
    d[u] = v
  }
  if (byDraw.size === 0) throw new QuasiError('EMPTY_DATA', `${f.rel} has no draws`, { param: at })
  for (const [draw, d] of byDraw) {
    const used = new Uint8Array(U)
    for (let u = 0; u < U; u++) {
      if (d[u] === -1) throw new QuasiError('BAD_DATA', `${f.rel}: draw ${draw} gives no donor for unit \`${paths.units[u]}\``, { param: at, expected: 'every unit of the estimation sample once per draw' })
      if (used[d[u]]) throw new QuasiError('BAD_DATA', `${f.rel}: the donors of draw ${draw} are not a permutation of the units: \`${paths.units[d[u]]}\` is a donor more than once`, { param: at, expected: 'each unit once as a donor per draw' })
      used[d[u]] = 1
    }
  }
  return [...byDraw.values()]
}
