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
      description: 'Decompose the regression with the `model:` stage\'s controls (Goodman-Bacon 2021, section 5): the treatment is residualized on the controls and the unit and period effects, and the TWFE coefficient splits into a within-timing-group component (weight Ω) and 2×2 comparisons of pairs of timing groups (types "Both Treated", "Treated vs Never Treated", "Treated vs Always Treated"); weights, Ω included, sum to 1. The model must have controls; a control the unit and period effects absorb (time-invariant) is left out with a warning. `false` decomposes the regression without controls and warns naming the controls it leaves out. Default: false.',
    },
    title: { type: 'string', description: `Title of the summary table. Default: "${DEFAULT_TITLE}".` },
  },
}
