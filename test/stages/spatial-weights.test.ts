/**
 * The spatial-weights stage against R (test/fixtures/spatial/make.R): haversine distances,
 * k nearest, distance band, inverse distance, economic and composite weights on the 48
 * contiguous US states of plm::Produc, the GAL/GWT/long/dense readers on spdep's Columbus
 * contiguity and the states' files; then the outputs and the errors of the issue's list.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { Frame } from '../../src/artifacts/frame.ts'
import { sparseToDense, type Weights } from '../../src/artifacts/weights.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageResult } from '../../src/stage.ts'
import spatialWeights, { checkParams } from '../../stages/spatial-weights/stage.ts'
import type { SpatialWeightsParams } from '../../stages/spatial-weights/params.ts'
import fx from '../fixtures/spatial/spatial.json' with { type: 'json' }
import { makeTestContext } from '../helpers/context.ts'
import { readCsvFrame } from '../unit/stats/helpers.ts'

const DIR = 'test/fixtures/spatial'
const produc = readCsvFrame(`${DIR}/produc.csv`)
const columbus = readCsvFrame(`${DIR}/columbus.csv`)
const panel = { unit: 'state', time: 'year' }
const file = (name: string) => ({ rel: name, bytes: readFileSync(`${DIR}/${name}`) })

type Params = Partial<SpatialWeightsParams>
async function run(params: Params, opts: { inputs?: Record<string, unknown>; files?: Record<string, { rel: string; bytes: Uint8Array | string }>; panel?: { unit: string; time: string } | null } = {}): Promise<StageResult> {
  const ctx = makeTestContext<SpatialWeightsParams>({
    params: { radius_km: 6371, style: 'row', islands: 'error', ...params } as SpatialWeightsParams,
    inputs: (opts.inputs ?? { produc }) as never,
    panel: opts.panel === null ? undefined : (opts.panel ?? panel),
    files: opts.files, stage: 'w', kind: 'spatial-weights',
  })
  const errors = checkParams(ctx.params)
  if (errors.length) throw errors[0]
  return spatialWeights.run(ctx)
}

async function runError(params: Params, opts: Parameters<typeof run>[1] = {}): Promise<QuasiError> {
  try { await run(params, opts) } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

/** Largest |got − want| / max(1, |want|) over all cells, with the units in R's order. */
function maxRelDiff(w: Weights, want: number[][], candidate = 0): number {
  expect(w.units).toEqual(fx.us.units)
  const got = sparseToDense(w.candidates[candidate].matrix)
  let worst = 0
  for (let i = 0; i < want.length; i++) for (let j = 0; j < want.length; j++) {
    const d = Math.abs(got[i][j] - want[i][j]) / Math.max(Math.abs(want[i][j]), 1e-300)
    if (want[i][j] === 0) { if (got[i][j] !== 0) worst = Infinity } else worst = Math.max(worst, d)
  }
  return worst
}

