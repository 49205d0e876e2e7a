/**
 * spatial: SAR, SEM and SDM panel models with unit, time or two-way fixed effects by
 * maximum likelihood (src/stats/spatial/ml.ts); with `treatment:` the spatial DID. Exact
 * direct, indirect and total effects with simulated standard errors; over a composite W's
 * grid of `a`, one fit per candidate and the a chosen by AIC (or BIC). Formulas:
 * docs/methods.md, "Spatial panel models".
 */
import { defineStage } from '../../src/stage.ts'
import { spatialParams, type SpatialParams } from './params.ts'
import { spatialColumns } from '../_spatial/columns.ts'

const estimation = () => import('./run.ts')

export const SPATIAL_FACTS = [
  'coef(<term>)', 'se(<term>)', 'z(<term>)', 'p(<term>)', 'nobs', 'N', 'T', 'logLik', 'AIC', 'BIC', 'sigma2', 'a',
  'direct(<x>)', 'indirect(<x>)', 'total(<x>)', 'se_direct(<x>)', 'se_indirect(<x>)', 'se_total(<x>)',
] as const

export default defineStage<SpatialParams>({
  kind: 'spatial',
  version: 4,
  description:
    'Spatial panel models (SAR, SEM, SDM) with fixed effects by maximum likelihood, the spatial DID with `treatment:`; direct/indirect/total effects; the mixing weight of a composite W chosen by AIC/BIC.',
  params: spatialParams,
  references: ['from', 'spec', 'weights'],
  random: true,
  produces: ['model', 'data'],
  consumes: { from: 'frame', spec: 'model', weights: 'weights' },
  columns: spatialColumns,
  facts: [...SPATIAL_FACTS],
  async run(ctx) {
    const { runSpatial } = await estimation()
    return runSpatial(ctx)
  },
})
