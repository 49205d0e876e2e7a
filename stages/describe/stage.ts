/**
 * describe: the descriptive-statistics table that opens a paper's results — the variables by
 * role (dependent, core explanatory, controls, mediators) with label, symbol, N, mean, SD,
 * min and max — optionally per group side by side with tests of equal means (pilot vs
 * non-pilot before the policy), and a correlation table with variance inflation factors.
 * Formulas and conventions: docs/methods.md, "Descriptive statistics".
 *
 * Files: table.{md,tex,html,csv}, describe.csv; with `by` differences.csv; with
 * `correlation: true` correlation.{md,tex,html,csv}, correlations.csv and vif.csv.
 * Facts: stages/describe/outputs.ts.
 */
import { defineStage } from '../../src/stage.ts'
import { knownColumns } from '../_describe/columns.ts'
import { DESCRIBE_FACTS } from '../_describe/outputs.ts'
import { describeParams, type DescribeParams } from '../_describe/params.ts'
import { checkDescribe } from '../_describe/variables.ts'

const compute = () => import('./run.ts')

export default defineStage<DescribeParams>({
  kind: 'describe',
  version: 1,
  description:
    'Descriptive statistics table (Table 1): variables by role with label, symbol, N, mean, SD, min, max (quartiles on request); by groups with Welch and clustered tests of equal means; ' +
    'correlation matrix with VIFs; facts `mean(<variable>)`, `sd(…)`, `n(…)`, `diff(…)`, `p_cluster(…)`, `vif_max`.',
  params: describeParams,
  references: ['from'],
  consumes: { from: 'frame' },
  produces: [],
  facts: DESCRIBE_FACTS,
  columns: knownColumns,
  check: checkDescribe,
  async run(ctx) {
    const { runDescribe } = await compute()
    return runDescribe(ctx)
  },
})
