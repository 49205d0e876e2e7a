/**
 * DEA benchmark: 4,200 DMUs (280 units × 15 years), 3 inputs, 3 desirable and 1 undesirable
 * output (and a 2 + 2 variant), global frontier, CRS super-SBM: our dense simplex on 1 and
 * 2 threads against a HiGHS-per-LP loop in the same process, scores compared DMU by DMU.
 *
 *   npx tsx bench/dea.ts                 HiGHS on 300 evenly spaced DMUs, its loop time extrapolated
 *   npx tsx bench/dea.ts --sample 1000   HiGHS on 1,000 DMUs
 *   npx tsx bench/dea.ts --full          HiGHS on all 4,200 (the WebAssembly build needs about
 *                                        0.1 s per LP here, so this takes several minutes per row)
 */
import { runDea, EFFICIENT_TOL } from '../src/stats/dea/run.ts'
import type { DeaData } from '../src/stats/dea/data.ts'
import { Rng } from '../src/stats/rng.ts'
import { highs, highsSolve } from '../test/unit/stats/dea/highs-dea.ts'

const UNITS = 280
const YEARS = 15
/** The issue's target: scores equal to HiGHS's to 1e-8. */
const AGREE = 1e-8

function panel(s1: number, s2: number): { data: DeaData; period: Int32Array } {
  const rng = new Rng(['bench-dea', s1, s2])
  const m = 3
  const d = m + s1 + s2
  const n = UNITS * YEARS
  const values = new Float64Array(n * d)
  const period = new Int32Array(n)
  const scale = [1e6, 2e3, 50, 1e4, 300, 40, 5e4, 8e3].slice(0, d) // mixed units, as city statistics are
  for (let u = 0; u < UNITS; u++) {
    const size = Math.exp(0.8 * rng.normal())
    for (let t = 0; t < YEARS; t++) {
      const j = u * YEARS + t
      period[j] = t
      for (let i = 0; i < d; i++) {
        const trend = i >= m && i < m + s1 ? 0.05 * t : i >= m + s1 ? -0.02 * t : 0.02 * t
        values[j * d + i] = scale[i] * size * Math.exp(trend + 0.35 * rng.normal())
      }
    }
  }
  return { data: { n, m, s1, s2, d, values }, period }
}

function arg(name: string): number | undefined {
  const k = process.argv.indexOf(name)
  return k >= 0 ? Number(process.argv[k + 1]) : undefined
}

async function main(): Promise<void> {
  const sample = process.argv.includes('--full') ? undefined : (arg('--sample') ?? 300)
  const opts = { model: 'super-sbm' as const, returns: 'constant' as const, orientation: 'none' as const, frontier: 'global' as const }
  const variants = ([
    [3, 1],
    [2, 2],
  ] as const).map(([s1, s2]) => ({ s1, s2, ...panel(s1, s2) }))

  // our solver first, for every variant, so that the peak RSS does not include HiGHS
  const ours = []
  for (const v of variants) {
    // two threads first: for the first variant this is a cold process (worker start-up and JIT warm-up included)
    const t2 = performance.now()
    const two = await runDea(v.data, v.period, YEARS, { ...opts, jobs: 2 })
    const wall2 = (performance.now() - t2) / 1000
    const t2w = performance.now()
    await runDea(v.data, v.period, YEARS, { ...opts, jobs: 2 })
    const wall2w = (performance.now() - t2w) / 1000
    const t1 = performance.now()
    const one = await runDea(v.data, v.period, YEARS, { ...opts, jobs: 1 })
    const wall1 = (performance.now() - t1) / 1000
    ours.push({ two, one, wall2, wall2w, wall1, same: Buffer.from(one.score.buffer).equals(Buffer.from(two.score.buffer)) })
  }
  const peakMb = process.resourceUsage().maxRSS / 1024

  // HiGHS, one LP per DMU as the reference scripts do: SBM for all, super-SBM for the SBM-efficient
  await highs()
  const rows: string[][] = []
  for (let k = 0; k < variants.length; k++) {
    const { data, s1, s2 } = variants[k]
    const r = ours[k]
    const all = Int32Array.from({ length: data.n }, (_, j) => j)
    const picks = sample ? Array.from({ length: sample }, (_, q) => Math.floor((q * data.n) / sample)) : [...all]
    let maxDiff = 0
    let infeasibleMismatch = 0
    const t3 = performance.now()
    for (const o of picks) {
      const s = await highsSolve({ kind: 'sbm', vrs: false, orientation: 'none' }, data, o, all, false)
      let score = s.score
      if (score >= 1 - EFFICIENT_TOL) {
        const sup = await highsSolve({ kind: 'super-sbm', vrs: false, orientation: 'none' }, data, o, all, true)
        if (sup.status === 'optimal') score = sup.score
        else if (r.one.status[o] !== 'super-infeasible') infeasibleMismatch++
      }
      maxDiff = Math.max(maxDiff, Math.abs(score - r.one.score[o]))
    }
    const highsSec = ((performance.now() - t3) / 1000) * (data.n / picks.length)
    rows.push([
      `${data.m}/${s1}/${s2}`,
      String(data.n),
      String(r.one.lps),
      r.wall2.toFixed(2) + (k === 0 ? '' : '*'),
      r.wall2w.toFixed(2),
      r.wall1.toFixed(2),
      `${highsSec.toFixed(1)}${sample ? ' (est.)' : ''}`,
      (highsSec / r.wall2).toFixed(0) + '×',
      maxDiff.toExponential(1) + (maxDiff <= AGREE && infeasibleMismatch === 0 ? ' ok' : ' FAIL'),
      r.same ? 'yes' : 'NO',
    ])
  }
  const header = ['m/s1/s2', 'DMUs', 'LPs', '2 thr cold (s)', '2 thr warm (s)', '1 thr warm (s)', 'HiGHS loop (s)', 'ratio', 'max |Δ| vs HiGHS', '1 thr = 2 thr']
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (r: string[]): string => r.map((c, i) => c.padStart(width[i])).join('  ')
  console.log(`global frontier, constant returns, super-SBM with undesirable outputs; ${process.version}; ${sample ? `HiGHS on ${sample} evenly spaced DMUs, loop time extrapolated` : 'HiGHS on every DMU'}`)
  console.log('cold: first run in the process, worker start-up (under tsx most of a second) and JIT warm-up included; *: new workers, warm main thread')
  console.log('ratio: HiGHS loop / our cold 2-thread wall')
  console.log(line(header))
  for (const r of rows) console.log(line(r))
  console.log(`peak RSS of our runs (before HiGHS is loaded): ${peakMb.toFixed(0)} MB`)
}

await main()
