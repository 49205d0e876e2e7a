/** `with:` of the `cs-did` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'

export type CsAggregation = 'simple' | 'dynamic' | 'group' | 'calendar'

export interface CsDidParams {
  model: string
  covariates?: string[]
  control: 'never' | 'not-yet'
  base: 'varying' | 'universal'
  anticipation: number
  method: 'dr' | 'ipw' | 'reg'
  aggregate: CsAggregation[]
  balance_e?: number
  min_e?: number
  max_e?: number
  bootstrap: number
  multiplier: 'mammen' | 'rademacher'
  uniform: boolean
  level: number
  title?: string
  x_title?: string
  y_title?: string
}

export const DEFAULT_TITLE = 'Callaway–Sant\'Anna group-time average treatment effects'
export const AGGREGATIONS: readonly CsAggregation[] = ['simple', 'dynamic', 'group', 'calendar']

export const csDidParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['model'],
  properties: {
    model: {
      type: 'string', minLength: 1,
      description: 'The `did` stage with `treatment: { adoption: <column> }` (or a 0/1 treatment that stays on) whose outcome, adoption timing and sample are used (unit and time from `panel:`). The panel must be balanced.',
    },
    covariates: {
      type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true,
      description: 'Covariates of the propensity score and the outcome regression, taken at the base period of each comparison. Default: the controls of `model`; `[]` for none.',
    },
    control: {
      enum: ['never', 'not-yet'], default: 'never',
      description: 'Comparison units: `never` treated within the panel, or `not-yet` treated (never treated and those first treated after the period compared, plus anticipation). Default: never (as R\'s did).',
    },
    base: {
      enum: ['varying', 'universal'], default: 'varying',
      description: 'Base period: `varying` compares each pre-treatment period with the one before it (post-treatment periods with the last period before treatment); `universal` compares every period with the last period before treatment (which is reported as 0). Default: varying.',
    },
    anticipation: { type: 'integer', minimum: 0, default: 0, description: 'Periods before adoption in which units may already react: the base period is the last one before adoption minus this. Default: 0.' },
    method: {
      enum: ['dr', 'ipw', 'reg'], default: 'dr',
      description: 'With covariates: `dr` doubly robust (Sant\'Anna–Zhao 2020, locally efficient panel estimator), `ipw` normalised inverse probability weighting, `reg` outcome regression. Without covariates all three are the difference of four means. Default: dr.',
    },
    aggregate: {
      type: 'array', items: { enum: [...AGGREGATIONS] }, uniqueItems: true, default: ['simple', 'dynamic', 'group'],
      description: 'Aggregations of ATT(g,t): `simple` (weighted by group size), `dynamic` (by event time, the event-study figure), `group` (by adoption cohort), `calendar` (by period). Default: [simple, dynamic, group].',
    },
    balance_e: { type: 'integer', minimum: 0, description: 'Dynamic aggregation on the groups observed at least this many periods after adoption only, for event times up to it. Default: all groups.' },
    min_e: { type: 'integer', description: 'Earliest event time of the dynamic aggregation. Default: all.' },
    max_e: { type: 'integer', minimum: 0, description: 'Latest event time of the aggregations (post-treatment cells with t − g above it are left out of all of them). Default: all.' },
    bootstrap: { type: 'integer', minimum: 0, default: 999, description: 'Draws of the multiplier bootstrap (clustered by unit) for the standard errors of the ATT(g,t) and the aggregations and for the uniform bands; 0 for analytic standard errors only. Default: 999.' },
    multiplier: { enum: ['mammen', 'rademacher'], default: 'mammen', description: 'Weights of the multiplier bootstrap. Default: mammen.' },
    uniform: { type: 'boolean', default: true, description: 'Simultaneous (uniform) confidence bands for the ATT(g,t) and for the dynamic, group and calendar aggregations from the bootstrap (needs `bootstrap` > 0), as did. Default: true.' },
    level: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95, description: 'Confidence level. Default: 0.95.' },
    title: { type: 'string', description: `Title of the ATT(g,t) table; aggregation tables add their kind. Default: "${DEFAULT_TITLE}".` },
    x_title: { type: 'string', description: 'Axis title under the event-study figure. Default: "Periods relative to adoption".' },
    y_title: { type: 'string', description: 'Axis title of the event-study figure. Default: "ATT (<level> % band)".' },
  },
}
