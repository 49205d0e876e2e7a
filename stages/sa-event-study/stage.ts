/**
 * sa-event-study: the interaction-weighted event study of Sun & Abraham (2021). The
 * saturated regression of the outcome on cohort × relative-period indicators (reference
 * period and control cohort omitted) with the model's fixed effects and controls, then per
 * relative period the cohort-share weighted average of the cohort effects, with a
 * delta-method variance, a pre-trend Wald test and the event-study figure. Formulas:
 * docs/methods.md, "Sun–Abraham event study".
 */
import { defineStage } from '../../src/stage.ts'
import { requiredUnlessModel } from '../_estimation/check.ts'
import { MODEL_FACTS } from '../_estimation/facts.ts'
import { knownColumns } from './columns.ts'
import { saEventStudyParams, type SaEventStudyParams } from './params.ts'

const estimation = () => import('./run.ts')

export default defineStage<SaEventStudyParams>({
  kind: 'sa-event-study',
  version: 1,
  description:
    'Sun–Abraham (2021) interaction-weighted event study: cohort × relative-period effects from the saturated regression (never-treated or last-treated control cohort), averaged with cohort-share weights; delta-method standard errors, a pre-trend Wald test, cohorts.csv and the coefficient plot.',
  params: saEventStudyParams,
  references: ['from', 'model'],
  produces: ['model', 'data'],
  facts: [...MODEL_FACTS, 'pretrend_F', 'pretrend_p', 'pretrend_df', 'cohorts'],
  consumes: { from: 'frame', model: 'model' },
  columns: knownColumns,
  check: (params) => requiredUnlessModel('sa-event-study', params, ['from', 'outcome', 'treatment']),
  async run(ctx) {
    const { runSaEventStudy } = await estimation()
    return runSaEventStudy(ctx)
  },
})
