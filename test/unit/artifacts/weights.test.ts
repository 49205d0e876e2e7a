import { expect, test } from 'vitest'
import { deserializeWeights, isWeights, serializeWeights, sparseFromDense, sparseToDense, spatialLag, type Weights } from '../../../src/artifacts/weights.ts'

const dense = [
  [0, 0.5, 0.5],
  [1, 0, 0],
  [0.25, 0.75, 0],
]

test('sparse rows keep the non-zeros in column order and give back the dense matrix', () => {
  const m = sparseFromDense(dense)
  expect(Array.from(m.rowStart)).toEqual([0, 2, 3, 5])
  expect(Array.from(m.cols)).toEqual([1, 2, 0, 0, 1])
  expect(sparseToDense(m).map((r) => Array.from(r))).toEqual(dense)
})

test('the spatial lag is W x', () => {
  const y = spatialLag(sparseFromDense(dense), [1, 2, 4])
  expect(Array.from(y)).toEqual([3, 1, 1.75])
})

test('serialised weights read back equal, with the mixing weight of each candidate, and the bytes are stable', () => {
  const w: Weights = {
    units: ['a', 'b', 'c'],
    style: 'row',
    description: 'test',
    candidates: [
      { label: 'a = 0', a: 0, matrix: sparseFromDense(dense) },
      { label: 'a = 1', a: 1, matrix: sparseFromDense([[0, 1, 0], [0.5, 0, 0.5], [0, 1, 0]]) },
    ],
  }
  const bytes = new TextEncoder().encode(serializeWeights(w))
  const back = deserializeWeights(bytes)
  expect(isWeights(back)).toBe(true)
  expect(back.candidates.map((c) => c.a)).toEqual([0, 1])
  expect(sparseToDense(back.candidates[1].matrix).map((r) => Array.from(r))).toEqual([[0, 1, 0], [0.5, 0, 0.5], [0, 1, 0]])
  expect(serializeWeights(back)).toBe(serializeWeights(w))
})

test('a matrix whose size is not the number of units is not weights', () => {
  const m = sparseFromDense(dense)
  expect(isWeights({ units: ['a', 'b'], style: 'row', description: '', candidates: [{ label: 'W', matrix: m }] })).toBe(false)
  expect(isWeights({ units: ['a', 'b', 'c'], style: 'row', description: '', candidates: [] })).toBe(false)
})
