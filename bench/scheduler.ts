/**
 * Scheduling overhead per stage on a 200-stage synthetic DAG (each stage a trivial
 * computation on a 10-row frame, reading one or two earlier stages): uncached (every stage
 * runs and is stored) and cached (every stage is a verified cache hit, outputs refreshed).
 * Target: under 5 ms per stage in both cases.
 *
 *   npx tsx bench/scheduler.ts [stages]
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Frame } from '../src/artifacts/frame.ts'
import { parsePipelineText } from '../src/pipeline/load.ts'
import { makePlan } from '../src/pipeline/plan.ts'
import { runPipeline } from '../src/scheduler/run.ts'
import { defineStage } from '../src/stage.ts'

const N = Number(process.argv[2] ?? 200)

const step = defineStage<{ from?: string[]; k: number }>({
  kind: 'step',
  version: 1,
  description: 'adds k to the sum of its inputs',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { from: { type: 'array', items: { type: 'string' }, description: 'inputs' }, k: { type: 'number', description: 'k' } },
    required: ['k'],
  },
  references: ['from'],
  produces: ['frame'],
  async run(ctx) {
    const x = new Float64Array(10).fill(ctx.params.k)
    for (const f of ctx.params.from ?? []) {
      const v = ctx.input(f).frame!.numbers('x')
      for (let i = 0; i < 10; i++) x[i] += v[i]
    }
    return { frame: Frame.from({ x }), facts: { first: x[0] } }
  },
})

function pipeline(n: number): string {
  const lines = ['quasi: 1', 'name: bench', 'stages:']
  for (let i = 0; i < n; i++) {
    // A layered DAG: each stage reads the one before and one ~10 back, so there is width to run in parallel.
    const from = i === 0 ? [] : [`s${i - 1}`, ...(i >= 10 ? [`s${i - 10}`] : [])]
    lines.push(`  s${i}: { uses: step, with: { k: ${i}${from.length ? `, from: [${from.join(', ')}]` : ''} } }`)
  }
  return lines.join('\n') + '\n'
}

async function timeRun(root: string, text: string): Promise<number> {
  const abs = join(root, 'pipelines/bench.yaml')
  const t0 = performance.now()
  const plan = makePlan(parsePipelineText(text, 'pipelines/bench.yaml', abs), [step], { root })
  const r = await runPipeline(plan, {
    quasiDir: join(root, '.quasi'),
    outputsDir: join(root, 'outputs'),
    jobs: 2,
    emit: () => undefined,
    toolVersion: 'bench',
  })
  if (!r.ok) throw new Error('bench run failed')
  return performance.now() - t0
}

const root = mkdtempSync(join(tmpdir(), 'quasi-bench-'))
mkdirSync(join(root, 'pipelines'))
const text = pipeline(N)
writeFileSync(join(root, 'pipelines/bench.yaml'), text)
const uncached: number[] = []
const cached: number[] = []
for (let rep = 0; rep < 3; rep++) {
  rmSync(join(root, '.quasi'), { recursive: true, force: true })
  uncached.push(await timeRun(root, text))
  cached.push(await timeRun(root, text))
}
rmSync(root, { recursive: true, force: true })
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
console.log(`scheduler: ${N}-stage DAG, 2 jobs, median of 3 (plan + run, including cache I/O)`)
console.log(`  uncached  ${median(uncached).toFixed(0).padStart(6)} ms total  ${(median(uncached) / N).toFixed(2).padStart(6)} ms/stage  (target < 5)`)
console.log(`  cached    ${median(cached).toFixed(0).padStart(6)} ms total  ${(median(cached) / N).toFixed(2).padStart(6)} ms/stage  (target < 5)`)
