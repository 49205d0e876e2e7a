/** `with:` of the `sa-event-study` stage: the did specification keys, the event window, and the control cohort. */
import type { JsonSchema } from '../../src/stage.ts'
import { regressionProps, treatmentSchema, type RegressionParams, type Treatment } from '../_estimation/params.ts'

export interface SaEventStudyParams extends RegressionParams {
  treatment?: Treatment
  window: [number, number]
  reference: number
  control: 'never' | 'last'
  shares: 'estimated' | 'fixed'
  level: number
  x_title?: string
  y_title?: string
}

export const DEFAULT_TITLE = 'Event study (Sun and Abraham 2021)'

const inherited = ['model', 'from', 'outcome', 'treatment', 'controls', 'fixed_effects', 'cluster', 'vcov', 'small_sample', 'cluster_df', 'singletons', 'sample', 'labels'] as const

/** The shared regression keys (no defaults, so that values inherited through `model:` are not overridden). */
function inheritedProps(): Record<string, JsonSchema> {
  const props: Record<string, JsonSchema> = { ...regressionProps('sa-event-study'), treatment: treatmentSchema }
  const out: Record<string, JsonSchema> = {}
  for (const k of inherited) out[k] = props[k]
  out.model = { ...out.model, description: 'A `did` stage whose specification to reuse (outcome, adoption timing, controls, fixed effects, clustering, sample); other keys given here override it.' }
  out.treatment = {
    ...out.treatment,
    description: 'The treatment timing: `{adoption: <column of adoption years>}` (missing or 0 for never-treated units), or a 0/1 column that stays on once on. Required unless `model` is given.',
  }
  return out
}

export const saEventStudyParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...inheritedProps(),
    window: {
      type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2, default: [-5, 5],
      description: 'Relative periods [lo, hi] with their own estimate; within each cohort earlier periods are binned into lo and later ones into hi. Default: [-5, 5].',
      examples: [[-5, 5], [-4, 6]],
    },
    reference: { type: 'integer', default: -1, description: 'The omitted relative period (for every cohort), drawn at zero in the figure. Default: -1.' },
    control: {
      enum: ['never', 'last'], default: 'never',
      description:
        'The control cohort: `never` (units never treated in the panel) or `last` (the last-treated cohort; the periods from its adoption on are dropped, and never-treated units are left out). Default: never.',
    },
    shares: {
      enum: ['estimated', 'fixed'], default: 'estimated',
      description:
        'Standard errors of the weighted estimates: `estimated` adds the variance of the estimated cohort shares (eventstudyinteract); `fixed` treats the shares as known (fixest\'s aggregate of sunab). Default: estimated.',
    },
    level: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95, description: 'Confidence level of the intervals in the figure and tidy.csv. Default: 0.95.' },
    title: { type: 'string', description: `Title of the table and the figure. Default: "${DEFAULT_TITLE}".` },
    x_title: { type: 'string', description: 'Axis title under the figure. Default: "Years relative to adoption".' },
    y_title: { type: 'string', description: 'Axis title of the estimates. Default: "Coefficient on <outcome> (95 % CI)".' },
    digits: regressionProps('sa-event-study').digits,
  },
}
