/** Eigenvalues, log-determinants and traces of weights matrices, against direct dense computations. */
import { describe, expect, test } from 'vitest'
import { EigenvalueDecomposition, Matrix, LuDecomposition, inverse } from 'ml-matrix'
import { sparseFromDense } from '../../../../src/artifacts/weights.ts'
import { logDet, spectrum, traceSum } from '../../../../src/stats/spatial/spectrum.ts'
import { expectClose } from '../helpers.ts'
import { wQueen } from './fixture.ts'

/** A small asymmetric W with complex eigenvalues (a directed ring plus a chord), row-standardized. */
const ring = Array.from({ length: 7 }, (_, i) => { const r = new Float64Array(7); r[(i + 1) % 7] = 1; if (i === 2) r[5] = 0.5; const s = r.reduce((a, b) => a + b, 0); return r.map((v) => v / s) })

describe('spectrum', () => {
  test('row-standardized contiguity takes the symmetric route and matches the general decomposition', () => {
    const s = spectrum(wQueen)
    expect(s.method).toBe('symmetric')
    expect(s.rowStochastic).toBe(true)
    const dense = Array.from({ length: wQueen.n }, () => new Array<number>(wQueen.n).fill(0))
    for (let i = 0; i < wQueen.n; i++) for (let k = wQueen.rowStart[i]; k < wQueen.rowStart[i + 1]; k++) dense[i][wQueen.cols[k]] = wQueen.values[k]
    const ref = new EigenvalueDecomposition(new Matrix(dense)).realEigenvalues.sort((a, b) => a - b)
    Array.from(s.re).forEach((v, i) => expect(Math.abs(v - ref[i])).toBeLessThan(1e-12))
    expect(Math.max(...s.re)).toBeCloseTo(1, 12)
  })

  test('an asymmetric W with complex eigenvalues: log-det and traces equal dense LU and inverse', () => {
    const w = sparseFromDense(ring)
    const s = spectrum(w)
    expect(s.method).toBe('general')
    expect(s.im.some((v) => Math.abs(v) > 0.1)).toBe(true)
    for (const rho of [-0.6, 0.2, 0.7]) {
      const A = Matrix.eye(7).sub(new Matrix(ring.map((r) => Array.from(r))).mul(rho))
      expectClose(logDet(s, rho), Math.log(Math.abs(new LuDecomposition(A).determinant)), { rel: 1e-12, abs: 1e-13 }, `logdet ${rho}`)
      const Ai = inverse(A)
      const WA = new Matrix(ring.map((r) => Array.from(r))).mmul(Ai)
      expectClose(traceSum(s, rho, 0, 1), Ai.trace(), { rel: 1e-12 }, `tr A⁻¹ ${rho}`)
      expectClose(traceSum(s, rho, 1, 1), WA.trace(), { rel: 1e-12, abs: 1e-13 }, `tr WA⁻¹ ${rho}`)
      expectClose(traceSum(s, rho, 2, 2), WA.mmul(WA).trace(), { rel: 1e-12, abs: 1e-13 }, `tr (WA⁻¹)² ${rho}`)
    }
  })
})

test('the general route (Hessenberg + QR) equals ml-matrix on an asymmetric 60 × 60 matrix with complex pairs', async () => {
  const { generalEigenvalues } = await import('../../../../src/stats/spatial/hqr.ts')
  const n = 60
  const m = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let j = 0; j < n; j++) if (i !== j) { const v = ((Math.sin(i * 7.1 + j * 3.3) + 1.2) * (j % 5 === 0 ? 2 : 1)) / (1 + Math.abs(i - j)); m[i * n + j] = v; s += v }
    for (let j = 0; j < n; j++) m[i * n + j] /= s
  }
  const g = generalEigenvalues(m, n)!
  const e = new EigenvalueDecomposition(new Matrix(Array.from({ length: n }, (_, i) => Array.from(m.subarray(i * n, (i + 1) * n)))))
  const key = (re: ArrayLike<number>, im: ArrayLike<number>) => Array.from(re, (r, i) => [r, im[i]]).sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const A = key(g.re, g.im), B = key(e.realEigenvalues, e.imaginaryEigenvalues)
  expect(A.filter((x) => x[1] !== 0).length).toBeGreaterThan(10)
  for (let i = 0; i < n; i++) { expect(Math.abs(A[i][0] - B[i][0])).toBeLessThan(1e-12); expect(Math.abs(A[i][1] - B[i][1])).toBeLessThan(1e-12) }
})
