/**
 * Facts of a table of models, for `expect:` lines. The expectation grammar reads one
 * `name(args)` per fact (src/pipeline/expect.ts, whitespace removed), so a column is named
 * by its position: `coef(did, 2)` is the `did` estimate in column 2 (1-based), and with
 * panels `coef(did, 2, 1)` is panel 2, column 1. `coefplot` names its rows the same way.
 */
import type { Model } from '../../src/artifacts/model.ts'

/** Facts of one column: `coef(t,j)`, `se(t,j)`, `t(t,j)`, `p(t,j)` for every term, and `nobs(j)`, `r2(j)`, `adj_r2(j)`, `within_r2(j)`, `n_clusters(j)`. */
export function columnFacts(m: Model, at: string): Record<string, number> {
  const facts: Record<string, number> = { [`nobs(${at})`]: m.nobs, [`r2(${at})`]: m.fit.r2, [`adj_r2(${at})`]: m.fit.adjR2 }
  if (Number.isFinite(m.fit.withinR2)) facts[`within_r2(${at})`] = m.fit.withinR2
  if (m.nClusters.length) facts[`n_clusters(${at})`] = Math.min(...m.nClusters)
  for (const t of m.terms) {
    facts[`coef(${t.term},${at})`] = t.estimate
    facts[`se(${t.term},${at})`] = t.stdError
    facts[`t(${t.term},${at})`] = t.statistic
    facts[`p(${t.term},${at})`] = t.pValue
  }
  return facts
}

/** Facts of a table: `columns`, and with panels `panels`; then every column's facts. */
export function tableFacts(sections: readonly (readonly Model[])[], panels: boolean): Record<string, number> {
  const facts: Record<string, number> = { columns: sections[0].length }
  if (panels) facts.panels = sections.length
  sections.forEach((models, p) => models.forEach((m, j) => Object.assign(facts, columnFacts(m, panels ? `${p + 1},${j + 1}` : `${j + 1}`))))
  return facts
}

