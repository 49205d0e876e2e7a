/**
 * The heterogeneity stage on AER::Guns against R (test/fixtures/heterogeneity/make.R): group
 * models (plm), the split-sample z, the fully interacted model (lm + sandwich::vcovCL), suest
 * by a hand computation of stacked cluster scores, the permutation test by replaying R's
 * permutations, and the moderation by income; then random draws and the errors of the issue.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageResult } from '../../src/stage.ts'
import did from '../../stages/did/stage.ts'
import regress from '../../stages/regress/stage.ts'
import heterogeneity from '../../stages/heterogeneity/stage.ts'
import type { HeterogeneityParams } from '../../stages/heterogeneity/params.ts'
import fx from '../fixtures/heterogeneity/guns.json' with { type: 'json' }
import { makeTestContext } from '../helpers/context.ts'
import { expectClose, readCsvFrame } from '../unit/stats/helpers.ts'

const DIR = 'test/fixtures/heterogeneity'
const CONTROLS = ['prisoners', 'afam', 'cauc', 'male', 'population', 'income', 'density']
const panel = { unit: 'state', time: 'year' }
const guns = readCsvFrame(`${DIR}/guns.csv`)
const permSize = readFileSync(`${DIR}/permutations_size.csv`, 'utf8')
const permRegion = readFileSync(`${DIR}/permutations_region.csv`, 'utf8')
const TOL = { rel: 1e-8, abs: 1e-12 }

type Up = { kind: string; frame?: Frame; model?: StageResult['model'] }

async function model(params: Record<string, unknown>, kind = did, data = guns): Promise<Up> {
  const ctx = makeTestContext({ params: { small_sample: 'nested', stepwise: false, digits: 3, ...params }, inputs: { guns: data }, panel, stage: 'baseline', kind: kind.kind })
  const r = await kind.run(ctx as never)
  return { frame: r.frame, model: r.model, kind: kind.kind }
}

const baselineParams = { from: 'guns', outcome: 'lviolent', treatment: 'law', controls: CONTROLS, cluster: 'state' }
const baseline = await model(baselineParams)

async function run(params: Partial<HeterogeneityParams>, opts: { up?: Up; permutations?: string; seed?: number } = {}) {
  const ctx = makeTestContext<HeterogeneityParams>({
    params: { model: 'baseline', test: ['interaction', 'suest'], center: true, ...(opts.permutations !== undefined ? { permutations: 'permutations.csv' } : {}), ...params } as HeterogeneityParams,
    inputs: { baseline: opts.up ?? baseline }, panel, stage: 'het', kind: 'heterogeneity', seed: opts.seed ?? 11,
    files: opts.permutations !== undefined ? { permutations: { rel: 'permutations.csv', bytes: opts.permutations } } : {},
  })
  const result = await heterogeneity.run(ctx)
  return { result, ctx }
}

async function quasiError(p: Promise<unknown>): Promise<QuasiError> {
  try { await p } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

function csvRows(text: string): Record<string, string>[] {
  const lines = text.trim().split('\n')
  const head = lines[0].split(',')
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, j) => [head[j], v])))
}

type GroupFx = { estimate: number; se: number; p: number; nobs: number }
function checkGroups(facts: Record<string, number>, groups: Record<string, GroupFx>): void {
  for (const [g, r] of Object.entries(groups)) {
    expectClose(facts[`coef(${g})`], r.estimate, TOL, `coef(${g})`)
    expectClose(facts[`se(${g})`], r.se, TOL, `se(${g})`)
    expectClose(facts[`p(${g})`], r.p, TOL, `p(${g})`)
    expect(facts[`nobs(${g})`]).toBe(r.nobs)
  }
}

describe('two groups (state size): every test against R', async () => {
  const { result } = await run({ by: 'size', test: ['interaction', 'suest', 'permutation'] }, { permutations: permSize })
  const f = result.facts!
  const R = fx.size

  test('group models match plm (nested SEs)', () => checkGroups(f, R.groups))

  test('split-sample z', () => {
    expectClose(f.diff, R.split.diff, TOL, 'diff')
    expectClose(f.z_diff, R.split.z, TOL, 'z')
    expectClose(f.p_z, R.split.p, TOL, 'p_z')
  })

  test('fully interacted model: Wald F and p (lm + vcovCL)', () => {
    expectClose(f.f_interaction, R.interaction.F, TOL, 'F')
    expectClose(f.p_interaction, R.interaction.p, TOL, 'p')
  })

  test('suest: chi2 and p (stacked scores by cluster)', () => {
    expectClose(f.chi2_suest, R.suest.chi2, TOL, 'chi2')
    expectClose(f.p_suest, R.suest.p, TOL, 'p')
  })

  test('permutation replay: every draw, the count, both p-values', () => {
    const rows = csvRows(result.files!['permutations.csv'] as string)
    expect(rows).toHaveLength(R.permutation.draws.length)
    rows.forEach((r, k) => expectClose(Number(r.statistic), R.permutation.draws[k], TOL, `draw ${k + 1}`))
    const n = R.permutation.draws.length
    expect(f.p_permutation).toBe((1 + R.permutation.count) / (1 + n))
    expect(f.p_permutation_share).toBe(R.permutation.count / n)
    expectClose(f.p_permutation, R.permutation.p, TOL, 'p')
    expect(f.permutation_draws).toBe(R.permutation.draws.length)
  })

  test('outputs: the table has a column per group and the test rows; tests.csv; effects.svg', () => {
    const md = result.files!['table.md'] as string
    expect(md).toMatch(/\| *large *\| *small *\|/)
    expect(md).toContain('F (interaction, 1, 50)')
    expect(md).toContain('Empirical p (share of draws)')
    const tests = csvRows(result.files!['tests.csv'] as string)
    expect(tests.map((t) => t.test)).toEqual(['difference', 'split_z', 'interaction', 'suest', 'permutation', 'permutation_share'])
    expect(result.files!['table.tex']).toContain('\\begin{tabular}')
    expect(result.files!['effects.svg']).toMatch(/<svg/)
    expect(String(result.files!['tidy.csv'])).toMatch(/^model,term/)
  })
})

describe('four groups (census region)', async () => {
  const { result } = await run({ by: 'region', test: ['interaction', 'suest', 'permutation'] }, { permutations: permRegion })
  const f = result.facts!
  const R = fx.region
  test('group models, F, chi2 and the permutation dispersion against R', () => {
    checkGroups(f, R.groups)
    expectClose(f.f_interaction, R.interaction.F, TOL, 'F')
    expectClose(f.p_interaction, R.interaction.p, TOL, 'p_interaction')
    expectClose(f.chi2_suest, R.suest.chi2, TOL, 'chi2')
    expectClose(f.p_suest, R.suest.p, TOL, 'p_suest')
    const rows = csvRows(result.files!['permutations.csv'] as string)
    rows.forEach((r, k) => expectClose(Number(r.statistic), R.permutation.draws[k], TOL, `draw ${k + 1}`))
    expect(f.p_permutation).toBe((1 + R.permutation.count) / (1 + R.permutation.draws.length))
    expect(f.diff).toBeUndefined()
  })
})

test('levels order and subset the groups of a column; group_labels name them in the table and figure, facts keep the values', async () => {
  const all = await run({ by: 'region', test: ['interaction'] })
  const values = (all.result.data as { groups: string[] }).groups
  const [a, b] = [values[2], values[0]]
  const { result } = await run({ by: 'region', levels: [a, b], group_labels: { [a]: 'First', [b]: 'Second' }, test: ['interaction'] })
  expect((result.data as { groups: string[] }).groups).toEqual([a, b])
  expect(result.facts!.groups).toBe(2)
  // The same group model whichever groups are estimated beside it.
  expect(result.facts![`coef(${a})`]).toBeCloseTo(all.result.facts![`coef(${a})`], 12)
  expect(result.files!['table.md']).toMatch(/\| *\| First \| Second \|/)
  expect(result.files!['table.md']).toContain('Difference (First − Second)')
  expect(result.files!['effects.svg']).toContain('First')
  const missing = await quasiError(run({ by: 'region', levels: [a, 'nowhere'] }))
  expect(missing.code).toBe('INVALID_VALUE')
  expect(missing.param).toEqual(['levels', 1])
  const typo = await quasiError(run({ by: 'region', group_labels: { nowhere: 'X' } }))
  expect(typo.param).toEqual(['group_labels', 'nowhere'])
})

describe('conditions that cut across clusters (early and late years)', async () => {
  const { result } = await run({ by: { early: 'year < 1988', late: 'year >= 1988' } })
  const f = result.facts!
  const R = fx.period
  test('group models, z, interaction and suest (non-zero cross-covariance) against R', () => {
    checkGroups(f, R.groups)
    expectClose(f.z_diff, R.split.z, TOL, 'z')
    expectClose(f.f_interaction, R.interaction.F, TOL, 'F')
    expectClose(f.chi2_suest, R.suest.chi2, TOL, 'chi2')
    expect(Math.abs(R.suest.vcov_law[0][1])).toBeGreaterThan(0)
  })
})

test('conditions as a list: groups named by their text, facts without white space', async () => {
  const { result } = await run({ by: ['year < 1988', 'year >= 1988'] })
  expectClose(result.facts!['coef(year<1988)'], fx.period.groups.early.estimate, TOL, 'early')
  expectClose(result.facts!['coef(year>=1988)'], fx.period.groups.late.estimate, TOL, 'late')
  expect(result.files!['table.md']).toMatch(/\| *year < 1988 *\| *year >= 1988 *\|/)
})

describe('moderation by income (centred)', async () => {
  const { result } = await run({ moderator: 'income' })
  const R = fx.moderation
  test('coefficients, the test of law × income and the marginal effect curve against R', () => {
    const f = result.facts!
    expectClose(f['coef(law)'], R.coef.law, TOL, 'law')
    expectClose(f['se(law)'], R.se.law, TOL, 'se law')
    expectClose(f['coef(law:income)'], R.coef.law_income, TOL, 'law:income')
    expectClose(f.p_moderation, R.p_interaction, TOL, 'p_moderation')
    expectClose(f.center, R.center, TOL, 'center')
    const rows = csvRows(result.files!['marginal.csv'] as string)
    expect(rows).toHaveLength(R.grid.length)
    rows.forEach((r, j) => {
      const g = R.grid[j]
      expectClose(Number(r.income), g.z, TOL, `z ${j}`)
      expectClose(Number(r.effect), g.effect, TOL, `effect ${j}`)
      expectClose(Number(r.se), g.se, TOL, `se ${j}`)
      expectClose(Number(r['conf.low']), g.low, TOL, `low ${j}`)
      expectClose(Number(r['conf.high']), g.high, TOL, `high ${j}`)
    })
    expect(result.files!['marginal.svg']).toMatch(/<svg/)
  })

  test('center: false gives the same interaction and the effect at income = 0', async () => {
    const { result: u } = await run({ moderator: 'income', center: false })
    expectClose(u.facts!['coef(law:income)'], R.coef.law_income, TOL, 'law:income')
    expectClose(u.facts!['coef(law)'], R.coef.law - R.coef.law_income * R.center, { rel: 1e-7 }, 'law at 0')
    expect(u.facts!.center).toBe(0)
  })
})

describe('random permutations', () => {
  test('seeded per draw: same seed, same bytes; another seed, other draws', async () => {
    const a = await run({ by: 'size', test: ['permutation'], draws: 40 })
    const b = await run({ by: 'size', test: ['permutation'], draws: 40 })
    const c = await run({ by: 'size', test: ['permutation'], draws: 40 }, { seed: 12 })
    expect(b.result.files!['permutations.csv']).toBe(a.result.files!['permutations.csv'])
    expect(c.result.files!['permutations.csv']).not.toBe(a.result.files!['permutations.csv'])
    const p = a.result.facts!
    expect(p.p_permutation).toBeCloseTo((1 + p.p_permutation_share * 40) / 41, 12)
    expect(a.ctx.progressCalls.at(-1)).toEqual([40, 40])
  })
})

describe('errors', () => {
  test('a regress model is not a DID specification', async () => {
    const up = await model({ from: 'guns', outcome: 'lviolent', regressors: ['law'], cluster: 'state' }, regress as never)
    const e = await quasiError(run({ by: 'size' }, { up }))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['model'])
  })

  test('`by` column missing, with a suggestion', async () => {
    const e = await quasiError(run({ by: 'sise' }))
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.param).toEqual(['by'])
    expect(e.message).toMatch(/did you mean `size`/)
  })

  test('a group with one cluster names the group', async () => {
    const e = await quasiError(run({ by: { arizona: 'state == "Arizona"', rest: 'state != "Arizona"' } }))
    expect(e.code).toBe('INVALID_SPEC')
    expect(e.param).toEqual(['by', 'arizona'])
    expect(e.message).toMatch(/group `arizona` has 1 cluster of `state`/)
  })

  test('a group in which the treatment does not vary names the group', async () => {
    const e = await quasiError(run({ by: ['law == 1', 'law == 0'] }))
    expect(e.code).toBe('NO_VARIATION')
    expect(e.param).toEqual(['by', 0])
    expect(e.message).toMatch(/group `law == 1`/)
  })

  test('validate: misspelt columns in `by` (column or condition) and `moderator`, from the model stage\'s table', () => {
    const ctx = { input: (p: string) => (p === 'model' ? guns.names : undefined), header: () => undefined, panel }
    const at = (params: Partial<HeterogeneityParams>) => heterogeneity.columns!({ model: 'baseline', test: [], center: true, ...params } as HeterogeneityParams, ctx).errors.map((e) => [e.code, e.param, e.message])
    expect(at({ by: 'sise' })).toEqual([['MISSING_COLUMN', ['by'], 'unknown column `sise`; did you mean `size`?']])
    expect(at({ by: { a: 'yeer < 1988', b: 'year >= 1988' } })).toEqual([['MISSING_COLUMN', ['by', 'a'], expect.stringMatching(/unknown column "yeer"/)]])
    expect(at({ moderator: 'incme' })).toEqual([['MISSING_COLUMN', ['moderator'], 'unknown column `incme`; did you mean `income`?']])
    expect(at({ by: ['year < 1988', 'year >= 1988'] })).toEqual([])
  })

  test('draws: 0 with the permutation test is refused before running', () => {
    const errs = heterogeneity.check!({ model: 'baseline', by: 'size', test: ['permutation'], draws: 0, center: true })
    expect(errs.map((e) => [e.code, e.param])).toEqual([['INVALID_VALUE', ['draws']]])
  })

  test('by and moderator together, or neither', () => {
    expect(heterogeneity.check!({ model: 'b', test: [], center: true }).map((e) => e.code)).toEqual(['MISSING_PARAM'])
    expect(heterogeneity.check!({ model: 'b', by: 'size', moderator: 'income', test: [], center: true }).map((e) => e.param)).toEqual([['moderator']])
  })

  test('suest refuses a two-way clustered model', async () => {
    const up = await model({ ...baselineParams, cluster: ['state', 'year'] })
    const e = await quasiError(run({ by: 'size', test: ['interaction', 'suest'] }, { up }))
    expect(e.code).toBe('INVALID_SPEC')
    expect(e.param).toEqual(['test', 1])
  })

  test('permutation needs groups constant within units', async () => {
    const e = await quasiError(run({ by: { early: 'year < 1988', late: 'year >= 1988' }, test: ['permutation'] }))
    expect(e.code).toBe('INVALID_SPEC')
    expect(e.param).toEqual(['test', 0])
  })

  test('overlapping conditions', async () => {
    const e = await quasiError(run({ by: { a: 'year < 1990', b: 'year > 1985' } }))
    expect(e.code).toBe('BAD_DATA')
    expect(e.param).toEqual(['by', 'b'])
  })

  test('permutations file: a draw that is not a permutation of the labels', async () => {
    const bad = permSize.replace(/^1,Alabama,(large|small)$/m, (_, g: string) => `1,Alabama,${g === 'large' ? 'small' : 'large'}`)
    const e = await quasiError(run({ by: 'size', test: ['permutation'] }, { permutations: bad }))
    expect(e.code).toBe('BAD_DATA')
    expect(e.param).toEqual(['permutations'])
    expect(e.message).toMatch(/not a permutation/)
  })
})
