/**
 * The moran stage against spdep (test/fixtures/spatial/make.R): moran.test under normality and
 * randomisation (one- and two-sided) and localmoran on the Columbus crime data with spdep's own
 * columbus.gal, and per year on plm::Produc with queen contiguity and k nearest states; the
 * permutation p (reproducible, and its draws have the randomisation moments); outputs and errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { Frame } from '../../src/artifacts/frame.ts'
import type { Weights } from '../../src/artifacts/weights.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageResult } from '../../src/stage.ts'
import moran from '../../stages/moran/stage.ts'
import type { MoranParams } from '../../stages/moran/params.ts'
import spatialWeights from '../../stages/spatial-weights/stage.ts'
import type { SpatialWeightsParams } from '../../stages/spatial-weights/params.ts'
import fx from '../fixtures/spatial/spatial.json' with { type: 'json' }
import { csvRecords } from '../helpers/csv.ts'
import { makeTestContext } from '../helpers/context.ts'
import { expectClose, readCsvFrame } from '../unit/stats/helpers.ts'

const DIR = 'test/fixtures/spatial'
const columbus = readCsvFrame(`${DIR}/columbus.csv`)
const producRaw = readCsvFrame(`${DIR}/produc.csv`)
const produc = producRaw.withColumn('lgsp', { type: 'number', data: producRaw.numbers('gsp').map(Math.log) })
const panel = { unit: 'state', time: 'year' }
const REL = 1e-8

async function weightsOf(params: Partial<SpatialWeightsParams>, inputs: Record<string, unknown>, files?: Record<string, string>, p = panel): Promise<Weights> {
  const ctx = makeTestContext<SpatialWeightsParams>({
    params: { radius_km: 6371, style: 'row', islands: 'error', ...params } as SpatialWeightsParams, inputs: inputs as never, panel: p,
    files: files && Object.fromEntries(Object.entries(files).map(([k, f]) => [k, { rel: f, bytes: readFileSync(`${DIR}/${f}`) }])),
  })
  return (await spatialWeights.run(ctx)).weights!
}

const colW = await weightsOf({ file: 'columbus.gal', from: 'columbus', unit: 'id' }, { columbus }, { file: 'columbus.gal' })
const colB = await weightsOf({ file: 'columbus.gal', from: 'columbus', unit: 'id', style: 'binary' }, { columbus }, { file: 'columbus.gal' })
const queen = await weightsOf({ file: 'us_queen.csv', from: 'produc' }, { produc }, { file: 'us_queen.csv' })
const knn4 = await weightsOf({ from: 'produc', kind: 'knn', k: 4 }, { produc })

type Opts = { weights?: Weights; frame?: Frame; panel?: { unit: string; time: string } | null; seed?: number }
async function run(params: Partial<MoranParams>, o: Opts = {}): Promise<StageResult> {
  const ctx = makeTestContext<MoranParams>({
    params: { from: 'data', weights: 'w', column: 'CRIME', randomisation: true, alternative: 'greater', draws: 0, local: false, conditional: true, alpha: 0.05, digits: 3, ...(o.panel ? {} : { unit: 'id' }), ...params } as MoranParams,
    inputs: { data: o.frame ?? columbus, w: { weights: o.weights ?? colW, kind: 'spatial-weights' } },
    panel: o.panel === null || o.panel === undefined ? undefined : o.panel, seed: o.seed ?? 11, stage: 'moran', kind: 'moran',
  })
  return moran.run(ctx)
}
async function runError(params: Partial<MoranParams>, o: Opts = {}): Promise<QuasiError> {
  try { await run(params, o) } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

type Ref = { I: number; EI: number; var_norm: number; z_norm: number; p_norm: number; p_norm_two: number; var_rand: number; z_rand: number; p_rand: number; p_rand_two: number }
/** Every column of moran.csv row `row` against spdep's moran.test. */
function compareRow(row: Record<string, string>, ref: Ref, label: string) {
  const pairs: [string, number][] = [
    ['I', ref.I], ['E_I', ref.EI], ['var_normal', ref.var_norm], ['z_normal', ref.z_norm], ['p_normal', ref.p_norm], ['p_normal_two_sided', ref.p_norm_two],
    ['var_randomisation', ref.var_rand], ['z_randomisation', ref.z_rand], ['p_randomisation', ref.p_rand], ['p_randomisation_two_sided', ref.p_rand_two],
  ]
  for (const [k, v] of pairs) expectClose(Number(row[k]), v, { rel: REL }, `${label}/${k}`)
}

