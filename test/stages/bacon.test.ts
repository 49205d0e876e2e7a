/**
 * The bacon stage on simulated staggered panels (test/fixtures/bacon/make.R): every 2×2
 * estimate and weight against the R formulas, the identity Σ weight·estimate = TWFE against
 * R's lm and the project's own two-way FE fit, the outputs, and the errors of the list.
 * With `covariates: true` (test/fixtures/bacon/covariates.R): Ω, β̂_w and every between 2×2
 * against R, and Ω·β̂_w + Σ weight·estimate against the TWFE coefficient with the controls.
 */
import { describe, expect, test } from 'vitest'
import { Frame } from '../../src/artifacts/frame.ts'
import { mainModel } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageResult } from '../../src/stage.ts'
import did from '../../stages/did/stage.ts'
import regress from '../../stages/regress/stage.ts'
import bacon from '../../stages/bacon/stage.ts'
import type { BaconParams } from '../../stages/bacon/params.ts'
import fixture from '../fixtures/bacon/bacon.json' with { type: 'json' }
import covFixture from '../fixtures/bacon/covariates.json' with { type: 'json' }
import { makeTestContext } from '../helpers/context.ts'
import { readCsvFrame } from '../unit/stats/helpers.ts'

const DIR = 'test/fixtures/bacon'
const panel = { unit: 'unit', time: 'year' }
const frames = { staggered: readCsvFrame(`${DIR}/staggered.csv`), always: readCsvFrame(`${DIR}/always.csv`) }
/** The same panels with the covariates w (time-varying, correlated with treatment) and g (constant within cohort × year). */
const covFrames = { staggered: readCsvFrame(`${DIR}/covariates.csv`), always: readCsvFrame(`${DIR}/covariates-always.csv`) }
/** Tolerance of the issue: R and quasi compute the same means and products in a different order. */
const TOL = 1e-10

type Up = { kind: string; frame?: Frame; model?: StageResult['model'] }

async function model(frame: Frame, params: Record<string, unknown> = {}): Promise<Up> {
  const ctx = makeTestContext({
    params: { from: 'data', outcome: 'y', treatment: { adoption: 'adopt' }, cluster: 'unit', small_sample: 'nested', stepwise: false, digits: 3, ...params },
    inputs: { data: frame }, panel, stage: 'baseline', kind: 'did',
  })
  const r = await did.run(ctx as never)
  return { frame: r.frame, model: r.model, kind: 'did' }
}

async function runBacon(up: Up, params: Partial<BaconParams> = {}) {
  const ctx = makeTestContext<BaconParams>({ params: { model: 'baseline', covariates: false, ...params }, inputs: { baseline: up }, panel, stage: 'decomp', kind: 'bacon' })
  const result = await bacon.run(ctx)
  return { result, ctx }
}

function rowsOf(r: StageResult) {
  const lines = (r.files!['decomposition.csv'] as string).trim().split('\n')
  expect(lines[0]).toBe('treated,control,type,estimate,weight')
  return lines.slice(1).map((l) => {
    const [treated, control, type, estimate, weight] = l.split(',')
    return { treated, control, type, estimate: Number(estimate), weight: Number(weight) }
  })
}

/** Same comparisons as R, in R's order, each estimate and weight within TOL. */
function expectComparisons(got: ReturnType<typeof rowsOf>, ref: readonly { treated: unknown; control: unknown; type: string; estimate: number; weight: number }[]) {
  expect(got.map((g) => `${g.treated}/${g.control}/${g.type}`)).toEqual(ref.map((c) => `${c.treated}/${c.control}/${c.type}`))
  let worstB = 0, worstW = 0
  ref.forEach((c, k) => {
    worstB = Math.max(worstB, Math.abs(got[k].estimate - c.estimate))
    worstW = Math.max(worstW, Math.abs(got[k].weight - c.weight))
  })
  expect(worstB).toBeLessThan(TOL)
  expect(worstW).toBeLessThan(TOL)
}

