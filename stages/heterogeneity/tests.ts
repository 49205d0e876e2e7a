/**
 * The tests of equal treatment effects across groups, on the group fits (fits.ts): the fully
 * interacted model's Wald F, suest's Wald χ², and Fisher's permutation test. Formulas:
 * src/stats/heterogeneity and docs/methods.md, "heterogeneity".
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageContext } from '../../src/stage.ts'
import { factorize, subsetFactor } from '../../src/stats/fe/factor.ts'
import { equalityTest } from '../../src/stats/heterogeneity/compare.ts'
import { permutationTest, type PermutationDesign, type PermutationResult } from '../../src/stats/heterogeneity/permute.ts'
import { factorOfName, regress } from '../../src/stats/ols/regress.ts'
import { withInteractionColumns } from '../../src/stats/ols/terms.ts'
import type { WaldTest } from '../../src/stats/ols/hypothesis.ts'
import { regressionSpec, type EstimationSpec } from '../_estimation/spec.ts'
import { suestOf } from '../_estimation/suest.ts'
import type { GroupFit } from './fits.ts'
import { indicesWhere, type Groups } from './groups.ts'

/** Name of the group-code column added for the interacted fixed effects. */
const GROUP_COLUMN = '__group'

/**
 * The fully interacted model: the treatment and every control multiplied by each group's
 * indicator, every fixed effect interacted with the group (the group itself when there are
 * none), on the rows of all groups, clustered as the model. Its treatment coefficients are
 * the group models'; the test is their equality (F on (m − 1, G − 1)).
 */
export function interactionTest(spec: EstimationSpec, data: Frame, groups: Groups, at: (string | number)[]): { wald: WaldTest; estimates: number[] } {
  const m = groups.names.length
  const keep = Uint8Array.from(groups.of, (g) => (g >= 0 ? 1 : 0))
  const base = withInteractionColumns(data, spec.controls).filter(keep)
  const of = Int32Array.from(groups.of.filter((g) => g >= 0))
  const cols: Record<string, Float64Array | (string | null)[]> = { [GROUP_COLUMN]: Array.from(of, (g) => String(g)) }
  const regressors: string[] = []
  for (let g = 0; g < m; g++) {
    for (const v of [spec.term!, ...spec.controls]) {
      const x = base.numbers(v)
      const name = `${v}#${g}`
      cols[name] = Float64Array.from(x, (xi, i) => (of[i] === g ? xi : 0))
      regressors.push(name)
    }
  }
  let frame = base
  for (const [name, c] of Object.entries(cols)) frame = frame.withColumn(name, c instanceof Float64Array ? { type: 'number', data: c } : { type: 'string', data: c })
  const fixedEffects = spec.fixed_effects.length ? spec.fixed_effects.map((f) => `${f}:${GROUP_COLUMN}`) : [GROUP_COLUMN]
  let fit
  try {
    fit = regress(frame, { ...regressionSpec(spec, regressors), fixedEffects })
  } catch (err) {
    if (err instanceof QuasiError) throw new QuasiError(err.code, `the fully interacted model: ${err.message}`, { param: at, hint: err.hint, cause: err })
    throw err
  }
  const idx = groups.names.map((_, g) => fit.terms.findIndex((t) => t.term === `${spec.term}#${g}`))
  if (idx.some((i) => i < 0)) {
    throw new QuasiError('SINGULAR_DESIGN', 'the fully interacted model cannot estimate the treatment in every group', { param: at })
  }
  return {
    wald: equalityTest(fit.terms.map((t) => t.estimate), fit.vcov, fit.dfT, idx),
    estimates: idx.map((i) => fit.terms[i].estimate),
  }
}

/** suest: the group models' joint covariance from scores stacked by cluster; Wald χ² of equal treatment effects. */
export function suestTest(spec: EstimationSpec, data: Frame, fits: readonly GroupFit[], at: (string | number)[]): { wald: WaldTest; vcov: Float64Array } {
  if (spec.vcov === 'cluster' && spec.cluster.length > 1) {
    throw new QuasiError('INVALID_SPEC', `suest stacks scores by one cluster variable; the model is clustered two ways (${spec.cluster.join(', ')})`, {
      param: at, expected: 'a model clustered on one variable (or not clustered)', hint: 'use `test: [interaction]`, which keeps the two-way clustering, or cluster the `model:` stage on one variable',
    })
  }
  const V = suestOf(spec, data, fits.map((gf) => ({ frame: gf.frame, spec: regressionSpec(spec, [spec.term!, ...spec.controls]), fit: gf.fit, tableRows: gf.tableRows })))
  const idx = fits.map((gf, g) => V.offsets[g] + gf.fit.terms.findIndex((t) => t.term === spec.term))
  const m = idx.length
  const b = idx.map((_, g) => fits[g].fit.terms.find((t) => t.term === spec.term)!.estimate)
  const Vb = new Float64Array(m * m)
  for (let a = 0; a < m; a++) for (let c = 0; c < m; c++) Vb[a * m + c] = V.V[idx[a] * V.P + idx[c]]
  return { wald: equalityTest(b, Vb, Infinity, b.map((_, g) => g)), vcov: Vb }
}