describe('global Moran against spdep::moran.test', () => {
  test('Columbus CRIME, row-standardised and binary W; HOVAL', async () => {
    for (const [w, ref, column, label] of [[colW, fx.columbus.crime_W, 'CRIME', 'W'], [colB, fx.columbus.crime_B, 'CRIME', 'B'], [colW, fx.columbus.hoval_W, 'HOVAL', 'hoval']] as const) {
      const r = await run({ column }, { weights: w })
      const rows = csvRecords(String(r.files!['moran.csv']))
      expect(rows).toHaveLength(1)
      compareRow(rows[0], ref, label)
      expect(r.facts!.I).toBe(Number(rows[0].I))
      expect(r.facts!.p).toBe(Number(rows[0].p_randomisation))
    }
  })

  test('plm::Produc, log gsp per year 1970–1986: queen contiguity (long CSV) and 4 nearest states', async () => {
    for (const [w, refs, label] of [[queen, fx.us.moran_queen, 'queen'], [knn4, fx.us.moran_knn4, 'knn4']] as const) {
      const r = await run({ column: 'lgsp' }, { weights: w, frame: produc, panel })
      const rows = csvRecords(String(r.files!['moran.csv']))
      expect(rows.map((x) => Number(x.period))).toEqual(refs.map((x) => x.year))
      rows.forEach((row, k) => compareRow(row, refs[k], `${label}/${refs[k].year}`))
      expect(r.facts!.periods).toBe(17)
      expectClose(r.facts!['I(1986)'], refs[16].I, { rel: REL }, 'fact I(1986)')
      expectClose(r.facts!['p(1975)'], refs[5].p_rand, { rel: REL }, 'fact p(1975)')
      expect(r.facts!.max_I).toBe(Math.max(...rows.map((x) => Number(x.I))))
      expect(r.facts!.min_p).toBe(Math.min(...rows.map((x) => Number(x.p_randomisation))))
    }
  })

  test('islands kept (a 300 km band): n excludes them, as spdep\'s adjust.n with zero.policy', async () => {
    const band = await weightsOf({ from: 'produc', kind: 'distance-band', cutoff: 300, islands: 'keep' }, { produc })
    const islands = band.units.filter((_, i) => band.candidates[0].matrix.rowStart[i + 1] === band.candidates[0].matrix.rowStart[i])
    expect(islands).toEqual(fx.us.band300_islands)
    const frame = produc.filter(Array.from({ length: produc.nrows }, (_, r) => produc.numbers('year')[r] === 1986))
    const r = await run({ column: 'lgsp' }, { weights: band, frame, panel })
    const row = csvRecords(String(r.files!['moran.csv']))[0]
    expect(Number(row.n)).toBe(48 - islands.length)
    compareRow(row, fx.us.moran_band300_1986, 'band300')
  })

  test('randomisation: false and alternative: two.sided choose the table\'s and the facts\' p', async () => {
    const r = await run({ column: 'lgsp', randomisation: false, alternative: 'two.sided' }, { weights: queen, frame: produc, panel })
    expectClose(r.facts!['p(1970)'], fx.us.moran_queen[0].p_norm_two, { rel: REL }, 'p(1970)')
    expectClose(r.facts!['z(1970)'], fx.us.moran_queen[0].z_norm, { rel: REL }, 'z(1970)')
  })
})

