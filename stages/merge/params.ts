/** `with:` of the `merge` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */

export const mergeParams = {
  type: 'object',
  additionalProperties: false,
  required: ['left', 'right', 'on'],
  properties: {
    left: {
      type: 'string',
      description: 'Stage whose frame is the left side; the result keeps its rows in order.',
      examples: ['panel'],
    },
    right: {
      type: 'string',
      description: 'Stage whose frame is joined onto the left side.',
      examples: ['cities'],
    },
    on: {
      description:
        'Key column(s): one name, a list of names present on both sides, or a mapping `{left_column: right_column}` when the names differ. ' +
        'Keys compare by their written value; a numeric key matches a text key only where the text is the number\'s shortest written form (110000 ↔ "110000").',
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, uniqueItems: true },
        { type: 'object', additionalProperties: { type: 'string', minLength: 1 }, minProperties: 1 },
      ],
      examples: ['city', ['city', 'year'], { city_code: 'code' }],
    },
    how: {
      enum: ['left', 'inner', 'outer'],
      default: 'left',
      description:
        '`left`: every left row, matched or not. `inner`: matched rows only. `outer`: every left row, then the unmatched right rows in their order.',
    },
    validate: {
      enum: ['m:1', '1:1', '1:m'],
      default: 'm:1',
      description:
        'Declared key relation, checked before joining: `m:1` each key at most once on the right (city attributes onto a city-year panel), ' +
        '`1:1` at most once on each side, `1:m` at most once on the left. Duplicate keys on a side that must be unique are an error.',
    },
    suffix: {
      description:
        'Renames non-key columns present on both sides. A string is appended to the right column\'s name; a pair `[left, right]` is appended to both.',
      default: '_right',
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 },
      ],
      examples: ['_right', ['_panel', '_cities']],
    },
  },
} as const

export type MergeHow = 'left' | 'inner' | 'outer'
export type MergeValidate = 'm:1' | '1:1' | '1:m'

/** `with:` after defaults are applied. */
export interface MergeParams {
  left: string
  right: string
  on: string | string[] | Record<string, string>
  how: MergeHow
  validate: MergeValidate
  suffix: string | [string, string]
}
