/** `with:` of the `moran` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'

export interface MoranParams {
  from: string
  column: string
  weights: string
  candidate?: string | number
  unit?: string
  time?: string
  randomisation: boolean
  alternative: 'greater' | 'two.sided'
  draws: number
  local: boolean
  period?: string | number
  conditional: boolean
  alpha: number
  lat?: string
  lon?: string
  digits: number
  title?: string
}

export const DEFAULT_DRAWS = 999

export const moranParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'column', 'weights'],
  properties: {
    from: { type: 'string', minLength: 1, description: 'The table holding `column`: a panel (one statistic per period) or one row per unit.' },
    column: { type: 'string', minLength: 1, description: 'The numeric column whose spatial autocorrelation is measured.', examples: ['gie'] },
    weights: { type: 'string', minLength: 1, description: 'The `spatial-weights` stage giving W (over the same units as `from`).' },
    candidate: {
      type: ['string', 'number'],
      description: 'Which matrix of a composite grid to use: its label (`"a = 0.5"`) or its a (`0.5`). Required when the weights stage offers more than one.',
    },
    unit: { type: 'string', minLength: 1, description: 'The unit column. Default: the pipeline\'s `panel.unit`.' },
    time: { type: 'string', minLength: 1, description: 'The period column (one statistic per period). Default: the pipeline\'s `panel.time` when `from` has it; otherwise one cross-section.' },
    randomisation: { type: 'boolean', default: true, description: 'The variance in the table and in `z(...)`/`p(...)`: under randomisation (true, spdep\'s default) or normality (false). moran.csv has both. Default: true.' },
    alternative: { enum: ['greater', 'two.sided'], default: 'greater', description: 'The p of the table and of `p(...)`: one-sided for positive autocorrelation (spdep\'s default) or two-sided. moran.csv has both. Default: `greater`.' },
    draws: { type: 'integer', minimum: 0, maximum: 1000000, default: DEFAULT_DRAWS, description: `Random permutations per period for the permutation p (as spdep's moran.mc); 0 for none. Default: ${DEFAULT_DRAWS}.` },
    local: { type: 'boolean', default: false, description: 'Also compute local Moran\'s I (LISA) per unit for `period`: local.csv, and lisa.svg when `lat` and `lon` are given. Default: false.' },
    period: { type: ['string', 'number'], description: 'The period of the local statistics. Default: the last period.' },
    conditional: { type: 'boolean', default: true, description: 'Local Moran: moments conditional on the unit\'s own value (spdep\'s default since 1.2) or under total randomisation (Anselin 1995). Default: true.' },
    alpha: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.05, description: 'Local Moran: significance level of the cluster map. Default: 0.05.' },
    lat: { type: 'string', minLength: 1, description: 'Latitude column for the LISA cluster map.' },
    lon: { type: 'string', minLength: 1, description: 'Longitude column for the LISA cluster map.' },
    digits: { type: 'integer', minimum: 0, maximum: 10, default: 3, description: 'Decimals in the table. Default: 3.' },
    title: { type: 'string', description: 'Table title. Default: "Global Moran\'s I of <column>".' },
  },
}
