/** Tiny stage kinds for scheduler tests, with a log of what actually ran. */
import { Frame } from '../../../src/artifacts/frame.ts'
import { QuasiError } from '../../../src/errors.ts'
import { defineStage, type StageDef } from '../../../src/stage.ts'

export const ran: string[] = []

const source = defineStage<{ value: number; n: number }>({
  kind: 'source',
  version: 1,
  description: 'n rows of one value',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['value'],
    properties: { value: { type: 'number', description: 'v' }, n: { type: 'integer', default: 3, description: 'rows' } },
  },
  references: [],
  produces: ['frame'],
  async run(ctx) {
    ran.push(ctx.stage)
    return { frame: Frame.from({ v: new Float64Array(ctx.params.n).fill(ctx.params.value) }), facts: { value: ctx.params.value } }
  },
})

const add = defineStage<{ from: string; k: number; note?: string }>({
  kind: 'add',
  version: 1,
  description: 'adds k',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['from'],
    properties: {
      from: { type: 'string', description: 'input' },
      k: { type: 'number', default: 1, description: 'k' },
      note: { type: 'string', description: 'ignored' },
    },
  },
  references: ['from'],
  produces: ['frame'],
  async run(ctx) {
    ran.push(ctx.stage)
    const f = ctx.input(ctx.params.from).frame!
    const v = f.numbers('v').map((x) => x + ctx.params.k)
    return { frame: Frame.from({ v }), facts: { first: v[0] }, files: { 'table.md': `| v |\n|---|\n| ${v[0]} |\n` } }
  },
})

const fail = defineStage<{ from?: string }>({
  kind: 'fail',
  version: 1,
  description: 'always fails',
  params: { type: 'object', additionalProperties: false, properties: { from: { type: 'string', description: 'input' } } },
  references: ['from'],
  async run(ctx) {
    ran.push(ctx.stage)
    await new Promise((r) => setTimeout(r, 20))
    throw new QuasiError('SINGULAR_DESIGN', 'the design matrix is singular', { hint: 'drop a collinear control' })
  },
})

const slow = defineStage<{ ms: number; from?: string }>({
  kind: 'slow',
  version: 1,
  description: 'waits, honouring the abort signal',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { ms: { type: 'integer', default: 200, description: 'ms' }, from: { type: 'string', description: 'input' } },
  },
  references: ['from'],
  async run(ctx) {
    ran.push(`${ctx.stage}:start`)
    const steps = 10
    for (let i = 0; i < steps; i++) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('aborted')
      await new Promise((r) => setTimeout(r, ctx.params.ms / steps))
      ctx.progress(i + 1, steps)
    }
    ran.push(`${ctx.stage}:end`)
    return { facts: { ms: ctx.params.ms } }
  },
})

const rand = defineStage<{ n: number }>({
  kind: 'rand',
  version: 1,
  description: 'random draws',
  params: { type: 'object', additionalProperties: false, properties: { n: { type: 'integer', default: 5, description: 'n' } } },
  references: [],
  random: true,
  produces: ['frame'],
  async run(ctx) {
    ran.push(ctx.stage)
    const u = new Float64Array(ctx.params.n)
    for (let i = 0; i < u.length; i++) u[i] = ctx.rng.fork(i).uniform()
    return { frame: Frame.from({ u }) }
  },
})

/** Threads leased right now by `threaded` stages, the most at once, and each lease's size. */
export const leased = { now: 0, max: 0, counts: [] as number[], jobs: [] as number[] }

const threaded = defineStage<{ want: number; ms: number }>({
  kind: 'threaded',
  version: 1,
  description: 'leases threads from the run budget while it works',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { want: { type: 'integer', default: 2, description: 'threads' }, ms: { type: 'integer', default: 60, description: 'ms' } },
  },
  references: [],
  async run(ctx) {
    const lease = await ctx.threads.acquire(ctx.params.want)
    try {
      leased.now += lease.count
      leased.max = Math.max(leased.max, leased.now)
      leased.counts.push(lease.count)
      leased.jobs.push(ctx.jobs)
      await new Promise((r) => setTimeout(r, ctx.params.ms))
      leased.now -= lease.count
    } finally {
      lease.release()
    }
    return { facts: { want: ctx.params.want } }
  },
})

export const testRegistry: readonly StageDef[] = [source, add, fail, slow, rand, threaded]
