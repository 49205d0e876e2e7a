/** `with:` of the `event-compare` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'

export interface EventCompareParams {
  stages: string[]
  labels?: Record<string, string>
  window?: [number, number]
  offset: number
  digits: number
  title?: string
  x_title?: string
  y_title?: string
}

export const DEFAULT_TITLE = 'Event-study estimates compared'
export const DEFAULT_OFFSET = 0.15

export const eventCompareParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['stages'],
  properties: {
    stages: {
      type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 },
      description: 'The stages whose event studies are overlaid, in legend order: `event-study` (TWFE), `cs-did`, `sa-event-study`, `imputation`, `policy-mix` (its joint-exposure event study), or any stage that publishes an event-study series.',
      examples: [['es', 'cs', 'sa', 'bjs']],
    },
    labels: {
      type: 'object', additionalProperties: { type: 'string' },
      description: 'Legend and column label per stage, e.g. `{cs: "Callaway–Sant\'Anna"}`. Default: the estimator\'s name by stage kind (the stage name when two stages share a kind).',
    },
    window: {
      type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2,
      description: 'Event times [lo, hi] to show. Default: every event time any of the stages estimates.',
      examples: [[-5, 5]],
    },
    offset: {
      type: 'number', minimum: 0, maximum: 0.5, default: DEFAULT_OFFSET,
      description: `Horizontal distance between neighbouring estimators at one event time, in periods, so their intervals do not overlap. Default: ${DEFAULT_OFFSET}.`,
    },
    digits: { type: 'integer', minimum: 0, maximum: 10, default: 3, description: 'Decimals in the table. Default: 3.' },
    title: { type: 'string', description: `Title of the figure and the table. Default: "${DEFAULT_TITLE}".` },
    x_title: { type: 'string', description: 'Axis title under the figure. Default: "Years relative to adoption".' },
    y_title: { type: 'string', description: 'Axis title of the estimates. Default: "Effect on <outcome>" when the stages share an outcome, else "Estimate".' },
  },
}
