/** The heterogeneity stage's work, loaded on demand by stage.ts (see docs/methods.md, "heterogeneity"). */
import { Frame } from '../../src/artifacts/frame.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import { mainModel } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import { forestPlot, renderSvg } from '../../src/report/figure.ts'
import { fixed } from '../../src/report/table.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { splitSampleZ, type SplitZ } from '../../src/stats/heterogeneity/compare.ts'
import type { PermutationResult } from '../../src/stats/heterogeneity/permute.ts'
import type { WaldTest } from '../../src/stats/ols/hypothesis.ts'
import { labeller, modelTable, tableFiles } from '../_estimation/outputs.ts'
import { applySample, withTreatment } from '../_estimation/prepare.ts'
import { resolveSpec, type SpecInput } from '../_estimation/spec.ts'
import { fitGroups } from './fits.ts'
import { resolveGroups } from './groups.ts'
import { runModeration } from './moderation.ts'
import { DEFAULT_DRAWS, DEFAULT_TESTS, type HeterogeneityParams } from './params.ts'
import { readPermutations } from './permutations.ts'
import { interactionTest, permutationSetup, randomLabelling, runPermutations, suestTest } from './tests.ts'

export const DEFAULT_TITLE = 'Heterogeneous treatment effects'

export async function runHeterogeneity(ctx: StageContext<HeterogeneityParams>): Promise<StageResult> {
  const p = ctx.params
  requireDid(ctx)
  const { spec, origin, frame: input } = resolveSpec(ctx as unknown as StageContext<SpecInput>, { needs: 'treatment' })
  const term = spec.term!
  const frame = withTreatment(ctx, spec, origin, input)
  const { frame: data } = applySample(ctx, spec, origin, frame)
  const label = labeller([mainModel(ctx.input(p.model).artifact('model')!)], spec.labels)
  if (p.moderator !== undefined) return runModeration(ctx, spec, origin, data, label)
  if (p.by === undefined) throw new QuasiError('MISSING_PARAM', 'heterogeneity needs `by:` (the groups) or `moderator:` (a continuous moderator)', { param: [], expected: '`by` or `moderator`' })

  const tests = p.test ?? DEFAULT_TESTS
  const testAt = (t: string): (string | number)[] => ['test', tests.indexOf(t as never)]
  const groups = resolveGroups(ctx, p.by, data, p.levels)
  const shown = groups.names.map((n) => p.group_labels?.[n] ?? n)
  for (const k of Object.keys(p.group_labels ?? {})) {
    if (!groups.names.includes(k)) {
      throw new QuasiError('INVALID_VALUE', `\`group_labels\` names \`${k}\`, which is not a group`, { param: ['group_labels', k], expected: `one of ${groups.names.map((n) => `\`${n}\``).join(', ')}` })
    }
  }
  const notes = typeof spec.treatment === 'object'
    ? [`\`${term}\` = 1 from the adoption year (${spec.treatment.adoption}) on, 0 before and for never-treated units.`]
    : []
  const fits = fitGroups(ctx, spec, origin, data, groups, notes)
  const models = fits.map((f) => f.model)
  const effect = fits.map((f) => f.fit.terms.find((t) => t.term === term)!)
  fits.forEach((f, g) => ctx.log.info(`${f.name}: ${term} = ${effect[g].estimate.toPrecision(4)} (se ${effect[g].stdError.toPrecision(3)}), N = ${f.fit.nobs}`))

  const m = fits.length
  const split: SplitZ | undefined = m === 2 ? splitSampleZ(effect[0].estimate, effect[0].stdError, effect[1].estimate, effect[1].stdError) : undefined
  let interaction: WaldTest | undefined, suest: WaldTest | undefined, perm: PermutationResult | undefined
  if (tests.includes('interaction')) interaction = interactionTest(spec, data, groups, testAt('interaction')).wald
  if (tests.includes('suest')) suest = suestTest(spec, data, fits, testAt('suest')).wald
  if (tests.includes('permutation')) {
    const setup = permutationSetup(ctx, spec, data, groups, testAt('permutation'))
    if (p.permutations !== undefined) {
      const labellings = readPermutations(ctx.files.permutations, setup.units, groups.names, setup.observed)
      if (p.draws !== undefined) ctx.log.warn('`draws` is ignored: the draws are those of `permutations`')
      perm = runPermutations(ctx, setup, labellings.length, (r) => labellings[r])
    } else {
      perm = runPermutations(ctx, setup, p.draws ?? DEFAULT_DRAWS, randomLabelling(ctx, setup.observed))
    }
    if (perm.used < perm.draws.length) ctx.log.warn(`${perm.draws.length - perm.used} of ${perm.draws.length} permutations left a group without an estimate of the treatment; they are left out`)
  }
  if (ctx.signal.aborted) throw new QuasiError('CANCELLED', 'cancelled')

  // ---- outputs ----------------------------------------------------------------------
  const first = (v: string): string[] => [v, ...new Array<string>(m - 1).fill('')]
  const f3 = (x: number) => fixed(x, 3)
  const rows: Record<string, string[]> = {}
  if (split) {
    rows[`Difference (${shown[0]} − ${shown[1]})`] = first(f3(split.diff))
    rows['z of the difference'] = first(f3(split.z))
    rows['p-value (z)'] = first(f3(split.p))
  }
  if (interaction) { rows[`F (interaction, ${interaction.dfNum}, ${interaction.dfDen})`] = first(f3(interaction.F)); rows['p-value (interaction)'] = first(f3(interaction.pF)) }
  if (suest) { rows[`χ² (suest, ${suest.dfNum})`] = first(f3(suest.chi2)); rows['p-value (suest)'] = first(f3(suest.pChi2)) }
  if (perm) {
    rows[`Permutation p (${perm.used} draws)`] = first(f3(perm.p))
    rows['Empirical p (share of draws)'] = first(f3(perm.share))
  }
  const table = modelTable(models, {
    title: spec.title ?? DEFAULT_TITLE, keep: [term, ...spec.controls], digits: spec.digits,
    columnLabels: shown, rows,
    notes: [
      ...(split ? ['z = (b₁ − b₂)/√(se₁² + se₂²) (Clogg et al. 1995).'] : []),
      ...(interaction ? ['Interaction: Wald F of equal treatment effects in the fully interacted model (every regressor and fixed effect interacted with the group), clustered as the model.'] : []),
      ...(suest ? ['suest: Wald χ² of equal treatment effects under the seemingly-unrelated-estimation covariance (scores stacked by cluster, factor G/(G − 1)).'] : []),
      ...(perm ? [`Permutation: group labels permuted across units; p = (1 + #{|T*| ≥ |T|})/(1 + R); the empirical p is #{|T*| ≥ |T|}/R${m > 2 ? '; T = Σ(b_g − b̄)²' : '; T = b₁ − b₂'}.`] : []),
    ],
  })
  const testRows: [string, string, number, number, number, number][] = []
  if (split) {
    testRows.push(['difference', 'b1 - b2', split.diff, NaN, NaN, NaN])
    testRows.push(['split_z', 'z', split.z, NaN, NaN, split.p])
  }
  if (interaction) testRows.push(['interaction', 'F', interaction.F, interaction.dfNum, interaction.dfDen, interaction.pF])
  if (suest) testRows.push(['suest', 'chi2', suest.chi2, suest.dfNum, NaN, suest.pChi2])
  if (perm) {
    testRows.push(['permutation', m === 2 ? 'b1 - b2' : 'sum (b_g - mean b)^2', perm.statistic, perm.used, NaN, perm.p])
    testRows.push(['permutation_share', m === 2 ? 'b1 - b2' : 'sum (b_g - mean b)^2', perm.statistic, perm.used, NaN, perm.share])
  }
  const testsCsv = writeCsv(Frame.from({
    test: testRows.map((r) => r[0]), statistic: testRows.map((r) => r[1]),
    value: Float64Array.from(testRows, (r) => r[2]), df1: Float64Array.from(testRows, (r) => r[3]),
    df2: Float64Array.from(testRows, (r) => r[4]), 'p.value': Float64Array.from(testRows, (r) => r[5]),
  }))
  const files: Record<string, string> = { ...tableFiles(table, models, shown), 'tests.csv': testsCsv }
  if (perm) {
    files['permutations.csv'] = writeCsv(Frame.from({ draw: Float64Array.from(perm.draws, (_, k) => k + 1), statistic: perm.draws }))
  }
  files['effects.svg'] = await renderSvg(forestPlot(
    fits.map((f, g) => ({ label: shown[g], estimate: effect[g].estimate, low: effect[g].confLow, high: effect[g].confHigh })),
    { xTitle: `Effect of ${label(term)} (95% confidence interval)`, yTitle: groups.column ? label(groups.column) : 'Group' },
  ))

  const facts: Record<string, number> = { groups: m }
  fits.forEach((f, g) => {
    const k = factKey(f.name)
    if (k === undefined) return
    facts[`coef(${k})`] = effect[g].estimate
    facts[`se(${k})`] = effect[g].stdError
    facts[`p(${k})`] = effect[g].pValue
    facts[`nobs(${k})`] = f.fit.nobs
  })
  if (split) Object.assign(facts, { diff: split.diff, z_diff: split.z, p_z: split.p })
  if (interaction) Object.assign(facts, { f_interaction: interaction.F, p_interaction: interaction.pF })
  if (suest) Object.assign(facts, { chi2_suest: suest.chi2, p_suest: suest.pChi2 })
  if (perm) Object.assign(facts, { p_permutation: perm.p, p_permutation_share: perm.share, permutation_draws: perm.used })
  return {
    model: { models, main: 0 },
    data: { term, groups: [...groups.names] },
    files,
    facts,
  }
}

/**
 * A group's name as a fact argument: without white space, as expectations are read
 * (`coef(resource_based==1)`); a name with a parenthesis or comma cannot be one (no facts).
 */
function factKey(name: string): string | undefined {
  const k = name.replace(/\s+/g, '')
  return k && !/[(),]/.test(k) ? k : undefined
}

/** The `model:` stage must carry a DID specification (a treatment); a `regress` stage does not. */
function requireDid(ctx: StageContext<HeterogeneityParams>): void {
  const up = ctx.input(ctx.params.model)
  const models = up.artifact('model')
  const spec = models ? (mainModel(models).spec as { treatment?: unknown; outcome?: unknown } | null) : null
  if (!spec || typeof spec !== 'object' || typeof spec.outcome !== 'string' || spec.treatment === undefined || spec.treatment === null) {
    throw new QuasiError('INVALID_VALUE', `stage \`${ctx.params.model}\` (${up.kind}) is not a difference-in-differences specification: it has no treatment whose effect could differ between groups`, {
      param: ['model'], expected: 'a `did` stage', found: `a \`${up.kind}\` stage`,
    })
  }
}
