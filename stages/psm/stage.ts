/**
 * psm: propensity-score matching. A logit (or probit) score of the treatment on the
 * covariates, then nearest-neighbour (1:k, with or without replacement, caliper), radius or
 * kernel matching, pooled or within each value of `by`; the matched frame (with `_pscore`,
 * `_weight`, `_support`) for a PSM-DID through `did` (`from: <this stage>, weights: _weight`),
 * the balance table and figures, the matches, and for a cross-section the ATT with its
 * Abadie–Imbens standard error. Formulas: docs/methods.md, "psm".
 */
import { defineStage } from '../../src/stage.ts'
import { knownColumns } from './columns.ts'
import { checkPsm } from './check.ts'
import { psmParams, type PsmParams } from './params.ts'

const matching = () => import('./run.ts')

export const PSM_FACTS = [
  'att', 'se_att', 'treated', 'controls', 'matched_treated', 'matched_controls', 'dropped_support',
  'max_abs_bias_before', 'max_abs_bias_after', 'bias_before(<covariate>)', 'bias_after(<covariate>)',
] as const

export default defineStage<PsmParams>({
  kind: 'psm',
  version: 1,
  description:
    'Propensity-score matching (logit/probit score; nearest 1:k with or without replacement and caliper, radius, kernel; pooled or by period): matched frame with `_pscore`, `_weight`, `_support`, balance table and figures, matches.csv, ATT with Abadie–Imbens SE.',
  params: psmParams,
  references: ['from'],
  produces: ['frame', 'data'],
  consumes: { from: 'frame' },
  facts: [...PSM_FACTS],
  columns: knownColumns,
  check: checkPsm,
  async run(ctx) {
    const { runPsm } = await matching()
    return runPsm(ctx)
  },
})
