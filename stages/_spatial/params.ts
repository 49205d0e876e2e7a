/**
 * The parameters the spatial stage kinds share (`spatial`, `spatial-tests`): the data, the
 * specification and the weights, with their JSON Schema pieces.
 */
import type { JsonSchema } from '../../src/stage.ts'
import { column, treatmentSchema, type Treatment } from '../_estimation/params.ts'

export type LagConventionName = 'elhorst' | 'splm'

export interface SpatialSpecParams {
  from?: string
  spec?: string
  outcome?: string
  treatment?: Treatment
  regressors?: string[]
  fixed_effects?: string[]
  weights: string
  lag_convention?: LagConventionName
  labels?: Record<string, string>
  digits?: number
  title?: string
}

export function spatialSpecProps(): Record<string, JsonSchema> {
  return {
    from: column('Stage whose table holds the panel. Required unless `spec` is given (then the `spec` stage\'s table is used).', ['gie']),
    spec: column(
      'A `did` (or `regress`) stage whose specification to take: outcome, treatment, controls (as `regressors`) and fixed effects, unless given here.',
      ['baseline'],
    ),
    outcome: column('Dependent variable (numeric column). Required unless `spec` is given.', ['gie']),
    treatment: {
      ...treatmentSchema,
      description:
        'Optional: the treatment of a spatial DID, a 0/1 column or `{adoption: <column>}` (then the term is `did`), as in `did`. It is the first regressor; in the SDM its spatial lag `W*did` is among the regressors too.',
    },
    regressors: {
      type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true,
      description: 'Regressors (numeric columns) after the treatment; each also enters lagged (`W*x`) in the SDM. Default: none (or the `spec` stage\'s controls).',
      examples: [['eco', 'fin']],
    },
    fixed_effects: {
      type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true, maxItems: 2,
      description: 'The panel unit and/or time column: `[unit, time]` (two-way, the default), `[unit]` or `[time]`. Effects are swept out by demeaning; at least one is needed (the models have no intercept).',
      examples: [['city', 'year']],
    },
    weights: column('A `spatial-weights` stage: the N × N matrix over the panel units (one, or one per value of a composite\'s mixing weight `a`).', ['w_geo']),
    lag_convention: {
      enum: ['elhorst', 'splm'],
      description:
        'Where the spatial lags are formed under fixed effects: `elhorst` (default; Wy and WX on the raw data, then demeaned, as Elhorst\'s Matlab code and Stata xsmle) or `splm` (W applied to the demeaned data, as R splm::spml). They differ with time effects; see docs/methods.md.',
    },
    labels: {
      type: 'object', additionalProperties: { type: 'string' },
      description: 'Display names of terms and the outcome in tables, e.g. `{did: "Pilot × Post"}`.',
    },
    digits: { type: 'integer', minimum: 0, maximum: 8, description: 'Decimals in the tables. Default: 3.' },
    title: { type: 'string', description: 'Table title.' },
  }
}
