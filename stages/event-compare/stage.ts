/**
 * event-compare: one figure overlaying the event studies of several stages — the TWFE
 * `event-study`, `cs-did`, `sa-event-study`, `imputation` — each estimator's estimates and
 * intervals slightly offset horizontally at each event time, as the overlay plots of the
 * applied staggered-adoption literature; and the same numbers as a table and a CSV. It
 * estimates nothing: it reads the `event_study` series each stage publishes in its data.
 */
import { QuasiError } from '../../src/errors.ts'
import { defineStage } from '../../src/stage.ts'
import { eventCompareParams, type EventCompareParams } from './params.ts'

const compare = () => import('./run.ts')

export default defineStage<EventCompareParams>({
  kind: 'event-compare',
  version: 1,
  description:
    'Overlay of the event studies of several stages (event-study, cs-did, sa-event-study, imputation): compare.svg, a table with an estimator per column (compare.md/.tex/.html/.csv), estimates.csv; facts `estimate(<stage>, <k>)`, `se(<stage>, <k>)`, `estimators`, `max_gap`.',
  params: eventCompareParams,
  references: ['stages'],
  consumes: { stages: 'data' },
  produces: ['data'],
  facts: ['estimate(<stage>, <k>)', 'se(<stage>, <k>)', 'low(<stage>, <k>)', 'high(<stage>, <k>)', 'estimators', 'max_gap'],
  check(params) {
    const w = params.window
    if (w && w[0] > w[1]) {
      return [new QuasiError('INVALID_VALUE', `Expected \`window\` as [lo, hi] with lo ≤ hi, got [${w[0]}, ${w[1]}]`, { param: ['window'], hint: 'e.g. `window: [-5, 5]`' })]
    }
    const unknown = Object.keys(params.labels ?? {}).filter((k) => !params.stages.includes(k))
    if (unknown.length) {
      return [new QuasiError('INVALID_VALUE', `\`labels\` names ${unknown.map((k) => `\`${k}\``).join(', ')}, not among \`stages\``, { param: ['labels', unknown[0]], expected: `one of ${params.stages.map((s) => `\`${s}\``).join(', ')}` })]
    }
    return []
  },
  async run(ctx) {
    const { runEventCompare } = await compare()
    return runEventCompare(ctx)
  },
})
