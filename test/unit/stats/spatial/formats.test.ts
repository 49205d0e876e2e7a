/** The weights file readers: GAL (both headers, empty neighbour lines), GWT, long and dense CSV. */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { QuasiError } from '../../../../src/errors.ts'
import { readWeightsFile, sniffFormat } from '../../../../stages/spatial-weights/formats.ts'

const enc = (s: string) => new TextEncoder().encode(s)
const error = (f: () => unknown): QuasiError => { try { f() } catch (e) { if (e instanceof QuasiError) return e; throw e } throw new Error('no error') }

describe('GAL', () => {
  test('spdep\'s columbus.gal: 49 units in file order, 230 links, unit 1 with neighbours 2 and 3', () => {
    const f = readWeightsFile('columbus.gal', readFileSync('test/fixtures/spatial/columbus.gal'))
    expect(f.format).toBe('gal')
    expect(f.ids).toHaveLength(49)
    expect(f.links).toHaveLength(230)
    expect(f.links.filter((l) => l.from === '1').map((l) => l.to)).toEqual(['2', '3'])
  })

  test('GeoDa header `0 n shapefile idvar`, a unit without neighbours (empty line), text ids', () => {
    const f = readWeightsFile('w.gal', enc('0 3 cities CODE\nA 1\nB\nB 1\nA\nC 0\n\n'))
    expect(f.ids).toEqual(['A', 'B', 'C'])
    expect(f.links.map((l) => `${l.from}-${l.to}`)).toEqual(['A-B', 'B-A'])
  })

  test('a header announcing other than the units listed, a bad unit line', () => {
    expect(error(() => readWeightsFile('w.gal', enc('3\n1 1\n2\n2 1\n1\n'))).message).toBe('w.gal line 1: the header announces 3 units; the file lists 2')
    expect(error(() => readWeightsFile('w.gal', enc('2\n1 x\n'))).message).toBe('w.gal line 2: expected `id k` (a unit and its number of neighbours), got `1 x`')
    expect(error(() => readWeightsFile('w.gal', enc('2\n1 2\n2\n'))).message).toBe('w.gal line 2: unit `1` announces 2 neighbours; the file ends after 1')
  })
})

describe('GWT', () => {
  test('the knn distances written by R: 192 weighted links', () => {
    const f = readWeightsFile('us_knn4.gwt', readFileSync('test/fixtures/spatial/us_knn4.gwt'))
    expect(f.format).toBe('gwt')
    expect(f.links).toHaveLength(192)
    expect(f.links[0]).toMatchObject({ from: 'ALABAMA', to: 'GEORGIA', line: 2 })
    expect(f.links[0].weight).toBeCloseTo(316.8644, 4)
  })

  test('a non-numeric or negative weight names the line', () => {
    expect(error(() => readWeightsFile('w.gwt', enc('2\na b x\n'))).message).toBe('w.gwt line 2: the weight is not a number: `x`')
    expect(error(() => readWeightsFile('w.gwt', enc('2\na b -1\n'))).message).toBe('w.gwt line 2: the weight is negative: -1')
  })
})

describe('CSV', () => {
  test('long or dense by the header; a long file without `weight` gives 1', () => {
    expect(sniffFormat('w.csv', 'from,to,weight\n')).toBe('long')
    expect(sniffFormat('w.csv', 'id,a,b\n')).toBe('dense')
    expect(sniffFormat('w.txt', 'x', 'gal')).toBe('gal')
    const f = readWeightsFile('w.csv', enc('From;To\na;b\n'))
    expect(f.links).toEqual([{ from: 'a', to: 'b', weight: 1, line: 2 }])
  })

  test('dense: zeros dropped, rows and columns must name the same units', () => {
    const f = readWeightsFile('w.csv', enc(',a,b\na,0,0.5\nb,2,0\n'))
    expect(f.links.map((l) => [l.from, l.to, l.weight])).toEqual([['a', 'b', 0.5], ['b', 'a', 2]])
    expect(error(() => readWeightsFile('w.csv', enc('id,a,b\na,0,1\nc,1,0\n'))).found).toBe('rows without a column: c; columns without a row: b')
  })
})