async function quasiError(p: Promise<unknown>): Promise<QuasiError> {
  try { await p } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

describe.each(['staggered', 'always'] as const)('%s panel against the R formulas', (name) => {
  const ref = fixture[name]

  test('every 2×2 estimate and weight within 1e-10 of R, in R\'s order', async () => {
    const { result } = await runBacon(await model(frames[name]))
    const got = rowsOf(result)
    expectComparisons(got, ref.comparisons)
    expect(result.facts!.comparisons).toBe(ref.comparisons.length)
  })

  test('weights sum to 1 and Σ weight·estimate is the TWFE coefficient (R lm and quasi\'s own fit)', async () => {
    const { result } = await runBacon(await model(frames[name]))
    const got = rowsOf(result)
    expect(Math.abs(got.reduce((s, g) => s + g.weight, 0) - 1)).toBeLessThan(TOL)
    const sum = got.reduce((s, g) => s + g.weight * g.estimate, 0)
    const ownFit = (await model(frames[name])).model!
    const coef = mainModel(ownFit).terms.find((t) => t.term === 'did')!.estimate
    expect(Math.abs(sum - coef)).toBeLessThan(TOL)
    expect(Math.abs(result.facts!.twfe - coef)).toBeLessThan(TOL)
    expect(Math.abs(ref.twfe - coef)).toBeLessThan(TOL)
    // R's own check: the four-means decomposition sums to lm's coefficient.
    expect(Math.abs(ref.comparisons.reduce((s, c) => s + c.weight * c.estimate, 0) - ref.twfe)).toBeLessThan(TOL)
  })

  test('facts by type: weight sums and weighted averages', async () => {
    const { result } = await runBacon(await model(frames[name]))
    const keys = { 'Earlier vs Later Treated': 'earlier_vs_later', 'Later vs Earlier Treated': 'later_vs_earlier', 'Treated vs Never Treated': 'treated_vs_never', 'Treated vs Always Treated': 'treated_vs_always' } as const
    for (const [type, key] of Object.entries(keys)) {
      const rows = ref.comparisons.filter((c) => c.type === type)
      if (rows.length === 0) { expect(result.facts![`weight(${key})`]).toBeUndefined(); continue }
      const w = rows.reduce((s, c) => s + c.weight, 0)
      expect(Math.abs(result.facts![`weight(${key})`] - w)).toBeLessThan(TOL)
      expect(Math.abs(result.facts![`estimate(${key})`] - rows.reduce((s, c) => s + c.weight * c.estimate, 0) / w)).toBeLessThan(TOL)
    }
    expect(result.facts!['weight(treated_vs_always)'] !== undefined).toBe(name === 'always')
  })
})

describe('outputs', () => {
  test('summary table in four formats, scatter with a TWFE line, controls left out with a warning; byte-identical reruns', async () => {
    const up = await model(frames.always, { controls: ['x'] })
    const { result, ctx } = await runBacon(up)
    const again = await runBacon(up)
    for (const f of ['summary.md', 'summary.tex', 'summary.html', 'summary.csv', 'scatter.svg', 'decomposition.csv']) {
      expect(typeof result.files![f]).toBe('string')
      expect(again.result.files![f]).toBe(result.files![f])
    }
    expect(result.files!['summary.csv']).toMatch(/^Comparison,2×2 comparisons,Weight,Average estimate\nEarlier vs Later Treated,3,/)
    expect(result.files!['summary.md']).toContain('Treated vs Always Treated')
    expect(result.files!['summary.md']).toContain(`| TWFE (weighted sum) | 12 | 1.000 | ${fixture.always.twfe.toFixed(3)}`)
    expect(result.files!['scatter.svg']).toMatch(/<svg/)
    expect(result.files!['scatter.svg']).toContain('stroke-dasharray="5,4"')
    expect(ctx.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([expect.stringMatching(/leaves out the controls of `baseline` \(`x`\)/)])
    // Without controls the decomposition and the facts are the same.
    const plain = await runBacon(await model(frames.always))
    expect(plain.result.files!['decomposition.csv']).toBe(result.files!['decomposition.csv'])
  })
})

describe('cohorts', () => {
  test('row order does not matter; adoption between observed periods joins the next period\'s cohort', async () => {
    const f = frames.staggered
    const reversed = f.take(Int32Array.from({ length: f.nrows }, (_, i) => f.nrows - 1 - i))
    const a = await runBacon(await model(f))
    const b = await runBacon(await model(reversed))
    expect(b.result.files!['decomposition.csv']).toBe(a.result.files!['decomposition.csv'])
    // 2006.5 is not a period: D = 1 from 2007 on, the same path as adoption 2007.
    const adopt = Float64Array.from(f.numbers('adopt'), (v) => (v === 2007 ? 2006.5 : v))
    const c = await runBacon(await model(f.withColumn('adopt', { type: 'number', data: adopt })))
    expect(c.result.files!['decomposition.csv']).toBe(a.result.files!['decomposition.csv'])
  })
})

describe('errors', () => {
  const base = frames.staggered
  const edit = (keep: (i: number) => boolean, f: Frame = base) => f.filter(Uint8Array.from({ length: f.nrows }, (_, i) => (keep(i) ? 1 : 0)))

  test('a regress model is not a DID', async () => {
    const ctx = makeTestContext({
      params: { from: 'data', outcome: 'y', regressors: ['x'], cluster: 'unit', small_sample: 'nested', stepwise: false, digits: 3 },
      inputs: { data: base }, panel, stage: 'baseline', kind: 'regress',
    })
    const r = await regress.run(ctx as never)
    const e = await quasiError(runBacon({ kind: 'regress', frame: r.frame, model: r.model }))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['model'])
    expect(e.message).toMatch(/not a difference-in-differences specification: it has no treatment with adoption timing/)
  })

  test('a 0/1 treatment column is not adoption timing', async () => {
    const withD = base.withColumn('D', { type: 'number', data: Float64Array.from(base.numbers('adopt'), (a, i) => (a <= base.numbers('year')[i] ? 1 : 0)) })
    const e = await quasiError(runBacon(await model(withD, { treatment: 'D' })))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['model'])
    expect(e.message).toMatch(/not adoption timing/)
  })

  test('an unbalanced panel', async () => {
    const e = await quasiError(runBacon(await model(edit((i) => i !== 5))))
    expect(e.code).toBe('UNBALANCED_PANEL')
    expect(e.param).toEqual(['model'])
    expect(e.message).toMatch(/unit `u001` has no row for period 2005/)
  })

  test('a missing outcome makes the panel unbalanced', async () => {
    const y = base.numbers('y').slice(); y[14] = NaN
    const e = await quasiError(runBacon(await model(base.withColumn('y', { type: 'number', data: y }))))
    expect(e.code).toBe('UNBALANCED_PANEL')
    expect(e.param).toEqual(['model'])
    expect(e.message).toMatch(/outcome `y` is missing for unit `u002` in period 2001/)
  })

  test('a treatment that switches off names the units', async () => {
    // Adoption read per row: u013 (a 2004 adopter) gets a later year in its last two rows, so it is treated and then untreated.
    const adopt = base.numbers('adopt').slice(), unit = base.column('unit')!.data as string[], year = base.numbers('year')
    for (let i = 0; i < adopt.length; i++) if (unit[i] === 'u013' && year[i] >= 2011) adopt[i] = 2020
    const e = await quasiError(runBacon(await model(base.withColumn('adopt', { type: 'number', data: adopt }))))
    expect(e.code).toBe('BAD_DATA')
    expect(e.param).toEqual(['model'])
    expect(e.message).toMatch(/switches off in 1 unit: `u013`/)
  })

  test('one timing group and no never-treated units: nothing to decompose', async () => {
    // A did model with unit effects only still has an estimate; there is no comparison group.
    const e = await quasiError(runBacon(await model(edit((i) => base.numbers('adopt')[i] === 2007), { fixed_effects: ['unit'] })))
    expect(e.code).toBe('NO_VARIATION')
    expect(e.param).toEqual(['model'])
    expect(e.message).toMatch(/all 10 treated units adopt in period 2007 and no unit is never or always treated/)
  })

  test('covariates: true without controls in the model is refused at `covariates`', async () => {
    const e = await quasiError(runBacon(await model(base), { covariates: true }))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['covariates'])
    expect(e.message).toMatch(/`baseline` has no controls/)
    expect(e.hint).toMatch(/give `baseline` its `controls:`/)
  })
})

