/** Parameters of `filter` (the `with:` block). */
import type { JsonSchema } from '../../src/stage.ts'

export interface FilterParams {
  /** Stage whose table is restricted. */
  from: string
  /** Condition a row must meet to be kept. */
  where: string
}

export const filterParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'where'],
  properties: {
    from: {
      type: 'string',
      description: 'Stage whose table is restricted.',
      examples: ['panel'],
    },
    where: {
      type: 'string',
      minLength: 1,
      description:
        'Keep the rows where this expression is true (non-zero). Rows where it is false are dropped, and rows where it is ' +
        'missing (a comparison with a missing value) are dropped and counted separately. Conditions joined by `and` are ' +
        'reported one by one. See docs/methods.md.',
      examples: ['year >= 2007 and admin_level != "municipality"'],
    },
  },
}
