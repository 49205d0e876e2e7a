/** `with:` of the `placebo` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'

export type PlaceboScheme = 'units' | 'time' | 'mixed'

export interface PlaceboParams {
  model: string
  draws?: number
  scheme: PlaceboScheme
  shift: number[]
  assignments?: string
}

export const DEFAULT_DRAWS = 500

export const placeboParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['model'],
  properties: {
    model: {
      type: 'string', minLength: 1,
      description: 'The `did` stage whose specification is re-estimated with the treatment reassigned (outcome, controls, fixed effects, clustering, sample and weights are all kept).',
    },
    draws: {
      type: 'integer', minimum: 1, maximum: 1000000,
      description: `Number of random reassignments (schemes \`units\` and \`mixed\`). Default: ${DEFAULT_DRAWS}. With \`assignments\` the file sets the draws.`,
    },
    scheme: {
      enum: ['units', 'time', 'mixed'], default: 'units',
      description: '`units`: each unit takes the whole treatment path of a randomly permuted donor unit (keeps the number of treated units and the adoption years); `time`: adoption moved `shift` years earlier, estimated on pre-adoption years only; `mixed`: random units with adoption years drawn from the observed ones. Default: `units`.',
    },
    shift: {
      type: 'array', minItems: 1, items: { type: 'integer', minimum: 1 }, default: [1, 2, 3],
      description: 'Scheme `time`: the fake adoption is this many years (time units) before the true one; one estimate per shift. Default: [1, 2, 3].',
    },
    assignments: {
      type: 'string', minLength: 1,
      description: 'A CSV of given draws to replay instead of drawing (scheme `units`): columns `draw`, `unit`, `donor`; in each draw every unit of the estimation sample appears once as `unit` and once as `donor` (unit takes donor\'s path). Relative to the pipeline file.',
      examples: ['data/placebo-assignments.csv'],
    },
  },
}