describe('covariates: true against the R formulas (section 5)', () => {
  const cases = [
    { key: 'staggered_x', panel: 'staggered' },
    { key: 'staggered_xw', panel: 'staggered' },
    { key: 'staggered_g', panel: 'staggered' },
    { key: 'always_xw', panel: 'always' },
  ] as const
  type Ref = { covariates: string[]; twfe: number; omega: number; beta_w: number | null; comparisons: { treated: string; control: string; type: string; estimate: number; weight: number }[] }
  const withCovariates = async (panelName: 'staggered' | 'always', controls: string[], params: Partial<BaconParams> = {}) =>
    runBacon(await model(covFrames[panelName], { controls }), { covariates: true, ...params })

  describe.each(cases)('$key', ({ key, panel: name }) => {
    const ref = covFixture[key] as Ref

    test('every between 2×2 estimate and weight, Ω and β̂_w within 1e-10 of R, in R\'s order; the within row last', async () => {
      const { result } = await withCovariates(name, ref.covariates)
      const got = rowsOf(result)
      const within = got.filter((g) => g.type === 'Within')
      const between = got.filter((g) => g.type !== 'Within')
      expectComparisons(between, ref.comparisons)
      expect(result.facts!.comparisons).toBe(ref.comparisons.length)
      expect(Math.abs(result.facts!['weight(within)'] - ref.omega)).toBeLessThan(TOL)
      if (ref.beta_w === null) {
        // g is constant within cohort × year: no within variation, no within row and no within estimate.
        expect(within).toEqual([])
        expect(result.facts!['weight(within)']).toBe(0)
        expect(result.facts!['estimate(within)']).toBeUndefined()
      } else {
        expect(got.at(-1)).toEqual({ treated: '', control: '', type: 'Within', estimate: result.facts!['estimate(within)'], weight: result.facts!['weight(within)'] })
        expect(Math.abs(result.facts!['estimate(within)'] - ref.beta_w)).toBeLessThan(TOL)
      }
    })

    test('weights with Ω sum to 1; Ω·β̂_w + Σ weight·estimate is the TWFE coefficient with the controls (R lm and quasi\'s own fit)', async () => {
      const up = await model(covFrames[name], { controls: ref.covariates })
      const { result } = await runBacon(up, { covariates: true })
      const got = rowsOf(result)
      expect(Math.abs(got.reduce((s, g) => s + g.weight, 0) - 1)).toBeLessThan(TOL)
      const sum = got.reduce((s, g) => s + g.weight * g.estimate, 0)
      const coef = mainModel(up.model!).terms.find((t) => t.term === 'did')!.estimate
      expect(Math.abs(sum - coef)).toBeLessThan(TOL)
      expect(Math.abs(result.facts!.twfe - coef)).toBeLessThan(TOL)
      expect(Math.abs(ref.twfe - coef)).toBeLessThan(TOL)
      // R's own identity.
      const rSum = (ref.beta_w === null ? 0 : ref.omega * ref.beta_w) + ref.comparisons.reduce((s, c) => s + c.weight * c.estimate, 0)
      expect(Math.abs(rSum - ref.twfe)).toBeLessThan(TOL)
    })

    test('facts by type: weight sums and weighted averages', async () => {
      const { result } = await withCovariates(name, ref.covariates)
      const keys = { 'Both Treated': 'both_treated', 'Treated vs Never Treated': 'treated_vs_never', 'Treated vs Always Treated': 'treated_vs_always' } as const
      for (const [type, k] of Object.entries(keys)) {
        const rows = ref.comparisons.filter((c) => c.type === type)
        if (rows.length === 0) { expect(result.facts![`weight(${k})`]).toBeUndefined(); continue }
        const w = rows.reduce((s, c) => s + c.weight, 0)
        expect(Math.abs(result.facts![`weight(${k})`] - w)).toBeLessThan(TOL)
        expect(Math.abs(result.facts![`estimate(${k})`] - rows.reduce((s, c) => s + c.weight * c.estimate, 0) / w)).toBeLessThan(TOL)
      }
      for (const k of ['earlier_vs_later', 'later_vs_earlier']) expect(result.facts![`weight(${k})`]).toBeUndefined()
    })
  })

  test('the always-treated group is compared with the never treated: its cohort means of d differ through the covariates', async () => {
    const { result } = await withCovariates('always', ['x', 'w'])
    const row = rowsOf(result).find((g) => g.treated === 'always')!
    expect(row).toMatchObject({ control: 'never', type: 'Treated vs Never Treated' })
    expect(row.weight).toBeGreaterThan(0)
  })

  test('outputs: the within row in the summary and the scatter; data artifact; byte-identical reruns', async () => {
    const up = await model(covFrames.always, { controls: ['x', 'w'] })
    const { result, ctx } = await runBacon(up, { covariates: true })
    const again = await runBacon(up, { covariates: true })
    for (const f of ['summary.md', 'summary.tex', 'summary.html', 'summary.csv', 'scatter.svg', 'decomposition.csv']) expect(again.result.files![f]).toBe(result.files![f])
    const ref = covFixture.always_xw
    expect(result.files!['summary.csv']).toMatch(/^Comparison,2×2 comparisons,Weight,Average estimate\nBoth Treated,3,.*\nTreated vs Never Treated,4,.*\nTreated vs Always Treated,3,.*\nWithin timing groups,,/)
    expect(result.files!['summary.md']).toContain(`| Within timing groups |  | ${ref.omega.toFixed(3)} | ${ref.beta_w.toFixed(3)} |`)
    expect(result.files!['summary.md']).toContain(`| TWFE (weighted sum) | 10 | 1.000 | ${ref.twfe.toFixed(3)}`)
    expect(result.files!['summary.md']).toContain('controls (x, w)')
    expect(result.files!['scatter.svg']).toMatch(/aria-label="[^"]*type: Within"/)
    expect(result.files!['scatter.svg']).toContain('Estimate (2×2 DD or within)')
    expect(result.data).toMatchObject({ term: 'did', covariates: ['x', 'w'], within: { weight: result.facts!['weight(within)'], estimate: result.facts!['estimate(within)'] } })
    expect(ctx.logs.filter((l) => l.level === 'warn')).toEqual([])
  })

  test('a time-invariant control is absorbed by the unit effects: left out with a warning, the decomposition unchanged', async () => {
    const f = covFrames.staggered
    const unit = f.column('unit')!.data as string[]
    const z = Float64Array.from(unit, (u) => Number(u.slice(1)) % 7)
    const { result, ctx } = await runBacon(await model(f.withColumn('z', { type: 'number', data: z }), { controls: ['x', 'z', 'w'] }), { covariates: true })
    expect(ctx.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([expect.stringMatching(/^`z` is absorbed by the unit and period effects .* left out of the decomposition/)])
    const plain = await withCovariates('staggered', ['x', 'w'])
    const a = rowsOf(result), b = rowsOf(plain.result)
    expect(a.map((r) => r.type)).toEqual(b.map((r) => r.type))
    a.forEach((r, k) => { expect(Math.abs(r.estimate - b[k].estimate)).toBeLessThan(1e-12); expect(Math.abs(r.weight - b[k].weight)).toBeLessThan(1e-12) })
    expect(result.data).toMatchObject({ covariates: ['x', 'w'] })
  })

  test('a control constant within cohort × year: Ω = 0, said in the log, an empty within row in the summary', async () => {
    const { result, ctx } = await withCovariates('staggered', ['g'])
    expect(ctx.logs.map((l) => l.message)).toContainEqual(expect.stringMatching(/residualized on `g` and the effects, does not vary within timing groups: Ω = 0/))
    expect(result.files!['summary.md']).toContain('| Within timing groups |  | 0.000 |  |')
    expect(rowsOf(result).some((r) => r.type === 'Within')).toBe(false)
  })

  test('every control absorbed by the effects is refused at `covariates`', async () => {
    const f = covFrames.staggered
    const z = Float64Array.from(f.column('unit')!.data as string[], (u) => Number(u.slice(1)) % 5)
    const e = await quasiError(runBacon(await model(f.withColumn('z', { type: 'number', data: z }), { controls: ['z'] }), { covariates: true }))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['covariates'])
    expect(e.message).toMatch(/every control of `baseline` \(`z`\) is absorbed by the unit and period effects/)
  })

  test('a missing covariate value makes the panel unbalanced', async () => {
    const w = covFrames.staggered.numbers('w').slice(); w[30] = NaN
    const e = await quasiError(runBacon(await model(covFrames.staggered.withColumn('w', { type: 'number', data: w }), { controls: ['x', 'w'] }), { covariates: true }))
    expect(e.code).toBe('UNBALANCED_PANEL')
    expect(e.param).toEqual(['model'])
    expect(e.message).toMatch(/covariate `w` is missing for unit `u003` in period 2004/)
  })

  test('a control that is the treatment leaves nothing to decompose', async () => {
    const f = covFrames.staggered
    const year = f.numbers('year')
    const D = Float64Array.from(f.numbers('adopt'), (a, i) => (a <= year[i] ? 1 : 0))
    const e = await quasiError(runBacon(await model(f.withColumn('D', { type: 'number', data: D }), { controls: ['x', 'D'] }), { covariates: true }))
    expect(e.code).toBe('SINGULAR_DESIGN')
    expect(e.param).toEqual(['model'])
    expect(e.message).toMatch(/treatment is collinear with the covariates/)
  })

  test('interaction controls (`x:w`) are built as the regression builds them', async () => {
    const { result } = await withCovariates('staggered', ['x', 'w', 'x:w'])
    const got = rowsOf(result)
    expect(Math.abs(got.reduce((s, g) => s + g.weight * g.estimate, 0) - result.facts!.twfe)).toBeLessThan(TOL)
    expect(result.data).toMatchObject({ covariates: ['x', 'w', 'x:w'] })
  })
})
