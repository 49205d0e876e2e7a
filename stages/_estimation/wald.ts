/**
 * Joint Wald test that a set of coefficients is zero, in its F form:
 *   F = (b' V⁻¹ b) / q,   b the q coefficients, V their block of the covariance matrix
 * (the same robust or clustered V as the standard errors). With clustered errors the
 * reference distribution is F(q, G − 1), as Stata's `test` after reghdfe and fixest's
 * `wald()` use. A thin call of the kernel's general test of R β = r
 * (src/stats/ols/hypothesis.ts), with R the rows of the identity for the named terms.
 * ## References  Wooldridge (2010), Econometric Analysis of Cross Section and Panel Data, §4.2.3.
 */
import { waldTest as linearWald } from '../../src/stats/ols/hypothesis.ts'
import type { RegressionResult } from '../../src/stats/ols/types.ts'

export function waldTest(r: RegressionResult, names: readonly string[]): { f: number; df1: number } {
  const idx = names.map((n) => r.terms.findIndex((t) => t.term === n)).filter((i) => i >= 0)
  if (idx.length === 0) return { f: NaN, df1: 0 }
  const R = idx.map((i) => r.terms.map((_, j) => (j === i ? 1 : 0)))
  const w = linearWald(r, R, new Array<number>(idx.length).fill(0))
  return { f: w.F, df1: w.q }
}

/** Solve A x = y (A small, symmetric positive definite in practice); NaN if singular. */
export function solve(a: number[][], y: number[]): number[] {
  const n = y.length
  const m = a.map((row, i) => [...row, y[i]])
  for (let c = 0; c < n; c++) {
    let piv = c
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r
    if (!(Math.abs(m[piv][c]) > 0)) return new Array(n).fill(NaN)
    ;[m[c], m[piv]] = [m[piv], m[c]]
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c]
      for (let j = c; j <= n; j++) m[r][j] -= f * m[c][j]
    }
  }
  const x = new Array<number>(n)
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i][n]
    for (let j = i + 1; j < n; j++) s -= m[i][j] * x[j]
    x[i] = s / m[i][i]
  }
  return x
}
