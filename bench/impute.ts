/**
 * impute on a panel the size of the bundled demo and larger: 280 / 2,800 units × 15 years,
 * 20 numeric columns with 10% missing at random. Run: npx tsx bench/impute.ts
 */
import { Frame } from '../src/artifacts/frame.ts'
import type { StageContext } from '../src/stage.ts'
import { Rng, stageRng } from '../src/stats/rng.ts'
import { ThreadBudget } from '../src/scheduler/threads.ts'
import impute from '../stages/impute/stage.ts'
import type { ImputeParams } from '../stages/impute/params.ts'
import { memoryOutput } from '../src/artifacts/output.ts'

function makePanel(units: number, years: number, ncols: number): Frame {
  const rng = new Rng(['bench', 'impute', units])
  const n = units * years
  const cols: Record<string, ArrayLike<number> | (string | null)[]> = {
    city: Array.from({ length: n }, (_, i) => `c${Math.floor(i / years)}`),
    year: Float64Array.from({ length: n }, (_, i) => 2007 + (i % years)),
    region: Array.from({ length: n }, (_, i) => ['E', 'C', 'W'][Math.floor(i / years) % 3]),
  }
  for (let c = 0; c < ncols; c++) cols[`x${c}`] = Float64Array.from({ length: n }, () => (rng.uniform() < 0.1 ? NaN : rng.normal()))
  return Frame.from(cols)
}

async function time(frame: Frame, params: Partial<ImputeParams> & { method: ImputeParams['method'] }): Promise<number> {
  const ctx: StageContext<ImputeParams> = {
    stage: 'bench', kind: 'impute',
    params: { from: 'panel', ends: 'keep-missing', report: 'per-unit', flag: false, ...params },
    panel: { unit: 'city', time: 'year' },
    input: (stage) => memoryOutput(stage, 'ingest', { frame }),
    files: {}, rng: stageRng(1, 'bench'), log: { info() {}, warn() {} }, progress() {},
    signal: new AbortController().signal, jobs: 1, threads: new ThreadBudget(1),
  }
  await impute.run(ctx) // warm-up
  const reps = 5
  const t0 = performance.now()
  for (let r = 0; r < reps; r++) await impute.run(ctx)
  return (performance.now() - t0) / reps
}

const rows: string[] = ['units  rows    method      ms']
for (const units of [280, 2800]) {
  const frame = makePanel(units, 15, 20)
  for (const method of ['linear', 'locf', 'unit-mean', 'time-mean'] as const) {
    const params = method === 'time-mean' ? { method, by: ['region'] } : { method }
    const ms = await time(frame, params)
    rows.push(`${String(units).padEnd(6)} ${String(frame.nrows).padEnd(7)} ${method.padEnd(11)} ${ms.toFixed(1).padStart(6)}`)
  }
}
console.log(rows.join('\n'))
