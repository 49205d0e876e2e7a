/** `with:` of the `describe` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'
import { SUMMARY_STATISTICS, type SummaryStatistic } from '../../src/stats/describe/summary.ts'
import type { QuantileDefinition } from '../../src/expr/quantile.ts'

export interface DescribeParams {
  from: string
  groups?: Record<string, string[]>
  variables?: string[]
  statistics?: SummaryStatistic[]
  quantile: QuantileDefinition
  labels?: Record<string, string>
  by?: string
  by_levels?: (string | number)[]
  cluster?: string
  period?: [number, number]
  sample?: string
  correlation: boolean
  vif?: string | string[]
  digits: number
  title?: string
  notes?: string[]
}

export const DEFAULT_STATISTICS: readonly SummaryStatistic[] = ['n', 'mean', 'sd', 'min', 'max']
export const DEFAULT_BY_STATISTICS: readonly SummaryStatistic[] = ['n', 'mean', 'sd']

const name: JsonSchema = { type: 'string', minLength: 1 }

/** `from`, `by`, `by_levels`, `period`, `sample`, `quantile`, `labels`: shared with `trend`. */
export const sampleProps: Record<string, JsonSchema> = {
  from: {
    type: 'string',
    minLength: 1,
    description: 'Stage whose table holds the variables (any stage with a table: ingest, derive, measure-gie, did, …). From a did stage its `did` column can be described, and its models\' labels are used.',
    examples: ['gie'],
  },
  by: {
    type: 'string',
    minLength: 1,
    description:
      'Groups to compare: a column, or an expression of the language of `derive` whose value names the group, ' +
      'e.g. `region`, or `if(is_missing(pilot_year), "Non-pilot", "Pilot")`. Rows where it is missing are left out of the groups. ' +
      'Groups are ordered by value (numbers ascending, text alphabetically) unless `by_levels` orders them. Default: no groups.',
    examples: ['region', 'if(is_missing(pilot_year), "Non-pilot", "Pilot")'],
  },
  by_levels: {
    type: 'array',
    items: { type: ['string', 'number'] },
    minItems: 1,
    description: 'The values of `by` in the order to show them; every value in the data must be listed, and every listed value must occur. Default: ascending order.',
    examples: [['east', 'central', 'west']],
  },
  period: {
    type: 'array',
    items: { type: 'number' },
    minItems: 2,
    maxItems: 2,
    description:
      'Time window [from, to], both included, on the panel time column (needs `panel:` in the pipeline), e.g. `[2007, 2012]` for the years before the first adoption. ' +
      'Any other restriction is `sample:`. Default: all periods.',
    examples: [[2007, 2012]],
  },
  sample: {
    type: 'string',
    minLength: 1,
    description: 'Use only the rows where this expression is true (the expression language of `filter`, as `sample:` of the estimation stages). Default: all rows.',
    examples: ['admin_level != "municipality"'],
  },
  quantile: {
    enum: ['r7', 'stata'],
    default: 'r7',
    description: 'Quantile definition of the quartiles and the median, as in `winsor`: `r7` (R\'s default, type 7) or `stata` (Stata\'s `summarize, detail` and `_pctile`, Hyndman–Fan type 2). Default: `r7`.',
  },
  labels: {
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Display names of variables, of the `by` column and of text values of `by`, e.g. `{gie: "Green innovation efficiency", east: "Eastern cities"}`. Default: the labels of the `from` stage\'s models when it has any, else the names.',
    examples: [{ gie: 'Green innovation efficiency', did: 'Pilot × Post' }],
  },
}

const variableList = (description: string): JsonSchema => ({ type: 'array', items: name, description, examples: [['gie', 'did', 'eco', 'fin']] })

export const describeParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from'],
  properties: {
    from: sampleProps.from,
    groups: {
      type: 'object',
      minProperties: 1,
      description:
        'The variables by role, in the order the table lists them: `{"Dependent variable": [gie], "Control variables": [eco, fin]}`. ' +
        'Each group is a section of the table. A variable appears once. Give `groups` or `variables`.',
      // Not a bare whole number: JavaScript objects list such keys first, which would lose the YAML order.
      propertyNames: { minLength: 1, pattern: '^(?![0-9]+$)' },
      additionalProperties: variableList('The numeric columns of this group, in order.'),
      examples: [{ 'Dependent variable': ['gie'], 'Core explanatory variable': ['did'], 'Control variables': ['eco', 'fin', 'urban', 'gov', 'industry'] }],
    },
    variables: variableList('The numeric columns to describe, in order, without groups. Give `groups` or `variables`.'),
    statistics: {
      type: 'array',
      items: { enum: [...SUMMARY_STATISTICS] },
      minItems: 1,
      uniqueItems: true,
      description:
        'The statistics printed per variable (per group with `by`), in this order: `n` (non-missing values), `mean`, `sd` (n − 1), `min`, `p25`, `median`, `p75`, `max`. ' +
        'Default: `[n, mean, sd, min, max]`, as the papers print them; with `by`, `[n, mean, sd]`. describe.csv and the facts always have all eight.',
      examples: [['n', 'mean', 'sd', 'min', 'p25', 'median', 'p75', 'max']],
    },
    quantile: sampleProps.quantile,
    labels: sampleProps.labels,
    by: {
      ...sampleProps.by,
      description:
        (sampleProps.by.description as string) +
        ' The table then shows the statistics per group side by side, and tests equal means: for two groups the difference (second − first) with Welch\'s t test and, when there is a ' +
        'cluster variable, the t test of an OLS of the variable on a group dummy with standard errors clustered by it; for more groups Welch\'s F test and the clustered Wald F.',
    },
    by_levels: sampleProps.by_levels,
    cluster: {
      type: 'string',
      minLength: 1,
      description: 'Column to cluster the test of equal means on (unit-years of one unit are not independent). Default: the pipeline\'s panel unit; without `panel:` only Welch\'s test is shown.',
      examples: ['city'],
    },
    period: sampleProps.period,
    sample: sampleProps.sample,
    correlation: {
      type: 'boolean',
      default: false,
      description:
        'Add a correlation table (correlation.md/.tex/.html/.csv): Pearson correlations of the variables (pairwise complete rows) with stars from their t tests, ' +
        'and a last column with the variance inflation factors of the `vif` variables. Default: false.',
    },
    vif: {
      description:
        'The variables whose variance inflation factors the correlation table shows: the name of a group or a list of listed variables. ' +
        'Needs `correlation: true`. Default: the group whose name contains "control" (any case), when there is exactly one; else none.',
      oneOf: [name, { type: 'array', items: name, minItems: 1 }],
      examples: ['Control variables', ['eco', 'fin', 'urban']],
    },
    digits: { type: 'integer', minimum: 0, maximum: 8, default: 3, description: 'Decimals of means, SDs, quantiles, differences and correlations (test statistics have 2). Default: 3.' },
    title: { type: 'string', description: 'Table title. Default: "Descriptive statistics".', examples: ['Table 1. Descriptive statistics'] },
    notes: { type: 'array', items: { type: 'string' }, description: 'Notes printed after the automatic ones (sample, tests).', examples: [['GIE is the super-SBM score.']] },
  },
}
