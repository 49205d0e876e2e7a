/**
 * measure-gie against the independent scipy/HiGHS fixture on a small data set with zeros,
 * twins and missing values (test/fixtures/dea/make.py → synthetic.json), for every
 * model × returns × frontier, plus the stage's conventions and user errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import stage from '../../stages/measure-gie/stage.ts'
import { fmt, fmtRatio, PRINT_ZERO } from '../../stages/measure-gie/outputs.ts'
import type { MeasureGieParams } from '../../stages/measure-gie/params.ts'
import { makeTestContext } from '../helpers/context.ts'
import { expandStatus, expectClose, maxRelDiff, slackRatio } from '../unit/stats/dea/close.ts'
import { csvRecords } from '../helpers/csv.ts'

const fixture = JSON.parse(readFileSync(new URL('../fixtures/dea/synthetic.json', import.meta.url), 'utf8'))

/** scipy's HiGHS at 1e-10 feasibility and optimality, printed with 12 significant digits. */
const FIXTURE_AGREE = 1e-9
/** Slacks of a unique optimum, relative to the unit's own value. */
const SLACK_AGREE = 1e-7

const num = (a: (number | null)[]): Float64Array => Float64Array.from(a, (v) => (v === null ? NaN : v))
const D = fixture.data
const frame = Frame.from({ unit: D.unit, year: num(D.year), x1: num(D.x1), x2: num(D.x2), g1: num(D.g1), g2: num(D.g2), b1: num(D.b1) })
const COLUMNS = { inputs: ['x1', 'x2'], desirable: ['g1', 'g2'], undesirable: ['b1'] }

function params(over: Partial<MeasureGieParams>): MeasureGieParams {
  return { from: 'p', model: 'super-sbm', frontier: 'global', window: 3, ...COLUMNS, as: 'gie', zeros: 'replace', zero_value: 0.01, super_infeasible: 'one', ...over }
}

async function run(over: Partial<MeasureGieParams>, f: Frame = frame, panel: { unit: string; time: string } | null = { unit: 'unit', time: 'year' }) {
  const ctx = makeTestContext({ params: params(over), inputs: { p: f }, panel: panel ?? undefined })
  const result = await stage.run(ctx)
  return { ctx, result }
}

async function thrown(p: Promise<unknown>): Promise<QuasiError> {
  try {
    await p
  } catch (e) {
    if (e instanceof QuasiError) return e
    throw e
  }
  throw new Error('expected a QuasiError')
}

describe('measure-gie vs the scipy/HiGHS fixture (synthetic data)', () => {
  for (const c of fixture.cases) {
    const radial = c.model === 'ccr' || c.model === 'bcc'
    test(`${c.model}, ${c.returns}, orientation ${c.orientation}, ${c.frontier}`, async () => {
      const { result } = await run({
        model: c.model,
        returns: radial ? undefined : c.returns,
        orientation: radial ? undefined : c.orientation,
        frontier: c.frontier,
      })
      const rows = csvRecords(result.files!['scores.csv'] as string).filter((r) => r.status !== 'excluded')
      expect(rows).toHaveLength(c.scores.length)
      const got = rows.map((r) => Number(r.score))
      const diff = maxRelDiff(got, c.scores)
      expect(diff.max, `largest difference at DMU ${diff.at}`).toBeLessThan(FIXTURE_AGREE)
      expect(rows.map((r) => r.status)).toEqual(expandStatus(c.status, c.scores.length))

      // slacks: equal where our optimum is unique; elsewhere they must give back the score
      const names = [...COLUMNS.inputs, ...COLUMNS.desirable, ...COLUMNS.undesirable]
      let compared = 0
      c.slacks.rows.forEach((k: number, q: number) => {
        const r = rows[k]
        const mine = names.map((n) => Number(r[`slack_${n}`]))
        if (r.unique === '1' && c.frontier !== 'window') {
          compared++
          mine.forEach((v, i) => {
            const want = c.slacks.values[q][i]
            const scale = Math.max(1, Math.abs(want))
            expectClose(v, want, { abs: SLACK_AGREE * scale, label: `DMU ${k} slack ${names[i]}` })
          })
        }
        if (radial || c.frontier === 'window') return
        // the SBM ratio of our own slacks reproduces our score
        expectClose(slackRatio(r, COLUMNS, c.orientation === 'input'), Number(r.score), { rel: 1e-8, label: `DMU ${k} ratio of slacks` })
      })
      if (c.frontier !== 'window') expect(compared).toBeGreaterThan(0)
    })
  }

  for (const returns of ['constant', 'variable'] as const) {
    test(`GML, ${returns} returns`, async () => {
      const { result } = await run({ model: 'gml', returns })
      const rows = csvRecords(result.files!['scores.csv'] as string).filter((r) => r.status !== 'excluded')
      const ref = fixture.gml[returns]
      for (const key of ['d_global', 'd_contemporaneous', 'gml', 'ec'] as const) {
        const got = rows.map((r) => (r[key] === '' ? NaN : Number(r[key])))
        const diff = maxRelDiff(got, ref[key])
        expect(diff.max, `${key}: largest difference at DMU ${diff.at}`).toBeLessThan(FIXTURE_AGREE)
        // the first year has no index in either
        ref[key].forEach((v: number | null, k: number) => expect(v === null, `${key} DMU ${k}`).toBe(Number.isNaN(got[k])))
      }
      expect(result.frame!.has('gie_ec') && result.frame!.has('gie_tc') && result.frame!.has('gie_cum')).toBe(true)
      // A unit on the frontier has β = 0 up to rounding (it printed as -4.4408920985e-16): it prints as 0.
      const printed = (result.files!['scores.csv'] as string).split('\n').slice(1).flatMap((l) => l.split(',').slice(2, 8))
      expect(printed.filter((v) => /e-/.test(v))).toEqual([])
      expect(rows.some((r) => r.d_contemporaneous === '0')).toBe(true)
    })
  }

  test('unit-free numbers within 5e-13 of 0 print as 0; data-scale numbers keep their digits', () => {
    expect([fmtRatio(-3.3e-16), fmtRatio(3.5527136788e-15), fmtRatio(-4.9e-13), fmtRatio(5e-13), fmtRatio(0.25)]).toEqual(['0', '0', '0', '5e-13', '0.25'])
    expect(fmt(-3.3e-16)).toBe('-3.3e-16')
    expect(PRINT_ZERO).toBe(5e-13)
  })
})

