/**
 * suest over separately fitted models of one estimation table (heterogeneity's group
 * models, policy-mix's columns): each model's scores (src/stats/heterogeneity/scores.ts)
 * with one cluster coding for all of them, the codes of the table's cluster column (or one
 * per row without clustering), stacked into their joint covariance
 * (src/stats/heterogeneity/suest.ts). One-way clustering only: the caller rules out two.
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { modelScores } from '../../src/stats/heterogeneity/scores.ts'
import { suestVcov, type SuestModel, type SuestVcov } from '../../src/stats/heterogeneity/suest.ts'
import { factorOfName } from '../../src/stats/ols/regress.ts'
import type { RegressionResult, RegressionSpec } from '../../src/stats/ols/types.ts'
import type { EstimationSpec } from './spec.ts'

export interface SuestFit {
  /** The frame the model was fitted on. */
  readonly frame: Frame
  readonly spec: RegressionSpec
  readonly fit: RegressionResult
  /** The table row of each row of `frame`; omitted when `frame` is the table itself. */
  readonly tableRows?: ArrayLike<number>
}

export function suestOf(spec: EstimationSpec, table: Frame, fits: readonly SuestFit[]): SuestVcov {
  const pooled = spec.vcov === 'cluster' ? factorOfName(table, spec.cluster[0], 'cluster', 0).codes : Int32Array.from({ length: table.nrows }, (_, i) => i)
  const used = new Map<number, number>()
  const models: SuestModel[] = fits.map((f) => {
    const s = modelScores(f.frame, f.spec, f.fit)
    const cluster = Int32Array.from(s.rows, (r) => {
      const c = pooled[f.tableRows ? f.tableRows[r] : r]
      let k = used.get(c)
      if (k === undefined) { k = used.size; used.set(c, k) }
      return k
    })
    return { X: s.X, resid: s.resid, ...(s.weights ? { weights: s.weights } : {}), bread: s.bread, cluster }
  })
  return suestVcov(models, used.size)
}
