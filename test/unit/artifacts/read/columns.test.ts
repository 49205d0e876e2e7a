import { describe, expect, test } from 'vitest'
import { buildFrame, type RawColumn } from '../../../../src/artifacts/read/columns.ts'
import { sniff } from '../../../../src/artifacts/read/sniff.ts'
import { QuasiError } from '../../../../src/errors.ts'
import { fixture } from './helpers.ts'

const at = (i: number, j: number) => `cell ${'ABC'[j]}${i + 2}`
const build = (raw: RawColumn[], opts = {}) => {
  const log = { notes: [] as string[], warnings: [] as string[] }
  const out = buildFrame(raw, raw[0].cells.length, { file: 'f.xlsx', ...opts }, at, log)
  return { ...out, ...log }
}

describe('buildFrame: the typing rules shared by the xlsx, dta and parquet readers', () => {
  test('numbers as stored make a numeric column; text markers in `na` are missing', () => {
    const { frame, columns } = build([{ name: 'x', cells: [1.5, 'NA', null, 2] }])
    expect(frame.column('x')?.type).toBe('number')
    expect(Array.from(frame.numbers('x'))).toEqual([1.5, NaN, NaN, 2])
    expect(columns[0]).toEqual({ name: 'x', type: 'number', declared: false, missing: 2 })
  })

  test('a stored number is data even if it equals an `na` marker as text', () => {
    const { frame } = build([{ name: 'x', cells: [-99, 1] }], { na: ['-99'] })
    expect(Array.from(frame.numbers('x'))).toEqual([-99, 1])
  })

  test('a few text cells among numbers stop the read, naming them (numeric text: declare the column)', () => {
    let err: unknown
    try {
      build([{ name: 'x', cells: [1, '2.5', 3, '—'] }])
    } catch (e) {
      err = e
    }
    const q = err as QuasiError
    expect(q.code).toBe('BAD_DATA')
    expect(q.message).toBe('f.xlsx: cell A3, column "x": `2.5` is not a number (the column is read as numbers: 2 of its cells are numbers); 2 cells of the column are not numbers: cell A3 `2.5`, cell A5 `—`')
    expect(q.hint).toContain('declare `x: number` under `types` to read text cells that hold numbers (`2.5`) as numbers')
    expect(q.hint).toContain('`na: ["—"]`')
  })

  test('more texts than numbers make a text column, and a note names the first text cell', () => {
    const { frame, notes } = build([{ name: 'x', cells: [1, '2.5', 'b'] }])
    expect(frame.strings('x')).toEqual(['1', '2.5', 'b'])
    expect(notes[0]).toContain('column "x" is read as text: 1 numeric cells but 2 cell(s) of text (first: cell A3 `2.5`)')
  })

  test('stored infinities are missing, with a warning naming the rows', () => {
    const { frame, warnings } = build([{ name: 'x', cells: Float64Array.of(1, Infinity, -Infinity) }, { name: 'y', cells: [1, Infinity, 2] }])
    expect(Array.from(frame.numbers('x'))).toEqual([1, NaN, NaN])
    expect(Array.from(frame.numbers('y'))).toEqual([1, NaN, 2])
    expect(warnings).toEqual([
      'column "x": 2 infinite value(s) read as missing: cell A3 (Infinity), cell A4 (-Infinity)',
      'column "y": 1 infinite value(s) read as missing: cell B3 (Infinity)',
    ])
  })

  test('`decimal: ","` reads numeric text with a decimal comma in a declared column', () => {
    const { frame } = build([{ name: 'x', cells: ['2,5', 1, null] }], { types: { x: 'number' }, decimal: ',' })
    expect(Array.from(frame.numbers('x'))).toEqual([2.5, 1, NaN])
  })

  test('declared types override inference', () => {
    const { frame, columns } = build([
      { name: 'a', cells: [1, '2.5', null] },
      { name: 'b', cells: new Float64Array([1, NaN, 3]) },
      { name: 'c', cells: ['0101', '0102', null] },
    ], { types: { a: 'number', b: 'string', c: 'integer' } })
    expect(Array.from(frame.numbers('a'))).toEqual([1, 2.5, NaN])
    expect(frame.strings('b')).toEqual(['1', null, '3'])
    expect(Array.from(frame.numbers('c'))).toEqual([101, 102, NaN])
    expect(columns.every((c) => c.declared)).toBe(true)
  })

  test('a declared number that is not one names column, cell and value', () => {
    let err: unknown
    try {
      build([{ name: 'gdp', cells: [1, 'n.a.'] }], { types: { gdp: 'number' } })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(QuasiError)
    const q = err as QuasiError
    expect(q.code).toBe('BAD_DATA')
    expect(q.message).toBe('f.xlsx: cell A3, column "gdp": `n.a.` is not a number')
    expect(q.param).toEqual(['types', 'gdp'])
  })

  test('an all-missing column is text, like the CSV reader', () => {
    expect(build([{ name: 'x', cells: [null, 'NA'] }]).frame.column('x')?.type).toBe('string')
  })
})

describe('sniff names what a file is', () => {
  test.each([
    ['panel.xlsx', 'a ZIP archive'],
    ['sample117.dta', 'a Stata .dta file (format 117)'],
    ['old114.dta', 'an old Stata .dta file (format 114, written by Stata 10–11)'],
    ['sample.parquet', 'a Parquet file'],
  ])('%s', (file, description) => {
    expect(sniff(fixture(file)).description).toBe(description)
  })
})
