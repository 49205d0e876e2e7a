/**
 * heterogeneity: does the treatment effect of a did model differ between groups? The
 * `model:` stage's specification is estimated in each group of `by` (a column, or named
 * conditions), printed side by side, with tests of equal effects: the split-sample z (two
 * groups), the fully interacted model's Wald F (`interaction`), seemingly unrelated
 * estimation's Wald χ² (`suest`), and Fisher's permutation test (`permutation`, group labels
 * permuted across units, draw r seeded by (stage seed, r)). With `moderator:` instead, a
 * continuous moderation D × Z and the marginal effect of D over Z. Formulas:
 * docs/methods.md, "heterogeneity".
 */
import { QuasiError } from '../../src/errors.ts'
import { defineStage } from '../../src/stage.ts'
import { knownColumns } from './columns.ts'
import { heterogeneityParams, DEFAULT_TESTS, type HeterogeneityParams } from './params.ts'

const heterogeneity = () => import('./run.ts')

export const HETEROGENEITY_FACTS = [
  'coef(<group>)', 'se(<group>)', 'p(<group>)', 'nobs(<group>)', 'groups', 'diff', 'z_diff', 'p_z',
  'f_interaction', 'p_interaction', 'chi2_suest', 'p_suest', 'p_permutation', 'p_permutation_share', 'permutation_draws',
  'p_moderation', 'coef_moderation', 'center', 'coef(<term>)', 'se(<term>)', 'p(<term>)', 'nobs',
] as const

export default defineStage<HeterogeneityParams>({
  kind: 'heterogeneity',
  version: 1,
  description:
    'Heterogeneous treatment effects of a did model: one estimate per group of `by` with tests of equal effects (split-sample z, fully interacted Wald F, suest χ², permutation), or continuous moderation (`moderator:`) with the marginal effect; table, tests.csv, effects.svg / marginal.svg.',
  params: heterogeneityParams,
  references: ['model'],
  files: ['permutations'],
  random: true,
  produces: ['model', 'data'],
  consumes: { model: 'model' },
  facts: [...HETEROGENEITY_FACTS],
  check,
  columns: knownColumns,
  async run(ctx) {
    const { runHeterogeneity } = await heterogeneity()
    return runHeterogeneity(ctx)
  },
})

/** Checks that need no data: `by` or `moderator` (one of them), and draws for the permutation test. */
function check(p: HeterogeneityParams): QuasiError[] {
  const errors: QuasiError[] = []
  if ((p.by === undefined) === (p.moderator === undefined)) {
    errors.push(new QuasiError(p.by === undefined ? 'MISSING_PARAM' : 'INVALID_VALUE', p.by === undefined
      ? 'heterogeneity needs `by:` (the groups) or `moderator:` (a continuous moderator)'
      : 'give `by:` (groups) or `moderator:` (continuous moderation), not both', {
      param: p.by === undefined ? [] : ['moderator'], expected: '`by` or `moderator`',
    }))
  }
  const tests = p.test ?? DEFAULT_TESTS
  const k = tests.indexOf('permutation')
  if (k >= 0 && p.draws === 0 && p.permutations === undefined) {
    errors.push(new QuasiError('INVALID_VALUE', 'Expected `draws` to be an integer >= 1 when `test` includes `permutation`, got `0` (number)', {
      param: ['draws'], expected: 'an integer >= 1', found: '0', hint: `remove \`permutation\` from \`test\` (item ${k + 1}), or give draws: 1000`,
    }))
  }
  return errors
}
