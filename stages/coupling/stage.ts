/**
 * coupling: the coupling coordination degree of n subsystems per unit and period. Each
 * subsystem's index u is an entropy-weighted composite of its indicators (or a given column);
 * C = n·[Π u_i/(Σ u_i)ⁿ]^(1/n), T = Σ α_i u_i, D = √(C·T), D's ten-level class and the
 * lagging subsystem. The frame gains u_<subsystem>, C, T, D, D_class, D_level and lagging, so
 * later stages can use D as an outcome; weights.csv, means.{md,tex,html,csv} and ccd.svg.
 * Formulas: src/stats/entropy/weights.ts, src/stats/coupling/ccd.ts, docs/methods.md.
 */
import { defineStage } from '../../src/stage.ts'
import { checkCoupling } from './check.ts'
import { knownColumns } from './columns.ts'
import { COUPLING_FACTS } from './outputs.ts'
import { couplingParams, type CouplingParams } from './params.ts'

// The plotting library loads only when a coupling stage runs.
const work = () => import('./run.ts')

export default defineStage<CouplingParams>({
  kind: 'coupling',
  version: 1,
  description: 'Coupling coordination degree of n subsystems per unit and period: entropy-weighted indices u, C, T, D, the ten-level class and the lagging subsystem as new columns; weights.csv, means table, ccd.svg.',
  params: couplingParams,
  references: ['from'],
  consumes: { from: 'frame' },
  produces: ['frame'],
  facts: COUPLING_FACTS,
  columns: knownColumns,
  check: checkCoupling,
  async run(ctx) {
    const { runCoupling } = await work()
    return runCoupling(ctx)
  },
})
