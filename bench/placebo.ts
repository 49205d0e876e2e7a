/**
 * Benchmarks of the placebo stage's draws (issue 10):
 *   (a) 500 draws, AER::Guns (1,173 obs, 51 states × 23 years, 7 controls, state and year
 *       effects, clustered by state): target < 0.1 s;
 *   (b) 500 draws on the 4,200-observation demo panel (280 cities × 15 years, 4 controls,
 *       clustered by city, as pipelines/cluster-gie.yaml's baseline): target < 0.5 s;
 *   (c) 5,000 draws on a 60,000-observation panel (3,000 units × 20 years, 5 controls),
 *       on the threads given (default: all cores): target < 10 s;
 *   (R) when Rscript with plm is installed: 100 plm re-fits of (a) timed inside R, scaled to 500.
 * Times are the draws only (design included), not reading the data. The load average is printed.
 *
 *   npx tsx bench/placebo.ts [--no-r] [--threads N]
 */
import { spawnSync } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { Frame } from '../src/artifacts/frame.ts'
import { regress } from '../src/stats/ols/regress.ts'
import type { RegressionSpec } from '../src/stats/ols/types.ts'
import { panelPaths } from '../src/stats/placebo/assign.ts'
import { runDraws } from '../src/stats/placebo/draws.ts'
import { fwlDesign } from '../src/stats/placebo/fwl.ts'
import { Rng } from '../src/stats/rng.ts'
import { ThreadBudget } from '../src/scheduler/threads.ts'
import { readCsvFrame } from '../test/unit/stats/helpers.ts'

const args = process.argv.slice(2)
const withR = !args.includes('--no-r') && spawnSync('Rscript', ['-e', 'library(plm)'], { stdio: 'ignore' }).status === 0
const threads = args.includes('--threads') ? Number(args[args.indexOf('--threads') + 1]) : cpus().length

async function time(frame: Frame, spec: RegressionSpec, unit: string, time: string, draws: number, nthreads = 1): Promise<number> {
  const t0 = performance.now()
  const fit = regress(frame, spec)
  const controls = spec.regressors.slice(1).filter((c) => !fit.collinear.includes(c))
  const design = fwlDesign(frame, spec, fit, controls)
  const paths = panelPaths(frame.column(unit)!, frame.numbers(time), frame.numbers(spec.regressors[0]), fit.rows)
  const budget = new ThreadBudget(nthreads)
  await runDraws(design, paths, { kind: 'units', draws, rngPath: ['bench', 1] }, { threads: budget, ...(nthreads > 1 ? { maxThreads: nthreads } : {}) })
  return (performance.now() - t0) / 1000
}

function bigPanel(U: number, T: number): Frame {
  const rng = new Rng(['bench-placebo'])
  const n = U * T
  const unit = new Float64Array(n), year = new Float64Array(n), D = new Float64Array(n), y = new Float64Array(n)
  const xs = Array.from({ length: 5 }, () => new Float64Array(n))
  for (let u = 0; u < U; u++) {
    const adopt = rng.uniform() < 0.3 ? 2005 + rng.int(10) : Infinity
    for (let t = 0; t < T; t++) {
      const i = u * T + t
      unit[i] = u; year[i] = 2000 + t; D[i] = 2000 + t >= adopt ? 1 : 0
      let s = 0.1 * D[i] + u * 1e-4 + t * 0.01
      for (const x of xs) { x[i] = rng.normal(); s += 0.2 * x[i] }
      y[i] = s + rng.normal()
    }
  }
  return Frame.from({ unit, year, D, y, x1: xs[0], x2: xs[1], x3: xs[2], x4: xs[3], x5: xs[4] })
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${cpus().length} cores`)

const guns = readCsvFrame('test/fixtures/placebo/guns.csv')
const gunsSpec: RegressionSpec = { outcome: 'lviolent', regressors: ['law', 'prisoners', 'afam', 'cauc', 'male', 'population', 'income', 'density'], fixedEffects: ['state', 'year'], cluster: ['state'], vcov: 'cluster' }
const a = median(await Promise.all([0, 1, 2, 3, 4].map(async () => 0)).then(async () => { const r: number[] = []; for (let k = 0; k < 5; k++) r.push(await time(guns, gunsSpec, 'state', 'year', 500)); return r }))
let rCol = '(R: skipped, Rscript with plm not found)'
if (withR) {
  const script = `suppressPackageStartupMessages(library(plm)); g <- read.csv("test/fixtures/placebo/guns.csv"); s <- unique(g$state); set.seed(1)
f <- lviolent ~ plc + prisoners + afam + cauc + male + population + income + density
t <- system.time(for (d in 1:100) { p <- setNames(sample(s), s); key <- setNames(g$law, paste(g$state, g$year)); g$plc <- key[paste(p[g$state], g$year)]
m <- plm(f, data = pdata.frame(g, index = c("state", "year")), model = "within", effect = "twoways"); v <- vcovHC(m, method = "arellano", type = "sss", cluster = "group") })[["elapsed"]]
cat(t * 5)`
  const r = spawnSync('Rscript', ['-e', script], { encoding: 'utf8' })
  rCol = r.status === 0 ? `plm re-fit: ${Number(r.stdout).toFixed(1)} s for 500 (100 timed)` : `(R failed: ${r.stderr.slice(0, 200)})`
}
console.log(`(a) Guns, 500 draws: ${a.toFixed(3)} s (target < 0.1 s) ${a < 0.1 ? 'ok' : 'MISSED'}   ${rCol}`)

const demoRaw = readCsvFrame('pipelines/data/cluster_gie_panel.csv')
const inv = demoRaw.numbers('green_inv'), uti = demoRaw.numbers('green_uti'), py = demoRaw.numbers('pilot_year'), yr = demoRaw.numbers('year')
const demo = demoRaw.withColumn('lnpat', { type: 'number', data: inv.map((v, i) => Math.log(1 + v + uti[i])) }).withColumn('did', { type: 'number', data: yr.map((t, i) => (py[i] > 0 && t >= py[i] ? 1 : 0)) })
const demoSpec: RegressionSpec = { outcome: 'lnpat', regressors: ['did', 'fin', 'urban', 'gov', 'industry'], fixedEffects: ['city', 'year'], cluster: ['city'], vcov: 'cluster' }
const b: number[] = []
for (let k = 0; k < 3; k++) b.push(await time(demo, demoSpec, 'city', 'year', 500))
console.log(`(b) demo panel (4,200 obs), 500 draws: ${median(b).toFixed(3)} s (target < 0.5 s) ${median(b) < 0.5 ? 'ok' : 'MISSED'}`)

const big = bigPanel(3000, 20)
const bigSpec: RegressionSpec = { outcome: 'y', regressors: ['D', 'x1', 'x2', 'x3', 'x4', 'x5'], fixedEffects: ['unit', 'year'], cluster: ['unit'], vcov: 'cluster' }
const c = await time(big, bigSpec, 'unit', 'year', 5000, threads)
console.log(`(c) 60,000 obs, 5,000 draws on ${threads} thread(s): ${c.toFixed(2)} s (target < 10 s) ${c < 10 ? 'ok' : 'MISSED'}`)
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
