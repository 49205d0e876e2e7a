import { describe, expect, test } from 'vitest'
import { buildFrame, type RawColumn } from '../../../../src/artifacts/read/columns.ts'
import { sniff } from '../../../../src/artifacts/read/sniff.ts'
import { QuasiError } from '../../../../src/errors.ts'
import { fixture } from './helpers.ts'

const at = (i: number, j: number) => `cell ${'ABC'[j]}${i + 2}`
const build = (raw: RawColumn[], opts = {}) => {
  const notes: string[] = []
  const out = buildFrame(raw, raw[0].cells.length, { file: 'f.xlsx', ...opts }, at, notes)
  return { ...out, notes }
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

  test('text among numbers makes a text column, and a note names the first text cell', () => {
    const { frame, notes } = build([{ name: 'x', cells: [1, '2.5', 3] }])
    expect(frame.strings('x')).toEqual(['1', '2.5', '3'])
    expect(notes[0]).toContain('column "x" is read as text: 2 numeric cells but 1 cell(s) of text that looks like a number (first: cell A3 `2.5`)')
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
