/**
 * The placebo stage on AER::Guns: 100 fixed permutations of the states replayed through
 * `assignments:` against plm re-fits (test/fixtures/placebo/make.R), random draws that are
 * reproducible, the schemes, and the errors of the list.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageResult } from '../../src/stage.ts'
import did from '../../stages/did/stage.ts'
import regress from '../../stages/regress/stage.ts'
import placebo from '../../stages/placebo/stage.ts'
import type { PlaceboParams } from '../../stages/placebo/params.ts'
import guns from '../fixtures/placebo/guns.json' with { type: 'json' }
import { makeTestContext } from '../helpers/context.ts'
import { readCsvFrame } from '../unit/stats/helpers.ts'

const DIR = 'test/fixtures/placebo'
const CONTROLS = ['prisoners', 'afam', 'cauc', 'male', 'population', 'income', 'density']
const panel = { unit: 'state', time: 'year' }
const gunsFrame = readCsvFrame(`${DIR}/guns.csv`)
const assignments = readFileSync(`${DIR}/assignments.csv`, 'utf8')

type Up = { kind: string; frame?: Frame; model?: StageResult['model'] }

async function model(params: Record<string, unknown>, kind = did): Promise<Up> {
  const ctx = makeTestContext({ params: { small_sample: 'nested', stepwise: false, digits: 3, ...params }, inputs: { guns: gunsFrame }, panel, stage: 'baseline', kind: kind.kind })
  const r = await kind.run(ctx as never)
  return { frame: r.frame, model: r.model, kind: kind.kind }
}

const baselineParams = { from: 'guns', outcome: 'lviolent', treatment: 'law', controls: CONTROLS, cluster: 'state' }
const baseline = await model(baselineParams)
const slopes = await model({ ...baselineParams, small_sample: 'slopes' })

async function runPlacebo(params: Partial<PlaceboParams>, opts: { up?: Up; files?: Record<string, string>; seed?: number; threads?: number } = {}) {
  const ctx = makeTestContext<PlaceboParams>({
    params: { model: 'baseline', scheme: 'units', shift: [1, 2, 3], ...(opts.files?.assignments !== undefined ? { assignments: 'assignments.csv' } : {}), ...params } as PlaceboParams,
    inputs: { baseline: opts.up ?? baseline }, panel, stage: 'placebo', kind: 'placebo', seed: opts.seed ?? 7,
    files: Object.fromEntries(Object.entries(opts.files ?? {}).map(([k, v]) => [k, { rel: `${k}.csv`, bytes: v }])),
    threads: opts.threads,
  })
  const result = await placebo.run(ctx)
  return { result, ctx }
}

function drawsOf(r: StageResult): Record<string, number>[] {
  const lines = (r.files!['draws.csv'] as string).trim().split('\n')
  const head = lines[0].split(',')
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, j) => [head[j], v === '' ? NaN : Number(v)])))
}

async function quasiError(p: Promise<unknown>): Promise<QuasiError> {
  try { await p } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b))

describe('replay of the R permutations on AER::Guns (plm re-fits)', async () => {
  const { result } = await runPlacebo({}, { files: { assignments } })
  const draws = drawsOf(result)

  test('the actual estimate matches plm', () => {
    expect(close(result.facts!.actual, guns.actual.estimate, 1e-8)).toBe(true)
  })

  test('every draw: estimate within 1e-8 and nested SE within 1e-8 of R', () => {
    expect(draws).toHaveLength(guns.draws.length)
    let worstB = 0, worstSe = 0
    guns.draws.forEach((g, k) => {
      worstB = Math.max(worstB, Math.abs(draws[k].estimate - g.estimate))
      worstSe = Math.max(worstSe, Math.abs(draws[k].se - g.se_nested) / g.se_nested)
    })
    expect(worstB).toBeLessThan(1e-8)
    expect(worstSe).toBeLessThan(1e-8)
  })

  test('with small_sample: slopes every SE is plm vcovHC(arellano, sss) within 1e-8', async () => {
    const { result: r } = await runPlacebo({}, { files: { assignments }, up: slopes })
    const d = drawsOf(r)
    guns.draws.forEach((g, k) => expect(Math.abs(d[k].se - g.se_slopes) / g.se_slopes).toBeLessThan(1e-8))
  })

  test('summary and facts agree with the draws', () => {
    const b = guns.draws.map((g) => g.estimate)
    const a = guns.actual.estimate
    expect(result.facts!.p_placebo).toBe(b.filter((v) => Math.abs(v) >= Math.abs(a)).length / b.length)
    expect(result.facts!.p_left).toBe(b.filter((v) => v <= a).length / b.length)
    expect(result.facts!.p_right).toBe(b.filter((v) => v >= a).length / b.length)
    expect(result.facts!.draws).toBe(100)
    const mean = b.reduce((s, v) => s + v, 0) / b.length
    expect(close(result.facts!.mean, mean, 1e-9)).toBe(true)
    expect(result.files!['summary.csv']).toMatch(/^statistic,value\ndraws,100\n/)
    expect(result.files!['density.svg']).toMatch(/<svg/)
    expect(result.files!['scatter.svg']).toMatch(/<svg/)
    // The reference lines are drawn: the actual estimate (dashed in the density) and p = 0.1 in the scatter.
    expect(result.files!['density.svg']).toContain('stroke-dasharray="5,4"')
    expect(result.files!['scatter.svg']).toContain('stroke-dasharray="4,3"')
    expect(String(result.files!['scatter.svg']).match(/class="mark-rule role-mark/g)?.length).toBe(2)
  })
})

describe('random draws', () => {
  test('same seed, same bytes, whatever the thread count; another seed, other draws', async () => {
    const a = await runPlacebo({ draws: 60 })
    const b = await runPlacebo({ draws: 60 }, { threads: 2 })
    const c = await runPlacebo({ draws: 60 }, { seed: 8 })
    expect(b.result.files!['draws.csv']).toBe(a.result.files!['draws.csv'])
    expect(b.result.files!['summary.csv']).toBe(a.result.files!['summary.csv'])
    expect(c.result.files!['draws.csv']).not.toBe(a.result.files!['draws.csv'])
    expect(a.ctx.progressCalls.at(-1)).toEqual([60, 60])
  })

  test('scheme time: one estimate per shift on pre-adoption rows', async () => {
    const { result } = await runPlacebo({ scheme: 'time', shift: [1, 2] })
    const d = drawsOf(result)
    expect(d.map((r) => r.shift)).toEqual([1, 2])
    expect(d.every((r) => Number.isFinite(r.estimate))).toBe(true)
  })

  test('scheme mixed runs and is seeded', async () => {
    const a = await runPlacebo({ scheme: 'mixed', draws: 30 })
    const b = await runPlacebo({ scheme: 'mixed', draws: 30 })
    expect(a.result.files!['draws.csv']).toBe(b.result.files!['draws.csv'])
    expect(drawsOf(a.result).filter((r) => Number.isFinite(r.estimate)).length).toBeGreaterThan(25)
  })
})

describe('errors', () => {
  test('a regress model has no treatment', async () => {
    const up = await model({ from: 'guns', outcome: 'lviolent', regressors: ['law'], cluster: 'state' }, regress as never)
    const e = await quasiError(runPlacebo({}, { up }))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['model'])
    expect(e.message).toMatch(/not a difference-in-differences specification/)
  })

  test.each([
    ['missing columns', 'draw,unit\n1,Alabama\n', 'MISSING_COLUMN', /no column `donor`/],
    ['unknown unit', 'draw,unit,donor\n1,Atlantis,Alabama\n', 'BAD_DATA', /unit `Atlantis` is not a unit/],
    ['not a permutation', assignments.replace(/^1,Alaska,[^\n]*$/m, '1,Alaska,Alabama').replace(/^1,Alabama,[^\n]*$/m, '1,Alabama,Alabama'), 'BAD_DATA', /not a permutation/],
    ['a unit missing from a draw', assignments.split('\n').filter((l) => !l.startsWith('2,Wyoming')).join('\n'), 'BAD_DATA', /no donor for unit `Wyoming`/],
  ])('assignments: %s', async (_, text, code, message) => {
    const e = await quasiError(runPlacebo({}, { files: { assignments: text } }))
    expect(e.code).toBe(code)
    expect(e.param).toEqual(['assignments'])
    expect(e.message).toMatch(message)
  })
})
