/**
 * did: two-way fixed-effects difference-in-differences,
 *   y_it = β·D_it + γ'X_it + α_i + λ_t + ε_it,
 * with D a 0/1 treatment (or 1 from a unit's adoption year on), optional controls added
 * column by column (`stepwise`), and the variance options of the regression kernel
 * (src/stats/ols; conventions in docs/methods.md, "Regression").
 */
import { defineStage } from '../../src/stage.ts'
import { requiredUnlessModel } from '../_estimation/check.ts'
import { MODEL_FACTS } from '../_estimation/facts.ts'
import { knownColumns } from './columns.ts'
import type { DidParams } from './params.ts'
import { didParams } from './params.ts'

// A top-level loader: tsc rewrites `.ts` in a dynamic import here, not inside the object literal below.
const estimation = () => import('./run.ts')

export default defineStage<DidParams>({
  kind: 'did',
  version: 3,
  description: 'Two-way fixed-effects difference-in-differences with paper-style tables (stepwise controls, clustered errors).',
  params: didParams,
  references: ['from', 'model'],
  produces: ['frame', 'model', 'data'],
  facts: [...MODEL_FACTS, 'columns'],
  consumes: { from: 'frame', model: 'model' },
  columns: knownColumns,
  check: (params) => requiredUnlessModel('did', params, ['from', 'outcome', 'treatment']),
  async run(ctx) {
    // The regression kernel (and its libraries) load only when a did stage actually runs.
    const { runDid } = await estimation()
    return runDid(ctx)
  },
})
