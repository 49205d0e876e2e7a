/**
 * imputation: the Borusyak, Jaravel & Spiess (2024) imputation estimator for staggered
 * adoption. The two-way fixed-effects model (with the did model's controls) is fitted on the
 * untreated observations only, Y(0) imputed for the treated ones, and τ̂_it = Y_it − Ŷ_it(0)
 * averaged overall and by event time, with BJS's conservative clustered variance.
 * Formulas: docs/methods.md, "imputation"; numerics: src/stats/imputation/.
 */
import { QuasiError } from '../../src/errors.ts'
import { defineStage } from '../../src/stage.ts'
import { imputationParams, type ImputationParams } from './params.ts'

const imputation = () => import('./run.ts')

/**
 * `att`, `se`, `p`: the overall ATT (equal weights on every treated observation at h ≥ 0);
 * `n_treated` its treated observations; `att(<h>)`, `se(<h>)`, `p(<h>)` the effect at event
 * time h (e.g. `att(0)`, `att(3)`, `att(-1)` with anticipation); `pretrend_F`, `pretrend_p`,
 * `pre(<h>)` the pre-trend test and its coefficient at event time h < 0 (e.g. `pre(-1)`) when `pretrends` > 0.
 */
export const IMPUTATION_FACTS = ['att', 'se', 'p', 'n_treated', 'att(<h>)', 'se(<h>)', 'p(<h>)', 'pretrend_F', 'pretrend_p', 'pre(<h>)'] as const

export default defineStage<ImputationParams>({
  kind: 'imputation',
  version: 1,
  description:
    'Borusyak–Jaravel–Spiess (2024) imputation estimator for a staggered did model: fit unit and period effects (and controls) on untreated observations, impute Y(0) for treated ones, average the effects overall and by event time with the conservative clustered variance; effects.csv, a table (table.md/.tex/.html/.csv), event_study.svg, an optional pre-trend test; facts `att`, `se`, `p`, `n_treated`, `att(<h>)`, `se(<h>)`, `p(<h>)`, `pretrend_F`, `pretrend_p`, `pre(<h>)`.',
  params: imputationParams,
  references: ['model'],
  produces: ['model', 'data'],
  consumes: { model: 'model' },
  facts: [...IMPUTATION_FACTS],
  check: (p) => (p.horizons && p.horizons[0] > p.horizons[1]
    ? [new QuasiError('INVALID_VALUE', `Expected \`horizons\` [lo, hi] with lo ≤ hi, got [${p.horizons.join(', ')}]`, { param: ['horizons'], hint: 'e.g. `horizons: [0, 5]`' })]
    : []),
  async run(ctx) {
    const { runImputation } = await imputation()
    return runImputation(ctx)
  },
})