describe('measure-gie conventions', () => {
  test('the frame gains the score column; missing rows stay missing and are counted', async () => {
    const { result, ctx } = await run({})
    const f = result.frame!
    expect(f.names).toEqual([...frame.names, 'gie'])
    const gie = f.numbers('gie')
    const missingRows = [11 * 6 + 3, 20 * 6]
    for (const r of missingRows) expect(Number.isNaN(gie[r]), `row ${r}`).toBe(true)
    expect(result.facts!.excluded).toBe(2)
    const finite = Array.from(gie).filter(Number.isFinite)
    expectClose(result.facts!['mean(gie)'], finite.reduce((s, v) => s + v, 0) / finite.length, { rel: 1e-12, label: 'mean(gie)' })
    expect(result.facts!['n(gie)']).toBe(178)
    expect(ctx.logs.some((l) => l.level === 'warn' && /2 unit-year\(s\) left out for missing values \(x2 1, g1 1\)/.test(l.message))).toBe(true)
    const md = result.files!['summary.md'] as string
    expect(md).toContain('left out for missing values: 2 (x2 1, g1 1)')
    // a super-SBM score above 1 for the efficient, below 1 for the rest
    expect(Math.max(...finite)).toBeGreaterThan(1)
  })

  test('zeros are replaced by 0.01 × the smallest positive value and counted; `exclude` drops the rows', async () => {
    const cols = ['x1', 'x2', 'g1', 'g2', 'b1'].map((c) => D[c] as (number | null)[])
    const complete = [...Array(frame.nrows).keys()].filter((r) => cols.every((col) => col[r] !== null))
    const zeroCells = complete.reduce((t, r) => t + cols.filter((col) => col[r] === 0).length, 0)
    const zeroRows = complete.filter((r) => cols.some((col) => col[r] === 0)).length
    expect(zeroCells).toBeGreaterThan(1)
    const rep = await run({ model: 'sbm' })
    expect(rep.result.facts!.zeros_replaced).toBe(zeroCells)
    expect(rep.result.files!['summary.md']).toMatch(/zeros replaced by 0\.01 × the column's smallest positive value: g2 \d+ \(→ [\d.]+\), b1 1 \(→ [\d.]+\)/)
    const minG2 = Math.min(...complete.map((r) => D.g2[r] as number).filter((v) => v > 0))
    expect(rep.result.files!['summary.md']).toContain(`g2 ${zeroCells - 1} (→ ${Number((0.01 * minG2).toPrecision(6))})`)
    const exc = await run({ model: 'sbm', zeros: 'exclude' })
    expect(exc.result.facts!.excluded).toBe(2 + zeroRows)
    expect(exc.result.facts!['n(gie)']).toBe(178 - zeroRows)
    expect(exc.result.facts!.zeros_replaced).toBe(0)
  })

  test('infeasible super-SBM: named, kept at the SBM score (`one`) or missing (`missing`)', async () => {
    const one = await run({ returns: 'variable' })
    expect(one.result.facts!.super_infeasible).toBeGreaterThan(0)
    const rows = csvRecords(one.result.files!['scores.csv'] as string)
    const inf = rows.filter((r) => r.status === 'super-infeasible')
    expect(inf.length).toBe(one.result.facts!.super_infeasible)
    for (const r of inf) {
      expect(Number(r.score)).toBe(Number(r.sbm))
      expect(Number(r.score)).toBeGreaterThanOrEqual(1 - 1e-6)
    }
    expect(one.ctx.logs.some((l) => l.level === 'warn' && l.message.includes(`${inf[0].unit}@${inf[0].year}`))).toBe(true)
    expect(one.result.files!['summary.md']).toContain('super-SBM infeasible for')
    const missing = await run({ returns: 'variable', super_infeasible: 'missing' })
    const gie = missing.result.frame!.numbers('gie')
    const keyRow = (u: string, y: string): number => frame.strings('unit').findIndex((x, r) => x === u && String(frame.numbers('year')[r]) === y)
    for (const r of inf) expect(Number.isNaN(gie[keyRow(r.unit, r.year)])).toBe(true)
  })

  test('twins (identical vectors) are reported; super-SBM of a twin is 1 when the other is in the reference set', async () => {
    const { result, ctx } = await run({ frontier: 'contemporaneous' })
    expect(ctx.logs.some((l) => l.message.includes('identical input–output vectors') && l.message.includes('u04@2015 = u05@2015'))).toBe(true)
    const rows = csvRecords(result.files!['scores.csv'] as string)
    for (const r of rows.filter((x) => x.unit === 'u04' || x.unit === 'u05')) {
      if (r.status === 'super') expectClose(Number(r.score), 1, { abs: 1e-9, label: `${r.unit}@${r.year} twin super-SBM` })
    }
  })

  test('a unit-year alone in its reference set has no super-SBM: missing and named, not 2', async () => {
    // One more unit-year, alone in 2021: under a contemporaneous frontier it is compared with nothing.
    const extra = Frame.from({ unit: [...D.unit, 'u99'], year: num([...D.year, 2021]), x1: num([...D.x1, 50]), x2: num([...D.x2, 50]), g1: num([...D.g1, 50]), g2: num([...D.g2, 50]), b1: num([...D.b1, 50]) })
    const { result, ctx } = await run({ frontier: 'contemporaneous' }, extra)
    const gie = result.frame!.numbers('gie')
    expect(Number.isNaN(gie[extra.nrows - 1])).toBe(true)
    const row = csvRecords(result.files!['scores.csv'] as string).find((r) => r.unit === 'u99')!
    expect(row).toMatchObject({ score: '', sbm: '1', super: '', status: 'no-reference' })
    expect(ctx.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toContain(
      'super-SBM undefined for 1 unit-year(s) with no other unit-year in their reference set (score missing): u99@2021',
    )
    expect(result.files!['summary.md']).toContain('super-SBM undefined (no other unit-year in the reference set), score missing, for 1 unit-year(s): u99@2021')
    // The other years' scores do not move (its values are above every column's smallest, so the zero substitutes stay).
    const before = (await run({ frontier: 'contemporaneous' })).result.frame!.numbers('gie')
    const moved = Array.from(before).flatMap((v, r) => (Object.is(v, gie[r]) ? [] : [`${r}: ${v} → ${gie[r]}`]))
    expect(moved).toEqual([])
  })

  test('twins are reported only where they meet in a reference set', async () => {
    // u98@2016 copies u04@2015, a twin of u05@2015: a twin under a global frontier, not under a contemporaneous one.
    const k = D.unit.findIndex((u: string, i: number) => u === 'u04' && D.year[i] === 2015)
    const add = (col: (number | null)[], v: number | null) => num([...col, v])
    const f = Frame.from({ unit: [...D.unit, 'u98'], year: add(D.year, 2016), x1: add(D.x1, D.x1[k]), x2: add(D.x2, D.x2[k]), g1: add(D.g1, D.g1[k]), g2: add(D.g2, D.g2[k]), b1: add(D.b1, D.b1[k]) })
    const twinsOf = async (frontier: MeasureGieParams['frontier']) =>
      ((await run({ frontier }, f)).result.data as { twins: string[] }).twins
    // (u04 and u05 are twins in every year.)
    const contemporaneous = await twinsOf('contemporaneous')
    expect(contemporaneous).toContain('u04@2015 = u05@2015')
    expect(contemporaneous.filter((t) => t.includes('u98'))).toEqual([])
    expect(await twinsOf('global')).toContain('u04@2015 = u05@2015 = u98@2016')
    // Sequential: u98@2016 is evaluated against 2015 and 2016, which hold its twins.
    expect(await twinsOf('sequential')).toEqual(expect.arrayContaining(['u04@2015 = u05@2015', 'u04@2015 = u05@2015 = u98@2016']))
  })

  test('window frontier: scores.csv says how many windows each unit-year was averaged over', async () => {
    const { result } = await run({ model: 'sbm', frontier: 'window', window: 3 })
    const rows = csvRecords(result.files!['scores.csv'] as string).filter((r) => r.status !== 'excluded')
    const byYear = new Map(rows.map((r) => [r.year, r.windows]))
    expect([...byYear.entries()].sort()).toEqual([
      ['2015', '1'],
      ['2016', '2'],
      ['2017', '3'],
      ['2018', '3'],
      ['2019', '2'],
      ['2020', '1'],
    ])
  })

  test('summary.csv: one row per year and one for all', async () => {
    const { result } = await run({ model: 'sbm' })
    const rows = csvRecords(result.files!['summary.csv'] as string)
    expect(rows.map((r) => r.year)).toEqual(['2015', '2016', '2017', '2018', '2019', '2020', 'all'])
    expect(Number(rows[6].n)).toBe(178)
    expectClose(Number(rows[6].mean), result.facts!['mean(gie)'], { rel: 1e-5, label: 'summary mean' })
  })
})

describe('measure-gie user errors', () => {
  test('an unknown column names the list and index and suggests the near name', async () => {
    const e = await thrown(run({ inputs: ['x1', 'x22'] }))
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.param).toEqual(['inputs', 1])
    expect(e.hint).toBe('did you mean `x2`?')
  })

  test('a column in two lists', async () => {
    const e = await thrown(run({ desirable: ['g1', 'x1'] }))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.message).toContain('listed in both `inputs` and `desirable`')
  })

  test('a text column', async () => {
    const e = await thrown(run({ inputs: ['x1', 'unit'] }))
    expect(e.code).toBe('WRONG_TYPE')
  })

  test('a stray text cell is named: the column, the row with its unit-year, and the value', async () => {
    const text = (col: (number | null)[], at: Record<number, string>) => col.map((v, i) => at[i] ?? (v === null ? null : String(v)))
    const f = Frame.from({ unit: D.unit, year: num(D.year), x1: num(D.x1), x2: text(D.x2, { 4: 'n/a', 9: '12,5' }), g1: num(D.g1), g2: num(D.g2), b1: num(D.b1) })
    const e = await thrown(run({}, f))
    expect(e.code).toBe('WRONG_TYPE')
    expect(e.param).toEqual(['inputs', 1])
    expect(e.message).toBe(`column \`x2\` in \`inputs\` is text, not numbers: 2 cells are not a number: row 5 (unit ${D.unit[4]}, year ${D.year[4]}): "n/a"; row 10 (unit ${D.unit[9]}, year ${D.year[9]}): "12,5"`)
    expect(e.found).toBe('text such as "n/a"')
    // Numbers stored as text: say so, and how to declare the column.
    const g = Frame.from({ unit: D.unit, year: num(D.year), x1: num(D.x1), x2: text(D.x2, {}), g1: num(D.g1), g2: num(D.g2), b1: num(D.b1) })
    const s = await thrown(run({}, g))
    expect(s.message).toBe('column `x2` in `inputs` holds numbers stored as text')
    expect(s.hint).toBe('declare it in the ingest stage: `types: { x2: number }`')
  })

  test('ccr with variable returns, radial non-oriented, gml off the global frontier', async () => {
    expect((await thrown(run({ model: 'ccr', returns: 'variable' }))).hint).toBe('for variable returns use `model: bcc`')
    expect((await thrown(run({ model: 'bcc', orientation: 'none' }))).param).toEqual(['orientation'])
    expect((await thrown(run({ model: 'gml', frontier: 'window' }))).param).toEqual(['frontier'])
  })

  test('no panel keys, duplicated unit-years, negative values, an all-zero column', async () => {
    expect((await thrown(run({}, frame, null))).code).toBe('INVALID_SPEC')
    const dup = frame.take([0, 1, 1, 2])
    const e = await thrown(run({}, dup))
    expect(e.code).toBe('DUPLICATE_PANEL_KEY')
    expect(e.message).toContain('rows 2 and 3')
    const neg = frame.withColumn('x1', { type: 'number', data: Float64Array.from(frame.numbers('x1'), (v, r) => (r === 4 ? -1 : v)) })
    expect((await thrown(run({}, neg))).code).toBe('BAD_DATA')
    const zero = frame.withColumn('b1', { type: 'number', data: new Float64Array(frame.nrows) })
    expect((await thrown(run({}, zero))).message).toContain('zero in every unit-year')
  })
})
