/**
 * Benchmark of the policy-mix stage (no named target): 2,000 units × 20 years (40,000 rows),
 * three policies with staggered adoption and never-adopters, one control, clustered by unit.
 * The whole stage as a pipeline runs it: six columns (three alone, additive, all three
 * products, categories), the synergy tests, the suest Wald test (scores of three models
 * stacked by cluster) and the joint-exposure event study with its figure; beside it, one
 * two-way FE fit of the same panel, the unit the stage's cost is made of.
 *
 *   npx tsx bench/policy-mix.ts
 */
import { cpus, loadavg } from 'node:os'
import { Frame } from '../src/artifacts/frame.ts'
import { regress } from '../src/stats/ols/regress.ts'
import { Rng } from '../src/stats/rng.ts'
import policyMix from '../stages/policy-mix/stage.ts'
import type { PolicyMixParams } from '../stages/policy-mix/params.ts'
import { makeTestContext } from '../test/helpers/context.ts'

const U = 2000, T = 20
const median = (xs: number[]) => xs.slice().sort((p, q) => p - q)[Math.floor(xs.length / 2)]
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${cpus().length} cores`)

const rng = new Rng(['bench-policy-mix'])
const n = U * T
const unit: string[] = new Array(n)
const year = new Float64Array(n), x = new Float64Array(n), y = new Float64Array(n)
const years = [new Float64Array(n), new Float64Array(n), new Float64Array(n)]
const effects = [0.3, 0.2, 0.1]
for (let u = 0; u < U; u++) {
  // each policy: never (0) or one of four batches
  const adopt = effects.map(() => { const g = Math.floor(rng.uniform() * 5); return g === 0 ? NaN : 2003 + 3 * g })
  const alpha = rng.normal()
  for (let t = 0; t < T; t++) {
    const i = u * T + t
    unit[i] = `u${u}`; year[i] = 2000 + t; x[i] = rng.normal()
    const on = adopt.map((a): number => (a === a && 2000 + t >= a ? 1 : 0))
    adopt.forEach((a, k) => { years[k][i] = a })
    y[i] = alpha + 0.05 * t + 0.5 * x[i] + on.reduce((s, d, k) => s + effects[k] * d, 0) + 0.15 * on[0] * on[1] + rng.normal()
  }
}
const frame = Frame.from({ unit, year, x, y, a_year: years[0], b_year: years[1], c_year: years[2] })
const params: PolicyMixParams = {
  from: 'panel', outcome: 'y', controls: ['x'], cluster: 'unit',
  policies: { a: 'a_year', b: 'b_year', c: 'c_year' }, window: [-4, 4], reference: -1, level: 0.95,
}
const stage: number[] = [], fit: number[] = []
let synergy = NaN, p = NaN
for (let r = 0; r < 3; r++) {
  let t0 = performance.now()
  const ctx = makeTestContext<PolicyMixParams>({ params, inputs: { panel: frame }, panel: { unit: 'unit', time: 'year' }, stage: 'mix', kind: 'policy-mix' })
  const out = await policyMix.run(ctx)
  stage.push((performance.now() - t0) / 1000)
  synergy = out.facts!.synergy; p = out.facts!.joint_minus_sum_p
  t0 = performance.now()
  regress(frame.withColumn('d', { type: 'number', data: Float64Array.from(year, (t, i) => (t >= years[0][i] ? 1 : 0)) }), { outcome: 'y', regressors: ['d', 'x'], fixedEffects: ['unit', 'year'], vcov: 'cluster', cluster: ['unit'] })
  fit.push((performance.now() - t0) / 1000)
}
console.log(`${U} units × ${T} years (${n} rows), 3 policies: policy-mix stage ${median(stage).toFixed(3)} s (6 columns, tests, suest, event study + figure); one TWFE fit ${median(fit).toFixed(3)} s; synergy a:b ${synergy.toFixed(3)} (true 0.15), joint − sum p ${p.toFixed(3)}`)
