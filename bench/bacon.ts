/**
 * Benchmark of the bacon stage's decomposition: 2,000 units × 20 periods (40,000 rows), 10
 * adoption cohorts plus never- and always-treated units; target < 0.5 s for the layout and
 * the decomposition, reported beside the two-way FE fit the stage checks it against; the
 * same with two covariates (`covariates: true`: Frisch–Waugh first stage, within component,
 * between 2×2s) beside the fit with them.
 *
 *   npx tsx bench/bacon.ts
 */
import { cpus, loadavg } from 'node:os'
import { Frame } from '../src/artifacts/frame.ts'
import { baconDecomposeCovariates } from '../src/stats/bacon/covariates.ts'
import { baconDecompose } from '../src/stats/bacon/decompose.ts'
import { baconPanel } from '../src/stats/bacon/panel.ts'
import { regress } from '../src/stats/ols/regress.ts'
import { Rng } from '../src/stats/rng.ts'

const U = 2000, T = 20, COHORTS = 10
const rng = new Rng(['bench-bacon'])
const n = U * T
const unit = new Float64Array(n), year = new Float64Array(n), D = new Float64Array(n), y = new Float64Array(n)
// Covariates from a stream of their own (the panel above stays as it was): x1 time-varying and correlated with the treatment, x2 noise.
const rngX = new Rng(['bench-bacon-covariates'])
const x1 = new Float64Array(n), x2 = new Float64Array(n)
for (let u = 0; u < U; u++) {
  const g = Math.floor(rng.uniform() * (COHORTS + 2)) // 0: never, 1: always, else a cohort
  const adopt = g === 0 ? Infinity : g === 1 ? 2000 : 2002 + 2 * (g - 2) - (g > 6 ? 1 : 0)
  const a = rng.normal()
  for (let t = 0; t < T; t++) {
    const i = u * T + t
    unit[i] = u; year[i] = 2000 + t; D[i] = 2000 + t >= adopt ? 1 : 0
    y[i] = a + 0.05 * t + (D[i] ? 0.1 * (2000 + t - adopt + 1) : 0) + rng.normal()
    x1[i] = 0.8 * D[i] + 0.02 * t * a + 0.5 * rngX.normal(); x2[i] = rngX.normal()
  }
}
const frame = Frame.from({ unit, year, D, y, x1, x2 })

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

const decC: number[] = [], fitC: number[] = []
let omega = NaN
for (let r = 0; r < 5; r++) {
  let t0 = performance.now()
  const d = baconDecomposeCovariates(baconPanel({
    unit: { name: 'unit', values: unit }, time: { name: 'year', values: year },
    outcome: { name: 'y', values: y }, treatment: { name: 'D', values: D },
    covariates: [{ name: 'x1', values: x1 }, { name: 'x2', values: x2 }],
  }))
  decC.push((performance.now() - t0) / 1000)
  total = d.total; comparisons = d.comparisons.length; omega = d.within?.weight ?? 0
  t0 = performance.now()
  const f = regress(frame, { outcome: 'y', regressors: ['D', 'x1', 'x2'], fixedEffects: ['unit', 'year'], vcov: 'iid' })
  fitC.push((performance.now() - t0) / 1000)
  twfe = f.terms.find((x) => x.term === 'D')!.estimate
}
console.log(`with covariates x1, x2: ${comparisons} between comparisons, Ω = ${omega.toFixed(3)}`)
console.log(`decomposition with covariates: ${median(decC).toFixed(3)} s (target < 0.5 s)`)
console.log(`two-way FE fit with the covariates: ${median(fitC).toFixed(3)} s`)
console.log(`Ω·β̂_w + Σ w·β̂ − TWFE = ${(total - twfe).toExponential(2)}`)
