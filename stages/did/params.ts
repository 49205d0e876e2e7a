/** `with:` of the `did` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'
import { regressionProps, treatmentSchema, type RegressionParams, type Treatment } from '../_estimation/params.ts'

export type { SmallSampleName, Treatment, VcovName } from '../_estimation/params.ts'

export interface DidParams extends RegressionParams {
  treatment?: Treatment
  stepwise?: boolean
}

export const didParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    ...regressionProps('did'),
    treatment: treatmentSchema,
    stepwise: {
      type: 'boolean',
      description: 'Print the column-by-column table papers show: (1) no controls, then one column per control added in order. Default: false (or the `model:` did stage\'s choice).',
    },
    title: { type: 'string', description: 'Table title. Default: "Difference-in-differences estimates" (or the `model:` did stage\'s title).' },
  },
}
