/** `with:` of the `heterogeneity` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'

export type HeterogeneityTest = 'interaction' | 'suest' | 'permutation'

export interface HeterogeneityParams {
  model: string
  by?: string | string[] | Record<string, string>
  levels?: (string | number)[]
  group_labels?: Record<string, string>
  test: HeterogeneityTest[]
  draws?: number
  permutations?: string
  moderator?: string
  center: boolean
  title?: string
}

export const DEFAULT_DRAWS = 1000
export const DEFAULT_TESTS: HeterogeneityTest[] = ['interaction', 'suest']

const condition: JsonSchema = { type: 'string', minLength: 1 }

export const heterogeneityParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['model'],
  properties: {
    model: {
      type: 'string', minLength: 1,
      description: 'The `did` stage whose specification is estimated in each group (outcome, treatment, controls, fixed effects, clustering, sample and weights are all kept).',
      examples: ['baseline'],
    },
    by: {
      description:
        'The groups: a categorical column (one group per value, in sorted order), or a list of conditions (each one group, named by its text), or a mapping of group names to conditions, ' +
        'in the expression language of `sample:` (e.g. `{resource: "resource_based == 1", other: "resource_based == 0"}`). Groups must not overlap; rows in no group are left out. Give `by` or `moderator`.',
      oneOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: condition, minItems: 2, uniqueItems: true },
        { type: 'object', additionalProperties: condition, minProperties: 2 },
      ],
      examples: ['region', { resource: 'resource_based == 1', other: 'resource_based == 0' }],
    },
    levels: {
      type: 'array', items: { type: ['string', 'number'] }, minItems: 2, uniqueItems: true,
      description: 'With `by:` a column: the groups to estimate and their order in the table and figure (e.g. `[east, central, west]`); rows with other values are left out. Default: every value, sorted.',
      examples: [['east', 'central', 'west']],
    },
    group_labels: {
      type: 'object', additionalProperties: { type: 'string' },
      description: 'Display names of the groups in the table and figure, by group name (a value of the `by` column or a condition\'s name), e.g. `{ east: East }`. Facts keep the group names.',
    },
    test: {
      type: 'array', items: { enum: ['interaction', 'suest', 'permutation'] }, uniqueItems: true, default: DEFAULT_TESTS,
      description:
        'Tests that the treatment effect is equal across groups: `interaction` (the fully interacted model, Wald F clustered as the model), `suest` (seemingly unrelated estimation, Wald χ²), ' +
        '`permutation` (Fisher\'s test with group labels permuted across panel units). The split-sample z is always reported for two groups. Default: [interaction, suest].',
    },
    draws: {
      type: 'integer', minimum: 0, maximum: 1000000,
      description: `Permutations for \`test: permutation\`. Default: ${DEFAULT_DRAWS}. With \`permutations\` the file sets the draws.`,
    },
    permutations: {
      type: 'string', minLength: 1,
      description: 'A CSV of given permutations to replay instead of drawing: columns `draw`, `unit`, `group`; in each draw every unit of the sample appears once, and the labels are a permutation of the observed ones. Relative to the pipeline file.',
      examples: ['data/permutations.csv'],
    },
    moderator: {
      type: 'string', minLength: 1,
      description: 'Continuous moderation instead of groups: a numeric column Z; the model adds Z and treatment × Z, and the marginal effect of the treatment is drawn over the range of Z. Give `by` or `moderator`.',
      examples: ['fin'],
    },
    center: {
      type: 'boolean', default: true,
      description: 'With `moderator`: centre Z at its mean on the estimation sample, so the treatment coefficient is the effect at the mean of Z. Default: true.',
    },
    title: { type: 'string', description: 'Table title. Default: "Heterogeneous treatment effects" (or "Moderation by <Z>").' },
  },
}
