import { describe, expect, test } from 'vitest'
import { canonicalJson, sha256 } from '../../../src/cache/canonical.ts'
import { stageKey, CACHE_FORMAT, type KeyMaterial } from '../../../src/cache/key.ts'

describe('canonicalJson', () => {
  test('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}')
  })
  test('numbers in shortest round-trip form', () => {
    expect(canonicalJson([0.1 + 0.2, 1e21, -0, 5e-324])).toBe('[0.30000000000000004,1e+21,0,5e-324]')
  })
  test('refuses non-finite numbers for keys, nulls them for results', () => {
    expect(() => canonicalJson({ a: [1, NaN] })).toThrow(/non-finite number at \$\.a\[1\]/)
    expect(canonicalJson({ a: [1, NaN, Infinity] }, { nonFinite: 'null' })).toBe('{"a":[1,null,null]}')
  })
  test('sha256 of known text', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})

describe('stage keys', () => {
  const base: KeyMaterial = { format: CACHE_FORMAT, kind: 'did', version: 1, params: { a: 1, b: [1, 2] }, inputs: { 'stage:x': 'd1' }, seed: null }
  test('the same material in any key order gives the same key', () => {
    const shuffled: KeyMaterial = { seed: null, inputs: { 'stage:x': 'd1' }, params: { b: [1, 2], a: 1 }, version: 1, kind: 'did', format: CACHE_FORMAT }
    expect(stageKey(shuffled)).toBe(stageKey(base))
  })
  test('every part of the material changes the key', () => {
    const k = stageKey(base)
    expect(stageKey({ ...base, version: 2 })).not.toBe(k)
    expect(stageKey({ ...base, params: { a: 2, b: [1, 2] } })).not.toBe(k)
    expect(stageKey({ ...base, params: { a: 1, b: [2, 1] } })).not.toBe(k)
    expect(stageKey({ ...base, inputs: { 'stage:x': 'd2' } })).not.toBe(k)
    expect(stageKey({ ...base, seed: 'abc' })).not.toBe(k)
    expect(stageKey({ ...base, kind: 'placebo' })).not.toBe(k)
  })
})
