/** The moran stage's work, loaded on demand by stage.ts (see docs/methods.md, "Moran's I"). */
import { Frame } from '../../src/artifacts/frame.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import type { Weights } from '../../src/artifacts/weights.ts'
import { QuasiError } from '../../src/errors.ts'
import { gridFiles } from '../../src/report/grid.ts'
import { renderSvg } from '../../src/report/figure.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { localMoran } from '../../src/stats/spatial/local.ts'
import { moranConstants, moranPermutation, moranTest, type MoranPermutation, type MoranTest } from '../../src/stats/spatial/moran.ts'
import { pickCandidate, unitConstant, unitIndex } from '../_spatial/panel-units.ts'
import { periodsOf, type Period } from './data.ts'
import { lisaMap, type Cluster } from './lisa-map.ts'
import type { MoranParams } from './params.ts'
import { moranTable } from './table.ts'

export async function runMoran(ctx: StageContext<MoranParams>): Promise<StageResult> {
  const p = ctx.params
  const up = ctx.input(p.weights)
  const w = up.artifact('weights')
  if (!w) throw new QuasiError('INVALID_VALUE', `stage \`${p.weights}\` has no weights matrix`, { param: ['weights'] })
  const cand = pickCandidate(w, p.candidate, p.weights, p.candidate !== undefined ? ['candidate'] : ['weights'])
  const frame = ctx.input(p.from).frame
  if (!frame) throw new QuasiError('INVALID_VALUE', `stage \`${p.from}\` has no table`, { param: ['from'] })
  const unit = p.unit ?? ctx.panel?.unit
  if (!unit) throw new QuasiError('MISSING_PARAM', 'Moran\'s I needs the unit column: give `unit:` or declare `panel: { unit, time }` in the pipeline', { param: ['from'] })
  const time = p.time ?? (ctx.panel?.time !== undefined && frame.has(ctx.panel.time) ? ctx.panel.time : undefined)
  const periods = periodsOf(frame, w, { unit, unitParam: p.unit !== undefined ? ['unit'] : ['from'], time, column: p.column, weightsStage: p.weights })

  const W = cand.matrix
  const c = moranConstants(W)
  if (c.n < 4) throw new QuasiError('BAD_DATA', `Moran's I needs at least 4 units with neighbours; the weights have ${c.n}`, { param: ['weights'] })
  const results: { period: Period; test: MoranTest; perm?: MoranPermutation }[] = []
  periods.forEach((period, k) => {
    const test = moranTest(period.x, W, c)
    if (!Number.isFinite(test.I)) {
      throw new QuasiError('NO_VARIATION', `\`${p.column}\` is constant${period.label ? ` in period ${period.label}` : ''}: Moran's I is undefined`, { param: ['column'] })
    }
    const perm = p.draws > 0 ? moranPermutation(period.x, W, p.draws, ctx.rng.fork(`period:${period.label}`), c) : undefined
    results.push({ period, test, ...(perm ? { perm } : {}) })
    ctx.progress(k + 1, periods.length)
  })

  const pick = (t: MoranTest) => {
    const sdv = Math.sqrt(p.randomisation ? t.varRandom : t.varNormal)
    const z = p.randomisation ? t.zRandom : t.zNormal
    const pv = p.randomisation ? (p.alternative === 'greater' ? t.pRandom : t.pRandomTwo) : (p.alternative === 'greater' ? t.pNormal : t.pNormalTwo)
    return { sd: sdv, z, p: pv }
  }
  const col = <T>(f: (r: (typeof results)[number]) => T) => results.map(f)
  const moranCsv = writeCsv(Frame.from({
    period: col((r) => r.period.label),
    n: Float64Array.from(results, (r) => r.test.n),
    I: Float64Array.from(results, (r) => r.test.I),
    E_I: Float64Array.from(results, (r) => r.test.expected),
    var_normal: Float64Array.from(results, (r) => r.test.varNormal),
    z_normal: Float64Array.from(results, (r) => r.test.zNormal),
    p_normal: Float64Array.from(results, (r) => r.test.pNormal),
    p_normal_two_sided: Float64Array.from(results, (r) => r.test.pNormalTwo),
    var_randomisation: Float64Array.from(results, (r) => r.test.varRandom),
    z_randomisation: Float64Array.from(results, (r) => r.test.zRandom),
    p_randomisation: Float64Array.from(results, (r) => r.test.pRandom),
    p_randomisation_two_sided: Float64Array.from(results, (r) => r.test.pRandomTwo),
    draws: Float64Array.from(results, () => p.draws),
    p_permutation: Float64Array.from(results, (r) => r.perm?.p ?? NaN),
  }))

  const title = p.title ?? `Global Moran's I of ${p.column}`
  const wName = w.candidates.length > 1 ? `${w.description}; ${cand.label}` : w.description
  const notes = [
    `Spatial weights: ${wName} (${styleName(w)}).`,
    `E[I] = −1/(n − 1); sd and z under ${p.randomisation ? 'randomisation' : 'normality'}; p ${p.alternative === 'greater' ? 'one-sided (H1: I > E[I])' : 'two-sided'}.`,
    ...(p.draws > 0 ? [`Permutation p-values from ${p.draws} random permutations per ${time ?? 'period'} are in moran.csv.`] : []),
  ]
  const periodHeader = time ? time.charAt(0).toUpperCase() + time.slice(1) : 'Sample'
  const files: Record<string, string> = {
    'moran.csv': moranCsv,
    ...gridFiles('table', moranTable(results.map((r) => ({ period: r.period.label || 'All', I: r.test.I, expected: r.test.expected, ...pick(r.test) })), { title, periodHeader, digits: p.digits, notes })),
  }

  const facts: Record<string, number> = { periods: results.length }
  for (const r of results) {
    const s = r.period.label ? `(${r.period.label})` : ''
    const q = pick(r.test)
    facts[`I${s}`] = r.test.I
    facts[`z${s}`] = q.z
    facts[`p${s}`] = q.p
    if (r.perm) facts[`p_perm${s}`] = r.perm.p
  }
  const Is = results.map((r) => r.test.I), ps = results.map((r) => pick(r.test).p)
  Object.assign(facts, { min_I: Math.min(...Is), max_I: Math.max(...Is), min_p: Math.min(...ps), max_p: Math.max(...ps) })
  const first = results[0], last = results[results.length - 1]
  ctx.log.info(`Moran's I of ${p.column}: ${results.length} period${results.length > 1 ? 's' : ''}, I from ${facts.min_I.toFixed(3)} to ${facts.max_I.toFixed(3)} (${first.period.label || 'all'}: ${first.test.I.toFixed(3)}${results.length > 1 ? `, ${last.period.label}: ${last.test.I.toFixed(3)}` : ''})`)

  if (p.local) Object.assign(files, await local(ctx, frame, w, cand.matrix, periods, unit, time, facts))
  return {
    data: { column: p.column, weights: p.weights, candidate: cand.label, periods: results.map((r) => ({ period: r.period.label, I: r.test.I, p: pick(r.test).p })) },
    files,
    facts,
  }
}

