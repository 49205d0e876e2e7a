/**
 * Results do not depend on the number of threads: chunks are cut independently of it and a
 * chunk's result depends only on the chunk, so 1 and 2 threads give identical bytes.
 * (From the TypeScript sources the worker starts through worker-boot.mjs and tsx.)
 */
import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import type { DeaData } from '../../../../src/stats/dea/data.ts'
import { runGml } from '../../../../src/stats/dea/gml.ts'
import { MIN_LPS_FOR_THREADS, runDea, type DeaResult } from '../../../../src/stats/dea/run.ts'
import { randomPanel } from './random-panel.ts'
import { Frame } from '../../../../src/artifacts/frame.ts'
import stage from '../../../../stages/measure-gie/stage.ts'
import type { MeasureGieParams } from '../../../../stages/measure-gie/params.ts'
import { makeTestContext } from '../../../helpers/context.ts'
import { ThreadBudget } from '../../../../src/scheduler/threads.ts'
import type { ThreadPool } from '../../../../src/stage.ts'

function panel(units: number, years: number): { data: DeaData; period: Int32Array; unit: Int32Array } {
  return randomPanel(['dea-workers'], { units, years, m: 3, s1: 2, s2: 1, sizeSd: 0.7, trend: 0.04 })
}

function digest(r: DeaResult): string {
  const h = createHash('sha256')
  for (const a of [r.score, r.first, r.superScore, r.slacks, r.targets]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
  h.update(r.unique)
  h.update(JSON.stringify([r.status, r.peers, r.superInfeasible, r.failed]))
  return h.digest('hex')
}

describe('threads', () => {
  const { data, period, unit } = panel(130, 6)

  test('the test data is large enough to start workers', () => {
    expect(data.n).toBeGreaterThanOrEqual(MIN_LPS_FOR_THREADS)
  })

  test('super-SBM, variable returns, sequential frontier: 1 and 2 threads give identical bytes', async () => {
    const opts = { model: 'super-sbm' as const, returns: 'variable' as const, orientation: 'none' as const, frontier: 'sequential' as const }
    const one = await runDea(data, period, 6, { ...opts, jobs: 1 })
    const two = await runDea(data, period, 6, { ...opts, jobs: 2 })
    expect(one.threads).toBe(1)
    expect(two.threads).toBe(2)
    expect(two.workerChunks).toBeGreaterThan(0)
    expect(digest(two)).toBe(digest(one))
    expect(one.status.filter((s) => s === 'super').length).toBeGreaterThan(0)
  }, 60_000)

  test('GML: 1 and 2 threads give identical bytes', async () => {
    const one = await runGml(data, unit, period, 6, { returns: 'constant', jobs: 1 })
    const two = await runGml(data, unit, period, 6, { returns: 'constant', jobs: 2 })
    expect(two.threads).toBe(2)
    expect(two.workerChunks).toBeGreaterThan(0)
    expect(Buffer.from(two.gml.buffer).equals(Buffer.from(one.gml.buffer))).toBe(true)
    expect(Buffer.from(two.dContemporaneous.buffer).equals(Buffer.from(one.dContemporaneous.buffer))).toBe(true)
  }, 60_000)

  test('the stage writes the same bytes with 1 and 2 threads', async () => {
    const names = ['x1', 'x2', 'x3', 'g1', 'g2', 'b1']
    const cols: Record<string, Float64Array | string[]> = { unit: Array.from(unit, (u) => `c${u}`), year: Float64Array.from(period, (t) => 2010 + t) }
    names.forEach((c, i) => (cols[c] = Float64Array.from({ length: data.n }, (_, j) => data.values[j * data.d + i])))
    const frame = Frame.from(cols)
    const go = async (threads: number) => {
      const ctx = makeTestContext<MeasureGieParams>({
        params: { from: 'p', model: 'super-sbm', frontier: 'global', window: 3, inputs: ['x1', 'x2', 'x3'], desirable: ['g1', 'g2'], undesirable: ['b1'], as: 'gie', zeros: 'replace', zero_value: 0.01, super_infeasible: 'one' },
        inputs: { p: frame },
        panel: { unit: 'unit', time: 'year' },
        threads,
      })
      return { ctx, result: await stage.run(ctx) }
    }
    const one = await go(1)
    const two = await go(2)
    // The log, the data and the facts are outputs too: nothing in them may depend on the thread count.
    expect(two.ctx.logs).toEqual(one.ctx.logs)
    expect(two.result.data).toEqual(one.result.data)
    expect(two.result.facts).toEqual(one.result.facts)
    for (const f of ['scores.csv', 'summary.csv', 'summary.md']) expect(two.result.files![f], f).toBe(one.result.files![f])
    expect(Buffer.from(two.result.frame!.numbers('gie').buffer).equals(Buffer.from(one.result.frame!.numbers('gie').buffer))).toBe(true)
  }, 60_000)

  test('two measure-gie stages running at once lease from one budget and never exceed it', async () => {
    const names = ['x1', 'x2', 'x3', 'g1', 'g2', 'b1']
    const cols: Record<string, Float64Array | string[]> = { unit: Array.from(unit, (u) => `c${u}`), year: Float64Array.from(period, (t) => 2010 + t) }
    names.forEach((c, i) => (cols[c] = Float64Array.from({ length: data.n }, (_, j) => data.values[j * data.d + i])))
    const frame = Frame.from(cols)
    const budget = new ThreadBudget(2)
    let now = 0
    let most = 0
    const leases: number[] = []
    // the budget as the scheduler gives it, counting what is leased at any moment
    const pool: ThreadPool = {
      acquire: async (max) => {
        const lease = await budget.acquire(max)
        now += lease.count
        most = Math.max(most, now)
        leases.push(lease.count)
        let open = true
        return { count: lease.count, release: () => (open && (now -= lease.count), (open = false), lease.release()) }
      },
    }
    const go = (model: 'super-sbm' | 'gml', threads: number | ThreadPool, signal?: AbortSignal) =>
      stage.run(makeTestContext<MeasureGieParams>({
        params: { from: 'p', model, frontier: 'global', window: 3, inputs: ['x1', 'x2', 'x3'], desirable: ['g1', 'g2'], undesirable: ['b1'], as: 'gie', zeros: 'replace', zero_value: 0.01, super_infeasible: 'one' },
        inputs: { p: frame },
        panel: { unit: 'unit', time: 'year' },
        jobs: 8, // --jobs no longer sizes the pool
        threads,
        signal,
      }))
    const [a, b] = await Promise.all([go('super-sbm', pool), go('gml', pool)])
    expect(most).toBeLessThanOrEqual(2)
    expect(leases.length).toBeGreaterThanOrEqual(2)
    expect(budget.free).toBe(2)
    expect(a.files).toEqual((await go('super-sbm', 1)).files)
    expect(b.files).toEqual((await go('gml', 1)).files)
    // a stage that stops early gives its threads back
    const ac = new AbortController()
    const stopped = go('super-sbm', pool, ac.signal)
    setTimeout(() => ac.abort(), 50)
    await expect(stopped).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(budget.free).toBe(2)
  }, 120_000)

  test('an aborted run stops with AbortedError', async () => {
    const ac = new AbortController()
    ac.abort()
    await expect(runDea(data, period, 6, { model: 'sbm', returns: 'constant', orientation: 'none', frontier: 'global', jobs: 2, signal: ac.signal })).rejects.toThrow(/aborted/)
  }, 60_000)
})
