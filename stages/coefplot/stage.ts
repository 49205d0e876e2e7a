/**
 * coefplot: one coefficient across models as a forest plot (the figure heterogeneity and
 * robustness sections print): point estimate and confidence interval per model, a vertical
 * line at zero. The same selection as `table` (stages, instances, matrix groups; each
 * stage's main model); nothing is re-estimated.
 *
 * Facts, named as the table names them (stages/table/facts.ts): `columns` (the number of
 * models) and, per row j (1-based, top to bottom), `coef(<term>, j)`, `se(<term>, j)`,
 * `p(<term>, j)`, `conf_low(<term>, j)`, `conf_high(<term>, j)`.
 */
import { defineStage } from '../../src/stage.ts'
import { coefplotParams, type CoefplotParams } from './params.ts'

// The plotting library loads only when a coefplot stage runs.
const draw = () => import('./run.ts')

export default defineStage<CoefplotParams>({
  kind: 'coefplot',
  version: 1,
  description:
    'Forest plot of one term across models from other stages (matrix groups expand), with t confidence intervals; coefplot.svg and coefplot.csv; facts `coef(<term>, <j>)`, `se(…)`, `p(…)`, `conf_low(…)`, `conf_high(…)`, `columns`.',
  params: coefplotParams,
  references: ['columns'],
  consumes: { columns: 'model' },
  produces: [],
  async run(ctx) {
    const { runCoefplot } = await draw()
    return runCoefplot(ctx)
  },
})
