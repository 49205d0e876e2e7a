import { describe, expect, test } from 'vitest'
import { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError, QuasiErrors } from '../../src/errors.ts'
import derive from '../../stages/derive/stage.ts'
import { knownColumns } from '../../stages/derive/columns.ts'
import type { DeriveParams } from '../../stages/derive/params.ts'
import { makeTestContext } from '../helpers/context.ts'

const NA = NaN
const panel = { unit: 'city', time: 'year' }
const raw = Frame.from({
  city: ['a', 'a', 'a', 'b', 'b', 'b'],
  year: [2010, 2011, 2012, 2010, 2011, 2012],
  gdp: [100, 110, 121, 50, NA, 60],
  area: [10, 10, 10, 5, 5, 5],
  so2: [3, 2, 1, 6, 5, 4],
  dust: [1, 1, 2, 3, 2, 1],
  pilot_year: [2011, 2011, 2011, NA, NA, NA],
})

function ctxFor(columns: DeriveParams['columns'], p: typeof panel | undefined = panel) {
  return makeTestContext<DeriveParams>({ params: { from: 'panel', columns }, inputs: { panel: raw }, ...(p ? { panel: p } : {}), stage: 'vars', kind: 'derive' })
}

async function failure(columns: DeriveParams['columns'], p?: typeof panel): Promise<QuasiError[]> {
  try {
    await derive.run(ctxFor(columns, p ?? panel))
  } catch (err) {
    if (err instanceof QuasiErrors) return [...err.errors]
    if (err instanceof QuasiError) return [err]
    throw err
  }
  throw new Error('expected derive to fail')
}

