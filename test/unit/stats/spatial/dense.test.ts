/** The dense helpers of the spatial kernels: the in-place Gauss–Jordan inverse (with row exchanges), the Cholesky inverse and Cholesky solves. */
import { expect, test } from 'vitest'
import { cholesky, cholSolve, invert, spdInverse, spdInverseInPlace } from '../../../../src/stats/spatial/dense.ts'

test('invert: A·A⁻¹ = I on a matrix that needs row exchanges; a singular matrix gives undefined', () => {
  const n = 40
  const a = Float64Array.from({ length: n * n }, (_, i) => Math.sin(i * 1.7) + (i % (n + 1) === 0 ? 0.1 : 0))
  a[0] = 0 // the first pivot must come from another row
  const inv = invert(a, n)!
  let err = 0
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0
    for (let k = 0; k < n; k++) s += a[i * n + k] * inv[k * n + j]
    err = Math.max(err, Math.abs(s - (i === j ? 1 : 0)))
  }
  expect(err).toBeLessThan(1e-10)
  const sing = Float64Array.from([1, 2, 2, 4])
  expect(invert(sing, 2)).toBeUndefined()
})

test('Cholesky solve and SPD inverse', () => {
  const a = [4, 2, 0.6, 2, 5, 1, 0.6, 1, 3]
  const l = cholesky(a, 3)!
  const x = cholSolve(l, 3, [1, 2, 3])
  for (let i = 0; i < 3; i++) expect(Math.abs(a[i * 3] * x[0] + a[i * 3 + 1] * x[1] + a[i * 3 + 2] * x[2] - (i + 1))).toBeLessThan(1e-14)
  const v = spdInverse(a, 3)!
  expect(Math.abs(a[0] * v[0] + a[1] * v[3] + a[2] * v[6] - 1)).toBeLessThan(1e-14)
  expect(cholesky([1, 2, 2, 1], 2)).toBeUndefined()
})

test('spdInverseInPlace: equals Gauss–Jordan on an SPD matrix, reads only the lower triangle; an indefinite matrix gives undefined', () => {
  // odd and even sizes, and sizes around the unrolling widths (two rows, four partial sums)
  for (const n of [1, 2, 3, 5, 6, 7, 49, 50]) spdCase(n)
  expect(spdInverseInPlace(Float64Array.from([1, 2, 2, 1]), 2)).toBeUndefined()
})

function spdCase(n: number) {
  // M = I − 0.4·S with S symmetric, spectral radius < 1: positive definite
  const s = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) s[i * n + j] = s[j * n + i] = Math.abs(Math.sin(i * 3.1 + j * 0.7)) / n
  const m = s.map((v, k) => (k % (n + 1) === 0 ? 1 : 0) - 0.4 * v)
  const gj = invert(m, n)!
  const lower = m.map((v, k) => (k % n > Math.floor(k / n) ? NaN : v)) // the upper triangle must not be read
  const ch = spdInverseInPlace(lower, n)!
  let err = 0
  for (let k = 0; k < n * n; k++) err = Math.max(err, Math.abs(ch[k] - gj[k]))
  expect(err, `n = ${n}`).toBeLessThan(1e-13)
}
