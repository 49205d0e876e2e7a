/**
 * cs-did: the Callaway & Sant'Anna (2021) estimator for staggered adoption: group-time average
 * treatment effects ATT(g,t) against never- or not-yet-treated units (without covariates, or
 * with them by outcome regression, IPW or the doubly robust estimator of Sant'Anna & Zhao
 * 2020), their simple, dynamic (event-time), group and calendar aggregations, analytic and
 * multiplier-bootstrap standard errors, and a uniform band for the event study.
 * Formulas: docs/methods.md, "cs-did".
 */
import { defineStage } from '../../src/stage.ts'
import { csDidParams, type CsDidParams } from './params.ts'

const csdid = () => import('./run.ts')

export const CS_DID_FACTS = ['att', 'se', 'p', 'att(e=<k>)', 'se(e=<k>)', 'att(dynamic)', 'att(g=<g>)', 'att(group)', 'att(t=<t>)', 'att(calendar)', 'cells', 'crit', 'crit(group)', 'crit(calendar)', 'crit(attgt)'] as const

export default defineStage<CsDidParams>({
  kind: 'cs-did',
  version: 1,
  description:
    'Callaway–Sant\'Anna ATT(g,t) for staggered adoption (never/not-yet treated controls; dr, ipw or reg with covariates) and their aggregations: attgt.csv, a table per aggregation (md/tex/html/csv), event_study.svg with a uniform band; facts `att`, `se`, `p` (simple), `att(e=<k>)`, `se(e=<k>)`, `att(dynamic)`, `att(g=<g>)`, `att(group)`, `att(t=<t>)`, `att(calendar)`, `cells`, `crit`, `crit(group)`, `crit(calendar)`, `crit(attgt)` (uniform critical values of the dynamic, group and calendar aggregations and of the ATT(g,t)).',
  params: csDidParams,
  references: ['model'],
  produces: ['data'],
  consumes: { model: 'model' },
  facts: [...CS_DID_FACTS],
  async run(ctx) {
    const { runCsDid } = await csdid()
    return runCsDid(ctx)
  },
})