describe('derive', () => {
  test('columns are evaluated in order; later ones use earlier ones', async () => {
    const ctx = ctxFor({ eco: 'gdp / area', growth: 'diff(log(eco))', treated: 'adopted(pilot_year)', did_eco: 'treated * eco' })
    const r = await derive.run(ctx)
    const rows = r.frame!.toRows()
    expect(rows.map((x) => x.eco)).toEqual([10, 11, 12.1, 10, null, 12])
    expect(rows[1].growth).toBeCloseTo(Math.log(1.1), 14)
    expect(rows[4].growth).toBeNull()
    expect(rows[5].growth).toBeNull() // 2011 of city b is missing: no fallback to an older row
    expect(rows.map((x) => x.treated)).toEqual([0, 1, 1, 0, 0, 0])
    expect(rows.map((x) => x.did_eco)).toEqual([0, 11, 12.1, 0, null, 0])
    expect(r.frame!.names).toEqual([...raw.names, 'eco', 'growth', 'treated', 'did_eco'])
    expect(r.facts!['mean(eco)']).toBeCloseTo((10 + 11 + 12.1 + 10 + 12) / 5, 14)
    expect(r.facts!['missing(eco)']).toBe(1)
    expect(r.facts!.rows).toBe(6)
    expect(r.files).toEqual({})
    expect(ctx.logs.some((l) => l.message.startsWith('eco = gdp / area: 5 values, 1 missing; mean 11.02'))).toBe(true)
    expect(ctx.progressCalls.at(-1)).toEqual([4, 4])
  })

  test('an existing column can be replaced, and the log says so', async () => {
    const ctx = ctxFor({ gdp: 'gdp / 100' })
    const r = await derive.run(ctx)
    expect(r.frame!.toRows().map((x) => x.gdp)).toEqual([1, 1.1, 1.21, 0.5, null, 0.6])
    expect(ctx.logs.some((l) => l.message === 'column gdp replaces the existing column gdp')).toBe(true)
  })

  test('entropy writes entropy_weights.csv and weight facts', async () => {
    const r = await derive.run(ctxFor({ pollution: 'entropy(so2, dust)', pollution_y: 'entropy(; negative: [so2, dust]) by year' }))
    const csv = String(r.files!['entropy_weights.csv'])
    const lines = csv.trim().split('\n')
    expect(lines[0]).toBe('column,expression,by,group,n,indicator,direction,entropy,divergence,weight')
    expect(lines[1]).toMatch(/^pollution,"entropy\(so2, dust\)",,all,6,so2,positive,/)
    expect(lines).toHaveLength(1 + 2 + 3 * 2)
    expect(lines[3]).toMatch(/^pollution_y,"entropy\(; negative: \[so2, dust\]\) by year",year,2010,2,so2,negative,/)
    const wSo2 = r.facts!['entropy_weight(pollution, so2)']
    const wDust = r.facts!['entropy_weight(pollution, dust)']
    expect(wSo2 + wDust).toBeCloseTo(1, 14)
    expect(Number(lines[1].split(',').at(-1))).toBe(wSo2)
    expect(r.facts!['entropy_weight(pollution_y, so2)']).toBeUndefined()
  })

  test('text results become text columns', async () => {
    const r = await derive.run(ctxFor({ size: 'if(gdp >= 100, "big", "small")' }))
    expect(r.frame!.column('size')!.type).toBe('string')
    expect(r.frame!.toRows().map((x) => x.size)).toEqual(['big', 'big', 'big', 'small', null, 'small'])
    expect(r.facts!['missing(size)']).toBe(1)
  })

  test('the issue example: unknown column with line:col in the expression and param path', async () => {
    const [e] = await failure({ eco: 'log(  gpd)' })
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.message).toBe('column eco, 1:7: unknown column "gpd" — did you mean "gdp"?')
    expect(e.param).toEqual(['columns', 'eco'])
    expect(e.offset).toBe(6)
  })

  test('all errors in all columns are reported together; later columns know earlier names', async () => {
    const errs = await failure({ eco: 'gdp / aera', growth: 'diff(eco) + lgo(1)', x: '1 +', ok: 'eco * 2' })
    expect(errs.map((e) => [e.param, e.offset, e.code])).toEqual([
      [['columns', 'eco'], 6, 'MISSING_COLUMN'],
      [['columns', 'growth'], 12, 'BAD_EXPRESSION'],
      [['columns', 'x'], 3, 'BAD_EXPRESSION'],
    ])
    expect(errs[2].message).toBe('column x, 1:4: the expression ends too early: expected a value')
  })

  test('type mismatch names the column and place', async () => {
    const [e] = await failure({ z: 'gdp + city' })
    expect(e.message).toBe('column z, 1:5: type mismatch: "+" needs numbers on both sides, but city is a text column')
  })

  test('panel functions without a panel', async () => {
    const ctx = makeTestContext<DeriveParams>({ params: { from: 'panel', columns: { l: 'lag(gdp)' } }, inputs: { panel: raw } })
    await expect(derive.run(ctx)).rejects.toMatchObject({
      code: 'BAD_EXPRESSION',
      message: "column l, 1:1: lag needs the panel's unit and time: declare panel: { unit: …, time: … } in the pipeline",
      param: ['columns', 'l'],
    })
  })

  test('data errors during evaluation carry the column too', async () => {
    const dup = Frame.from({ city: ['a', 'a'], year: [2010, 2010], gdp: [1, 2] })
    const ctx = makeTestContext<DeriveParams>({ params: { from: 'p', columns: { l: 'lag(gdp)' } }, inputs: { p: dup }, panel })
    await expect(derive.run(ctx)).rejects.toMatchObject({ code: 'DUPLICATE_PANEL_KEY', param: ['columns', 'l'], offset: 0 })
  })

  test('warnings from evaluation go to the log with the column', async () => {
    const ctx = ctxFor({ r: 'gdp / (area - 10)' })
    await derive.run(ctx)
    expect(ctx.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'column r, 1:1: gdp / (area - 10): 3 value(s) missing: division by zero',
    ])
  })

  test('numbers written as YAML numbers are constant columns', async () => {
    const r = await derive.run(ctxFor({ one: 1 }))
    expect(r.frame!.toRows().map((x) => x.one)).toEqual([1, 1, 1, 1, 1, 1])
  })

  test('new columns join the frame in order, replacing in place, however the stage batches them', async () => {
    // `b` reads the new `a`; `gdp` is replaced after `a` and `b` were computed from the old one;
    // `c` reads the new `gdp`, and `by year` and lag() read columns replaced just before.
    const ctx = ctxFor({ a: 'gdp * 2', b: 'a + 1', gdp: 'b * 10', c: 'gdp', year: 'year + 0', d: 'lag(c)', e: 'mean(c) by year' })
    const r = await derive.run(ctx)
    expect(r.frame!.names).toEqual([...raw.names, 'a', 'b', 'c', 'd', 'e'])
    const rows = r.frame!.toRows()
    expect(rows.map((x) => x.gdp)).toEqual([2010, 2210, 2430, 1010, null, 1210])
    expect(rows.map((x) => x.c)).toEqual(rows.map((x) => x.gdp))
    expect(rows.map((x) => x.d)).toEqual([null, 2010, 2210, null, 1010, null])
    expect(rows.map((x) => x.e)).toEqual([1510, 2210, 1820, 1510, 2210, 1820])
  })

  test('a long derive lets the event loop run, so a cancellation is seen mid-stage', async () => {
    const columns: Record<string, string> = {}
    for (let i = 0; i < 20_000; i++) columns[`c${i}`] = `gdp + ${i}`
    const ac = new AbortController()
    const ctx = makeTestContext<DeriveParams>({ params: { from: 'panel', columns }, inputs: { panel: raw }, panel, stage: 'vars', kind: 'derive', signal: ac.signal })
    setTimeout(() => ac.abort(), 20)
    await expect(derive.run(ctx)).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(ctx.logs.length).toBeLessThan(20_000)
  })

  test('after 1,000 errors a derive stops checking and says how many expressions it left (run and validate)', async () => {
    const columns: Record<string, string> = {}
    for (let i = 0; i < 1_500; i++) columns[`c${i}`] = `gdpp * ${i}`
    const errs = await failure(columns)
    expect(errs).toHaveLength(1_001)
    expect(errs[999].message).toBe('column c999, 1:1: unknown column "gdpp" — did you mean "gdp"?')
    expect(errs[1_000]).toMatchObject({ code: 'MISSING_COLUMN', param: ['columns', 'c1000'], message: 'checking stopped after 1000 errors: 500 more expressions of `columns` not checked' })
    // validate: the same cap, and the frame still gains every name.
    const known = knownColumns({ from: 'panel', columns }, { input: () => raw.names, header: () => undefined, panel })
    expect(known.errors).toHaveLength(1_001)
    expect(known.errors[1_000].message).toBe(errs[1_000].message)
    expect(known.columns).toHaveLength(raw.names.length + 1_500)
  })

  test('the input frame is not modified', async () => {
    const before = raw.toRows()
    await derive.run(ctxFor({ gdp: 'gdp * 2', w: 'winsor(gdp, 0.1, 0.9)' }))
    expect(raw.toRows()).toEqual(before)
  })
})
