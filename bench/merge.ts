/**
 * merge: city attributes (m:1) onto a city-year panel, 280 / 2,800 cities × 15 years;
 * and a composite-key 1:1 join of two panels. Run: npx tsx bench/merge.ts
 */
import { Frame } from '../src/artifacts/frame.ts'
import type { StageContext } from '../src/stage.ts'
import { stageRng } from '../src/stats/rng.ts'
import { ThreadBudget } from '../src/scheduler/threads.ts'
import merge from '../stages/merge/stage.ts'
import type { MergeParams } from '../stages/merge/params.ts'
import { memoryOutput } from '../src/artifacts/output.ts'

function panel(units: number, years: number, value: string): Frame {
  const n = units * years
  return Frame.from({
    city: Array.from({ length: n }, (_, i) => `c${Math.floor(i / years)}`),
    year: Float64Array.from({ length: n }, (_, i) => 2007 + (i % years)),
    [value]: Float64Array.from({ length: n }, (_, i) => i * 0.5),
  })
}
const attributes = (units: number) =>
  Frame.from({
    city: Array.from({ length: units }, (_, i) => `c${units - 1 - i}`),
    province: Array.from({ length: units }, (_, i) => `p${i % 31}`),
    lat: Float64Array.from({ length: units }, (_, i) => 20 + (i % 30)),
  })

async function time(params: Partial<MergeParams>, left: Frame, right: Frame): Promise<number> {
  const ctx: StageContext<MergeParams> = {
    stage: 'bench', kind: 'merge',
    params: { left: 'l', right: 'r', on: 'city', how: 'left', validate: 'm:1', suffix: '_right', ...params },
    input: (stage) => memoryOutput(stage, 'ingest', { frame: stage === 'l' ? left : right }),
    files: {}, rng: stageRng(1, 'bench'), log: { info() {}, warn() {} }, progress() {},
    signal: new AbortController().signal, jobs: 1, threads: new ThreadBudget(1),
  }
  await merge.run(ctx)
  const reps = 5
  const t0 = performance.now()
  for (let r = 0; r < reps; r++) await merge.run(ctx)
  return (performance.now() - t0) / reps
}

const out = ['cities  left rows  join                     ms']
for (const units of [280, 2800]) {
  const left = panel(units, 15, 'gdp')
  const m1 = await time({}, left, attributes(units))
  const c11 = await time({ on: ['city', 'year'], validate: '1:1' }, left, panel(units, 15, 'so2'))
  out.push(`${String(units).padEnd(7)} ${String(left.nrows).padEnd(10)} m:1 on city              ${m1.toFixed(1).padStart(6)}`)
  out.push(`${String(units).padEnd(7)} ${String(left.nrows).padEnd(10)} 1:1 on [city, year]      ${c11.toFixed(1).padStart(6)}`)
}
console.log(out.join('\n'))
