/**
 * did: two-way fixed-effects difference-in-differences,
 *   y_it = β·D_it + γ'X_it + α_i + λ_t + ε_it,
 * with D a 0/1 treatment (or 1 from a unit's adoption year on), optional controls added
 * column by column (`stepwise`), and the variance options of the regression kernel
 * (src/stats/ols; conventions in docs/methods.md, "Regression").
 */
import { QuasiError } from '../../src/errors.ts'
import { defineStage } from '../../src/stage.ts'
import { MODEL_FACTS } from '../_estimation/facts.ts'
import { knownColumns } from './columns.ts'
import type { DidParams } from './params.ts'
import { didParams } from './params.ts'

// A top-level loader: tsc rewrites `.ts` in a dynamic import here, not inside the object literal below.
const estimation = () => import('./run.ts')

export default defineStage<DidParams>({
  kind: 'did',
  version: 2,
  description: 'Two-way fixed-effects difference-in-differences with paper-style tables (stepwise controls, clustered errors).',
  params: didParams,
  references: ['from', 'model'],
  produces: ['frame', 'model', 'data'],
  facts: [...MODEL_FACTS, 'columns'],
  consumes: { from: 'frame', model: 'model' },
  columns: knownColumns,
  check(params) {
    if (params.model === undefined) {
      const missing = (['from', 'outcome', 'treatment'] as const).filter((k) => params[k] === undefined)
      if (missing.length) {
        return [new QuasiError('MISSING_PARAM', `did needs ${missing.map((m) => `\`${m}\``).join(', ')} (or \`model:\` to reuse a did stage)`, {
          param: [], expected: missing.join(', '),
        })]
      }
    }
    return []
  },
  async run(ctx) {
    // The regression kernel (and its libraries) load only when a did stage actually runs.
    const { runDid } = await estimation()
    return runDid(ctx)
  },
})
