import { describe, expect, test } from 'vitest'
import { deaData } from '../../../../src/stats/dea/data.ts'
import { dominatedOnlyBy, dominates, nondominated, pricingSets } from '../../../../src/stats/dea/dominance.ts'
import { frontierGroups } from '../../../../src/stats/dea/frontier.ts'
import { Rng } from '../../../../src/stats/rng.ts'

function randomData(seed: string, n: number) {
  const rng = new Rng(['dominance', seed])
  // coarse integer values so that ties and exact duplicates occur
  const row = (k: number) => Array.from({ length: k }, () => 1 + rng.int(6))
  return deaData(
    Array.from({ length: n }, () => row(2)),
    Array.from({ length: n }, () => row(2)),
    Array.from({ length: n }, () => row(1)),
  )
}

describe('dominance', () => {
  test('dominates: ≤ inputs and bad outputs, ≥ good outputs, one strict', () => {
    const data = deaData([[1, 2], [1, 2], [2, 2]], [[3], [3], [3]], [[1], [1], [1]])
    expect(dominates(data, 0, 1)).toBe(false) // identical twins do not dominate each other
    expect(dominates(data, 0, 2)).toBe(true)
    expect(dominates(data, 2, 0)).toBe(false)
    const bad = deaData([[1], [1]], [[1], [1]], [[1], [2]])
    expect(dominates(bad, 0, 1)).toBe(true) // less pollution with the same input and good output
  })

  test('the sort-filter skyline equals the brute-force nondominated set', () => {
    for (const seed of ['a', 'b', 'c']) {
      const data = randomData(seed, 150)
      const all = Int32Array.from({ length: data.n }, (_, j) => j)
      const brute = all.filter((k) => !all.some((j) => j !== k && dominates(data, j, k)))
      expect(Array.from(nondominated(data, all))).toEqual(Array.from(brute))
    }
  })

  test('dominatedOnlyBy: the DMUs that become nondominated once o is removed', () => {
    const data = randomData('only', 120)
    const all = Int32Array.from({ length: data.n }, (_, j) => j)
    const nd = nondominated(data, all)
    for (const o of nd) {
      const without = all.filter((j) => j !== o)
      const ndWithout = new Set(nondominated(data, without))
      const extra = new Set(dominatedOnlyBy(data, o, all, nd))
      // every DMU nondominated without o is in the priced set (nd \ {o}) ∪ extra
      for (const k of ndWithout) expect(nd.includes(k) || extra.has(k), `DMU ${k} without ${o}`).toBe(true)
    }
  })

  test('sequential pricing sets built incrementally equal the direct ones', () => {
    const data = randomData('seq', 200)
    const period = Int32Array.from({ length: data.n }, (_, j) => j % 5)
    const refs = frontierGroups(period, 5, 'sequential').map((g) => g.ref)
    const inc = pricingSets(data, refs, true)
    refs.forEach((r, t) => expect(Array.from(inc[t]), `year ${t}`).toEqual(Array.from(nondominated(data, r))))
  })
})
