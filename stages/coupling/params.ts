/** `with:` of the `coupling` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'

/** A subsystem as written: indicator columns (all positive), with directions, or one given index column. */
export type SubsystemSpec = string | string[] | { positive?: string[]; negative?: string[] }

export interface CouplingParams {
  from: string
  subsystems: Record<string, SubsystemSpec>
  normalization: 'min-max' | 'ratio'
  shift: number
  pool: 'panel' | 'period'
  alpha?: number[] | Record<string, number>
  tolerance: number
  unit?: string
  time?: string
  by?: string
  title?: string
}

const columns = { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }

export const couplingParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'subsystems'],
  properties: {
    from: { type: 'string', minLength: 1, description: 'Stage whose table holds the indicators, one row per unit and period (ingest, derive, impute, …).', examples: ['vars'] },
    subsystems: {
      type: 'object',
      additionalProperties: {
        oneOf: [
          { type: 'string', minLength: 1 },
          columns,
          { type: 'object', additionalProperties: false, minProperties: 1, properties: { positive: columns, negative: columns } },
        ],
      },
      description:
        'Two or more subsystems by name; each becomes the column `u_<name>`. A subsystem is a list of indicator columns (all positive: more is better), ' +
        '`{positive: [...], negative: [...]}` with directions, or one column name: a given index in [0, 1], used as it is. ' +
        'Indicators are combined by the entropy weight method (weights.csv).',
      examples: [{ economy: ['gdp_pc', 'fin'], environment: { positive: ['green_area'], negative: ['so2'] }, innovation: 'innov_index' }],
    },
    normalization: {
      enum: ['min-max', 'ratio'],
      default: 'min-max',
      description:
        '`min-max`: positive (x − min)/(max − min), negative (max − x)/(max − min), plus `shift`. `ratio`: positive x/max, negative min/x; needs values ≥ 0 (> 0 for negative indicators). Default: `min-max`.',
    },
    shift: { type: 'number', minimum: 0, default: 0, description: 'Added to min–max normalised values, as papers that add 0.0001 so that ln never sees 0 (0·ln 0 = 0 makes it unnecessary). Default: 0.', examples: [0.0001] },
    pool: {
      enum: ['panel', 'period'],
      default: 'panel',
      description: '`panel`: one set of entropy weights (and minima and maxima) over all unit-periods, so indices compare across periods. `period`: weights per period. Default: `panel`.',
    },
    alpha: {
      oneOf: [
        { type: 'array', items: { type: 'number', minimum: 0 }, minItems: 2 },
        { type: 'object', additionalProperties: { type: 'number', minimum: 0 } },
      ],
      description: 'Contribution of each subsystem to T = Σ α_i u_i: a list in the order of `subsystems`, or a map by name; must sum to 1. Default: equal, 1/n each.',
      examples: [[0.5, 0.3, 0.2]],
    },
    tolerance: {
      type: 'number',
      minimum: 0,
      default: 0.1,
      description: 'The relative development type: when max u − min u ≤ tolerance the subsystems develop in step (`synchronous`), else the one with the lowest u lags. Default: 0.1.',
    },
    unit: { type: 'string', minLength: 1, description: 'The unit column (counted in the log and the facts). Default: the pipeline\'s panel unit.', examples: ['city'] },
    time: { type: 'string', minLength: 1, description: 'The numeric period column: rows of the means table, x axis of the figure, groups of `pool: period`. Default: the pipeline\'s panel time.', examples: ['year'] },
    by: { type: 'string', minLength: 1, description: 'A grouping column, e.g. a region: the means table gets a column of mean D per group, and the figure one line per group. Default: none.', examples: ['region'] },
    title: { type: 'string', description: 'Figure title. Default: "Coupling coordination degree by <time>[ and <by>]".' },
  },
}
