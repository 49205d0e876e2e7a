import { describe, expect, test } from 'vitest'
import { frontierGroups } from '../../../../src/stats/dea/frontier.ts'

// 3 units × 4 years, DMU j = unit·4 + year; DMU 5 (unit 1, year 1) is left out
const period = Int32Array.from({ length: 12 }, (_, j) => (j === 5 ? -1 : j % 4))

describe('frontierGroups', () => {
  test('global: one reference set of every DMU', () => {
    const g = frontierGroups(period, 4, 'global')
    expect(g).toHaveLength(1)
    expect(Array.from(g[0].ref)).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11])
    expect(Array.from(g[0].evaluate)).toEqual(Array.from(g[0].ref))
  })

  test('contemporaneous: one per year', () => {
    const g = frontierGroups(period, 4, 'contemporaneous', 3, ['2015', '2016', '2017', '2018'])
    expect(g.map((x) => x.label)).toEqual(['2015', '2016', '2017', '2018'])
    expect(Array.from(g[1].ref)).toEqual([1, 9])
  })

  test('sequential: the year and every earlier year; only that year is evaluated', () => {
    const g = frontierGroups(period, 4, 'sequential')
    expect(Array.from(g[2].ref)).toEqual([0, 1, 2, 4, 6, 8, 9, 10])
    expect(Array.from(g[2].evaluate)).toEqual([2, 6, 10])
  })

  test('window: every run of k consecutive years; k beyond the panel is one window', () => {
    const g = frontierGroups(period, 4, 'window', 3)
    expect(g).toHaveLength(2)
    expect(Array.from(g[0].ref)).toEqual([0, 1, 2, 4, 6, 8, 9, 10])
    expect(Array.from(g[1].evaluate)).toEqual([1, 2, 3, 6, 7, 9, 10, 11])
    expect(frontierGroups(period, 4, 'window', 9)).toHaveLength(1)
    expect(() => frontierGroups(period, 4, 'window', 0)).toThrow(/window must be an integer >= 1/)
  })
})
