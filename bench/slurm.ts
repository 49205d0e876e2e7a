/**
 * The slurm executor's overhead, each figure beside the local executor in the same run, on
 * the cluster `sinfo` reports (test/slurm/start.sh starts a single-node one; without a
 * cluster the benchmark says so and stops):
 *
 * - per submitted stage: a chain of derive stages, each waiting for the one before, so every
 *   stage is one sbatch job in turn (submission, scheduling, start of quasi on the node,
 *   reading inputs from the cache, the poll that sees the end);
 * - per array task: the instances of one `matrix:` derive stage, one array task each;
 * - 1,000 `matrix:` instances of `did` (bench/matrix-run.ts's pipeline) as one job array,
 *   `stages_per_task` instances per task (default 50; QUASI_BENCH_PER_TASK).
 *
 *   npx tsx bench/slurm.ts [chain length] [array tasks] [matrix instances]
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const CHAIN = Number(process.argv[2] ?? 10)
const TASKS = Number(process.argv[3] ?? 40)
const MATRIX = Number(process.argv[4] ?? 1000)
const PER_TASK = Number(process.env.QUASI_BENCH_PER_TASK ?? 50)

const sinfo = spawnSync('sinfo', ['-h', '-o', '%T %c'], { encoding: 'utf8' })
if (sinfo.error || !/idle|mixed|allocated/.test(sinfo.stdout)) {
  console.log(`skipped: no SLURM cluster takes jobs here (${sinfo.error ? 'sinfo is not installed' : `sinfo: ${sinfo.stdout.trim() || sinfo.stderr.trim()}`}); start one with test/slurm/start.sh (root, slurm-wlm and munge)`)
  process.exit(0)
}
const repo = fileURLToPath(new URL('..', import.meta.url))
const bin = join(repo, 'bin/quasi.js')
spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: repo })

function projectWith(pipeline: string, perTask = 1): string {
  const dir = mkdtempSync(join(tmpdir(), 'quasi-bench-slurm-'))
  mkdirSync(join(dir, 'pipelines', 'data'), { recursive: true })
  const rows = ['city,year,pilot_year,y']
  for (let c = 1; c <= 30; c++) for (let t = 2010; t <= 2015; t++) rows.push(`${c},${t},${c <= 10 ? 2013 : ''},${((c * 7919 + t * 104729) % 97) / 10 + (c <= 10 && t >= 2013 ? 1 : 0)}`)
  writeFileSync(join(dir, 'pipelines', 'data', 'panel.csv'), rows.join('\n') + '\n')
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n')
  writeFileSync(join(dir, 'pipelines', 'p.yaml'), pipeline)
  writeFileSync(
    join(dir, 'quasi.profile.yaml'),
    `profiles:\n  cluster:\n    executor: slurm\n    poll_seconds: 0.5\n    defaults: { memory: 1G, cpus: 1, stages_per_task: ${perTask} }\n`,
  )
  return dir
}

/** Wall time in seconds of a cold run, locally or on the cluster. */
function time(pipeline: string, where: 'local' | 'slurm', perTask = 1): number {
  const dir = projectWith(pipeline, perTask)
  const args = ['run', 'pipelines/p.yaml', ...(where === 'slurm' ? ['--profile', 'cluster'] : [])]
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, CI: 'true' }, encoding: 'utf8' })
  const s = (performance.now() - t0) / 1000
  if (r.status !== 0) throw new Error(`${where} run failed:\n${r.stdout}${r.stderr}`)
  rmSync(dir, { recursive: true, force: true })
  return s
}

const head = `quasi: 1\nname: bench\npanel: { unit: city, time: year }\nstages:\n  panel: { uses: ingest, with: { file: data/panel.csv } }\n`
const chain = head + Array.from({ length: CHAIN }, (_, i) => `  s${i}: { uses: derive, with: { from: ${i === 0 ? 'panel' : `s${i - 1}`}, columns: { v${i}: "y + ${i}" } } }\n`).join('')
const array = head + `  many:\n    uses: derive\n    matrix: { k: [${Array.from({ length: TASKS }, (_, i) => i).join(', ')}] }\n    with: { from: panel, columns: { z: "y * \${{ matrix.k }}" } }\n`
const matrix =
  head +
  `  base: { uses: did, with: { from: panel, outcome: y, treatment: { adoption: pilot_year }, cluster: city } }\n  draws:\n    uses: did\n    matrix: { w: [${Array.from({ length: MATRIX }, (_, i) => 1000 + i).join(', ')}] }\n    with: { model: base, sample: "y > -\${{ matrix.w }}" }\n`

const nodes = sinfo.stdout.trim().split('\n').length
console.log(`SLURM: ${nodes} node(s), ${sinfo.stdout.trim().split('\n').map((l) => l.split(' ')[1]).join('+')} CPUs; poll every 0.5 s`)
const row = (label: string, local: number, slurm: number, per: number, unit: string) =>
  console.log(`${label.padEnd(44)} local ${local.toFixed(2).padStart(7)} s   slurm ${slurm.toFixed(2).padStart(7)} s   overhead ${(((slurm - local) / per) * 1000).toFixed(0).padStart(5)} ms per ${unit}`)

{
  const l = time(chain, 'local')
  const s = time(chain, 'slurm')
  row(`chain of ${CHAIN} stages (+ ingest), one job each`, l, s, CHAIN + 1, 'submitted stage')
}
{
  const l = time(array, 'local')
  const s = time(array, 'slurm')
  row(`${TASKS} matrix instances, one array task each`, l, s, TASKS, 'array task')
}
{
  const l = time(matrix, 'local')
  const s = time(matrix, 'slurm', PER_TASK)
  row(`${MATRIX} matrix did instances, ${PER_TASK} per task`, l, s, Math.ceil(MATRIX / PER_TASK), 'array task')
}
