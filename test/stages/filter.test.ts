import { describe, expect, test } from 'vitest'
import { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import filter from '../../stages/filter/stage.ts'
import type { FilterParams } from '../../stages/filter/params.ts'
import { makeTestContext } from '../helpers/context.ts'

const NA = NaN
const panel = { unit: 'city', time: 'year' }
const raw = Frame.from({
  city: ['a', 'a', 'b', 'b', 'c', 'c', 'd', 'd'],
  year: [2006, 2008, 2006, 2008, 2007, 2009, 2007, 2010],
  admin_level: ['prefecture', 'prefecture', 'municipality', 'municipality', 'prefecture', null, 'prefecture', 'prefecture'],
  gdp: [1, 2, 3, 4, NA, 6, 7, 8],
})

function ctxFor(where: string) {
  return makeTestContext<FilterParams>({ params: { from: 'panel', where }, inputs: { panel: raw }, panel, stage: 'sample', kind: 'filter' })
}

describe('filter', () => {
  test('the issue example: keeps rows meeting the condition and reports drops per part', async () => {
    const ctx = ctxFor('year >= 2007 and admin_level != "municipality"')
    const r = await filter.run(ctx)
    expect(r.frame!.toRows().map((x) => `${x.city}${x.year}`)).toEqual(['a2008', 'c2007', 'd2007', 'd2010'])
    // year < 2007: a2006, b2006 (2); then municipality: b2008 (1); missing admin_level: c2009 (1)
    expect(r.facts).toEqual({ rows: 4, rows_in: 8, dropped: 4, dropped_false: 3, dropped_missing: 1 })
    expect(ctx.logs.map((l) => l.message)).toEqual([
      'kept 4 of 8 rows; dropped 4 (3 where the condition is false, 1 where it is missing)',
      '  year >= 2007: dropped 2 false',
      '  admin_level != "municipality": dropped 1 false, 1 missing',
    ])
    expect(r.data).toEqual({
      rows_in: 8,
      kept: 4,
      dropped_false: 3,
      dropped_missing: 1,
      conditions: [
        { condition: 'year >= 2007', dropped_false: 2, dropped_missing: 0 },
        { condition: 'admin_level != "municipality"', dropped_false: 1, dropped_missing: 1 },
      ],
    })
  })

  test('a row false in one part and missing in another counts as false (Kleene and)', async () => {
    const ctx = ctxFor('gdp > 0 and year >= 2008')
    const r = await filter.run(ctx)
    // c2007: gdp missing, year false → dropped as false by the second part
    expect(r.facts!.dropped_missing).toBe(0)
    expect(r.data).toMatchObject({ conditions: [{ dropped_false: 0, dropped_missing: 0 }, { dropped_false: 4, dropped_missing: 0 }] })
    expect(r.frame!.nrows).toBe(4)
  })

  test('a missing condition drops the row and is counted separately', async () => {
    const r = await filter.run(ctxFor('gdp > 2'))
    expect(r.facts).toMatchObject({ rows: 5, dropped_false: 2, dropped_missing: 1 })
  })

  test('or-conditions and panel functions', async () => {
    const r = await filter.run(ctxFor('not is_missing(lag(gdp, 2)) or city == "d"'))
    // c2009's lag 2 is c2007, whose gdp is missing; d has no 2005/2008 but is kept by the `or`
    expect(r.frame!.toRows().map((x) => `${x.city}${x.year}`)).toEqual(['a2008', 'b2008', 'd2007', 'd2010'])
  })

  test('a condition of 5,000 parts is split into its parts without recursion', async () => {
    const parts = ['year >= 2007', ...Array.from({ length: 4_999 }, (_, i) => `gdp != ${-1 - i}`)]
    const r = await filter.run(ctxFor(parts.join(' and ')))
    expect(r.facts).toMatchObject({ rows: 5, dropped_false: 2, dropped_missing: 1 })
    expect((r.data as { conditions: unknown[] }).conditions).toHaveLength(5_000)
  })

  test('no row left is a warning, not an error', async () => {
    const ctx = ctxFor('year > 3000')
    const r = await filter.run(ctx)
    expect(r.frame!.nrows).toBe(0)
    expect(r.frame!.names).toEqual(raw.names)
    expect(ctx.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual(['no rows meet the condition year > 3000'])
  })

  test('errors point into `where`', async () => {
    const expectError = async (where: string, code: string, message: string, offset: number) => {
      try {
        await filter.run(ctxFor(where))
        expect.unreachable()
      } catch (err) {
        expect(err).toBeInstanceOf(QuasiError)
        expect((err as QuasiError).code).toBe(code)
        expect((err as QuasiError).message).toBe(message)
        expect((err as QuasiError).param).toEqual(['where'])
        expect((err as QuasiError).offset).toBe(offset)
      }
    }
    await expectError('yaer >= 2007', 'MISSING_COLUMN', 'where, 1:1: unknown column "yaer" — did you mean "year"?', 0)
    await expectError('year >= 2007 and admin_level != 3', 'BAD_EXPRESSION',
      'where, 1:30: type mismatch: cannot compare admin_level (text) with 3 (a number); write "3" to compare with text', 29)
    await expectError('year = 2007', 'BAD_EXPRESSION', 'where, 1:6: "=" is not an operator here; write "=="', 5)
    await expectError('admin_level', 'BAD_EXPRESSION', 'where, 1:1: the condition is text; write a comparison, as in admin_level == "prefecture"', 0)
  })
})
