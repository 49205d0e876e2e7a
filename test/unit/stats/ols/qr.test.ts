import { expect, test } from 'vitest'
import { Matrix, inverse, solve } from 'ml-matrix'
import { COLLINEAR_TOL, leastSquaresQr } from '../../../../src/stats/ols/qr.ts'
import { Rng } from '../../../../src/stats/rng.ts'
import { expectClose } from '../helpers.ts'

/** Well-conditioned 200 × 4 problem: QR and the normal equations agree to ~1e-13. */
const LS_TOL = { rel: 1e-11 }

function problem(seed: string) {
  const rng = new Rng([seed])
  const n = 200
  const cols = Array.from({ length: 4 }, () => Float64Array.from({ length: n }, () => rng.normal()))
  const y = Float64Array.from({ length: n }, (_, i) => 1 + 2 * cols[0][i] - cols[1][i] + 0.5 * cols[3][i] + rng.normal())
  return { n, cols, y }
}

const norm = (x: Float64Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0))

test('coefficients and (X\'X)⁻¹ match the normal equations', () => {
  const { n, cols, y } = problem('qr-basic')
  const X = new Matrix(n, 4)
  cols.forEach((c, j) => c.forEach((v, i) => X.set(i, j, v)))
  const Y = Matrix.columnVector(Array.from(y))
  const xtx = X.transpose().mmul(X)
  const want = solve(xtx, X.transpose().mmul(Y))
  const wantInv = inverse(xtx)
  const fit = leastSquaresQr(cols.map((c) => c.slice()), y.slice(), cols.map(norm))
  expect(fit.kept).toEqual([0, 1, 2, 3])
  for (let j = 0; j < 4; j++) {
    expectClose(fit.coef[j], want.get(j, 0), LS_TOL, `β${j}`)
    for (let k = 0; k < 4; k++) expectClose(fit.xtxInv[j * 4 + k], wantInv.get(j, k), { rel: 1e-10, abs: 1e-16 }, `inv ${j},${k}`)
  }
})

test('a column that is a combination of earlier ones is dropped, later ones kept', () => {
  const { cols, y } = problem('qr-collinear')
  const combo = cols[0].map((v, i) => 3 * v - cols[2][i])
  const withCombo = [cols[0], cols[1], cols[2], combo, cols[3]]
  const fit = leastSquaresQr(withCombo.map((c) => c.slice()), y.slice(), withCombo.map(norm))
  expect(fit.dropped).toEqual([3])
  expect(fit.kept).toEqual([0, 1, 2, 4])
  const ref = leastSquaresQr(cols.map((c) => c.slice()), y.slice(), cols.map(norm))
  for (let j = 0; j < 4; j++) expectClose(fit.coef[j], ref.coef[j], LS_TOL, `β${j}`)
})

test('the reference norm catches a column the fixed effects have explained away', () => {
  const { cols, y } = problem('qr-fe')
  // After absorption a time-invariant regressor is rounding noise around zero.
  const residue = cols[0].map((v) => v * 1e-15)
  const fit = leastSquaresQr([cols[1].slice(), residue], y.slice(), [norm(cols[1]), 1000])
  expect(fit.dropped).toEqual([1])
  // Independent variation a thousand times above the tolerance is kept.
  const small = cols[0].map((v) => v * COLLINEAR_TOL * 1000)
  const fit2 = leastSquaresQr([cols[1].slice(), small], y.slice(), [norm(cols[1]), norm(cols[0])])
  expect(fit2.kept).toEqual([0, 1])
})

test('an all-zero column is dropped, not divided by', () => {
  const { cols, y } = problem('qr-zero')
  const fit = leastSquaresQr([new Float64Array(y.length), cols[0].slice()], y.slice(), [0, norm(cols[0])])
  expect(fit.dropped).toEqual([0])
  expect(Number.isFinite(fit.coef[0])).toBe(true)
})
