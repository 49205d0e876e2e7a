/**
 * Benchmark of the bacon stage's decomposition: 2,000 units × 20 periods (40,000 rows), 10
 * adoption cohorts plus never- and always-treated units; target < 0.5 s for the layout and
 * the decomposition, reported beside the two-way FE fit the stage checks it against.
 *
 *   npx tsx bench/bacon.ts
 */
import { cpus, loadavg } from 'node:os'
import { Frame } from '../src/artifacts/frame.ts'
import { baconDecompose } from '../src/stats/bacon/decompose.ts'
import { baconPanel } from '../src/stats/bacon/panel.ts'
import { regress } from '../src/stats/ols/regress.ts'
import { Rng } from '../src/stats/rng.ts'

const U = 2000, T = 20, COHORTS = 10
const rng = new Rng(['bench-bacon'])
const n = U * T
const unit = new Float64Array(n), year = new Float64Array(n), D = new Float64Array(n), y = new Float64Array(n)
for (let u = 0; u < U; u++) {
  const g = Math.floor(rng.uniform() * (COHORTS + 2)) // 0: never, 1: always, else a cohort
  const adopt = g === 0 ? Infinity : g === 1 ? 2000 : 2002 + 2 * (g - 2) - (g > 6 ? 1 : 0)
  const a = rng.normal()
  for (let t = 0; t < T; t++) {
    const i = u * T + t
    unit[i] = u; year[i] = 2000 + t; D[i] = 2000 + t >= adopt ? 1 : 0
    y[i] = a + 0.05 * t + (D[i] ? 0.1 * (2000 + t - adopt + 1) : 0) + rng.normal()
  }
}
const frame = Frame.from({ unit, year, D, y })

const median = (xs: number[]) => xs.slice().sort((p, q) => p - q)[Math.floor(xs.length / 2)]
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${cpus().length} cores`)
const dec: number[] = [], fit: number[] = []
let total = NaN, twfe = NaN, comparisons = 0
for (let r = 0; r < 5; r++) {
  let t0 = performance.now()
  const d = baconDecompose(baconPanel({
    unit: { name: 'unit', values: unit }, time: { name: 'year', values: year },
    outcome: { name: 'y', values: y }, treatment: { name: 'D', values: D },
  }))
  dec.push((performance.now() - t0) / 1000)
  total = d.total; comparisons = d.comparisons.length
  t0 = performance.now()
  const f = regress(frame, { outcome: 'y', regressors: ['D'], fixedEffects: ['unit', 'year'], vcov: 'iid' })
  fit.push((performance.now() - t0) / 1000)
  twfe = f.terms.find((x) => x.term === 'D')!.estimate
}
console.log(`${U} units × ${T} periods, ${COHORTS} cohorts + never + always: ${comparisons} comparisons`)
console.log(`decomposition (layout + 2×2s + weights): ${median(dec).toFixed(3)} s (target < 0.5 s)`)
console.log(`two-way FE fit it is checked against: ${median(fit).toFixed(3)} s`)
console.log(`Σ w·β̂ − TWFE = ${(total - twfe).toExponential(2)}`)
