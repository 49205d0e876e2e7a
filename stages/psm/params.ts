/** `with:` of the `psm` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'
import { column, treatmentSchema, type Treatment } from '../_estimation/params.ts'

export interface PsmParams {
  from: string
  treatment: Treatment
  covariates: string[]
  link: 'logit' | 'probit'
  method: 'nearest' | 'radius' | 'kernel'
  neighbors?: number
  replace?: boolean
  caliper?: number | { sd: number }
  bandwidth?: number
  common: boolean
  by?: string
  keep: 'matched' | 'all'
  outcome?: string
  labels?: Record<string, string>
  title?: string
}

/** psmatch2's default bandwidth of kernel matching. */
export const DEFAULT_BANDWIDTH = 0.06

export const psmParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'treatment', 'covariates'],
  properties: {
    from: column('Stage whose table holds the data.', ['vars']),
    treatment: {
      ...treatmentSchema,
      description:
        'The treatment: a 0/1 column, or `{adoption: <column of adoption years>}`, meaning the ever-treated units (treated = 1 in every row of a unit ' +
        'whose adoption year is present and not 0; the rest are controls). The matched frame gets the indicator as `_treated`.',
    },
    covariates: {
      type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 },
      description: 'Numeric columns the propensity score is estimated on (with an intercept), in the order the balance table lists them.',
      examples: [['eco', 'fin', 'urban', 'gov', 'industry']],
    },
    link: { enum: ['logit', 'probit'], default: 'logit', description: 'Link of the propensity-score model. Default: `logit`.' },
    method: {
      enum: ['nearest', 'radius', 'kernel'], default: 'nearest',
      description: '`nearest`: greedy 1:k nearest neighbour (treated from the largest score down; docs/methods.md, "psm"); `radius`: every control within `caliper`; `kernel`: Epanechnikov kernel weights within `bandwidth`. Default: `nearest`.',
    },
    neighbors: { type: 'integer', minimum: 1, maximum: 100, description: 'Nearest neighbour: controls per treated row (1:k). Default: 1.' },
    replace: { type: 'boolean', description: 'Nearest neighbour: may a control serve more than one treated row? Default: false.' },
    caliper: {
      description: 'Largest allowed distance: a number in propensity-score units, or `{sd: x}`, x standard deviations of the linear predictor (the logit of the score) over the rows of the model. Required by `radius`; optional for `nearest`. Default: none.',
      oneOf: [
        { type: 'number', exclusiveMinimum: 0 },
        { type: 'object', additionalProperties: false, required: ['sd'], properties: { sd: { type: 'number', exclusiveMinimum: 0, description: 'Caliper in SDs of the linear predictor.' } } },
      ],
      examples: [0.05, { sd: 0.2 }],
    },
    bandwidth: { type: 'number', exclusiveMinimum: 0, description: `Kernel matching: bandwidth in propensity-score units. Default: ${DEFAULT_BANDWIDTH} (psmatch2's).` },
    common: { type: 'boolean', default: false, description: 'Drop treated rows whose score is outside the range of the controls\' scores before matching (psmatch2 `common`). Default: false.' },
    by: column('Match within each value of this column (e.g. the year: the score is estimated and matched period by period). Default: pooled over all rows.', ['year']),
    keep: { enum: ['matched', 'all'], default: 'matched', description: '`matched`: the output frame keeps the matched rows (weight > 0); `all`: every row, unmatched ones with weight 0. Default: `matched`.' },
    outcome: column('Outcome for the ATT of the matched sample and its Abadie–Imbens standard error (att.csv; facts `att`, `se_att`); for a cross-section. Default: none.', ['re78']),
    labels: {
      type: 'object', additionalProperties: { type: 'string' },
      description: 'Display names of covariates in the balance table and figure, e.g. `{ eco: "Economic density" }`. balance.csv keeps the column names.',
    },
    title: { type: 'string', description: 'Title of the balance table. Default: "Covariate balance before and after matching".' },
  },
}
