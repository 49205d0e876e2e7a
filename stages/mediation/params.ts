/** `with:` of the `mediation` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'

export type MediationSteps = 'three' | 'two'
export type MediationInterval = 'percentile' | 'bc'

export interface MediationParams {
  model: string
  mediators: string[]
  bootstrap?: number
  level: number
  steps: MediationSteps
  interval: MediationInterval
  resamples?: string
  labels?: Record<string, string>
  title?: string
}

export const DEFAULT_BOOTSTRAP = 1000
export const DEFAULT_TITLE = 'Mechanism analysis'

export const mediationParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['model', 'mediators'],
  properties: {
    model: {
      type: 'string', minLength: 1,
      description: 'The `did` stage whose specification every step uses (outcome, treatment, controls, fixed effects, clustering, variance conventions, sample, weights).',
    },
    mediators: {
      type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 },
      description: 'Mediator columns. For each M: the outcome on the treatment (total effect c), M on the treatment (a), the outcome on the treatment and M (direct effect c′ and b), all on the rows where M is present.',
      examples: [['energy_int', 'isu', 'innov', 'digital']],
    },
    bootstrap: {
      type: 'integer', minimum: 1, maximum: 1000000,
      description: `Cluster bootstrap draws of a·b (clusters of the model resampled with replacement). Default: ${DEFAULT_BOOTSTRAP}. With \`resamples\` the file sets the draws.`,
    },
    level: {
      type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95,
      description: 'Confidence level of the bootstrap intervals. Default: 0.95.',
    },
    steps: {
      enum: ['three', 'two'], default: 'three',
      description: '`three`: the three-step design with b, the Sobel, Aroian and Goodman tests and the bootstrap of a·b; `two`: only the total effect and a (the two-step design, Jiang 2022), with the test of a alone. Default: `three`.',
    },
    interval: {
      enum: ['percentile', 'bc'], default: 'percentile',
      description: 'Which bootstrap interval the facts `ci_low`/`ci_high` and the figure report: `percentile` or bias-corrected `bc`; indirect.csv has both. Default: `percentile`.',
    },
    resamples: {
      type: 'string', minLength: 1,
      description: 'A CSV of given cluster draws to replay instead of drawing: columns `draw`, `cluster`, one row per drawn cluster (a cluster drawn twice has two rows). Relative to the pipeline file.',
      examples: ['data/mediation-resamples.csv'],
    },
    labels: {
      type: 'object', additionalProperties: { type: 'string' },
      description: 'Labels of mediators and other variables in the table and figure, over the `model:` stage\'s labels.',
      examples: [{ energy_int: 'Energy intensity' }],
    },
    title: { type: 'string', description: `Table title. Default: "${DEFAULT_TITLE}".` },
  },
}
