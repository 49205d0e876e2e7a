/**
 * trend: the evolution of a column over time — its mean (or median) per period, overall and
 * per group (region, pilot status), with a band of ± 1 SD (or the interquartile range), as
 * papers draw the temporal evolution of efficiency scores. trend.svg (Vega-Lite, journal
 * style) and trend.csv (the numbers drawn).
 *
 * Facts: `periods`, `series`, and per period t `value(t)`, `low(t)`, `high(t)`, `n(t)` of the
 * overall line, `value(t, g)` and so on per group g (its label without white space), and
 * `change` / `change(g)`: the value in the last period minus the first.
 */
import { QuasiError } from '../../src/errors.ts'
import { defineStage } from '../../src/stage.ts'
import { knownColumns } from './columns.ts'
import { trendParams, type TrendParams } from './params.ts'

// The plotting library loads only when a trend stage runs.
const draw = () => import('./run.ts')

export default defineStage<TrendParams>({
  kind: 'trend',
  version: 1,
  description: 'Figure of a column\'s mean (or median) over time, overall and by group, with a ± SD (or interquartile) band; trend.svg and trend.csv; facts `value(<time>)`, `value(<time>, <group>)`, `change`.',
  params: trendParams,
  references: ['from'],
  consumes: { from: 'frame' },
  produces: [],
  facts: ['periods', 'series', 'value(<time>)', 'low(<time>)', 'high(<time>)', 'n(<time>)', 'value(<time>, <group>)', 'low(<time>, <group>)', 'high(<time>, <group>)', 'n(<time>, <group>)', 'change', 'change(<group>)'],
  columns: knownColumns,
  check(p) {
    if (p.period && p.period[0] > p.period[1]) {
      return [new QuasiError('INVALID_VALUE', `\`period\` runs backwards: [${p.period[0]}, ${p.period[1]}]`, { param: ['period'], expected: '[from, to] with from <= to' })]
    }
    if (!p.by && !p.overall) {
      return [new QuasiError('INVALID_VALUE', 'nothing to draw: `overall: false` without `by`', { param: ['overall'], hint: 'give `by:` for one line per group, or draw the overall line' })]
    }
    return []
  },
  async run(ctx) {
    const { runTrend } = await draw()
    return runTrend(ctx)
  },
})
