/**
 * Tests of equal means that assume neither equal variances nor equal group sizes, and the
 * Pearson correlation with its t test: the comparisons a descriptive table prints.
 *
 * ## Welch's two-sample t test (R `t.test(var.equal = FALSE)`)
 *   d = x̄_b − x̄_a,  se = √(s_a²/n_a + s_b²/n_b),  t = d / se,
 *   ν = (s_a²/n_a + s_b²/n_b)² / [ (s_a²/n_a)²/(n_a − 1) + (s_b²/n_b)²/(n_b − 1) ]
 * (Welch–Satterthwaite), p = 2 P(T_ν ≤ −|t|). Note the order: b − a (R reports a − b).
 *
 * ## Welch's test of k ≥ 2 equal means (R `oneway.test(var.equal = FALSE)`)
 *   w_j = n_j / s_j²,  W = Σ w_j,  x̃ = Σ w_j x̄_j / W,
 *   A = Σ (1 − w_j/W)² / (n_j − 1),
 *   F = [Σ w_j (x̄_j − x̃)² / (k − 1)] / [1 + 2(k − 2) A / (k² − 1)],
 *   on k − 1 and (k² − 1) / (3A) degrees of freedom. With k = 2, F = t².
 *
 * ## Pearson correlation (R `cor`, `cor.test`)
 *   r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²) on the rows where both are present,
 *   t = r √((n − 2)/(1 − r²)), p = 2 P(T_{n−2} ≤ −|t|).
 *
 * ## References
 * B. L. Welch (1947), "The generalization of 'Student's' problem when several different
 *   population variances are involved", Biometrika 34(1/2), 28–35.
 * B. L. Welch (1951), "On the comparison of several mean values: an alternative approach",
 *   Biometrika 38(3/4), 330–336.
 * R Core Team, `?t.test`, `?oneway.test`, `?cor.test` (stats package).
 */
import { fPValue, tPValue } from '../dist.ts'
import { mean } from './summary.ts'

/** What a group contributes: its size, mean and SD (n − 1). */
export interface GroupMoments {
  readonly n: number
  readonly mean: number
  readonly sd: number
}

export interface WelchT {
  /** x̄_b − x̄_a. */
  readonly difference: number
  readonly stdError: number
  readonly statistic: number
  readonly df: number
  readonly pValue: number
}

/** Welch's t test of b − a; NaN throughout when a group has fewer than 2 values. */
export function welchT(a: GroupMoments, b: GroupMoments): WelchT {
  const difference = b.mean - a.mean
  if (a.n < 2 || b.n < 2) return { difference, stdError: NaN, statistic: NaN, df: NaN, pValue: NaN }
  const va = (a.sd * a.sd) / a.n, vb = (b.sd * b.sd) / b.n
  const stdError = Math.sqrt(va + vb)
  const statistic = difference / stdError
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1))
  return { difference, stdError, statistic, df, pValue: tPValue(statistic, df) }
}

export interface WelchF {
  readonly statistic: number
  readonly df1: number
  readonly df2: number
  readonly pValue: number
}

/** Welch's heteroskedastic one-way test of equal means; NaN when a group has < 2 values or no variance. */
export function welchAnova(groups: readonly GroupMoments[]): WelchF {
  const k = groups.length
  if (k < 2 || groups.some((g) => g.n < 2 || !(g.sd > 0))) return { statistic: NaN, df1: k - 1, df2: NaN, pValue: NaN }
  const w = groups.map((g) => g.n / (g.sd * g.sd))
  const W = w.reduce((s, x) => s + x, 0)
  const centre = groups.reduce((s, g, j) => s + w[j] * g.mean, 0) / W
  const A = groups.reduce((s, g, j) => s + (1 - w[j] / W) ** 2 / (g.n - 1), 0)
  const between = groups.reduce((s, g, j) => s + w[j] * (g.mean - centre) ** 2, 0) / (k - 1)
  const statistic = between / (1 + (2 * (k - 2) * A) / (k * k - 1))
  const df1 = k - 1, df2 = (k * k - 1) / (3 * A)
  return { statistic, df1, df2, pValue: fPValue(statistic, df1, df2) }
}

export interface Correlation {
  readonly r: number
  /** Rows where both variables are present. */
  readonly n: number
  readonly statistic: number
  readonly pValue: number
}

/** Pearson's r on pairwise complete rows, with the t test of r = 0 (n − 2 df). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): Correlation {
  const xs: number[] = [], ys: number[] = []
  for (let i = 0; i < x.length; i++) {
    if (x[i] === x[i] && y[i] === y[i]) { xs.push(x[i]); ys.push(y[i]) }
  }
  const n = xs.length
  const mx = mean(xs), my = mean(ys)
  let sxy = 0, sxx = 0, syy = 0
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx, dy = ys[i] - my
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  const r = n < 2 ? NaN : Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)))
  if (!(n > 2) || Number.isNaN(r)) return { r, n, statistic: NaN, pValue: NaN }
  const statistic = Math.abs(r) === 1 ? Math.sign(r) * Infinity : r * Math.sqrt((n - 2) / (1 - r * r))
  return { r, n, statistic, pValue: Math.abs(r) === 1 ? 0 : tPValue(statistic, n - 2) }
}
