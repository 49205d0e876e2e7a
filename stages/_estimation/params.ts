/**
 * The parameters every regression stage shares (did, event-study, regress, and the
 * estimators built on them): the JSON Schema pieces with their descriptions, and their
 * TypeScript types. A stage composes its `with:` schema from these plus its own keys.
 */
import type { JsonSchema } from '../../src/stage.ts'

export type Treatment = string | { adoption: string }
export type VcovName = 'iid' | 'hc1' | 'cluster'
/** `none` is the old spelling of `cr0`, accepted with a warning. */
export type SmallSampleName = 'nested' | 'full' | 'slopes' | 'cr0' | 'none'

/** The keys a `model:` stage passes on; see spec.ts for how they are inherited. */
export interface RegressionParams {
  from?: string
  model?: string
  outcome?: string
  controls?: string[]
  fixed_effects?: string[]
  cluster?: string | string[]
  vcov?: VcovName
  small_sample?: SmallSampleName
  cluster_df?: 'min' | 'each'
  singletons?: 'drop' | 'keep'
  weights?: string
  sample?: string
  labels?: Record<string, string>
  title?: string
  digits?: number
}

export const column = (description: string, examples: string[]): JsonSchema => ({ type: 'string', minLength: 1, description, examples })

export const treatmentSchema: JsonSchema = {
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
}

/**
 * Schema of the shared keys. None has a schema default: with `model:` an unset key must
 * inherit the parent's value, so defaults are applied in spec.ts.
 */
export function regressionProps(kind: string): Record<string, JsonSchema> {
  return {
    from: column(
      'Stage whose table holds the data. Required unless `model` is given; with `model`, `from` re-estimates the same specification on another table.',
      ['gie'],
    ),
    model: column(
      `A stage whose fitted model to reuse (a \`did\`, \`event-study\` or \`regress\` stage). Every parameter not given here is inherited from it (${kind === 'regress' ? 'regressors' : 'treatment'}, controls, fixed effects, clustering, sample, labels, digits; the title and layout only from a stage of the same kind).`,
      ['baseline'],
    ),
    outcome: column('Dependent variable (numeric column). Required unless `model` is given.', ['gie']),
    controls: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
      description: 'Control variables (numeric columns), in the order the tables list them. Default: none.',
      examples: [['eco', 'fin', 'urban', 'gov', 'industry']],
    },
    fixed_effects: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
      description:
        'Columns whose levels are absorbed as fixed effects (any number; thousands of levels are fine); `a:b` is the interaction of two factors ' +
        '(one level per observed combination, e.g. `province:year`). Default: the pipeline panel unit and time (two-way fixed effects); `[]` for pooled OLS with an intercept.',
      examples: [['city', 'year'], ['city', 'province:year']],
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
        'Variance estimator: `iid` (conventional), `hc1` (heteroskedasticity-robust), `cluster` (cluster-robust CR1, t with G−1 degrees of freedom). ' +
        'Default: `cluster` when `cluster` is given, else `iid`.',
    },
    small_sample: {
      enum: ['nested', 'full', 'slopes', 'cr0', 'none'],
      description:
        'Default: `nested` (or the `model:` stage\'s choice). What K is in the finite-sample factor (N−1)/(N−K) (and N−K of iid and hc1): ' +
        '`nested` — fixed effects nested in a cluster variable do not count (Stata reghdfe and xtreg, fixest\'s default `fixef.K = "nested"`); ' +
        '`full` — every absorbed level counts (Stata areg, R lm with dummies + sandwich HC1, fixest `fixef.K = "full"`); ' +
        '`slopes` — only the slopes count (R plm `vcovHC(type = "sss")`, fixest `fixef.K = "none"`); ' +
        '`cr0` — no factor at all (CR0/HC0, sandwich `type = "HC0", cadjust = FALSE`). `none` is the old name of `cr0` and is deprecated. See docs/methods.md.',
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
    labels: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Display names of terms, the outcome and fixed effects in tables and figures, e.g. `{did: "Pilot × Post", city: "City"}`. Merged over the labels of a `model:` stage.',
      examples: [{ did: 'Pilot × Post' }],
    },
    digits: { type: 'integer', minimum: 0, maximum: 8, description: 'Decimals of coefficients and standard errors in the tables. Default: 3 (or the `model:` stage\'s choice).' },
  }
}
