/**
 * Benchmark of the coupling stage: 300 units × 20 years (6,000 rows), 3 subsystems of 10
 * indicators each (two of them negative); the whole stage (entropy weights, C/T/D, classes,
 * means table, figure) with weights over the panel and per period, and the entropy kernel
 * alone. Target: well under 1 s for the stage.
 *
 *   npx tsx bench/coupling.ts
 */
import { cpus, loadavg } from 'node:os'
import { Frame } from '../src/artifacts/frame.ts'
import { entropyIndex } from '../src/stats/entropy/weights.ts'
import { Rng } from '../src/stats/rng.ts'
import coupling from '../stages/coupling/stage.ts'
import type { CouplingParams } from '../stages/coupling/params.ts'
import { makeTestContext } from '../test/helpers/context.ts'

const U = 300, T = 20, S = 3, K = 10
const rng = new Rng(['bench-coupling'])
const n = U * T
const cols: Record<string, Float64Array | string[]> = {
  unit: Array.from({ length: n }, (_, i) => `u${Math.floor(i / T)}`),
  year: Float64Array.from({ length: n }, (_, i) => 2000 + (i % T)),
  region: Array.from({ length: n }, (_, i) => ['east', 'central', 'west'][Math.floor(i / T) % 3]),
}
const subsystems: Record<string, { positive: string[]; negative: string[] }> = {}
for (let s = 0; s < S; s++) {
  const spec = { positive: [] as string[], negative: [] as string[] }
  for (let k = 0; k < K; k++) {
    const name = `s${s}x${k}`
    const x = new Float64Array(n)
    for (let u = 0; u < U; u++) {
      const level = Math.exp(rng.normal())
      for (let t = 0; t < T; t++) x[u * T + t] = level * (1 + 0.03 * t) * Math.exp(0.2 * rng.normal())
    }
    cols[name] = x
    ;(k < 8 ? spec.positive : spec.negative).push(name)
  }
  subsystems[`sys${s}`] = spec
}
const frame = Frame.from(cols)

const median = (xs: number[]) => xs.slice().sort((p, q) => p - q)[Math.floor(xs.length / 2)]
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${cpus().length} cores`)
console.log(`${U} units × ${T} years = ${n} rows, ${S} subsystems × ${K} indicators`)

async function stage(pool: 'panel' | 'period'): Promise<number> {
  const ctx = makeTestContext<CouplingParams>({
    params: { from: 'x', subsystems, normalization: 'min-max', shift: 0, pool, tolerance: 0.1, by: 'region' },
    inputs: { x: frame }, panel: { unit: 'unit', time: 'year' }, stage: 'ccd', kind: 'coupling',
  })
  const t0 = performance.now()
  await coupling.run(ctx)
  return (performance.now() - t0) / 1000
}

await stage('panel') // the first run loads Vega
for (const pool of ['panel', 'period'] as const) {
  const times: number[] = []
  for (let r = 0; r < 7; r++) times.push(await stage(pool))
  console.log(`stage, weights ${pool === 'panel' ? 'over the panel' : 'per period'}: ${median(times).toFixed(3)} s (median of 7)`)
}
const inds = subsystems.sys0.positive.map((c) => ({ column: c, direction: 'positive' as const, values: frame.numbers(c) }))
const kernel: number[] = []
for (let r = 0; r < 21; r++) {
  const t0 = performance.now()
  entropyIndex(inds, undefined, {})
  kernel.push(performance.now() - t0)
}
console.log(`entropy kernel, ${inds.length} indicators × ${n} rows: ${median(kernel).toFixed(2)} ms (median of 21)`)
