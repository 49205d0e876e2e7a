/** Row keys and the tolerance rule of `quasi diff` (src/diff/tables.ts). */
import { describe, expect, test } from 'vitest'
import { diffTables, within } from '../../../src/diff/tables.ts'

const exact = { atol: 0, rtol: 0 }

describe('within', () => {
  test('numbers by |a − b| <= atol + rtol·|b|, text exactly, missing equals missing', () => {
    expect(within('1.0', '1', exact)).toBe(true)
    expect(within('100', '100.5', { atol: 0, rtol: 0.005 })).toBe(true) // 0.5 <= 0.005 · 100.5
    expect(within('100', '100.6', { atol: 0, rtol: 0.005 })).toBe(false)
    expect(within('1', '1.5', { atol: 0.5, rtol: 0 })).toBe(true)
    expect(within('1', '1.5000001', { atol: 0.5, rtol: 0 })).toBe(false)
    expect(within('', 'NA', exact)).toBe(true)
    expect(within('NaN', '0', { atol: 1, rtol: 1 })).toBe(false)
    expect(within('Inf', 'Inf', exact)).toBe(true)
    expect(within('Yes', 'No', { atol: 1, rtol: 1 })).toBe(false)
  })
})

describe('row keys', () => {
  test('tidy.csv by model and term: an added term is one added row, not a shifted table', () => {
    const a = 'model,term,estimate\n(1),did,1\n(1),x,2\n'
    const b = 'model,term,estimate\n(1),did,1\n(1),w,5\n(1),x,2\n'
    const d = diffTables('tidy.csv', a, b, exact)
    expect(d.keyColumns).toEqual(['model', 'term'])
    expect([d.changed, d.rowsOnlyA, d.rowsOnlyB]).toEqual([[], [], ['(1) / w']])
  })

  test('a rendered table: the SE line under a coefficient is keyed by it', () => {
    const a = ',(1)\ndid,0.8***\n,(0.10)\nx,0.4\n,(0.02)\n'
    const b = ',(1)\ndid,0.8***\n,(0.11)\nx,0.4\n,(0.02)\n'
    const d = diffTables('table.csv', a, b, exact)
    expect(d.changed).toEqual([{ key: 'did #2', column: '(1)', a: '(0.10)', b: '(0.11)' }])
  })

  test('a repeated label is numbered, never extended by a rendered value column', () => {
    const a = ',(1)\nN,600\nN,0.50\n'
    const b = ',(1)\nN,600\nN,0.51\n'
    const d = diffTables('table.csv', a, b, exact)
    expect(d.keyColumns).toEqual([''])
    expect(d.changed).toEqual([{ key: 'N (2)', column: '(1)', a: '0.50', b: '0.51' }])
  })

  test('a panel: unit then year, so a changed value is named by both', () => {
    const a = 'city,year,gdp\na,2000,1\na,2001,2\nb,2000,3\n'
    const b = 'city,year,gdp\na,2000,1\na,2001,2.5\nb,2000,3\n'
    const d = diffTables('data.csv', a, b, exact)
    expect(d.keyColumns).toEqual(['city', 'year'])
    expect(d.changed).toEqual([{ key: 'a / 2001', column: 'gdp', a: '2', b: '2.5' }])
  })

  test('numeric first column: rows by number; columns on one side are reported', () => {
    const d = diffTables('x.csv', 'k,v\n1,2\n', 'k,v,w\n1,3,0\n', exact)
    expect(d.keyColumns).toEqual([])
    expect(d.changed).toEqual([{ key: 'row 1', column: 'v', a: '2', b: '3' }])
    expect(d.columnsOnlyB).toEqual(['w'])
  })
})
