/** `with:` of the `event-study` stage: the did specification keys plus the event window. */
import type { JsonSchema } from '../../src/stage.ts'
import { regressionProps, treatmentSchema, type RegressionParams, type Treatment } from '../_estimation/params.ts'

export interface EventStudyParams extends RegressionParams {
  treatment?: Treatment
  window: [number, number]
  reference: number
  controls_group: 'never' | 'not-yet'
  level: number
  x_title?: string
  y_title?: string
}

const inherited = ['model', 'from', 'outcome', 'treatment', 'controls', 'fixed_effects', 'cluster', 'vcov', 'small_sample', 'cluster_df', 'singletons', 'weights', 'sample', 'labels'] as const

/** The shared regression keys (no defaults, so that values inherited through `model:` are not overridden). */
function inheritedProps(): Record<string, JsonSchema> {
  const props: Record<string, JsonSchema> = { ...regressionProps('event-study'), treatment: treatmentSchema }
  const out: Record<string, JsonSchema> = {}
  for (const k of inherited) out[k] = props[k]
  out.model = { ...out.model, description: 'A `did` stage whose specification to reuse (outcome, treatment, controls, fixed effects, clustering, sample); other keys given here override it.' }
  out.treatment = {
    ...out.treatment,
    description: 'The treatment timing: `{adoption: <column of adoption years>}` (missing or 0 for never-treated units). Required unless `model` is given.',
  }
  return out
}

export const eventStudyParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...inheritedProps(),
    window: {
      type: 'array',
      items: { type: 'integer' },
      minItems: 2,
      maxItems: 2,
      default: [-5, 5],
      description: 'Relative periods [lo, hi] with their own coefficient; earlier periods are binned into lo and later ones into hi. Default: [-5, 5].',
      examples: [[-5, 5], [-4, 6]],
    },
    reference: {
      type: 'integer',
      default: -1,
      description: 'The omitted relative period, drawn at zero in the figure. Default: -1 (the year before adoption).',
    },
    controls_group: {
      enum: ['never', 'not-yet'],
      default: 'never',
      description:
        'Comparison units: `never` keeps never-treated units in the sample (they anchor the year effects); `not-yet` drops them, so that identification comes from units treated later (not yet treated at the time).',
    },
    level: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95, description: 'Confidence level of the intervals in the figure and tidy.csv. Default: 0.95.' },
    title: { type: 'string', description: 'Title of the table and the figure. Default: "Event study".' },
    x_title: { type: 'string', description: 'Axis title under the figure. Default: "Years relative to adoption".' },
    y_title: { type: 'string', description: 'Axis title of the coefficients. Default: "Coefficient".' },
    digits: regressionProps('event-study').digits,
  },
}
