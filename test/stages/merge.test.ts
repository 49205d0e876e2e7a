/** merge: joins on hand-made frames, the reports, and every user error. */
import { describe, expect, test } from 'vitest'
import { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageContext } from '../../src/stage.ts'
import { stageRng } from '../../src/stats/rng.ts'
import { ThreadBudget } from '../../src/scheduler/threads.ts'
import merge from '../../stages/merge/stage.ts'
import type { MergeParams } from '../../stages/merge/params.ts'
import { memoryOutput } from '../../src/artifacts/output.ts'

/** Minimal stand-in for the core's StageContext (test/helpers/context.ts is not there yet). */
async function run(params: Partial<MergeParams>, inputs: Record<string, Frame | undefined>) {
  const logs: { level: 'info' | 'warn'; message: string }[] = []
  const ctx: StageContext<MergeParams> = {
    stage: 'joined',
    kind: 'merge',
    params: { left: 'panel', right: 'cities', on: 'city', how: 'left', validate: 'm:1', suffix: '_right', ...params },
    input: (stage) => memoryOutput(stage, inputs[stage] ? 'ingest' : 'report', { frame: inputs[stage] }),
    files: {},
    rng: stageRng(1, 'joined'),
    log: { info: (m) => logs.push({ level: 'info', message: m }), warn: (m) => logs.push({ level: 'warn', message: m }) },
    progress: () => {},
    signal: new AbortController().signal,
    jobs: 1,
    threads: new ThreadBudget(1),
  }
  const result = await merge.run(ctx)
  return { result, frame: result.frame!, rows: result.frame!.toRows(), logs, warnings: logs.filter((l) => l.level === 'warn').map((l) => l.message) }
}

async function userError(p: Promise<unknown>): Promise<QuasiError> {
  const e = await p.then(() => undefined, (err: unknown) => err)
  expect(e).toBeInstanceOf(QuasiError)
  return e as QuasiError
}

const panel = Frame.from({
  city: ['Hefei', 'Wuhu', 'Hefei', 'Lhasa', 'Wuhu', null],
  year: [2010, 2010, 2011, 2010, 2011, 2011],
  gdp: [1, 2, 3, 4, 5, 6],
})
const cities = Frame.from({
  city: ['Wuhu', 'Sansha', 'Hefei', 'Karamay'],
  province: ['Anhui', 'Hainan', 'Anhui', 'Xinjiang'],
  pop: [3.6, 0.002, 9.4, 0.4],
})
const inputs = { panel, cities }

