/** `with:` of the `policy-mix` stage: the did specification keys, the policies and their timing, the event window. */
import type { JsonSchema } from '../../src/stage.ts'
import { column, regressionProps, type RegressionParams } from '../_estimation/params.ts'

/** A policy's adoption column, written as the column name or as `{adoption: <column>}` (did's treatment form). */
export type PolicyTiming = string | { adoption: string }

export interface PolicyMixParams extends RegressionParams {
  policies: Record<string, PolicyTiming>
  pair?: [string, string]
  window: [number, number]
  reference: number
  level: number
  titles?: { table?: string; event?: string }
}

export const DEFAULT_TITLE = 'Policy mix: separate, additive and interacted effects'
export const DEFAULT_EVENT_TITLE = 'Event study of the joint exposure'

/** Policy names become term names (`cluster`, `cluster:lowcarbon`) and fact arguments: identifiers only. */
export const POLICY_NAME = '^[A-Za-z][A-Za-z0-9_]*$'

const inherited = ['model', 'from', 'outcome', 'controls', 'fixed_effects', 'cluster', 'vcov', 'small_sample', 'cluster_df', 'singletons', 'weights', 'sample', 'labels', 'digits'] as const

/** The shared regression keys (no defaults, so that values inherited through `model:` are not overridden). */
function inheritedProps(): Record<string, JsonSchema> {
  const props = regressionProps('policy-mix')
  const out: Record<string, JsonSchema> = {}
  for (const k of inherited) out[k] = props[k]
  out.model = {
    ...out.model,
    description: 'A `did` stage whose specification to reuse (outcome, controls, fixed effects, clustering, weights, sample, labels); its treatment is replaced by the policies. Other keys given here override it.',
  }
  return out
}

function pick(props: Record<string, JsonSchema>, keys: readonly string[]): Record<string, JsonSchema> {
  return Object.fromEntries(keys.map((k) => [k, props[k]]))
}

export const policyMixParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['policies'],
  properties: {
    ...pick(inheritedProps(), ['model', 'from', 'outcome']),
    policies: {
      type: 'object',
      minProperties: 2,
      propertyNames: { pattern: POLICY_NAME },
      additionalProperties: {
        oneOf: [
          column('Column of adoption years of this policy (missing or 0 for units that never adopt it).', ['lowcarbon_year']),
          {
            type: 'object', additionalProperties: false, required: ['adoption'],
            properties: { adoption: column('Column of adoption years of this policy (missing or 0 for units that never adopt it).', ['lowcarbon_year']) },
          },
        ],
      },
      description:
        'Two or more policies, each a name (a letter, then letters, digits or `_`; it names the policy\'s term) and its column of adoption years, as `did` reads them: ' +
        'post = 1 from the adoption year on, 0 before and for units whose year is missing or 0. Written `{name: column}` or `{name: {adoption: column}}`.',
      examples: [{ cluster: 'pilot_year', lowcarbon: 'lowcarbon_year' }],
    },
    pair: {
      type: 'array', items: { type: 'string', minLength: 1 }, minItems: 2, maxItems: 2, uniqueItems: true,
      description:
        'The two policies of the headline synergy, the categories column and the joint-exposure event study. With more than two policies, the interacted column then has this product only; ' +
        'default: the first two policies as written, with every pairwise product in the interacted column.',
      examples: [['cluster', 'lowcarbon']],
    },
    ...pick(inheritedProps(), inherited.filter((k) => k !== 'model' && k !== 'from' && k !== 'outcome')),
    window: {
      type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2, default: [-4, 4],
      description: 'Relative periods [lo, hi] of the joint-exposure event study (years relative to the arrival of the second policy of the pair); earlier periods are binned into lo and later ones into hi. Default: [-4, 4].',
      examples: [[-4, 4]],
    },
    reference: { type: 'integer', default: -1, description: 'The omitted relative period of the event study. Default: -1 (the year before the second policy arrives).' },
    level: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95, description: 'Confidence level of the intervals in tidy.csv and the event-study figure. Default: 0.95.' },
    titles: {
      type: 'object', additionalProperties: false,
      properties: {
        table: { type: 'string', description: `Title of the table. Default: "${DEFAULT_TITLE}".` },
        event: { type: 'string', description: `Title of the event-study table and figure. Default: "${DEFAULT_EVENT_TITLE}".` },
      },
      description: 'Titles of the outputs.',
      examples: [{ table: 'Table 6. Policy mix', event: 'Figure 4. Both pilots' }],
    },
  },
}
