/**
 * table: a paper table of models estimated by other stages, one column per stage (its main
 * model), or stacked panels of columns. It re-estimates nothing: it reads the model
 * artifact (src/artifacts/model.ts) and prints it with the estimation stages' own table
 * builder (stages/_estimation/outputs.ts).
 *
 * Facts: `columns`, `panels`, and per column j (1-based) `coef(<term>, j)`, `se(…)`, `t(…)`,
 * `p(…)`, `nobs(j)`, `r2(j)`, `adj_r2(j)`, `within_r2(j)`, `n_clusters(j)`; with panels the
 * column is `p, j` (panel p, column j), e.g. `coef(did, 2, 1)`.
 */
import { QuasiError } from '../../src/errors.ts'
import { defineStage } from '../../src/stage.ts'
import { tableParams, type TableParams } from '../_estimation/table-params.ts'

const render = () => import('./run.ts')

export default defineStage<TableParams>({
  kind: 'table',
  version: 1,
  description:
    'Paper table of models from other stages: one column per stage\'s main model (matrix groups expand), or stacked panels; facts `coef(<term>, <j>)`, `se(…)`, `p(…)`, `nobs(<j>)`, `columns` (with panels `coef(<term>, <panel>, <j>)`).',
  params: tableParams,
  references: ['columns', 'panels'],
  consumes: { columns: 'model', panels: 'model' },
  produces: [],
  check(params) {
    if (params.columns !== undefined && params.panels !== undefined) {
      return [new QuasiError('INVALID_VALUE', 'give `columns` or `panels`, not both', {
        param: ['panels'], expected: '`columns: [stages…]` for one block, or `panels: {"Panel A": [stages…], …}` for stacked panels',
      })]
    }
    if (params.columns === undefined && params.panels === undefined) {
      return [new QuasiError('MISSING_PARAM', 'table needs `columns` (the stages whose models are its columns) or `panels`', {
        param: [], expected: 'columns or panels', hint: 'e.g. `columns: [baseline, patents, other_policies]`',
      })]
    }
    return []
  },
  async run(ctx) {
    const { runTable } = await render()
    return runTable(ctx)
  },
})
