import { describe, expect, test } from 'vitest'
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

describe('operations on sparse rows', async () => {
  const ops = await import('../../../src/artifacts/weights.ts')
  const d = (m: ReturnType<typeof sparseFromDense>) => sparseToDense(m).map((r) => Array.from(r))
  const m = sparseFromDense([[0, 2, 2], [1, 0, 0], [0, 0, 0]])

  test('row-standardise (an island stays zero), binarise, row sums, islands, neighbour counts', () => {
    expect(d(ops.rowStandardize(m))).toEqual([[0, 0.5, 0.5], [1, 0, 0], [0, 0, 0]])
    expect(d(ops.binarize(m))).toEqual([[0, 1, 1], [1, 0, 0], [0, 0, 0]])
    expect(Array.from(ops.rowSums(m))).toEqual([4, 1, 0])
    expect(ops.islands(m)).toEqual([2])
    expect(Array.from(ops.neighbourCounts(m))).toEqual([2, 1, 0])
  })

  test('transpose, symmetric links (not values), mixing and reordering', () => {
    expect(d(ops.transpose(m))).toEqual([[0, 1, 0], [2, 0, 0], [2, 0, 0]])
    expect(ops.symmetricLinks(m)).toBe(false)
    expect(ops.symmetricLinks(sparseFromDense([[0, 0.3], [0.9, 0]]))).toBe(true)
    const other = sparseFromDense([[0, 0, 1], [0, 0, 1], [1, 0, 0]])
    expect(d(ops.mixSparse(0.25, m, other))).toEqual([[0, 0.5, 0.5 + 0.75], [0.25, 0, 0.75], [0.75, 0, 0]])
    // New order (2, 0, 1): out[i][j] = m[from[i]][from[j]].
    expect(d(ops.permuteSparse(m, [2, 0, 1]))).toEqual([[0, 0, 0], [2, 0, 2], [0, 1, 0]])
    expect(d(ops.sparseFromRows(2, [[[1, 3], [0, 0]], []]))).toEqual([[0, 3], [0, 0]])
  })
})
