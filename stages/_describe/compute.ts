/**
 * describe's numbers, before any layout: summaries per variable (overall and per group), the
 * tests of equal group means, the correlation matrix and the variance inflation factors.
 * Formulas: src/stats/describe/ and docs/methods.md ("Descriptive statistics").
 */
import { Frame, numberColumn, type Column } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { QuantileDefinition } from '../../src/expr/quantile.ts'
import { summarize, type Summary } from '../../src/stats/describe/summary.ts'
import { pearson, welchAnova, welchT, type Correlation } from '../../src/stats/describe/tests.ts'
import { varianceInflation, type VifResult } from '../../src/stats/describe/vif.ts'
import { regress } from '../../src/stats/ols/regress.ts'
import type { Grouping } from './sample.ts'

export interface Variable {
  readonly name: string
  /** Its group (role), when the stage has `groups`. */
  readonly role?: string
  readonly label: string
  readonly data: Float64Array
}

/** A test of equal means across the groups: a t test for two groups, an F test for more. */
export interface MeansTest {
  readonly statistic: number
  /** Numerator df of an F test (NaN for a t test). */
  readonly df1: number
  /** The t test's df, or the F test's denominator df. */
  readonly df2: number
  readonly pValue: number
}

export interface ClusteredTest extends MeansTest {
  /** Standard error of the difference (two groups). */
  readonly stdError: number
  readonly clusters: number
}

export interface Comparison {
  /** Mean of the second group minus the first (two groups only; NaN otherwise). */
  readonly difference: number
  readonly welch: MeansTest
  readonly clustered?: ClusteredTest
}

export interface Described {
  readonly variable: Variable
  readonly overall: Summary
  /** One summary per group of `by`, in the groups' order. */
  readonly groups?: readonly Summary[]
  readonly comparison?: Comparison
}

export function describeVariable(v: Variable, def: QuantileDefinition, grouping?: Grouping): Omit<Described, 'comparison'> {
  const overall = summarize(v.data, def)
  if (!grouping) return { variable: v, overall }
  const parts = grouping.levels.map(() => [] as number[])
  for (let i = 0; i < v.data.length; i++) {
    const g = grouping.index[i]
    if (g >= 0) parts[g].push(v.data[i])
  }
  return { variable: v, overall, groups: parts.map((x) => summarize(x, def)) }
}

/** Welch's test from the group summaries: t for two groups (second − first), F for more. */
export function welchTest(groups: readonly Summary[]): { difference: number; welch: MeansTest } {
  if (groups.length === 2) {
    const t = welchT(groups[0], groups[1])
    return { difference: t.difference, welch: { statistic: t.statistic, df1: NaN, df2: t.df, pValue: t.pValue } }
  }
  const f = welchAnova(groups)
  return { difference: NaN, welch: { statistic: f.statistic, df1: f.df1, df2: f.df2, pValue: f.pValue } }
}

/**
 * The clustered test of equal means: OLS of the variable on an intercept and dummies for
 * groups 2…k, CR1 standard errors clustered by `cluster` (G/(G − 1)·(N − 1)/(N − k)), and the
 * t test of the dummy (two groups; its coefficient is the difference in means) or the Wald F
 * of all dummies, each with G − 1 denominator degrees of freedom. NaN, with `why`, when the
 * regression cannot be run (a group without values, one cluster).
 */
export function clusteredTest(y: Float64Array, grouping: Grouping, cluster: Column): ClusteredTest | { why: string } {
  const k = grouping.levels.length
  const cols: [string, Column][] = [['y', numberColumn(y)], ['cluster', cluster]]
  for (let j = 1; j < k; j++) cols.push([`g${j}`, numberColumn(Float64Array.from(grouping.index, (g) => (g < 0 ? NaN : g === j ? 1 : 0)))])
  const regressors = cols.slice(2).map(([n]) => n)
  try {
    const r = regress(new Frame(cols), { outcome: 'y', regressors, cluster: ['cluster'], vcov: 'cluster', smallSample: 'nested' })
    const clusters = r.nClusters[0]
    if (k === 2) {
      const t = r.terms.find((x) => x.term === 'g1')
      if (!t) return { why: 'a group has no values' }
      return { statistic: t.statistic, df1: NaN, df2: r.dfT, pValue: t.pValue, stdError: t.stdError, clusters }
    }
    if (r.collinear.length) return { why: 'a group has no values' }
    return { statistic: r.fStat, df1: r.fDf1, df2: r.fDf2, pValue: r.fPValue, stdError: NaN, clusters }
  } catch (err) {
    if (!(err instanceof QuasiError) || err.code === 'INTERNAL' || err.code === 'CANCELLED') throw err
    return { why: err.message }
  }
}

export interface CorrelationMatrix {
  readonly names: readonly string[]
  /** Row-major m × m, the diagonal r = 1 with n the variable's own count. */
  readonly cells: readonly Correlation[]
}

export function correlationMatrix(vars: readonly Variable[]): CorrelationMatrix {
  const m = vars.length
  const cells: Correlation[] = new Array(m * m)
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      const c = i === j ? { ...pearson(vars[i].data, vars[i].data), r: 1, statistic: NaN, pValue: NaN } : pearson(vars[i].data, vars[j].data)
      cells[i * m + j] = c
      cells[j * m + i] = c
    }
  }
  return { names: vars.map((v) => v.name), cells }
}

export function vifOf(vars: readonly Variable[]): VifResult {
  return varianceInflation(vars.map((v) => ({ name: v.name, data: v.data })))
}
