/**
 * Benchmarks of the spatial weights kernels and Moran's I (issue: spatial-weights and moran):
 *   (a) inverse great-circle distance W at N = 280 (the demo panel's cities), row-standardised:
 *       target < 0.1 s;
 *   (b) 4 nearest neighbours at N = 3,000 random points (one dense pass of 9·10⁶ haversines,
 *       nothing stored): target < 2 s;
 *   (c) Moran's I per year for 15 years at N = 280 with the dense inverse-distance W
 *       (78,120 links): the moments alone (target < 0.05 s), and with 999 permutations per
 *       year as the stage's default (target < 5 s);
 *   (d) the composite grid of the default study (a = 0, 0.1, …, 1 of inverse distance and
 *       economic distance at N = 280): mixing and styling, and the artifact's canonical JSON
 *       (the bytes the cache stores; 11 dense candidates).
 * Each figure is the median of 3 runs after a warm-up. The load average is printed.
 *
 *   npx tsx bench/spatial-weights.ts
 */
import { cpus, loadavg } from 'node:os'
import { mixSparse, rowStandardize, serializeWeights, type Weights } from '../src/artifacts/weights.ts'
import { economic, inverseDistance, kNearest } from '../src/stats/spatial/build.ts'
import { points } from '../src/stats/spatial/distance.ts'
import { moranConstants, moranPermutation, moranTest } from '../src/stats/spatial/moran.ts'
import { Rng } from '../src/stats/rng.ts'
import { readCsvFrame } from '../test/unit/stats/helpers.ts'

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]
function time(label: string, target: number, fn: () => unknown): number {
  fn()
  const t = [0, 1, 2].map(() => { const t0 = performance.now(); fn(); return (performance.now() - t0) / 1000 })
  const s = median(t)
  console.log(`${label.padEnd(64)} ${s.toFixed(3).padStart(8)} s  ${Number.isFinite(target) ? (s <= target ? `ok (target ${target} s)` : `MISSED (target ${target} s)`) : ''}`)
  return s
}

console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${cpus().length} cores`)

// The demo panel: one row per city-year; coordinates and gdp_pc by city.
const panel = readCsvFrame('pipelines/data/cluster_gie_panel.csv')
const city = panel.numbers('city'), year = panel.numbers('year')
const cities = [...new Set(city)].sort((a, b) => a - b)
const years = [...new Set(year)].sort((a, b) => a - b)
const at = new Map(cities.map((c, i) => [c, i]))
const N = cities.length
const lat = new Float64Array(N), lon = new Float64Array(N), gdpMean = new Float64Array(N), cnt = new Float64Array(N)
const x = years.map(() => new Float64Array(N))
panel.numbers('lat').forEach((v, r) => { lat[at.get(city[r])!] = v })
panel.numbers('lon').forEach((v, r) => { lon[at.get(city[r])!] = v })
panel.numbers('gdp_pc').forEach((v, r) => {
  const i = at.get(city[r])!
  if (!Number.isNaN(v)) { gdpMean[i] += v; cnt[i]++ }
  x[years.indexOf(year[r])][i] = Math.log(v)
})
gdpMean.forEach((s, i) => { gdpMean[i] = s / cnt[i] })

console.log(`N = ${N} cities, ${years.length} years`)
time('(a) inverse distance W, N = 280, row-standardised', 0.1, () => rowStandardize(inverseDistance(points(lat, lon))))

const rng = new Rng(['bench-spatial'])
const M = 3000
const bigLat = Float64Array.from({ length: M }, () => 20 + 25 * rng.uniform())
const bigLon = Float64Array.from({ length: M }, () => 100 + 25 * rng.uniform())
time('(b) 4 nearest neighbours, N = 3,000 (dense distance pass)', 2, () => kNearest(points(bigLat, bigLon), 4))

const W = rowStandardize(inverseDistance(points(lat, lon)))
time('(c) Moran per year, 15 years, N = 280 (moments only)', 0.05, () => { const c = moranConstants(W); for (const v of x) moranTest(v, W, c) })
time('(c) Moran per year, 15 years, N = 280, 999 permutations each', 5, () => {
  const c = moranConstants(W)
  years.forEach((y, k) => { moranTest(x[k], W, c); moranPermutation(x[k], W, 999, new Rng(['bench', y]), c) })
})

const E = rowStandardize(economic(gdpMean))
const grid = Array.from({ length: 11 }, (_, k) => Number((k / 10).toFixed(12)))
let weights: Weights | undefined
time('(d) composite grid a = 0 … 1 (11 matrices), mixing and styling', Infinity, () => {
  weights = { units: cities.map(String), style: 'row', description: 'bench', candidates: grid.map((a) => ({ label: `a = ${a}`, a, matrix: rowStandardize(mixSparse(a, W, E)) })) }
})
time(`(d) canonical JSON of those 11 candidates (${(serializeWeights(weights!).length / 1e6).toFixed(1)} MB)`, Infinity, () => serializeWeights(weights!))