describe('weights from coordinates and data, against R on the US states', () => {
  test('units in sorted order of the unit keys; one unit per state', async () => {
    const r = await run({ from: 'produc', kind: 'knn', k: 4 })
    expect(r.weights!.units).toEqual(fx.us.units)
    expect(r.facts).toMatchObject({ n: 48, links: 192, min_neighbors: 4, max_neighbors: 4, islands: 0, candidates: 1 })
  })

  test('k nearest (k = 4, haversine): the same neighbours as R, row-standardised; the same sets as spdep::knearneigh(longlat)', async () => {
    const r = await run({ from: 'produc', kind: 'knn', k: 4 })
    expect(maxRelDiff(r.weights!, fx.us.knn4)).toBe(0)
    expect(fx.us.knn_agrees_with_spdep).toBe(true)
    expect(r.facts!.symmetric).toBe(0)
  })

  test('distance band (800 km): binary links then row-standardised', async () => {
    const r = await run({ from: 'produc', kind: 'distance-band', cutoff: 800 })
    expect(maxRelDiff(r.weights!, fx.us.band800)).toBeLessThan(1e-12)
    expect(r.facts!.symmetric).toBe(1)
  })

  test('inverse distance 1/d (row) and 1/d² within 1,500 km (style none) within 1e-12 of R', async () => {
    const a = await run({ from: 'produc', kind: 'inverse-distance' })
    expect(maxRelDiff(a.weights!, fx.us.inv1_row)).toBeLessThan(1e-12)
    const b = await run({ from: 'produc', kind: 'inverse-distance', power: 2, cutoff: 1500, style: 'none' })
    expect(maxRelDiff(b.weights!, fx.us.inv2_cut1500_none)).toBeLessThan(1e-12)
  })

  test('economic: 1/|ȳi − ȳj| of the unit means of pc, row-standardised', async () => {
    const r = await run({ from: 'produc', kind: 'economic', column: 'pc' })
    expect(maxRelDiff(r.weights!, fx.us.eco_pc_row)).toBeLessThan(1e-12)
    expect(r.facts!.links).toBe(48 * 47)
  })

  test('composite over a grid: one candidate per a, a·W1 + (1 − a)·W2 restyled, as R', async () => {
    const geo = await run({ from: 'produc', kind: 'inverse-distance' })
    const eco = await run({ from: 'produc', kind: 'economic', column: 'pc' })
    const inputs = { geo: { weights: geo.weights, kind: 'spatial-weights' }, eco: { weights: eco.weights, kind: 'spatial-weights' } }
    const r = await run({ kind: 'composite', weights: ['geo', 'eco'], a: { from: 0, to: 1, by: 0.1 } }, { inputs })
    const w = r.weights!
    expect(w.candidates.map((c) => c.label)).toEqual(['a = 0', 'a = 0.1', 'a = 0.2', 'a = 0.3', 'a = 0.4', 'a = 0.5', 'a = 0.6', 'a = 0.7', 'a = 0.8', 'a = 0.9', 'a = 1'])
    expect(w.candidates[3].a).toBe(0.3)
    expect(maxRelDiff(w, fx.us.composite_03, 3)).toBeLessThan(1e-12)
    expect(maxRelDiff(w, fx.us.composite_08, 8)).toBeLessThan(1e-12)
    expect(maxRelDiff(w, fx.us.inv1_row, 10)).toBeLessThan(1e-12)
    const csv = String(r.files!['weights.csv']).split('\n')
    expect(csv[0]).toBe('from,to,a = 0,a = 0.1,a = 0.2,a = 0.3,a = 0.4,a = 0.5,a = 0.6,a = 0.7,a = 0.8,a = 0.9,a = 1')
    expect(csv.length - 2).toBe(48 * 47) // the economic matrix links every pair
    // Each weight column is that candidate's matrix.
    const dense = w.candidates.map((c) => sparseToDense(c.matrix))
    for (const line of csv.slice(1, -1).filter((_, k) => k % 97 === 0)) {
      const [from, to, ...v] = line.split(',')
      const i = w.units.indexOf(from), j = w.units.indexOf(to)
      v.forEach((x, c) => expect(Number(x)).toBe(dense[c][i][j]))
    }
    expect(String(r.files!['summary.csv']).split('\n')).toHaveLength(13)
  })
})

