/** `with:` of the `spatial` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'
import { spatialSpecProps, type SpatialSpecParams } from '../_spatial/params.ts'

export type SpatialModelName = 'sar' | 'sem' | 'sdm'

export interface SpatialParams extends SpatialSpecParams {
  model: SpatialModelName
  select: 'aic' | 'bic'
  effects_draws: number
  correction: 'none' | 'elhorst' | 'transformation'
  logdet: 'exact' | 'monte-carlo'
}

export const DEFAULT_EFFECTS_DRAWS = 1000

export const spatialParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['model', 'weights'],
  properties: {
    ...spatialSpecProps(),
    model: {
      enum: ['sar', 'sem', 'sdm'],
      description: '`sar` (spatial lag of y, term `rho`), `sem` (spatial error, term `lambda`) or `sdm` (spatial Durbin: the lag of y and of every regressor, terms `rho` and `W*x`).',
    },
    correction: {
      enum: ['none', 'elhorst', 'transformation'], default: 'none',
      description: '`elhorst`: Lee and Yu\'s (2010) bias correction of the fixed-effects ML as in Elhorst\'s sar_panel_FE/sem_panel_FE (bc = 1): with time effects the estimates move by the 1/N bias term, with unit effects σ² is scaled by T/(T − 1); standard errors at the corrected values. `transformation`: Lee and Yu\'s (2010) transformation approach, ML of the model transformed to (N − 1)(T − 1) observations (two-way effects; unit effects: N(T − 1), time effects: (N − 1)T), consistent where the direct approach is biased by the time effects; with time effects it needs row-standardized weights and `lag_convention: elhorst`. Default: `none`.',
    },
    logdet: {
      enum: ['exact', 'monte-carlo'], default: 'exact',
      description: '`exact`: ln|I − ρW| and the traces from the eigenvalues of W, standard errors through one dense N × N inverse (practical to a few thousand units). `monte-carlo`: Barry and Pace\'s series with Hutchinson trace estimates (100 moments, 100 probes from the stage seed) and no dense matrices, for large sparse W; about 1% on the log-determinant and 10⁻³ on ρ (docs/methods.md). Default: `exact`.',
    },
    select: {
      enum: ['aic', 'bic'], default: 'aic',
      description: 'When the weights offer several candidates (a composite over a grid of `a`): the criterion that chooses among them when AIC and BIC disagree. Default: `aic`.',
    },
    effects_draws: {
      type: 'integer', minimum: 0, maximum: 100000, default: DEFAULT_EFFECTS_DRAWS,
      description: `Draws from the estimates' asymptotic normal for the standard errors of the direct, indirect and total effects (SAR, SDM); 0 for none. Default: ${DEFAULT_EFFECTS_DRAWS}.`,
    },
  },
}
