/** `with:` of the `bacon` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'

export interface BaconParams {
  model: string
  covariates: boolean
  title?: string
}

export const DEFAULT_TITLE = 'Goodman-Bacon decomposition of the TWFE estimate'

export const baconParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['model'],
  properties: {
    model: {
      type: 'string', minLength: 1,
      description: 'The `did` stage with `treatment: { adoption: <column> }` whose outcome, adoption timing and sample are decomposed (unit and time from `panel:`). The panel must be balanced.',
    },
    covariates: {
      type: 'boolean', default: false,
      description: 'Decompose the model with its controls (Goodman-Bacon 2021, section 5). Not implemented yet: only `false`, which decomposes the regression without controls and warns naming the controls it leaves out. Default: false.',
    },
    title: { type: 'string', description: `Title of the summary table. Default: "${DEFAULT_TITLE}".` },
  },
}
