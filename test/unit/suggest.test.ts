import { expect, test } from 'vitest'
import { osaDistance, suggest } from '../../src/suggest.ts'

test('suggests the nearest name within a typo distance, and nothing when far', () => {
  expect(suggest('control', ['controls', 'cluster', 'outcome'])).toBe('controls')
  expect(suggest('gpd', ['gdp', 'gie'])).toBe('gdp')
  expect(suggest('claster', ['cluster', 'controls'])).toBe('cluster')
  expect(suggest('xyz', ['controls', 'cluster'])).toBeUndefined()
  expect(osaDistance('ab', 'ba')).toBe(1)
  expect(osaDistance('kitten', 'sitting')).toBe(3)
})

/** The search as it was before pruning: every candidate, full distances. */
function suggestBrute(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestD = Infinity
  for (const c of candidates) {
    const d = osaDistance(word.toLowerCase(), c.toLowerCase())
    if (d < bestD || (d === bestD && best !== undefined && c < best)) {
      best = c
      bestD = d
    }
  }
  if (best === undefined) return undefined
  return bestD <= Math.max(1, Math.floor(Math.max(word.length, best.length) / 3)) ? best : undefined
}

test('the pruned search gives the same answer as the full one (seeded random words)', () => {
  let s = 7
  const rnd = (k: number) => ((s = (s * 1103515245 + 12345) % 2147483648) % k)
  const wordOf = () => Array.from({ length: 1 + rnd(9) }, () => 'abcdeAB_'[rnd(8)]).join('')
  for (let trial = 0; trial < 400; trial++) {
    const candidates = Array.from({ length: rnd(40) }, wordOf)
    const w = wordOf()
    expect(suggest(w, candidates), `${w} in ${candidates.join(',')}`).toBe(suggestBrute(w, candidates))
  }
  // The bounded distance is exact up to its bound and above it otherwise.
  for (let trial = 0; trial < 400; trial++) {
    const a = wordOf(), b = wordOf(), max = rnd(5)
    const d = osaDistance(a, b)
    const bounded = osaDistance(a, b, max)
    expect(d <= max ? bounded === d : bounded > max, `${a} ${b} ${max}`).toBe(true)
  }
})