const styleName = (w: Weights) => (w.style === 'row' ? 'row-standardised' : w.style === 'binary' ? 'binary' : 'unstandardised')

async function local(
  ctx: StageContext<MoranParams>, frame: Frame, w: Weights, W: Weights['candidates'][number]['matrix'], periods: readonly Period[],
  unit: string, time: string | undefined, facts: Record<string, number>,
): Promise<Record<string, string>> {
  const p = ctx.params
  const want = p.period === undefined ? undefined : String(p.period)
  const period = want === undefined ? periods[periods.length - 1] : periods.find((q) => q.label === want)
  if (!period) {
    const shown = periods.slice(0, 8).map((q) => q.label).join(', ') + (periods.length > 8 ? ', …' : '')
    throw new QuasiError('INVALID_VALUE', `no period \`${want}\` in the data`, { param: ['period'], expected: `one of ${shown}` })
  }
  const lm = localMoran(period.x, W, { conditional: p.conditional })
  const clusters: Cluster[] = lm.quadrant.map((q, i) => (lm.p[i] < p.alpha ? q : 'not significant'))
  const count = (k: Cluster) => clusters.filter((c) => c === k).length
  Object.assign(facts, { lisa_HH: count('HH'), lisa_LL: count('LL'), lisa_HL: count('HL'), lisa_LH: count('LH') })
  const out: Record<string, string> = {
    'local.csv': writeCsv(Frame.from({
      unit: [...w.units], [p.column]: period.x, lag: lm.lag, Ii: lm.Ii, E_Ii: lm.expected, Var_Ii: lm.variance, Z_Ii: lm.z, p: lm.p,
      quadrant: lm.quadrant, cluster: clusters,
    })),
  }
  ctx.log.info(`local Moran (${period.label || 'all'}): ${count('HH')} HH, ${count('LL')} LL, ${count('HL')} HL, ${count('LH')} LH at p < ${p.alpha}`)
  if (p.lat !== undefined && p.lon !== undefined) {
    // Coordinates of the period's rows, in the weights' unit order.
    const rows = Array.from(period.rows)
    const sub = frame.take(rows)
    const idx = unitIndex(sub, unit, p.unit !== undefined ? ['unit'] : ['from'])
    const lat = unitConstant(sub, p.lat, idx, ['lat']), lon = unitConstant(sub, p.lon, idx, ['lon'])
    const pos = new Map(idx.units.map((u, i) => [u, i]))
    const points = rows.map((r, u) => {
      const i = pos.get(frame.key(unit, r)!)!
      return { unit: w.units[u], lat: lat[i], lon: lon[i], cluster: clusters[u] }
    })
    const bad = points.find((q) => !(Math.abs(q.lat) <= 90))
    if (bad) throw new QuasiError('BAD_DATA', `latitude of unit \`${bad.unit}\` is ${bad.lat}, outside [-90, 90]`, { param: ['lat'], hint: 'are `lat` and `lon` swapped?' })
    out['lisa.svg'] = await renderSvg(lisaMap(points, { title: `LISA clusters of ${p.column}${period.label ? `, ${time ?? 'period'} ${period.label}` : ''} (p < ${p.alpha})` }))
  }
  return out
}
