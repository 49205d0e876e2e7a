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