describe('joins', () => {
  test('m:1 left join keeps left rows in order and reports both sides', async () => {
    const { result, rows, warnings, frame } = await run({}, inputs)
    expect(frame.names).toEqual(['city', 'year', 'gdp', 'province', 'pop'])
    expect(rows).toEqual([
      { city: 'Hefei', year: 2010, gdp: 1, province: 'Anhui', pop: 9.4 },
      { city: 'Wuhu', year: 2010, gdp: 2, province: 'Anhui', pop: 3.6 },
      { city: 'Hefei', year: 2011, gdp: 3, province: 'Anhui', pop: 9.4 },
      { city: 'Lhasa', year: 2010, gdp: 4, province: null, pop: null },
      { city: 'Wuhu', year: 2011, gdp: 5, province: 'Anhui', pop: 3.6 },
      { city: null, year: 2011, gdp: 6, province: null, pop: null },
    ])
    expect(result.facts).toEqual({ rows: 6, 'matched(left)': 4, 'matched(right)': 2, 'unmatched(left)': 2, 'unmatched(right)': 2 })
    expect(warnings).toEqual([
      'unmatched left rows: 2 (kept with missing values); keys "Lhasa", NA',
      'unmatched right rows: 2 (dropped); keys "Sansha", "Karamay"',
      '1 left rows have a missing key value; missing keys match nothing',
    ])
    expect(result.files!['unmatched.csv']).toBe('side,row,city\nleft,4,Lhasa\nleft,6,\nright,2,Sansha\nright,4,Karamay\n')
  })

  test('inner keeps matched rows in left order', async () => {
    const { rows } = await run({ how: 'inner' }, inputs)
    expect(rows.map((r) => [r.city, r.year])).toEqual([['Hefei', 2010], ['Wuhu', 2010], ['Hefei', 2011], ['Wuhu', 2011]])
  })

  test('outer appends unmatched right rows in right order, keys filled from the right', async () => {
    const { rows, warnings } = await run({ how: 'outer' }, inputs)
    expect(rows.map((r) => [r.city, r.year, r.province])).toEqual([
      ['Hefei', 2010, 'Anhui'], ['Wuhu', 2010, 'Anhui'], ['Hefei', 2011, 'Anhui'], ['Lhasa', 2010, null],
      ['Wuhu', 2011, 'Anhui'], [null, 2011, null], ['Sansha', null, 'Hainan'], ['Karamay', null, 'Xinjiang'],
    ])
    expect(warnings[1]).toBe('unmatched right rows: 2 (kept with missing values); keys "Sansha", "Karamay"')
  })

  test('1:m repeats each left row once per right row, right order', async () => {
    const left = Frame.from({ city: ['A', 'B', 'C'], area: [10, 20, 30] })
    const right = Frame.from({ city: ['B', 'A', 'B', 'A'], year: [2010, 2010, 2011, 2011] })
    const { rows } = await run({ validate: '1:m' }, { panel: left, cities: right })
    expect(rows).toEqual([
      { city: 'A', area: 10, year: 2010 }, { city: 'A', area: 10, year: 2011 },
      { city: 'B', area: 20, year: 2010 }, { city: 'B', area: 20, year: 2011 },
      { city: 'C', area: 30, year: null },
    ])
  })

  test('composite keys, 1:1', async () => {
    const left = Frame.from({ city: ['A', 'A', 'B'], year: [2010, 2011, 2010], x: [1, 2, 3] })
    const right = Frame.from({ year: [2011, 2010, 2010], city: ['A', 'B', 'A'], y: [20, 30, 10] })
    const { rows, result } = await run({ on: ['city', 'year'], validate: '1:1' }, { panel: left, cities: right })
    expect(rows).toEqual([{ city: 'A', year: 2010, x: 1, y: 10 }, { city: 'A', year: 2011, x: 2, y: 20 }, { city: 'B', year: 2010, x: 3, y: 30 }])
    expect(result.facts!['unmatched(right)']).toBe(0)
  })

  test('a {left: right} mapping joins differently named keys; the right key is dropped', async () => {
    const left = Frame.from({ city_code: [110000, 120000, 130100], gdp: [1, 2, 3] })
    const right = Frame.from({ code: [130100, 110000], city_code: ['BJ-old', 'HB-old'], name: ['Shijiazhuang', 'Beijing'] })
    const { rows, warnings, result } = await run({ on: { city_code: 'code' }, how: 'outer' }, { panel: left, cities: right })
    expect(rows).toEqual([
      { city_code: 110000, gdp: 1, city_code_right: 'HB-old', name: 'Beijing' },
      { city_code: 120000, gdp: 2, city_code_right: null, name: null },
      { city_code: 130100, gdp: 3, city_code_right: 'BJ-old', name: 'Shijiazhuang' },
    ])
    expect(warnings).toContain('column `city_code` is on both sides: the right one is now `city_code_right`')
    expect(result.data).toMatchObject({ on: [{ left: 'city_code', right: 'code' }], renamed: [{ side: 'right', from: 'city_code', to: 'city_code_right' }] })
  })

  test('suffix pair renames both sides', async () => {
    const left = Frame.from({ city: ['A'], pop: [1] })
    const right = Frame.from({ city: ['A'], pop: [2] })
    const { rows } = await run({ suffix: ['_panel', '_cities'] }, { panel: left, cities: right })
    expect(rows).toEqual([{ city: 'A', pop_panel: 1, pop_cities: 2 }])
  })

  test('a numeric key meets a text key by written value; outer rows take the left type', async () => {
    const left = Frame.from({ code: [110000, 120000, 0.5], x: [1, 2, 3] })
    const right = Frame.from({ code: ['120000', '0.5', '130000', null], y: [20, 5, 30, 0] })
    const { rows, logs } = await run({ on: 'code', how: 'outer' }, { panel: left, cities: right })
    expect(rows).toEqual([
      { code: 110000, x: 1, y: null }, { code: 120000, x: 2, y: 20 }, { code: 0.5, x: 3, y: 5 },
      { code: 130000, x: null, y: 30 }, { code: null, x: null, y: 0 },
    ])
    expect(logs.map((l) => l.message)).toContain('key `code`: numbers and text compared by their written value')
    const back = await run({ on: 'code', how: 'outer' }, { panel: right, cities: left })
    expect(back.frame.strings('code')).toEqual(['120000', '0.5', '130000', null, '110000'])
  })
})

