/**
 * mediation: the three-step (or two-step) mechanism analysis of a did model. For each
 * mediator M the `model:` stage's specification is fitted three times: Y on D (total effect
 * c), M on D (a), Y on D and M (direct effect c′, b); the indirect effect a·b is tested by
 * Sobel, Aroian and Goodman z and by a cluster bootstrap (draw r uses its own random stream
 * (stage seed, r), so results do not depend on threads). Formulas: docs/methods.md, "mediation".
 */
import { defineStage } from '../../src/stage.ts'
import { knownColumns } from './columns.ts'
import { mediationParams, type MediationParams } from './params.ts'

const mediation = () => import('./run.ts')

export const MEDIATION_FACTS = [
  'indirect(<mediator>)', 'a(<mediator>)', 'b(<mediator>)', 'se_a(<mediator>)', 'se_b(<mediator>)', 'p_a(<mediator>)', 'p_b(<mediator>)',
  'z_sobel(<mediator>)', 'p_sobel(<mediator>)', 'p_aroian(<mediator>)', 'p_goodman(<mediator>)',
  'ci_low(<mediator>)', 'ci_high(<mediator>)', 'share(<mediator>)', 'total(<mediator>)', 'direct(<mediator>)', 'mediators', 'draws',
] as const

export default defineStage<MediationParams>({
  kind: 'mediation',
  version: 1,
  description:
    'Mechanism (mediation) analysis of a did model: per mediator the total effect, a and b, Sobel/Aroian/Goodman tests and a cluster bootstrap of a·b (or the two-step design); the stacked mechanism table, indirect.csv, draws.csv and indirect.svg.',
  params: mediationParams,
  references: ['model'],
  files: ['resamples'],
  random: true,
  produces: ['data'],
  consumes: { model: 'model' },
  facts: [...MEDIATION_FACTS],
  columns: knownColumns,
  async run(ctx) {
    const { runMediation } = await mediation()
    return runMediation(ctx)
  },
})