describe('weights files', () => {
  test('GAL: spdep\'s columbus.gal, 49 units, 230 links, symmetric; ids matched to the data\'s numeric keys', async () => {
    const r = await run({ file: 'columbus.gal', from: 'columbus', unit: 'id' }, { inputs: { columbus }, files: { file: file('columbus.gal') }, panel: null })
    const w = r.weights!
    expect(w.units).toEqual(Array.from({ length: 49 }, (_, i) => String(i + 1)))
    expect(r.facts).toMatchObject({ n: 49, links: fx.columbus.links, symmetric: 1, islands: 0 })
    const got = sparseToDense(w.candidates[0].matrix)
    let worst = 0
    fx.columbus.W_row.forEach((row, i) => row.forEach((v, j) => { worst = Math.max(worst, Math.abs(got[i][j] - v)) }))
    expect(worst).toBeLessThan(1e-15)
  })

  test('GAL without `from`: the file\'s ids, sorted numerically', async () => {
    const r = await run({ file: 'columbus.gal', style: 'binary' }, { files: { file: file('columbus.gal') } })
    expect(r.weights!.units.slice(0, 12)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'])
    expect(r.weights!.style).toBe('binary')
  })

  test('long CSV (queen contiguity of the states) and GWT (knn distances) as R', async () => {
    const q = await run({ file: 'us_queen.csv', from: 'produc' }, { files: { file: file('us_queen.csv') } })
    expect(q.facts).toMatchObject({ n: 48, links: fx.us.queen_links, symmetric: 1 })
    const g = await run({ file: 'us_knn4.gwt', from: 'produc' }, { files: { file: file('us_knn4.gwt') } })
    expect(maxRelDiff(g.weights!, fx.us.gwt_row)).toBeLessThan(1e-12)
  })

  test('dense matrix CSV: the 1/d matrix written by R gives R\'s row-standardised matrix', async () => {
    const r = await run({ file: 'us_idw.csv', from: 'produc' }, { files: { file: file('us_idw.csv') } })
    expect(maxRelDiff(r.weights!, fx.us.inv1_row)).toBeLessThan(1e-12)
  })

  test('a long CSV declares an island with a weight-0 row; `islands: keep` keeps it', async () => {
    const text = 'from,to,weight\na,b,1\nb,a,2\nc,c,0\n'
    const e = await runError({ file: 'w.csv' }, { files: { file: { rel: 'w.csv', bytes: text } } })
    expect(e.code).toBe('BAD_DATA')
    expect(e.param).toEqual(['file'])
    expect(e.message).toContain('1 unit has no neighbours: `c`')
    const r = await run({ file: 'w.csv', islands: 'keep' }, { files: { file: { rel: 'w.csv', bytes: text } } })
    expect(r.facts).toMatchObject({ n: 3, links: 2, islands: 1, min_neighbors: 0 })
    expect(r.files!['weights.csv']).toBe('from,to,weight\na,b,1\nb,a,1\n')
  })
})

describe('errors', () => {
  const queenText = readFileSync(`${DIR}/us_queen.csv`, 'utf8')

  test('units of the file that are not in the data, and the reverse: both sides named', async () => {
    const text = queenText.replace(/^ALABAMA,/gm, 'ALABAMAX,').replace(/,ALABAMA,/g, ',ALABAMAX,')
    const e = await runError({ file: 'w.csv', from: 'produc' }, { files: { file: { rel: 'w.csv', bytes: text } } })
    expect(e.code).toBe('BAD_DATA')
    expect(e.param).toEqual(['file'])
    expect(e.message).toBe('the weights file and the data name different units: 1 unit of `w.csv` not in the data: `ALABAMAX`; 1 unit of the data not in `w.csv`: `ALABAMA`')
  })

  test('islands of a distance band name the units and blame `cutoff`', async () => {
    const e = await runError({ from: 'produc', kind: 'distance-band', cutoff: 300 })
    expect(e.code).toBe('BAD_DATA')
    expect(e.param).toEqual(['cutoff'])
    expect(e.message).toMatch(/^\d+ units have no neighbours: `/)
    expect(e.hint).toContain('widen `cutoff`')
  })

  test('missing lat/lon columns, with a suggestion', async () => {
    const e = await runError({ from: 'produc', kind: 'knn', k: 4, lat: 'latitude' })
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.param).toEqual(['lat'])
    expect(e.message).toContain('unknown column `latitude`')
    const f = await runError({ from: 'columbus', unit: 'id', kind: 'knn', k: 4 }, { inputs: { columbus } })
    expect(f.code).toBe('MISSING_COLUMN')
    expect(f.param).toEqual(['kind'])
  })

  test('latitude outside [-90, 90] names the unit', async () => {
    const bad = Frame.from({ id: ['a', 'b', 'c'], lat: [10, 95, 20], lon: [100, 101, 102] })
    const e = await runError({ from: 'd', unit: 'id', kind: 'inverse-distance' }, { inputs: { d: bad } })
    expect(e.code).toBe('BAD_DATA')
    expect(e.param).toEqual(['kind'])
    expect(e.message).toBe('latitude of unit `b` is 95, outside [-90, 90]')
  })

  test('coordinates that vary within a unit of a panel name the unit', async () => {
    const bad = Frame.from({ id: ['a', 'a', 'b', 'c'], t: [1, 2, 1, 1], lat: [10, 11, 20, 30], lon: [100, 100, 101, 102] })
    const e = await runError({ from: 'd', unit: 'id', kind: 'knn', k: 1, lat: 'lat' }, { inputs: { d: bad } })
    expect(e.code).toBe('BAD_DATA')
    expect(e.param).toEqual(['lat'])
    expect(e.message).toBe('`lat` is not constant within unit `a`: 10 and 11')
  })

  test('k >= N', async () => {
    const e = await runError({ from: 'produc', kind: 'knn', k: 48 })
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['k'])
    expect(e.message).toBe('Expected `k` to be less than the number of units (48), got `48`')
  })

  test('a composite of matrices over different units', async () => {
    const geo = await run({ from: 'produc', kind: 'knn', k: 2 })
    const col = await run({ file: 'columbus.gal' }, { files: { file: file('columbus.gal') } })
    const inputs = { geo: { weights: geo.weights }, col: { weights: col.weights } }
    const e = await runError({ kind: 'composite', weights: ['geo', 'col'], a: 0.5 }, { inputs })
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['weights'])
    expect(e.message).toMatch(/^the two matrices of a composite must be over the same units: 48 units of `geo` not in `col`: `ALABAMA`, .*; 49 units of `col` not in `geo`: `1`, /)
  })

  test('a non-numeric weight names its row', async () => {
    const text = 'from,to,weight\na,b,1\nb,a,x1\n'
    const e = await runError({ file: 'w.csv' }, { files: { file: { rel: 'w.csv', bytes: text } } })
    expect(e.code).toBe('BAD_DATA')
    expect(e.param).toEqual(['file'])
    expect(e.message).toBe('w.csv line 3: `weight` is not a number: `x1`')
    const dense = 'id,a,b\na,0,1\nb,oops,0\n'
    const d = await runError({ file: 'w.csv' }, { files: { file: { rel: 'w.csv', bytes: dense } } })
    expect(d.message).toBe('w.csv line 3: the weight of `b` → `a` is not a number: `oops`')
  })

  test('equal unit means for economic weights name the pair', async () => {
    const d = Frame.from({ id: ['a', 'b', 'c'], y: [1, 2, 1] })
    const e = await runError({ from: 'd', unit: 'id', kind: 'economic', column: 'y' }, { inputs: { d } })
    expect(e.code).toBe('BAD_DATA')
    expect(e.param).toEqual(['column'])
    expect(e.message).toContain('`a` and `c`')
  })

  test('GAL: a unit announcing more neighbours than listed', async () => {
    const e = await runError({ file: 'w.gal' }, { files: { file: { rel: 'w.gal', bytes: '2\n1 1\n2\n2 1\n1 3\n' } } })
    expect(e.code).toBe('BAD_DATA')
    expect(e.message).toBe('w.gal line 5: unit `2` announces 1 neighbours; this line lists 2')
  })

  test('parameter rules: kind or file, what each kind needs, what does not apply', () => {
    const p = (x: Params) => checkParams({ radius_km: 6371, style: 'row', islands: 'error', ...x } as SpatialWeightsParams)
    expect(p({}).map((e) => e.code)).toEqual(['MISSING_PARAM'])
    expect(p({ kind: 'knn', file: 'w.csv' })[0].param).toEqual(['file'])
    expect(p({ kind: 'knn', from: 'x' })[0].message).toBe('`kind: knn` needs `k`')
    expect(p({ kind: 'economic', from: 'x', column: 'y', k: 3 })[0].param).toEqual(['k'])
    expect(p({ kind: 'composite', weights: ['a', 'b'], a: { from: 1, to: 0, by: 0.1 } })[0].message).toContain('runs backwards')
  })
})

describe('outputs', () => {
  test('summary, weights.csv and the byte-identical rerun', async () => {
    const a = await run({ from: 'produc', kind: 'knn', k: 4 })
    const b = await run({ from: 'produc', kind: 'knn', k: 4 })
    expect(a.files).toEqual(b.files)
    expect(a.files!['summary.csv']).toBe('candidate,n,links,min_neighbors,mean_neighbors,max_neighbors,share_nonzero,symmetric,islands\nW,48,192,4,4,4,0.08333333333333333,no,0\n')
    expect(String(a.files!['summary.md'])).toContain('| W | 48 | 192 | 4 | 4.00 | 4 | 8.33% | no | 0 |')
    const lines = String(a.files!['weights.csv']).trim().split('\n')
    expect(lines[0]).toBe('from,to,weight')
    expect(lines).toHaveLength(1 + 192)
    expect(lines[1]).toMatch(/^ALABAMA,[A-Z_]+,0\.25$/)
  })
})

describe('in a pipeline: the demo panel, a weights file beside the pipeline, the cache', async () => {
  const { copyFileSync, mkdirSync, writeFileSync, readFileSync: read } = await import('node:fs')
  const { stageKinds } = await import('../../stages/index.ts')
  const { planOf, runIn, tempProject } = await import('../helpers/pipeline.ts')
  const { QuasiErrors } = await import('../../src/errors.ts')
  const head = 'quasi: 1\nname: sp\npanel: { unit: city, time: year }\nseed: 5\nstages:\n  panel: { uses: ingest, with: { file: data/panel.csv } }\n'
  const project = () => {
    const root = tempProject('quasi-spw-')
    mkdirSync(`${root}/pipelines/data`, { recursive: true })
    copyFileSync('pipelines/data/cluster_gie_panel.csv', `${root}/pipelines/data/panel.csv`)
    return root
  }

  test('inverse-distance and economic weights, a composite grid, a file, and Moran of one candidate', async () => {
    const root = project()
    const yaml = head + [
      '  w_geo: { uses: spatial-weights, with: { from: panel, kind: inverse-distance, lat: lat, lon: lon } }',
      '  w_eco: { uses: spatial-weights, with: { from: panel, kind: economic, column: gdp_pc } }',
      '  w_mix: { uses: spatial-weights, with: { kind: composite, weights: [w_geo, w_eco], a: [0, 0.5, 1] } }',
      '  w_knn: { uses: spatial-weights, with: { from: panel, kind: knn, k: 2 } }',
      '  moran: { uses: moran, with: { from: panel, column: gdp_pc, weights: w_mix, candidate: "a = 0.5", draws: 19 } }',
      '',
    ].join('\n')
    const r = await runIn(root, planOf(root, yaml, stageKinds))
    expect(r.errors.map((e) => e.message)).toEqual([])
    expect(r.ok).toBe(true)
    const out = (s: string, f: string) => read(`${root}/outputs/sp/${s}/${f}`, 'utf8')
    expect(out('w_mix', 'summary.csv').trim().split('\n')).toHaveLength(4)
    expect(out('moran', 'moran.csv').trim().split('\n')).toHaveLength(16)
    expect(out('moran', 'table.md')).toContain('a = 0.5')
    // The knn matrix written out, read back as a file over the same data: the same matrix.
    writeFileSync(`${root}/pipelines/data/w.csv`, out('w_knn', 'weights.csv'))
    const again = yaml + '  w_file: { uses: spatial-weights, with: { file: data/w.csv, from: panel } }\n'
    const r2 = await runIn(root, planOf(root, again, stageKinds))
    expect(r2.errors.map((e) => e.message)).toEqual([])
    expect(r2.ok).toBe(true)
    expect(out('w_file', 'weights.csv')).toBe(out('w_knn', 'weights.csv'))
    expect(r2.events.events.filter((e) => e.type === 'stage:cached').map((e) => (e as { stage: string }).stage)).toContain('w_mix')
  }, 60_000)

  test('planning: a moran whose `weights` is not a weights stage, and an unknown coordinate column, with positions', () => {
    const root = project()
    const yaml = head + [
      '  w: { uses: spatial-weights, with: { from: panel, kind: knn, k: 3, lat: latt } }',
      '  m: { uses: moran, with: { from: panel, column: gdp_pc, weights: panel } }',
      '',
    ].join('\n')
    let errors: readonly QuasiError[] = []
    try { planOf(root, yaml, stageKinds) } catch (e) { if (e instanceof QuasiErrors) errors = e.errors; else throw e }
    const msgs = errors.map((e) => `${e.pos?.line}:${e.code}:${e.message}`)
    expect(msgs.some((m) => m.startsWith('8:INVALID_VALUE:`weights` refers to stage `panel` (ingest), which produces no spatial weights matrix'))).toBe(true)
    // The reference error stops planning before the column check; without it, `latt` is found at its line.
    const fixed = yaml.replace('weights: panel', 'weights: w')
    let later: readonly QuasiError[] = []
    try { planOf(root, fixed, stageKinds) } catch (e) { if (e instanceof QuasiErrors) later = e.errors; else throw e }
    expect(later.map((e) => `${e.pos?.line}:${e.code}:${e.message}`)).toEqual(['7:MISSING_COLUMN:unknown column `latt`; did you mean `lat`?'])
  })
})
