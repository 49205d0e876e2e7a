/** `with:` of the `did` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'

export type Treatment = string | { adoption: string }
export type VcovName = 'iid' | 'hc1' | 'cluster'
export type SmallSampleName = 'nested' | 'full' | 'none'

export interface DidParams {
  from?: string
  model?: string
  outcome?: string
  treatment?: Treatment
  controls?: string[]
  fixed_effects?: string[]
  cluster?: string | string[]
  vcov?: VcovName
  small_sample?: SmallSampleName
  cluster_df?: 'min' | 'each'
  singletons?: 'drop' | 'keep'
  weights?: string
  sample?: string
  stepwise?: boolean
  labels?: Record<string, string>
  title?: string
  digits?: number
}

const column = (description: string, examples: string[]) => ({ type: 'string', minLength: 1, description, examples })

export const didParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    from: column(
      'Stage whose table holds the panel. Required unless `model` is given; with `model`, `from` re-estimates the same specification on another table.',
      ['gie'],
    ),
    model: column(
      'A `did` stage whose specification to reuse. Every other parameter given here overrides the one of that stage (typically `outcome`, `controls` or `sample`).',
      ['baseline'],
    ),
    outcome: column('Dependent variable (numeric column). Required unless `model` is given.', ['gie']),
    treatment: {
      description:
        'The treatment: a 0/1 column (its name is the term), or `{adoption: <column of adoption years>}`, which builds ' +
        '`did` = 1 from the adoption year on (time >= adoption) and 0 before and for units whose adoption year is missing or 0 ' +
        '(never treated); the term is then named `did`. Needs `panel:` for the time column. Required unless `model` is given.',
      oneOf: [
        { type: 'string', minLength: 1 },
        {
          type: 'object',
          additionalProperties: false,
          required: ['adoption'],
          properties: { adoption: column('Column of adoption years (missing or 0 for never-treated units).', ['pilot_year']) },
        },
      ],
      examples: ['treated_post', { adoption: 'pilot_year' }],
    },
    controls: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
      description: 'Control variables (numeric columns), in the order the stepwise table adds them. Default: none.',
      examples: [['eco', 'fin', 'urban', 'gov', 'industry']],
    },
    fixed_effects: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
      description:
        'Columns whose levels are absorbed as fixed effects (any number; thousands of levels are fine). ' +
        'Default: the pipeline panel unit and time (two-way fixed effects); `[]` for pooled OLS with an intercept.',
      examples: [['city', 'year']],
    },
    cluster: {
      description: 'Column (or two columns, for two-way clustering) to cluster standard errors on. Default: none.',
      oneOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, maxItems: 2, uniqueItems: true },
      ],
      examples: ['city', ['city', 'year']],
    },
    vcov: {
      enum: ['iid', 'hc1', 'cluster'],
      description:
        'Variance estimator: `iid` (conventional), `hc1` (heteroskedasticity-robust, N/(N−K)), `cluster` (CR1, t with G−1 degrees of freedom). ' +
        'Default: `cluster` when `cluster` is given, else `iid`.',
    },
    small_sample: {
      enum: ['nested', 'full', 'none'],
      // No schema default: with `model:` an unset key must inherit the parent's value (the default is applied in spec.ts).
      description:
        'Default: `nested` (or the `model:` stage\'s choice). What K is in the finite-sample factor (N−1)/(N−K) of clustered errors. `nested` (reghdfe, fixest, xtreg): fixed effects nested in a cluster ' +
        'variable do not count. `full` (areg, lm with dummies): every absorbed level counts. `none`: no factor at all (CR0/HC0, σ² = RSS/N). See docs/methods.md.',
    },
    cluster_df: {
      enum: ['min', 'each'],
      description: 'Default: `min` (or the `model:` stage\'s choice). Two-way clustering: `min` (reghdfe, fixest) uses G_min/(G_min−1) for every term; `each` gives each term its own G (R sandwich).',
    },
    singletons: {
      enum: ['drop', 'keep'],
      description: 'Default: `drop` (or the `model:` stage\'s choice). Observations alone in a fixed-effect level: `drop` them, repeatedly, as reghdfe does (Correia 2015), or `keep` them (plm, fixest). The count is logged.',
    },
    weights: column('Column of positive analytic weights (weighted least squares). Default: unweighted.', ['pop']),
    sample: {
      type: 'string',
      minLength: 1,
      description: 'Estimate on the rows where this expression is true (the expression language of `filter`). Default: all rows.',
      examples: ['year >= 2010', 'resource_based == 0'],
    },
    stepwise: {
      type: 'boolean',
      default: false,
      description: 'Print the column-by-column table papers show: (1) no controls, then one column per control added in order.',
    },
    labels: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Display names of terms and fixed effects in the tables, e.g. `{did: "Pilot × Post", city: "City"}`.',
      examples: [{ did: 'Pilot × Post' }],
    },
    title: { type: 'string', description: 'Table title. Default: "Difference-in-differences estimates".' },
    digits: { type: 'integer', minimum: 0, maximum: 8, default: 3, description: 'Decimals of coefficients and standard errors in the tables.' },
  },
}
