/**
 * regress: linear regression with any number of absorbed fixed effects,
 *   y_it = x_it'β + Σ_f α_f(i,t) + ε_it,
 * with numeric regressors and their interactions (`a:b`, `a*b`), factor interactions as
 * fixed effects (`province:year`), weights, a sample condition, the variance conventions of
 * the regression kernel (docs/methods.md, "Regression"), and Wald tests of linear hypotheses.
 * `did` is the DID-specific front end of the same layer (stages/_estimation).
 */
import { defineStage } from '../../src/stage.ts'
import { requiredUnlessModel } from '../_estimation/check.ts'
import { MODEL_FACTS } from '../_estimation/facts.ts'
import { knownColumns } from './columns.ts'
import { regressParams, type RegressParams } from './params.ts'

// A top-level loader: tsc rewrites `.ts` in a dynamic import here, not inside the object literal below.
const estimation = () => import('./run.ts')

export default defineStage<RegressParams>({
  kind: 'regress',
  version: 1,
  description: 'Linear regression with absorbed fixed effects, interactions, clustered errors and Wald tests of linear hypotheses.',
  params: regressParams,
  references: ['from', 'model'],
  produces: ['frame', 'model'],
  consumes: { from: 'frame', model: 'model' },
  columns: knownColumns,
  facts: [...MODEL_FACTS, 'wald_F(<test>)', 'wald_p(<test>)', 'wald_chi2(<test>)', 'wald_p_chi2(<test>)'],
  check: (params) => requiredUnlessModel('regress', params, ['from', 'outcome', 'regressors']),
  async run(ctx) {
    const { runRegress } = await estimation()
    return runRegress(ctx)
  },
})
