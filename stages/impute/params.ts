/** `with:` of the `impute` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */

export const imputeMethods = ['linear', 'locf', 'nocb', 'unit-mean', 'time-mean'] as const
export type ImputeMethod = (typeof imputeMethods)[number]

const columnList = (description: string) => ({
  description,
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, uniqueItems: true },
  ],
})

export const imputeParams = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'method'],
  properties: {
    from: { type: 'string', description: 'Stage whose frame is imputed.', examples: ['panel'] },
    method: {
      enum: [...imputeMethods],
      description:
        'How missing values are filled, within the panel declared by `panel: {unit, time}`. ' +
        '`linear`: linear interpolation within each unit over the time values (unequal gaps respected; interior gaps only unless `ends: nearest`), as R `approx`. ' +
        '`locf`: last observation carried forward within the unit. `nocb`: next observation carried backward. ' +
        '`unit-mean`: mean of the unit\'s observed values. `time-mean`: mean over units in the same period (within `by` groups if given).',
      examples: ['linear'],
    },
    columns: columnList(
      'Numeric columns to impute. Default: every numeric column except the panel unit and time and the `by` columns; ' +
        'with `time-mean`, columns that never vary within a unit (unit attributes such as `pilot_year`) are also left out.',
    ),
    by: columnList(
      'Only with `method: time-mean`: columns that split each period into groups (e.g. `region`); the mean is taken within period × group.',
    ),
    ends: {
      enum: ['keep-missing', 'nearest'],
      default: 'keep-missing',
      description:
        'Values before a unit\'s first or after its last observation (`linear`, `locf`, `nocb`). `keep-missing`: left missing (R `approx(rule = 1)`). ' +
        '`nearest`: take the nearest observed value of the unit (R `approx(rule = 2)`).',
    },
    report: {
      enum: ['totals', 'per-unit'],
      default: 'totals',
      description: 'Count imputed values per column (`totals`, in imputed.csv) or also per unit and column (`per-unit`, adds imputed_by_unit.csv).',
    },
    flag: {
      type: 'boolean',
      default: false,
      description: 'Add a 0/1 column `<column>_imputed` per imputed column, 1 where the value was filled in.',
    },
  },
} as const

/** `with:` after defaults are applied. */
export interface ImputeParams {
  from: string
  method: ImputeMethod
  columns?: string | string[]
  by?: string | string[]
  ends: 'keep-missing' | 'nearest'
  report: 'totals' | 'per-unit'
  flag: boolean
}