export interface PermutationSetup {
  readonly design: PermutationDesign
  /** Unit names (as text) in code order, and each unit's observed group. */
  readonly units: readonly string[]
  readonly observed: Int32Array
}

/**
 * The permutation design: candidate rows (every variable of the model present, in a group),
 * units from the panel unit column; the group must be constant within each unit.
 */
export function permutationSetup(ctx: StageContext<unknown>, spec: EstimationSpec, data: Frame, groups: Groups, at: (string | number)[]): PermutationSetup {
  const panel = ctx.panel
  if (!panel) {
    throw new QuasiError('INVALID_SPEC', 'the permutation test permutes group labels across panel units: declare `panel: { unit, time }` in the pipeline', { param: at })
  }
  const frame = withInteractionColumns(data, spec.controls)
  const n = frame.nrows
  const keep = Uint8Array.from(groups.of, (g) => (g >= 0 ? 1 : 0))
  const nums = [spec.outcome, spec.term!, ...spec.controls].map((c) => frame.numbers(c))
  for (const x of nums) for (let i = 0; i < n; i++) if (!Number.isFinite(x[i])) keep[i] = 0
  const factors = [...spec.fixed_effects.map((f, k) => factorOfName(frame, f, 'fixed_effect', k)), ...(spec.vcov === 'cluster' ? spec.cluster.map((c, k) => factorOfName(frame, c, 'cluster', k)) : [])]
  for (const f of factors) for (let i = 0; i < n; i++) if (f.codes[i] < 0) keep[i] = 0
  const w = spec.weights ? frame.numbers(spec.weights) : undefined
  if (w) for (let i = 0; i < n; i++) if (!(w[i] > 0 && Number.isFinite(w[i]))) keep[i] = 0
  const unitCol = frame.column(panel.unit)
  if (!unitCol) throw new QuasiError('MISSING_COLUMN', `the panel unit column \`${panel.unit}\` is not a column of the data`, { param: at })
  const unitAll = factorize(unitCol)
  for (let i = 0; i < n; i++) if (unitAll.codes[i] < 0) keep[i] = 0
  const rows = indicesWhere(keep, (v) => v === 1)
  const unit = subsetFactor(unitAll, rows)
  const names: string[] = new Array(unit.levels)
  const observed = new Int32Array(unit.levels).fill(-1)
  rows.forEach((r, i) => {
    const u = unit.codes[i], g = groups.of[r]
    names[u] ??= String(unitCol.data[r])
    if (observed[u] === -1) observed[u] = g
    else if (observed[u] !== g) {
      throw new QuasiError('INVALID_SPEC', `the permutation test permutes group labels across units, but unit \`${names[u]}\` is in groups \`${groups.names[observed[u]]}\` and \`${groups.names[g]}\``, {
        param: at, expected: 'groups constant within each panel unit', hint: 'use `test: [interaction, suest]` for groups that vary within units (e.g. periods)',
      })
    }
  })
  const take = (x: Float64Array) => Float64Array.from(rows, (r) => x[r])
  return {
    design: {
      y: take(nums[0]), X: nums.slice(1).map(take), ...(w ? { weights: take(w) } : {}),
      fe: spec.fixed_effects.map((f, k) => subsetFactor(factors[k], rows)),
      dropSingletons: spec.singletons === 'drop',
      unit: unit.codes, units: unit.levels, groups: groups.names.length,
    },
    units: names,
    observed,
  }
}

export function runPermutations(ctx: StageContext<unknown>, setup: PermutationSetup, R: number, labelling: (r: number) => Int32Array): PermutationResult {
  return permutationTest(setup.design, setup.observed, R, labelling, {
    progress: (d, t) => ctx.progress(d, t),
    aborted: () => ctx.signal.aborted,
  })
}

/** Draw r's labelling (0-based): the observed labels shuffled with the stream (stage seed, r + 1). */
export function randomLabelling(ctx: StageContext<unknown>, observed: Int32Array): (r: number) => Int32Array {
  const labels = Array.from(observed)
  return (r) => Int32Array.from(ctx.rng.fork(r + 1).shuffle(labels))
}

