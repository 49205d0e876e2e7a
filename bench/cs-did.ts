/**
 * Benchmark of the cs-did kernel: 10,000 units × 20 periods (200,000 unit-years), 10 adoption
 * cohorts plus never-treated units, two covariates, the doubly robust estimator against
 * not-yet-treated units; target < 5 s for the ATT(g,t) with their influence functions and the
 * simple, dynamic and group aggregations, reported beside the 999-draw multiplier bootstraps
 * (of the aggregations, and of all ATT(g,t) jointly as the stage does by default).
 *
 *   npx tsx bench/cs-did.ts
 */
import { cpus, loadavg } from 'node:os'
import { aggregate } from '../src/stats/csdid/aggregate.ts'
import { attGt } from '../src/stats/csdid/attgt.ts'
import { multiplierBootstrap } from '../src/stats/csdid/bootstrap.ts'
import { csPanel } from '../src/stats/csdid/panel.ts'
import { Rng } from '../src/stats/rng.ts'

const U = 10_000, T = 20, COHORTS = 10
const rng = new Rng(['bench-cs-did'])
const n = U * T
const unit: string[] = new Array(n)
const year = new Float64Array(n), adopt = new Float64Array(n), y = new Float64Array(n), x1 = new Float64Array(n), x2 = new Float64Array(n)
for (let u = 0; u < U; u++) {
  const g = Math.floor(rng.uniform() * (COHORTS + 1)) // 0: never, else a cohort adopting 2003, 2004, …
  const a0 = g === 0 ? NaN : 2002 + g
  const a = rng.normal(), z1 = rng.normal(), z2 = rng.uniform() < 0.4 ? 1 : 0
  for (let t = 0; t < T; t++) {
    const i = u * T + t
    unit[i] = `u${String(u).padStart(5, '0')}`; year[i] = 2000 + t; adopt[i] = a0; x1[i] = z1; x2[i] = z2
    y[i] = a + 0.05 * t + 0.08 * z1 * t + 0.1 * z2 + (g && 2000 + t >= a0 ? 0.2 + 0.05 * (2000 + t - a0) : 0) + rng.normal()
  }
}

const median = (xs: number[]) => xs.slice().sort((p, q) => p - q)[Math.floor(xs.length / 2)]
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${cpus().length} cores`)
const est: number[] = [], boot: number[] = [], bootCells: number[] = []
let cells = 0, att = NaN
for (let r = 0; r < 3; r++) {
  let t0 = performance.now()
  const panel = csPanel({
    unit: { name: 'unit', values: unit }, time: { name: 'year', values: year }, outcome: { name: 'y', values: y },
    treatment: { name: 'adopt', values: adopt, kind: 'adoption' },
    covariates: [{ name: 'x1', values: x1 }, { name: 'x2', values: x2 }],
  })
  const res = attGt(panel, { control: 'not-yet', base: 'varying', anticipation: 0, method: 'dr' })
  const aggs = (['simple', 'dynamic', 'group'] as const).map((t) => aggregate(res, t))
  est.push((performance.now() - t0) / 1000)
  cells = res.cells.length; att = aggs[0].overall.att
  t0 = performance.now()
  for (const a of aggs) multiplierBootstrap([a.overall.inf, ...a.points.map((p) => p.inf)], { draws: 999, rng: rng.fork(r), weights: 'mammen', level: 0.95 })
  boot.push((performance.now() - t0) / 1000)
  t0 = performance.now()
  multiplierBootstrap(res.cells.filter((c) => !c.reference).map((c) => c.inf), { draws: 999, rng: rng.fork(`cells${r}`), weights: 'mammen', level: 0.95 })
  bootCells.push((performance.now() - t0) / 1000)
}
console.log(`${U} units × ${T} periods (${n} unit-years), ${COHORTS} cohorts + never treated, dr with 2 covariates: ${cells} ATT(g,t), simple ATT ${att.toFixed(3)}`)
console.log(`ATT(g,t) + influence functions + simple/dynamic/group: ${median(est).toFixed(3)} s (target < 5 s)`)
console.log(`multiplier bootstrap, 999 draws, all aggregations: ${median(boot).toFixed(3)} s`)
console.log(`multiplier bootstrap, 999 draws, all ATT(g,t) jointly: ${median(bootCells).toFixed(3)} s`)
