/**
 * Expression language speed on a panel the size of the bundled demo (280 units × 15 years
 * = 4,200 rows). Run: npx tsx bench/expr.ts. Prints the median time per evaluation.
 */
import { Frame } from '../src/artifacts/frame.ts'
import { compileExpression, evaluate, schemaOf } from '../src/expr/index.ts'
import { Rng } from '../src/stats/rng.ts'
import { memoryOutput } from '../src/artifacts/output.ts'
import { ThreadBudget } from '../src/scheduler/threads.ts'

const UNITS = 280
const YEARS = 15
const rng = new Rng(['bench', 'expr'])
const n = UNITS * YEARS
const city: string[] = []
const year = new Float64Array(n)
const region: string[] = []
const cols: Record<string, Float64Array> = {}
for (const c of ['gdp', 'area', 'so2', 'wastewater', 'dust', 'pilot_year']) cols[c] = new Float64Array(n)
for (let u = 0, i = 0; u < UNITS; u++) {
  const pilot = u < 55 ? [2013, 2014, 2017][u % 3] : NaN
  for (let t = 0; t < YEARS; t++, i++) {
    city.push(`c${u}`)
    region.push(['east', 'central', 'west', 'northeast'][u % 4])
    year[i] = 2007 + t
    cols.gdp[i] = rng.uniform() < 0.02 ? NaN : Math.exp(10 + rng.normal() * 0.5 + 0.05 * t)
    cols.area[i] = 1000 + u
    cols.so2[i] = Math.exp(rng.normal())
    cols.wastewater[i] = Math.exp(rng.normal())
    cols.dust[i] = Math.exp(rng.normal())
    cols.pilot_year[i] = pilot
  }
}
const frame = Frame.from({ city, year, region, ...cols })
const panel = { unit: 'city', time: 'year' }

const cases = [
  'gdp / area',
  'log(gdp) - 2 * log(area) + 1',
  'year >= 2009 and region != "west"',
  'lag(gdp)',
  'diff(log(gdp))',
  'mean(gdp) by region, year',
  'median(gdp) by year',
  'standardize(gdp) by year',
  'rank(gdp)',
  'winsor(gdp, 0.01, 0.99)',
  'winsor(gdp, 0.01, 0.99; quantile: "stata") by year',
  'entropy(so2, wastewater, dust)',
  'entropy(gdp; negative: [so2, wastewater, dust]) by year',
  'adopted(pilot_year) * event_time(pilot_year)',
]

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[s.length >> 1]
}

function time(f: () => void, reps: number): number {
  f() // warm-up
  const ts: number[] = []
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now()
    f()
    ts.push(performance.now() - t0)
  }
  return median(ts)
}

const schema = schemaOf(frame, panel)
console.log(`expression evaluation on ${n.toLocaleString('en-US')} rows (median of 20 runs)\n`)
console.log(`${'expression'.padEnd(58)} ${'parse+check'.padStart(12)} ${'evaluate'.padStart(10)}`)
for (const src of cases) {
  const compile = time(() => compileExpression(src, schema), 20)
  const { expr } = compileExpression(src, schema)
  const run = time(() => evaluate(expr, frame, { source: src, panel }), 20)
  console.log(`${src.padEnd(58)} ${(compile * 1000).toFixed(0).padStart(9)} µs ${run.toFixed(2).padStart(7)} ms`)
}

// The derive stage end to end (parse, check, evaluate, summaries, entropy CSV) on 8 columns.
const { default: derive } = await import('../stages/derive/stage.ts')
const columns = {
  eco: 'gdp / area',
  growth: 'diff(log(gdp))',
  gdp_w: 'winsor(gdp, 0.01, 0.99)',
  gdp_dev: 'gdp - mean(gdp) by region, year',
  z: 'standardize(gdp) by year',
  pollution: 'entropy(so2, wastewater, dust)',
  did: 'adopted(pilot_year)',
  rel: 'event_time(pilot_year)',
}
const noop = () => {}
const ctx = {
  stage: 'vars', kind: 'derive', params: { from: 'panel', columns }, panel,
  input: () => memoryOutput('panel', 'ingest', { frame }),
  files: {}, rng: rng.fork('ctx'), log: { info: noop, warn: noop }, progress: noop,
  signal: new AbortController().signal, jobs: 1, threads: new ThreadBudget(1),
}
const stageMs: number[] = []
for (let r = 0; r < 10; r++) {
  const t0 = performance.now()
  await derive.run(ctx)
  stageMs.push(performance.now() - t0)
}
console.log(`\nderive stage, ${Object.keys(columns).length} columns: ${median(stageMs).toFixed(1)} ms (median of 10)`)
