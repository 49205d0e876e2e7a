/**
 * placebo: randomization inference for a difference-in-differences estimate. The `model:`
 * stage's specification is re-estimated with the treatment reassigned at random (`draws`
 * times, `scheme: units | mixed`), or with fake adoption years before the true ones
 * (`scheme: time`), or with given reassignments (`assignments:`); the actual estimate is
 * compared with the distribution of placebo estimates. Draw d uses its own random stream
 * (stage seed, d), so results do not depend on threads. Formulas: docs/methods.md, "placebo".
 */
import { defineStage } from '../../src/stage.ts'
import { placeboParams, type PlaceboParams } from './params.ts'

const placebo = () => import('./run.ts')

export const PLACEBO_FACTS = ['p_placebo', 'p_left', 'p_right', 'p_one_sided', 'mean', 'sd', 'actual', 'draws'] as const

export default defineStage<PlaceboParams>({
  kind: 'placebo',
  version: 2,
  description:
    'Placebo (randomization) test of a did model: the treatment reassigned across units (`units`), moved earlier (`time`) or both (`mixed`), or replayed from a file; draws.csv, summary.csv, density and scatter figures; facts `p_placebo`, `p_left`, `p_right`, `mean`, `sd`.',
  params: placeboParams,
  references: ['model'],
  files: ['assignments'],
  random: true,
  produces: ['data'],
  consumes: { model: 'model' },
  facts: [...PLACEBO_FACTS],
  async run(ctx) {
    const { runPlacebo } = await placebo()
    return runPlacebo(ctx)
  },
})