describe('user errors', () => {
  test('duplicate right keys under m:1 name the keys, rows and side, and suggest 1:m', async () => {
    const right = Frame.from({ city: ['Wuhu', 'Hefei', 'Wuhu', 'Hefei', 'Wuhu'], v: [1, 2, 3, 4, 5] })
    const e = await userError(run({}, { panel, cities: right }))
    expect(e.code).toBe('BAD_DATA')
    expect(e.param).toEqual(['validate'])
    expect(e.message).toBe('duplicate merge keys: `right` (stage `cities`) has 2 duplicated keys: "Wuhu" (rows 1, 3, 5), "Hefei" (rows 2, 4)')
    expect(e.expected).toBe('each key at most once on the right (`validate: m:1`)')
    expect(e.hint).toContain('declare `validate: 1:m` (the left keys must then be unique)')
  })
  test('duplicate left keys under 1:m suggest m:1', async () => {
    const e = await userError(run({ validate: '1:m' }, inputs))
    expect(e.message).toContain('`left` (stage `panel`) has 2 duplicated keys: "Hefei" (rows 1, 3), "Wuhu" (rows 2, 5)')
    expect(e.hint).toContain('declare `validate: m:1`')
  })
  test('1:1 with duplicates on both sides: many-to-many is refused; composite keys shown by name', async () => {
    const left = Frame.from({ city: ['A', 'A'], year: [1, 1] })
    const right = Frame.from({ city: ['A', 'A'], year: [1, 1] })
    const e = await userError(run({ on: ['city', 'year'], validate: '1:1' }, { panel: left, cities: right }))
    expect(e.message).toContain('(city="A", year=1) (rows 1, 2)')
    expect(e.message).toContain('`left` (stage `panel`)')
    expect(e.message).toContain('`right` (stage `cities`)')
    expect(e.expected).toBe('each key at most once on each side (`validate: 1:1`)')
    expect(e.hint).toContain('many-to-many joins are refused')
  })
  test('missing keys are never duplicates', async () => {
    const right = Frame.from({ city: [null, null, 'Wuhu'], v: [1, 2, 3] })
    const { result } = await run({}, { panel, cities: right })
    expect(result.facts!['unmatched(right)']).toBe(2)
  })
  test('unknown key column, with a suggestion and where it was written', async () => {
    const e1 = await userError(run({ on: 'ctiy' }, inputs))
    expect([e1.code, e1.param, e1.hint]).toEqual(['MISSING_COLUMN', ['on'], 'did you mean `city`?'])
    const e2 = await userError(run({ on: ['city', 'yaer'] }, inputs))
    expect(e2.param).toEqual(['on', 1])
    expect(e2.message).toBe('key column `yaer` is not in `left` (stage `panel`)')
    const e3 = await userError(run({ on: { city: 'name' } }, inputs))
    expect(e3.param).toEqual(['on', 'city'])
    expect(e3.message).toBe('key column `name` is not in `right` (stage `cities`)')
  })
  test('a key column named twice on one side', async () => {
    const e = await userError(run({ on: { city: 'city', year: 'city' } }, { panel, cities: panel }))
    expect([e.code, e.message]).toEqual(['INVALID_VALUE', 'key column `city` is named twice on the right side of `on`'])
  })
  test('a text key that is not a plain number cannot meet a numeric key', async () => {
    const left = Frame.from({ code: [110000, 120000] })
    const right = Frame.from({ code: ['110000', '0120000', '120000.0', null] })
    const e = await userError(run({ on: 'code' }, { panel: left, cities: right }))
    expect(e.code).toBe('BAD_DATA')
    expect(e.message).toBe(
      'key `code` is numeric in `left` (stage `panel`) but text in `right` (stage `cities`), and 2 text keys are not a plain number: "0120000" (row 2), "120000.0" (row 3)',
    )
  })
  test('a suffix that leaves names clashing', async () => {
    const left = Frame.from({ city: ['A'], pop: [1], pop_right: [0] })
    const right = Frame.from({ city: ['A'], pop: [2] })
    const e = await userError(run({}, { panel: left, cities: right }))
    expect([e.code, e.param]).toEqual(['INVALID_VALUE', ['suffix']])
    expect(e.message).toContain('two columns would be named `pop_right`')
  })
  test('an input stage without a frame', async () => {
    const e = await userError(run({}, { panel, cities: undefined }))
    expect([e.code, e.param]).toEqual(['INVALID_VALUE', ['right']])
  })
})
