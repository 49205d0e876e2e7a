/**
 * policy-mix: several policies, each with its own adoption years, in one two-way FE design
 * (the `model:` did stage's outcome, controls, fixed effects, weights and clustering):
 * each policy alone, all additively, with the pairwise products (the synergy), and the
 * mutually exclusive categories of the headline pair (a only, b only, both); the synergy
 * tests, the joint effect against the sum of the separate effects (suest Wald χ²), and an
 * event study of the joint exposure around the second policy's arrival. Formulas:
 * specifications.ts, tests.ts, event.ts and docs/methods.md, "policy-mix".
 */
import { defineStage } from '../../src/stage.ts'
import { requiredUnlessModel } from '../_estimation/check.ts'
import { MODEL_FACTS } from '../_estimation/facts.ts'
import { knownColumns } from './columns.ts'
import { policyMixParams, type PolicyMixParams } from './params.ts'
import { checkPolicies } from './policies.ts'

const estimation = () => import('./run.ts')

export const POLICY_MIX_FACTS = [
  'policies', 'alone(<policy>)', 'alone_se(<policy>)', 'alone_p(<policy>)',
  'synergy', 'synergy_se', 'synergy_p', 'synergy(<a>,<b>)', 'synergy_p(<a>,<b>)', 'synergies_F', 'synergies_p',
  'joint', 'joint_se', 'sum_separate', 'joint_minus_sum', 'joint_minus_sum_se', 'joint_minus_sum_chi2', 'joint_minus_sum_p',
  'pretrend_F', 'pretrend_p', 'pretrend_df', 'both_units',
] as const

export default defineStage<PolicyMixParams>({
  kind: 'policy-mix',
  version: 1,
  description:
    'Several policies with their own adoption years: each alone, additive, interacted (synergy) and categories (a only, b only, both) columns with the model\'s fixed effects and clustered errors; ' +
    'synergy tests and the joint effect against the sum of the separate effects (suest Wald χ²) in tests.csv; an event study of the joint exposure around the second policy\'s arrival (event_study.svg, for event-compare). ' +
    'Facts: the interacted column\'s `coef(<term>)`, `se(<term>)`, … and `synergy`, `synergy_p`, `joint`, `sum_separate`, `joint_minus_sum_p`, `synergy(<a>,<b>)`, `alone(<policy>)`.',
  params: policyMixParams,
  references: ['from', 'model'],
  produces: ['frame', 'model', 'data'],
  facts: [...MODEL_FACTS, ...POLICY_MIX_FACTS],
  consumes: { from: 'frame', model: 'model' },
  columns: knownColumns,
  check: (params) => [...requiredUnlessModel('policy-mix', params, ['from', 'outcome']), ...checkPolicies(params)],
  async run(ctx) {
    // The regression kernel and the plotting library load only when the stage runs.
    const { runPolicyMix } = await estimation()
    return runPolicyMix(ctx)
  },
})
