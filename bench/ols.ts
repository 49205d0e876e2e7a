/**
 * Benchmarks of the regression kernel (issue 5, item 5):
 *   (a) 4,200 observations (280 units × 15 years), unit and year effects, 5 controls,
 *       clustered by unit: median in-process time per estimate (target < 5 ms);
 *   (b) 1,000,000 observations (100,000 units × 10 years), 5 controls, two-way effects,
 *       clustered by unit: time and peak memory (targets < 3 s, < 1.5 GB);
 *   (b′) the same on an unbalanced panel (10 % of rows missing) and with the CG solver forced;
 *   (c) when Rscript with plm is installed: the same models in plm (within, twoways;
 *       vcovHC arellano by group) timed inside R, and the ratio.
 *
 *   npx tsx bench/ols.ts            all of it
 *   npx tsx bench/ols.ts --no-r     without the R side
 *   npx tsx bench/ols.ts --small    (a) only
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Frame } from '../src/artifacts/frame.ts'
import { regress, term } from '../src/stats/ols/regress.ts'
import type { RegressionSpec } from '../src/stats/ols/types.ts'
import { Rng } from '../src/stats/rng.ts'

const args = new Set(process.argv.slice(2))
const withR = !args.has('--no-r') && hasPlm()
const CONTROLS = ['x1', 'x2', 'x3', 'x4', 'x5']
const SPEC: RegressionSpec = { outcome: 'y', regressors: CONTROLS, fixedEffects: ['unit', 'year'], cluster: ['unit'] }

/** y = Σ b_k x_k + α_i + γ_t + ε, controls correlated with the unit effect. */
function makePanel(units: number, years: number, seed: string, missingShare = 0): Frame {
  const rng = new Rng(['bench-ols', seed])
  const n = units * years
  const unit = new Float64Array(n), year = new Float64Array(n), y = new Float64Array(n)
  const xs = CONTROLS.map(() => new Float64Array(n))
  const alpha = Float64Array.from({ length: units }, () => rng.normal())
  const gamma = Float64Array.from({ length: years }, () => rng.normal() * 0.5)
  const beta = [0.5, -0.3, 0.2, 0.1, -0.05]
  for (let i = 0; i < n; i++) {
    const u = Math.floor(i / years), t = i % years
    unit[i] = u + 1
    year[i] = 2001 + t
    let v = alpha[u] + gamma[t] + rng.normal()
    for (let k = 0; k < xs.length; k++) {
      const x = 0.5 * alpha[u] + rng.normal()
      xs[k][i] = x
      v += beta[k] * x
    }
    y[i] = missingShare > 0 && rng.uniform() < missingShare ? NaN : v
  }
  return Frame.from({ unit, year, y, ...Object.fromEntries(CONTROLS.map((c, k) => [c, xs[k]])) })
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

function hasPlm(): boolean {
  const r = spawnSync('Rscript', ['-e', 'cat(requireNamespace("plm", quietly = TRUE) && requireNamespace("sandwich", quietly = TRUE))'], { encoding: 'utf8' })
  return r.status === 0 && r.stdout.trim() === 'TRUE'
}

function writeCsv(f: Frame, path: string): void {
  const names = f.names
  const cols = names.map((n) => f.numbers(n))
  const lines = [names.join(',')]
  for (let i = 0; i < f.nrows; i++) lines.push(cols.map((c) => (Number.isNaN(c[i]) ? 'NA' : String(c[i]))).join(','))
  writeFileSync(path, lines.join('\n') + '\n')
}

/**
 * Times plm inside R (CSV reading excluded): median and fastest seconds over `reps`, the
 * x1 coefficient (17 digits), and the R process's peak resident memory (VmHWM, data included).
 */
function plmSeconds(csv: string, reps: number): { seconds: number; fastest: number; x1: number; peakMb: number; cpu: number } | undefined {
  const script = `
suppressPackageStartupMessages({ library(plm); library(sandwich) })
d <- read.csv("${csv.replace(/\\/g, '/')}")
d <- pdata.frame(d, index = c("unit", "year"))
ts <- numeric(${reps}); cpu <- numeric(${reps})
for (r in seq_len(${reps})) {
  t0 <- proc.time()
  m <- plm(y ~ x1 + x2 + x3 + x4 + x5, d, effect = "twoways", model = "within")
  V <- vcovHC(m, method = "arellano", type = "HC1", cluster = "group")
  t1 <- proc.time()
  ts[r] <- t1[["elapsed"]] - t0[["elapsed"]]
  cpu[r] <- (t1[["user.self"]] + t1[["sys.self"]]) - (t0[["user.self"]] + t0[["sys.self"]])
}
hwm <- grep("^VmHWM", readLines("/proc/self/status"), value = TRUE)
peak <- if (length(hwm)) as.numeric(gsub("[^0-9]", "", hwm)) / 1024 else NA
cat(sprintf("%.6f %.6f %.17g %.1f %.6f\\n", median(ts), min(ts), coef(m)[["x1"]], peak, median(cpu)))`
  const r = spawnSync('Rscript', ['-e', script], { encoding: 'utf8', timeout: 900_000 })
  if (r.status !== 0) {
    console.error(`plm failed: ${r.stderr.slice(-500)}`)
    return undefined
  }
  const [s, fastest, x1, mb, cpu] = r.stdout.trim().split(/\s+/).map(Number)
  return { seconds: s, fastest, x1, peakMb: mb, cpu }
}

const rows: string[][] = [['case', 'n', 'quasi', 'plm (R)', 'ratio', 'target']]
const fmtMs = (ms: number) => (ms < 100 ? `${ms.toFixed(2)} ms` : `${(ms / 1000).toFixed(2)} s`)
const tmp = withR ? mkdtempSync(join(tmpdir(), 'quasi-bench-')) : ''
let cpuNote = ''

try {
  // ---- (a) ---------------------------------------------------------------------------
  {
    const f = makePanel(280, 15, 'a')
    for (let i = 0; i < 20; i++) regress(f, SPEC) // warm up the JIT
    const times: number[] = []
    let res = regress(f, SPEC)
    const cpu0 = process.cpuUsage()
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now()
      res = regress(f, SPEC)
      times.push(performance.now() - t0)
    }
    const cpu = process.cpuUsage(cpu0)
    const ms = median(times)
    const sorted = [...times].sort((x, y) => x - y)
    const cpuPer = (cpu.user + cpu.system) / 1000 / 200
    cpuNote = `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores during (a)`
    let rCol = '–', ratio = '–', rFast = '', ratioFast = '', rCpuA = '', ratioCpuA = ''
    if (withR) {
      const csv = join(tmp, 'a.csv')
      writeCsv(f, csv)
      const p = plmSeconds(csv, 21)
      if (p) {
        rCol = fmtMs(p.seconds * 1000)
        ratio = `${(p.seconds * 1000 / ms).toFixed(0)}× faster`
        rFast = fmtMs(p.fastest * 1000)
        ratioFast = `${(p.fastest * 1000 / sorted[0]).toFixed(0)}× faster`
        rCpuA = fmtMs(p.cpu * 1000)
        ratioCpuA = `${(p.cpu * 1000 / cpuPer).toFixed(0)}× less`
        const d = Math.abs(p.x1 - term(res, 'x1')!.estimate) / Math.abs(p.x1)
        if (d > 1e-8) console.warn(`(a) x1 differs from plm: rel ${d.toExponential(2)}`)
      }
    }
    rows.push(['(a) 280×15, unit+year FE, 5 controls, CR1 by unit (median of 200)', '4,200', fmtMs(ms), rCol, ratio, '< 5 ms'])
    rows.push(['(a) same, fastest run (least sensitive to other load; p10 in quasi column)', '', `${fmtMs(sorted[0])} (p10 ${fmtMs(sorted[20])})`, rFast, ratioFast, ''])
    rows.push(['(a) same, CPU time per estimate (user + system, GC threads included)', '', fmtMs(cpuPer), rCpuA, ratioCpuA, ''])
  }

  if (!args.has('--small')) {
    // ---- (b) -------------------------------------------------------------------------
    const f = makePanel(100_000, 10, 'b')
    const rssBefore = process.memoryUsage().rss
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    const res = regress(f, SPEC)
    const ms = performance.now() - t0
    const c1 = process.cpuUsage(c0)
    const cpuMs = (c1.user + c1.system) / 1000
    const peakMb = process.resourceUsage().maxRSS / 1024
    let rCol = '–', ratio = '–', rPeak = '', rCpu = '', ratioCpu = ''
    if (withR) {
      const csv = join(tmp, 'b.csv')
      writeCsv(f, csv)
      const p = plmSeconds(csv, 1)
      if (p) {
        rCol = fmtMs(p.seconds * 1000)
        rPeak = `${p.peakMb.toFixed(0)} MB`
        ratio = `${(p.seconds * 1000 / ms).toFixed(0)}× faster`
        rCpu = fmtMs(p.cpu * 1000)
        ratioCpu = `${(p.cpu * 1000 / cpuMs).toFixed(0)}× less`
        const d = Math.abs(p.x1 - term(res, 'x1')!.estimate) / Math.abs(p.x1)
        if (d > 1e-8) console.warn(`(b) x1 differs from plm: rel ${d.toExponential(2)}`)
      }
    }
    rows.push([`(b) 100k×10, two-way FE, 5 controls, CR1 by unit [${res.absorb.method}]`, '1,000,000', fmtMs(ms), rCol, ratio, '< 3 s'])
    rows.push(['(b) same, CPU time (user + system; not inflated by waiting for a core)', '', fmtMs(cpuMs), rCpu, ratioCpu, ''])
    rows.push(['(b) peak resident memory of the whole process (data included)', '', `${peakMb.toFixed(0)} MB`, rPeak, '', '< 1.5 GB'])
    rows.push(['(b) resident memory before estimating (the data)', '', `${(rssBefore / 2 ** 20).toFixed(0)} MB`, '', '', ''])

    // ---- (b′) ------------------------------------------------------------------------
    const g = makePanel(100_000, 10, 'b-unbalanced', 0.1)
    let t1 = performance.now()
    const ru = regress(g, SPEC)
    rows.push([`(b′) unbalanced (10 % missing, ${ru.droppedSingletons} singletons dropped) [${ru.absorb.method}]`, ru.nobs.toLocaleString('en'), fmtMs(performance.now() - t1), '', '', ''])
    t1 = performance.now()
    const rc = regress(g, { ...SPEC, absorb: { method: 'cg' } })
    rows.push([`(b′) same, CG forced (${rc.absorb.iterations} iterations)`, rc.nobs.toLocaleString('en'), fmtMs(performance.now() - t1), '', '', ''])
  }
} finally {
  if (tmp) rmSync(tmp, { recursive: true, force: true })
}

const width = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)))
for (const [i, r] of rows.entries()) {
  console.log(r.map((c, j) => c.padEnd(width[j])).join('  '))
  if (i === 0) console.log(width.map((w) => '-'.repeat(w)).join('  '))
}
console.log(`\n${cpuNote}`)
console.log(`node ${process.version}; ${withR ? 'R plm timed inside R (CSV reading excluded)' : 'R/plm not run'}`)