describe('local Moran against spdep::localmoran', () => {
  const quad = (q: string) => q.split('-').map((s) => s[0]).join('')
  const compareLocal = (rows: Record<string, string>[], ref: typeof fx.columbus.local_cond, label: string) => {
    rows.forEach((row, i) => {
      expectClose(Number(row.Ii), ref.Ii[i], { rel: REL, abs: 1e-14 }, `${label}/Ii[${i}]`)
      expectClose(Number(row.E_Ii), ref.EIi[i], { rel: REL, abs: 1e-14 }, `${label}/E.Ii[${i}]`)
      expectClose(Number(row.Var_Ii), ref.VarIi[i], { rel: REL, abs: 1e-14 }, `${label}/Var.Ii[${i}]`)
      expectClose(Number(row.Z_Ii), ref.ZIi[i], { rel: REL, abs: 1e-12 }, `${label}/Z.Ii[${i}]`)
      expectClose(Number(row.p), ref.p[i], { rel: REL }, `${label}/p[${i}]`)
      expect(row.quadrant, `${label}/quadrant[${i}]`).toBe(quad(ref.quadrant[i]))
    })
  }

  test('Columbus CRIME: conditional (default) and total moments, quadrants, clusters at alpha', async () => {
    const a = await run({ local: true })
    const rows = csvRecords(String(a.files!['local.csv']))
    expect(rows).toHaveLength(49)
    compareLocal(rows, fx.columbus.local_cond, 'conditional')
    for (const row of rows) expect(row.cluster).toBe(Number(row.p) < 0.05 ? row.quadrant : 'not significant')
    expect(a.facts!.lisa_HH).toBe(rows.filter((r) => r.cluster === 'HH').length)
    const b = await run({ local: true, conditional: false })
    compareLocal(csvRecords(String(b.files!['local.csv'])), fx.columbus.local_total, 'total')
  })

  test('US states 1986 with queen contiguity, and the cluster map at the states\' coordinates', async () => {
    const r = await run({ column: 'lgsp', local: true, period: 1986, lat: 'lat', lon: 'lon' }, { weights: queen, frame: produc, panel })
    compareLocal(csvRecords(String(r.files!['local.csv'])), fx.us.local_queen_1986, 'us1986')
    const svg = String(r.files!['lisa.svg'])
    expect(svg).toMatch(/^<svg/)
    expect(svg).toContain('LISA clusters of lgsp, year 1986')
    expect(svg.match(/<path[^>]*role-mark/g)?.length ?? svg.match(/class="mark-symbol role-mark/g)?.length).toBeGreaterThan(0)
    const significant = (['HH', 'LL', 'HL', 'LH'] as const).reduce((s, k) => s + r.facts![`lisa_${k}`], 0)
    expect(significant).toBeGreaterThan(0)
    if (r.facts!.lisa_HH > 0) expect(svg).toContain('#d7191c')
  })
})

describe('permutation p', () => {
  test('R\'s own permutations replayed through the kernel: every I* and the p of moran.mc', async () => {
    const { moranI, moranConstants } = await import('../../src/stats/spatial/moran.ts')
    const x = columbus.numbers('CRIME')
    const W = colW.candidates[0].matrix
    const c = moranConstants(W)
    fx.columbus.mc.perms.forEach((perm, k) => expectClose(moranI(perm.map((i) => x[i - 1]), W, c), fx.columbus.mc.perm_I[k], { rel: 1e-10 }, `I*[${k}]`))
    const I = moranI(x, W, c)
    const atLeast = fx.columbus.mc.perm_I.filter((v) => v >= I).length
    expect((1 + atLeast) / (1 + fx.columbus.mc.nsim)).toBe(fx.columbus.mc.p)
  })

  test('seeded: the same seed gives the same p, per period; another seed other draws', async () => {
    const a = await run({ column: 'HOVAL', draws: 199 })
    const b = await run({ column: 'HOVAL', draws: 199 })
    expect(a.files!['moran.csv']).toBe(b.files!['moran.csv'])
    expect(a.facts!.p_perm).toBe(b.facts!.p_perm)
    // A column with weak autocorrelation, so p is not pinned at 1/(1 + R): other seeds, other p.
    const frame = columbus.withColumn('noise', { type: 'number', data: Float64Array.from({ length: 49 }, (_, i) => Math.sin(7 * i)) })
    const ps = await Promise.all([11, 12, 13, 14].map(async (seed) => (await run({ column: 'noise', draws: 199 }, { frame, seed })).facts!.p_perm))
    expect(new Set(ps).size).toBeGreaterThan(1)
    // p = (1 + #)/(1 + R) is a multiple of 1/200.
    for (const p of [a.facts!.p_perm, ...ps]) expect(Math.abs(p * 200 - Math.round(p * 200))).toBeLessThan(1e-9)
  })

  test('in distribution: the draws have the randomisation mean E[I] and variance (Cliff & Ord), and p is near the normal p', async () => {
    const { moranPermutation, moranTest } = await import('../../src/stats/spatial/moran.ts')
    const { Rng } = await import('../../src/stats/rng.ts')
    const x = columbus.numbers('HOVAL')
    const W = colW.candidates[0].matrix
    const R = 4000
    const perm = moranPermutation(x, W, R, new Rng(['test', 1]))
    const t = moranTest(x, W)
    const sd = Math.sqrt(t.varRandom)
    expect(Math.abs(perm.mean - t.expected)).toBeLessThan(4 * sd / Math.sqrt(R))
    expect(Math.abs(perm.sd / sd - 1)).toBeLessThan(0.05)
    expect(Math.abs(perm.p - t.pRandom)).toBeLessThan(0.02)
    // An asymmetric W (4 nearest states), where the permutation's symmetric form w_ij + w_ji matters.
    const y = produc.filter(Array.from({ length: produc.nrows }, (_, r) => produc.numbers('year')[r] === 1986)).numbers('lgsp')
    const K = knn4.candidates[0].matrix
    const pk = moranPermutation(y, K, R, new Rng(['test', 2]))
    const tk = moranTest(y, K)
    expect(Math.abs(pk.mean - tk.expected)).toBeLessThan(4 * Math.sqrt(tk.varRandom) / Math.sqrt(R))
    expect(Math.abs(pk.sd / Math.sqrt(tk.varRandom) - 1)).toBeLessThan(0.05)
    // One draw: p is 1/2 or 1.
    expect(moranPermutation(y, K, 1, new Rng(['test', 3])).p === 0.5 || moranPermutation(y, K, 1, new Rng(['test', 3])).p === 1).toBe(true)
  })
})

describe('outputs', () => {
  test('the per-year table (year, I, E[I], sd, z, p) in md/tex/html/csv', async () => {
    const r = await run({ column: 'lgsp' }, { weights: queen, frame: produc, panel })
    const md = String(r.files!['table.md'])
    expect(md).toContain("| Year | Moran's I | E[I] | sd | z | p |")
    const ref = fx.us.moran_queen[0]
    expect(md).toContain(`| 1970 | ${ref.I.toFixed(3)}<sup>***</sup> | ${ref.EI.toFixed(3)} | ${Math.sqrt(ref.var_rand).toFixed(3)} | ${ref.z_rand.toFixed(3)} | ${ref.p_rand.toFixed(3)} |`)
    expect(Object.keys(r.files!).sort()).toEqual(['moran.csv', 'table.csv', 'table.html', 'table.md', 'table.tex'])
    expect(String(r.files!['table.tex'])).toContain('\\toprule')
  })
})

describe('errors', () => {
  test('units of the data and the weights differ: both sides named', async () => {
    const frame = produc.filter(Array.from({ length: produc.nrows }, (_, r) => produc.key('state', r) !== 'OHIO'))
    const e = await runError({ column: 'lgsp' }, { weights: queen, frame, panel })
    expect(e.code).toBe('BAD_DATA')
    expect(e.param).toEqual(['weights'])
    expect(e.message).toBe('the data and the weights name different units: 1 unit of the weights `w` not in the data: `OHIO`')
  })

  test('a missing value in a period names the period and the unit', async () => {
    const v = Float64Array.from(produc.numbers('lgsp'))
    v[3] = NaN
    const e = await runError({ column: 'lgsp' }, { weights: queen, frame: produc.withColumn('lgsp', { type: 'number', data: v }), panel })
    expect(e.code).toBe('BAD_DATA')
    expect(e.param).toEqual(['column'])
    expect(e.message).toBe('`lgsp` is missing in period 1973 for 1 unit: `ALABAMA`')
  })

  test('a composite grid needs `candidate`, naming the choices; a label or an a picks one', async () => {
    const grid: Weights = { ...colW, candidates: [{ label: 'a = 0', a: 0, matrix: colB.candidates[0].matrix }, { label: 'a = 0.5', a: 0.5, matrix: colW.candidates[0].matrix }] }
    const e = await runError({}, { weights: grid })
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['weights'])
    expect(e.expected).toBe('one of `a = 0`, `a = 0.5`')
    const byLabel = await run({ candidate: 'a = 0.5' }, { weights: grid })
    const byA = await run({ candidate: 0.5 }, { weights: grid })
    expectClose(byLabel.facts!.I, fx.columbus.crime_W.I, { rel: REL }, 'a = 0.5')
    expect(byA.facts!.I).toBe(byLabel.facts!.I)
    const f = await runError({ candidate: 0.3 }, { weights: grid })
    expect(f.param).toEqual(['candidate'])
  })

  test('an unknown column, a constant column, an unknown local period', async () => {
    expect((await runError({ column: 'CRIMES' })).message).toBe('unknown column `CRIMES`; did you mean `CRIME`?')
    const flat = columbus.withColumn('one', { type: 'number', data: new Float64Array(49).fill(1) })
    expect((await runError({ column: 'one' }, { frame: flat })).code).toBe('NO_VARIATION')
    const e = await runError({ column: 'lgsp', local: true, period: 1999 }, { weights: queen, frame: produc, panel })
    expect(e.param).toEqual(['period'])
    expect(e.expected).toMatch(/^one of 1970, 1971/)
  })
})
