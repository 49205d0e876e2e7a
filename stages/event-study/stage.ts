/**
 * event-study: dynamic effects around adoption,
 *   y_it = Σ_{k ∈ [lo, hi], k ≠ ref} β_k · D^k_it + γ'X_it + α_i + λ_t + ε_it,
 * with binned end points (../_estimation/relative-time.ts), the reference period omitted, never-treated or
 * not-yet-treated units as the comparison, a joint F test of the pre-period β_k, and the
 * coefficient plot papers print (relative periods ≤−5 … ≥5, the title above).
 */
import { defineStage } from '../../src/stage.ts'
import { requiredUnlessModel } from '../_estimation/check.ts'
import { MODEL_FACTS } from '../_estimation/facts.ts'
import { knownColumns } from './columns.ts'
import { eventStudyParams, type EventStudyParams } from './params.ts'

// A top-level loader: tsc rewrites `.ts` in a dynamic import here, not inside the object literal below.
const estimation = () => import('./run.ts')

export default defineStage<EventStudyParams>({
  kind: 'event-study',
  // 2: the figure has its title and a numeric relative-period axis; 3: data.event_study for event-compare
  version: 3,
  description: 'Event study around adoption: relative-time coefficients with binned end points, a pre-trend F test, and the coefficient plot.',
  params: eventStudyParams,
  references: ['from', 'model'],
  produces: ['model', 'data'],
  facts: [...MODEL_FACTS, 'pretrend_F', 'pretrend_p', 'pretrend_df'],
  consumes: { from: 'frame', model: 'model' },
  columns: knownColumns,
  check: (params) => requiredUnlessModel('event-study', params, ['from', 'outcome', 'treatment']),
  async run(ctx) {
    // The regression kernel and the plotting library load only when the stage runs.
    const { runEventStudy } = await estimation()
    return runEventStudy(ctx)
  },
})
