/** `with:` of the `imputation` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'

export interface ImputationParams {
  model: string
  horizons?: [number, number]
  pretrends: number
  anticipation: number
  level: number
  minn?: number
  title?: string
  x_title?: string
  y_title?: string
}

export const DEFAULT_TITLE = 'Imputation estimates'

export const imputationParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['model'],
  properties: {
    model: {
      type: 'string', minLength: 1,
      description: 'The `did` stage with `treatment: { adoption: <column> }` whose outcome, fixed effects, controls, cluster and sample define the model of Y(0) (unit and time from `panel:`). Adoption must be absorbing: one adoption year per unit.',
    },
    horizons: {
      type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2,
      description: 'Event times [lo, hi] to report (h = year − adoption year; 0 is the adoption year). Default: every event time with treated observations.',
      examples: [[0, 5]],
    },
    pretrends: {
      type: 'integer', minimum: 0, default: 0,
      description: 'Number of pre-adoption periods to test (BJS test 1): a regression on the untreated observations of the same fixed effects and controls plus indicators of event times −1 … −pretrends, with the model\'s cluster; the coefficients appear as pre-periods in the figure and a joint F test in the table. Default: 0 (no test).',
    },
    anticipation: {
      type: 'integer', minimum: 0, default: 0,
      description: 'Periods of anticipation: observations from adoption − anticipation on are left out of the model of Y(0) and imputed (reported at event times −anticipation … −1). Default: 0.',
    },
    level: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95, description: 'Confidence level of the intervals (normal quantiles). Default: 0.95.' },
    minn: { type: 'integer', minimum: 1, description: 'Report an event time only if it has at least this many treated observations. Default: every event time.' },
    title: { type: 'string', description: `Title of the table and the figure. Default: "${DEFAULT_TITLE}".` },
    x_title: { type: 'string', description: 'Axis title under the figure. Default: "Years relative to adoption".' },
    y_title: { type: 'string', description: 'Axis title of the estimates. Default: "Effect on <outcome> (95 % CI)".' },
  },
}
