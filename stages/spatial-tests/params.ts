/** `with:` of the `spatial-tests` stage: JSON Schema and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'
import { spatialSpecProps, type SpatialSpecParams } from '../_spatial/params.ts'

export interface SpatialTestsParams extends SpatialSpecParams {
  a?: number
}

export const spatialTestsParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['weights'],
  properties: {
    ...spatialSpecProps(),
    a: {
      type: 'number',
      description: 'When the weights offer several candidates (a composite over a grid of `a`): the one to test with. Required then.',
      examples: [0.5],
    },
  },
}
