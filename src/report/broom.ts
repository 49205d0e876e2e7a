/**
 * Machine-readable model results in the convention of R's broom (`tidy()`, `glance()`),
 * which R and Python users and nightly checks read instead of the pretty tables.
 *
 *   tidy.csv:   model, term, estimate, std.error, statistic, p.value, conf.low, conf.high
 *   glance.csv: model, nobs, r.squared, adj.r.squared, within.r.squared, df.residual,
 *               n.clusters, logLik, AIC, BIC   (empty cell where a statistic does not apply)
 *
 * Numbers are written in JavaScript's shortest round-trip form, so they read back exactly.
 * ## References  D. Robinson, A. Hayes, S. Couch, broom: Convert Statistical Objects into Tidy Tibbles (R package).
 */
import type { Term } from '../artifacts/model.ts'
import { Frame } from '../artifacts/frame.ts'
import { writeCsv } from '../artifacts/csv.ts'

/** One term of one model: the regression kernel's Term, as broom's tidy() names its columns. */
export type TidyRow = Term

export interface GlanceRow {
  readonly nobs: number
  readonly r2: number
  readonly adjR2: number
  readonly withinR2: number
  readonly dfResidual: number
  /** Clusters of the (first) cluster variable; NaN when not clustered. */
  readonly nClusters: number
  readonly logLik: number
  readonly aic: number
  readonly bic: number
}

export function tidyCsv(models: readonly { readonly model: string; readonly terms: readonly TidyRow[] }[]): string {
  const rows = models.flatMap((m) => m.terms.map((t) => ({ model: m.model, t })))
  const num = (f: (t: TidyRow) => number) => Float64Array.from(rows, (r) => f(r.t))
  return writeCsv(
    Frame.from({
      model: rows.map((r) => r.model),
      term: rows.map((r) => r.t.term),
      estimate: num((t) => t.estimate),
      'std.error': num((t) => t.stdError),
      statistic: num((t) => t.statistic),
      'p.value': num((t) => t.pValue),
      'conf.low': num((t) => t.confLow),
      'conf.high': num((t) => t.confHigh),
    }),
  )
}

export function glanceCsv(models: readonly { readonly model: string; readonly glance: GlanceRow }[]): string {
  const num = (f: (g: GlanceRow) => number) => Float64Array.from(models, (m) => f(m.glance))
  return writeCsv(
    Frame.from({
      model: models.map((m) => m.model),
      nobs: num((g) => g.nobs),
      'r.squared': num((g) => g.r2),
      'adj.r.squared': num((g) => g.adjR2),
      'within.r.squared': num((g) => g.withinR2),
      'df.residual': num((g) => g.dfResidual),
      'n.clusters': num((g) => g.nClusters),
      logLik: num((g) => g.logLik),
      AIC: num((g) => g.aic),
      BIC: num((g) => g.bic),
    }),
  )
}
