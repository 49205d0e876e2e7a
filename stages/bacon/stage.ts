/**
 * bacon: the Goodman-Bacon (2021) decomposition of a staggered-adoption did model's two-way
 * fixed-effects coefficient into its 2×2 comparisons (earlier vs later treated, later vs
 * earlier treated, treated vs never and vs always treated), each with its estimate and
 * variance-share weight; with `covariates: true`, of the coefficient with the model's
 * controls into a within-timing-group component and 2×2 comparisons of pairs of timing
 * groups (section 5 of the paper). Balanced panels. Formulas: docs/methods.md, "bacon".
 */
import { defineStage } from '../../src/stage.ts'
import { baconParams, type BaconParams } from './params.ts'

const bacon = () => import('./run.ts')

export const BACON_FACTS = ['twfe', 'comparisons', 'weight(<type>)', 'estimate(<type>)'] as const

export default defineStage<BaconParams>({
  kind: 'bacon',
  version: 2,
  description:
    'Goodman-Bacon decomposition of a staggered did model\'s TWFE coefficient: every 2×2 comparison with its estimate and weight (decomposition.csv), a summary by type (summary.md/.tex/.html/.csv), scatter.svg; facts `twfe`, `comparisons`, `weight(<type>)`, `estimate(<type>)` with types `earlier_vs_later`, `later_vs_earlier`, `treated_vs_never`, `treated_vs_always`; with `covariates: true` (the model\'s controls), types `both_treated`, `treated_vs_never`, `treated_vs_always` and the within-timing-group component `within` (a row of decomposition.csv and of the summary, a point of the scatter).',
  params: baconParams,
  references: ['model'],
  produces: ['data'],
  consumes: { model: 'model' },
  facts: [...BACON_FACTS],
  async run(ctx) {
    const { runBacon } = await bacon()
    return runBacon(ctx)
  },
})
