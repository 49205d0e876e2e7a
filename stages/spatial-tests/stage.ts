/**
 * spatial-tests: which spatial model the panel calls for. LM tests for a spatial lag and a
 * spatial error (and their robust forms) on the pooled fixed-effects regression; LR and
 * Wald tests of the SDM against the SAR (θ = 0) and the SEM (θ + ρβ = 0); the Hausman test of
 * fixed against random effects. Formulas: docs/methods.md, "Spatial specification tests".
 */
import { defineStage } from '../../src/stage.ts'
import { spatialTestsParams, type SpatialTestsParams } from './params.ts'
import { spatialColumns } from '../_spatial/columns.ts'

const tests = () => import('./run.ts')

export const SPATIAL_TEST_FACTS = [
  'lm_lag', 'p_lm_lag', 'rlm_lag', 'p_rlm_lag', 'lm_err', 'p_lm_err', 'rlm_err', 'p_rlm_err',
  'lr_sar', 'p_lr_sar', 'lr_sem', 'p_lr_sem', 'wald_sar', 'p_wald_sar', 'wald_sem', 'p_wald_sem', 'hausman', 'p_hausman',
] as const

export default defineStage<SpatialTestsParams>({
  kind: 'spatial-tests',
  version: 3,
  description: 'Specification tests for spatial panel models: LM lag/error (robust too), LR and Wald of SDM against SAR and SEM, Hausman FE against RE; a paper-style table.',
  params: spatialTestsParams,
  references: ['from', 'spec', 'weights'],
  produces: ['data'],
  consumes: { from: 'frame', spec: 'model', weights: 'weights' },
  columns: spatialColumns,
  facts: [...SPATIAL_TEST_FACTS],
  async run(ctx) {
    const { runSpatialTests } = await tests()
    return runSpatialTests(ctx)
  },
})
