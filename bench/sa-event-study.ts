/**
 * Benchmark of the sa-event-study stage: 2,000 units × 20 periods (40,000 rows), 10 adoption
 * cohorts and never-treated units, window [−5, 5]: about 100 cohort × period indicators in the
 * saturated regression, then the weighting and the delta-method variance. No target was set;
 * the figure is recorded in docs/methods.md.
 *
 *   npx tsx bench/sa-event-study.ts
 */
import { cpus, loadavg } from 'node:os'
import { Frame } from '../src/artifacts/frame.ts'
import { Rng } from '../src/stats/rng.ts'
import sunab from '../stages/sa-event-study/stage.ts'
import did from '../stages/did/stage.ts'
import { makeTestContext } from '../test/helpers/context.ts'

const U = 2000, T = 20, COHORTS = 10
const rng = new Rng(['bench-sa-event-study'])
const n = U * T
const unit: string[] = [], year = new Float64Array(n), adopt = new Float64Array(n), y = new Float64Array(n)
for (let u = 0; u < U; u++) {
  const g = Math.floor(rng.uniform() * (COHORTS + 1)) // 0: never, else a cohort
  const a0 = g === 0 ? NaN : 2004 + (g - 1)
  const a = rng.normal()
  for (let t = 0; t < T; t++) {
    const i = u * T + t
    unit.push(`u${u}`); year[i] = 2000 + t; adopt[i] = a0
    y[i] = a + 0.05 * t + (year[i] >= a0 ? 0.1 * (year[i] - a0 + 1) * (1 + g / 10) : 0) + rng.normal()
  }
}
const frame = Frame.from({ unit, year, adopt, y })
const panel = { unit: 'unit', time: 'year' }

const median = (xs: number[]) => xs.slice().sort((p, q) => p - q)[Math.floor(xs.length / 2)]
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${cpus().length} cores`)
const base = await did.run(makeTestContext({
  params: { from: 'data', outcome: 'y', treatment: { adoption: 'adopt' }, cluster: 'unit', small_sample: 'nested', stepwise: false, digits: 3 },
  inputs: { data: frame }, panel, kind: 'did',
}) as never)
const times: number[] = []
let cells = 0
for (let r = 0; r < 5; r++) {
  const t0 = performance.now()
  const res = await sunab.run(makeTestContext({
    params: { model: 'base', window: [-5, 5], reference: -1, control: 'never', shares: 'estimated', level: 0.95 } as never,
    inputs: { base: { kind: 'did', frame: base.frame, model: base.model } }, panel, kind: 'sa-event-study',
  }))
  times.push((performance.now() - t0) / 1000)
  cells = (res.files!['cohorts.csv'] as string).trim().split('\n').length - 1
}
console.log(`${U} units × ${T} periods, ${COHORTS} cohorts + never treated: ${cells} cohort × period cells`)
console.log(`sa-event-study stage (regression, weights, variance, table, figure): median ${median(times).toFixed(3)} s, first ${times[0].toFixed(3)} s`)
