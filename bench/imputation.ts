/**
 * Benchmark of the imputation kernel (no named target; the issue asks that it stay linear in
 * the observations): U units × 20 periods with 6 cohorts and never-treated units, one
 * control, the overall ATT and the 20 event-time effects with their variances, at
 * U = 5,000 and 20,000 (100,000 and 400,000 rows), beside the two-way FE regression of the
 * same panel.
 *
 *   npx tsx bench/imputation.ts
 */
import { cpus, loadavg } from 'node:os'
import { Frame } from '../src/artifacts/frame.ts'
import { factorize } from '../src/stats/fe/factor.ts'
import { imputationFit } from '../src/stats/imputation/estimate.ts'
import { regress } from '../src/stats/ols/regress.ts'
import { Rng } from '../src/stats/rng.ts'

const T = 20
const median = (xs: number[]) => xs.slice().sort((p, q) => p - q)[Math.floor(xs.length / 2)]
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${cpus().length} cores`)
for (const U of [5000, 20000]) {
  const rng = new Rng(['bench-imputation', String(U)])
  const n = U * T
  const unit = new Float64Array(n), year = new Float64Array(n), adopt = new Float64Array(n), x = new Float64Array(n), y = new Float64Array(n), D = new Float64Array(n)
  for (let u = 0; u < U; u++) {
    const g = Math.floor(rng.uniform() * 7) // 0: never, else cohort 2003, 2006, …
    const a = g === 0 ? NaN : 2000 + 3 * g
    const alpha = rng.normal()
    for (let t = 0; t < T; t++) {
      const i = u * T + t
      unit[i] = u; year[i] = 2000 + t; adopt[i] = a; x[i] = rng.normal()
      D[i] = a === a && 2000 + t >= a ? 1 : 0
      y[i] = alpha + 0.05 * t + 0.5 * x[i] + (D[i] ? 0.1 * (2000 + t - a + 1) : 0) + rng.normal()
    }
  }
  const frame = Frame.from({ unit, year, D, x, y })
  const event = Float64Array.from(year, (t, i) => t - adopt[i])
  const treated = Uint8Array.from(D)
  const imp: number[] = [], fit: number[] = [], step1: number[] = []
  let att = NaN
  for (let r = 0; r < 3; r++) {
    let t0 = performance.now()
    const f = imputationFit({
      y, factors: [factorize({ type: 'number', data: unit }), factorize({ type: 'number', data: year })],
      controls: [{ name: 'x', values: x }], treated, cohort: adopt, event, cluster: factorize({ type: 'number', data: unit }),
    })
    step1.push((performance.now() - t0) / 1000)
    const hs = [...new Set(Array.from(event).filter((e, i) => treated[i] && f.identified[i]))].sort((a, b) => a - b)
    let n1 = 0
    for (let i = 0; i < n; i++) if (f.identified[i]) n1++
    att = f.estimand(Float64Array.from(event, (_, i) => (f.identified[i] ? 1 / n1 : 0))).estimate
    for (const h of hs) {
      let nh = 0
      for (let i = 0; i < n; i++) if (f.identified[i] && event[i] === h) nh++
      f.estimand(Float64Array.from(event, (e, i) => (f.identified[i] && e === h ? 1 / nh : 0)))
    }
    imp.push((performance.now() - t0) / 1000)
    t0 = performance.now()
    regress(frame, { outcome: 'y', regressors: ['D', 'x'], fixedEffects: ['unit', 'year'], vcov: 'cluster', cluster: ['unit'] })
    fit.push((performance.now() - t0) / 1000)
  }
  console.log(`${U} units × ${T} periods (${n} rows): imputation with overall + event-time variances ${median(imp).toFixed(3)} s (untreated fit and imputation ${median(step1).toFixed(3)} s); TWFE fit ${median(fit).toFixed(3)} s; ATT ${att.toFixed(3)}`)
}
