/**
 * Benchmark of the mediation stage (issue: 1,000-draw cluster bootstrap for four mediators on
 * the demo panel under 2 s). The panel is pipelines/data/cluster_gie_panel.csv with the default
 * pipeline's derived columns replicated here (ln green patents, economic density, the log
 * mediators), model as `patents` there: city and year effects, clustered by city, 5 controls.
 *   (a) the whole stage: 3 × 4 regressions, 1,000 draws (design included), outputs and figure;
 *   (b) the bootstrap alone (design + 1,000 draws), from the stage's log timing;
 *   (R) when Rscript is installed: 20 draws of lm re-fits on the resampled panel, scaled to 1,000.
 * Not timed: reading the CSV and fitting the `did` model. The load average is printed, and the
 * process's CPU time beside the wall time (on a shared machine the wall time follows the load).
 *
 *   npx tsx bench/mediation.ts [--no-r]
 */
import { spawnSync } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import type { Frame } from '../src/artifacts/frame.ts'
import did from '../stages/did/stage.ts'
import mediation from '../stages/mediation/stage.ts'
import type { MediationParams } from '../stages/mediation/params.ts'
import { factorize } from '../src/stats/fe/factor.ts'
import { runBootstrap } from '../src/stats/mediation/bootstrap.ts'
import { bootDesign } from '../src/stats/mediation/design.ts'
import { makeTestContext } from '../test/helpers/context.ts'
import { readCsvFrame } from '../test/unit/stats/helpers.ts'

const args = process.argv.slice(2)
const withR = !args.includes('--no-r') && spawnSync('Rscript', ['--version'], { stdio: 'ignore' }).status === 0
const panel = { unit: 'city', time: 'year' }
const MEDIATORS = ['ln_energy_int', 'isu', 'ln_innov', 'digital']

console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${cpus().length} cores`)
const raw = readCsvFrame('pipelines/data/cluster_gie_panel.csv')
const num = (c: string) => raw.numbers(c)
const derived: [string, Float64Array][] = [
  ['ln_green_patents', num('green_inv').map((v, i) => Math.log(1 + v + num('green_uti')[i]))],
  ['eco', num('gdp').map((v, i) => Math.log(v / num('area')[i]))],
  ['ln_energy_int', num('energy_int').map(Math.log)],
  ['ln_innov', num('innov').map(Math.log)],
]
const demo: Frame = derived.reduce((f, [name, data]) => f.withColumn(name, { type: 'number', data }), raw.withColumn('city', { type: 'string', data: Array.from(num('city'), String) }))

const model = await did.run(makeTestContext({
  params: { from: 'demo', outcome: 'ln_green_patents', treatment: { adoption: 'pilot_year' }, controls: ['eco', 'fin', 'urban', 'gov', 'industry'], fixed_effects: ['city', 'year'], cluster: 'city', stepwise: false },
  inputs: { demo }, panel, stage: 'patents', kind: 'did',
}) as never)
const up = { kind: 'did', frame: model.frame, model: model.model }

async function time(): Promise<{ s: number; cpu: number; facts: Record<string, number> }> {
  const ctx = makeTestContext<MediationParams>({
    params: { model: 'patents', mediators: MEDIATORS, bootstrap: 1000, level: 0.95, steps: 'three', interval: 'percentile' },
    inputs: { patents: up }, panel, stage: 'channels', kind: 'mediation', seed: 2025,
  })
  const t0 = performance.now(), c0 = process.cpuUsage()
  const r = await mediation.run(ctx)
  const c = process.cpuUsage(c0)
  return { s: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, facts: r.facts! }
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const one: number[] = [], cpu: number[] = []
let facts: Record<string, number> = {}
for (let k = 0; k < 3; k++) { const r = await time(); one.push(r.s); cpu.push(r.cpu); facts = r.facts }
console.log(`(a) demo panel, 4 mediators, 1,000 draws: ${median(one).toFixed(3)} s (target < 2 s) ${median(one) < 2 ? 'ok' : 'MISSED'}; CPU time ${median(cpu).toFixed(3)} s`)
const md = { y: demo.numbers('ln_green_patents'), d: model.frame!.numbers('did'), mediators: MEDIATORS.map((m) => demo.numbers(m)), controls: ['eco', 'fin', 'urban', 'gov', 'industry'].map((c) => demo.numbers(c)), fixedEffects: [factorize(demo.column('city')!), factorize(demo.column('year')!)], cluster: factorize(demo.column('city')!) }
const ok = Int32Array.from([...Array(demo.nrows).keys()].filter((i) => [md.y, md.d, ...md.mediators, ...md.controls].every((x) => Number.isFinite(x[i]))))
const boot: number[] = [], bootCpu: number[] = []
for (let k = 0; k < 3; k++) {
  const t0 = performance.now(), c0 = process.cpuUsage()
  const design = bootDesign({ ...md, rows: MEDIATORS.map(() => ok) })
  await runBootstrap(design, { kind: 'random', draws: 1000, rngPath: ['bench', 1] }, { maxThreads: 1 })
  const c = process.cpuUsage(c0)
  boot.push((performance.now() - t0) / 1000); bootCpu.push((c.user + c.system) / 1e6)
}
console.log(`(b) the bootstrap alone (design + 1,000 draws, ${ok.length} complete rows): ${median(boot).toFixed(3)} s; CPU time ${median(bootCpu).toFixed(3)} s`)
for (const m of MEDIATORS) console.log(`    ${m}: a·b = ${facts[`indirect(${m})`].toPrecision(4)}, Sobel p = ${facts[`p_sobel(${m})`].toExponential(2)}, 95 % CI [${facts[`ci_low(${m})`].toPrecision(3)}, ${facts[`ci_high(${m})`].toPrecision(3)}]`)

if (withR) {
  const script = `g <- read.csv("pipelines/data/cluster_gie_panel.csv"); g$lp <- log(1 + g$green_inv + g$green_uti); g$eco <- log(g$gdp / g$area)
g$d <- as.integer(!is.na(g$pilot_year) & g$year >= g$pilot_year); g$lei <- log(g$energy_int); g$lin <- log(g$innov)
g <- g[complete.cases(g[, c("lp", "eco", "fin", "urban", "gov", "industry", "lei", "isu", "lin", "digital")]), ]
rows <- split(seq_len(nrow(g)), g$city); cs <- names(rows); set.seed(1)
t <- system.time(for (r in 1:20) { s <- sample(cs, length(cs), replace = TRUE); idx <- unlist(rows[s]); d <- g[idx, ]; d$copy <- rep(seq_along(s), lengths(rows[s]))
for (m in c("lei", "isu", "lin", "digital")) { coef(lm(as.formula(paste(m, "~ d + eco + fin + urban + gov + industry + factor(copy) + factor(year)")), d))
coef(lm(as.formula(paste("lp ~ d +", m, "+ eco + fin + urban + gov + industry + factor(copy) + factor(year)")), d)) } })[["elapsed"]]
cat(t * 50)`
  const r = spawnSync('Rscript', ['-e', script], { encoding: 'utf8' })
  console.log(r.status === 0 ? `(R) lm re-fits on resampled panels: ${Number(r.stdout).toFixed(0)} s for 1,000 draws (20 timed)` : `(R failed: ${r.stderr.slice(0, 300)})`)
} else console.log('(R: skipped, Rscript not found)')
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
