/**
 * describe against R on the bundled demo panel (test/fixtures/describe/make.R): summaries
 * (mean, sd, quantile types 7 and 2), Welch's t (t.test) and the clustered difference in means
 * (lm + sandwich::vcovCL CR1) for pilot vs non-pilot cities in 2007–2012, Welch's F
 * (oneway.test) and the clustered Wald F for the regions, Pearson correlations with cor.test
 * p-values, car::vif of the controls; then the tables, files, facts and errors.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, test } from 'vitest'
import { numberColumn, type Frame } from '../../src/artifacts/frame.ts'
import type { ModelSet } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import { factDeclared } from '../../src/pipeline/facts.ts'
import describeStage from '../../stages/describe/stage.ts'
import type { DescribeParams } from '../../stages/_describe/params.ts'
import did from '../../stages/did/stage.ts'
import type { DidParams } from '../../stages/did/params.ts'
import { csvRecords } from '../helpers/csv.ts'
import { makeTestContext } from '../helpers/context.ts'
import { readCsvFrame, root } from '../unit/stats/helpers.ts'

const ref = JSON.parse(readFileSync(new URL('../fixtures/describe/reference.json', import.meta.url), 'utf8'))
const panel = { unit: 'city', time: 'year' }

/**
 * Relative tolerances. Summaries, correlations and VIFs are a few sums (R accumulates in long
 * double, we in double): 1e-12. Test statistics and p-values go through t/F distribution
 * functions of different libraries (R's nmath, stdlib-js): 1e-9.
 */
const TOL = { summary: 1e-12, test: 1e-9 }
/**
 * p-values below this are compared absolutely: R's pt() returns subnormal numbers (5.6e-320 for
 * the correlation of eco and digital) where stdlib-js's t CDF has already underflowed to 0.
 */
const P_FLOOR = 1e-300

/** The largest relative difference seen per quantity, printed after the suite (for docs/methods.md). */
const worst = new Map<string, number>()
function close(got: number, want: number, rel: number, quantity: string, label: string) {
  const tiny = / p$/.test(quantity) && Math.abs(want) < P_FLOOR && Math.abs(got) < P_FLOOR
  const d = tiny ? 0 : want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want)
  worst.set(quantity, Math.max(worst.get(quantity) ?? 0, d))
  expect(d, `${label}: got ${got}, expected ${want}, Δ ${d.toExponential(2)}, tol ${rel}`).toBeLessThanOrEqual(rel)
}
afterAll(() => {
  if (process.env.QUASI_REPORT_WORST) console.log([...worst].map(([k, v]) => `${k}: ${v.toExponential(1)}`).join('\n'))
})

function demo(): Frame {
  const raw = readCsvFrame('pipelines/data/cluster_gie_panel.csv')
  const gdp = raw.numbers('gdp'), area = raw.numbers('area')
  return raw.withColumn('eco', numberColumn(gdp.map((v, i) => Math.log(v / area[i]))))
}
const frame = demo()
const vars: string[] = ref.variables

async function run(params: Partial<DescribeParams>, inputs: Record<string, unknown> = { gie: frame }) {
  const ctx = makeTestContext<DescribeParams>({
    params: { from: 'gie', quantile: 'r7', correlation: false, digits: 3, ...params } as DescribeParams,
    inputs: inputs as never, panel, stage: 'table1', kind: 'describe',
  })
  const r = await describeStage.run(ctx)
  return { files: r.files as Record<string, string>, facts: r.facts!, logs: ctx.logs }
}

async function runError(params: Partial<DescribeParams>, inputs?: Record<string, unknown>): Promise<QuasiError> {
  try { await run(params, inputs) } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

const STATS = ['n', 'mean', 'sd', 'min', 'p25', 'median', 'p75', 'max'] as const

test('the fixture was made from the bundled panel', () => {
  const md5 = createHash('md5').update(readFileSync(root + 'pipelines/data/cluster_gie_panel.csv')).digest('hex')
  expect(md5, 'the demo panel changed: re-run Rscript test/fixtures/describe/make.R').toBe(ref.header.md5)
})

describe('against R', () => {
  test('N, mean, SD, min, quartiles (type 7), max of every variable; facts and describe.csv agree', async () => {
    const { facts, files } = await run({ variables: vars })
    const csv = csvRecords(files['describe.csv'])
    for (const v of vars) {
      const want = ref.summary[v]
      expect(facts[`n(${v})`], `n(${v})`).toBe(want.n)
      for (const s of STATS.slice(1)) close(facts[`${s}(${v})`], want[s], TOL.summary, s === 'mean' || s === 'sd' ? s : 'min/max/quantiles', `${s}(${v})`)
      const row = csv.find((r) => r.variable === v && r.group === '')!
      for (const s of STATS) expect(Number(row[s]), `describe.csv ${s}(${v})`).toBe(facts[`${s}(${v})`])
    }
    expect(facts.rows).toBe(4200)
    expect(facts.variables).toBe(vars.length)
  })

  test('quantile: stata gives R type 2 (Stata _pctile)', async () => {
    const { facts } = await run({ variables: vars, quantile: 'stata' })
    for (const v of vars) for (const s of ['p25', 'median', 'p75']) close(facts[`${s}(${v})`], ref.summary[v].stata[s], TOL.summary, 'quantiles (stata)', `${s}(${v})`)
  })

  test('pilot vs non-pilot in 2007–2012: group summaries, Welch t (t.test), clustered difference (vcovCL CR1, G − 1 df)', async () => {
    const { facts, files } = await run({ variables: vars, by: 'if(is_missing(pilot_year), "Non-pilot", "Pilot")', period: [2007, 2012] })
    expect(facts.rows).toBe(280 * 6)
    expect(facts.groups).toBe(2)
    for (const r of ref.pilot_pre) {
      const v = r.variable
      for (const g of ['Non-pilot', 'Pilot']) {
        expect(facts[`n(${v},${g})`]).toBe(r.groups[g].n)
        for (const s of ['mean', 'sd', 'min', 'median', 'max']) close(facts[`${s}(${v},${g})`], r.groups[g][s], TOL.summary, `group ${s === 'mean' || s === 'sd' ? s : 'min/max/quantiles'}`, `${s}(${v}, ${g})`)
      }
      close(facts[`diff(${v})`], r.difference, TOL.summary, 'difference in means', `diff(${v})`)
      close(facts[`t_welch(${v})`], r.welch.t, TOL.test, 'Welch t', `t_welch(${v})`)
      close(facts[`p_welch(${v})`], r.welch.p, TOL.test, 'Welch p', `p_welch(${v})`)
      close(facts[`se_cluster(${v})`], r.cluster.se, TOL.test, 'clustered SE', `se_cluster(${v})`)
      close(facts[`t_cluster(${v})`], r.cluster.t, TOL.test, 'clustered t', `t_cluster(${v})`)
      close(facts[`p_cluster(${v})`], r.cluster.p, TOL.test, 'clustered p', `p_cluster(${v})`)
      // the regression's coefficient is the difference in means
      close(facts[`diff(${v})`], r.cluster.estimate, TOL.summary, 'difference in means', `lm coefficient ${v}`)
    }
    const diffs = csvRecords(files['differences.csv'])
    const innov = diffs.find((d) => d.variable === 'innov')!
    expect(Number(innov.welch_df2)).toBeCloseTo(ref.pilot_pre[0].welch.df, 8)
    expect(Number(innov.clusters)).toBe(ref.pilot_pre[0].cluster.clusters)
    expect(Number(innov.cluster_df2)).toBe(ref.pilot_pre[0].cluster.df)
  })

  test('three regions: Welch F (oneway.test) and the clustered Wald F', async () => {
    const { facts, files } = await run({ variables: vars, by: 'region', by_levels: ['east', 'central', 'west'] })
    expect(facts.groups).toBe(3)
    for (const r of ref.region) {
      const v = r.variable
      for (const g of ['east', 'central', 'west']) close(facts[`mean(${v},${g})`], r.groups[g].mean, TOL.summary, 'group mean', `mean(${v}, ${g})`)
      close(facts[`f_welch(${v})`], r.welch.F, TOL.test, 'Welch F', `f_welch(${v})`)
      close(facts[`p_welch(${v})`], r.welch.p, TOL.test, 'Welch F p', `p_welch(${v})`)
      close(facts[`f_cluster(${v})`], r.cluster.F, TOL.test, 'clustered F', `f_cluster(${v})`)
      close(facts[`p_cluster(${v})`], r.cluster.p, TOL.test, 'clustered F p', `p_cluster(${v})`)
      expect(facts[`diff(${v})`]).toBeUndefined()
    }
    const d = csvRecords(files['differences.csv']).find((x) => x.variable === 'isu')!
    const want = ref.region.find((x: { variable: string }) => x.variable === 'isu')
    close(Number(d.welch_df2), want.welch.df2, TOL.test, 'Welch F df', 'Welch df2 (isu)')
    expect([Number(d.welch_df1), Number(d.cluster_df1), Number(d.cluster_df2)]).toEqual([2, 2, want.cluster.df2])
  })

  test('Pearson correlations (pairwise complete) with cor.test p-values; car::vif of the controls', async () => {
    const { facts, files } = await run({
      groups: { Outcome: ['innov'], 'Control variables': ref.vif.variables, Others: vars.filter((v) => v !== 'innov' && !ref.vif.variables.includes(v)) },
      correlation: true,
    })
    for (const c of ref.correlations) {
      close(facts[`cor(${c.a},${c.b})`], c.r, TOL.summary, 'correlation', `cor(${c.a}, ${c.b})`)
      expect(facts[`cor(${c.b},${c.a})`]).toBe(facts[`cor(${c.a},${c.b})`])
      close(facts[`p_cor(${c.a},${c.b})`], c.p, TOL.test, 'correlation p', `p_cor(${c.a}, ${c.b})`)
    }
    const pairs = csvRecords(files['correlations.csv'])
    expect(pairs).toHaveLength(ref.correlations.length)
    for (const c of ref.correlations) {
      const row = pairs.find((p) => (p.variable1 === c.a && p.variable2 === c.b) || (p.variable1 === c.b && p.variable2 === c.a))!
      expect(Number(row.n), `n(${c.a}, ${c.b})`).toBe(c.n)
      close(Number(row.statistic), c.t, TOL.test, 'correlation t', `t(${c.a}, ${c.b})`)
    }
    ref.vif.variables.forEach((v: string, i: number) => close(facts[`vif(${v})`], ref.vif.vif[i], TOL.summary, 'VIF', `vif(${v})`))
    close(facts.vif_max, Math.max(...ref.vif.vif), TOL.summary, 'VIF', 'vif_max')
    expect(csvRecords(files['vif.csv']).map((r) => Number(r.n))).toEqual(ref.vif.variables.map(() => ref.vif.n))
  })
})

describe('the table', () => {
  const groups = { 'Dependent variable': ['innov'], 'Control variables': ['eco', 'fin'], 'Mediating variables': ['isu'] }

  test('sections by role in the order written, label and symbol, the papers\' default statistics; four formats', async () => {
    const { files } = await run({ groups, labels: { innov: 'Innovation', eco: 'Economic density' }, title: 'Table 1. Descriptive statistics' })
    expect(Object.keys(files).sort()).toEqual(['describe.csv', 'table.csv', 'table.html', 'table.md', 'table.tex'])
    const md = files['table.md']
    expect(md).toContain('**Table 1. Descriptive statistics**')
    expect(md).toContain('| Variable | Symbol | N | Mean | SD | Min | Max |')
    expect(md.indexOf('*Dependent variable*')).toBeLessThan(md.indexOf('*Control variables*'))
    expect(md.indexOf('*Control variables*')).toBeLessThan(md.indexOf('*Mediating variables*'))
    const s = ref.summary.eco
    expect(md).toContain(`| Economic density | eco | 4,200 | ${s.mean.toFixed(3)} | ${s.sd.toFixed(3)} | ${s.min.toFixed(3)} | ${s.max.toFixed(3)} |`)
    expect(files['table.tex']).toContain('\\multicolumn{7}{l}{\\textit{Control variables}} \\\\')
    expect(files['table.tex']).toContain('\\toprule')
    expect(files['table.html']).toContain('<tr class="section"><td class="l" colspan="7">Control variables</td></tr>')
    expect(files['table.csv'].split('\n')[0]).toBe('Variable,Symbol,N,Mean,SD,Min,Max')
    expect(csvRecords(files['describe.csv']).map((r) => [r.role, r.variable, r.label])).toEqual([
      ['Dependent variable', 'innov', 'Innovation'], ['Control variables', 'eco', 'Economic density'], ['Control variables', 'fin', 'fin'], ['Mediating variables', 'isu', 'isu'],
    ])
  })

  test('`statistics` chooses and orders the columns; without labels there is no Symbol column', async () => {
    const { files } = await run({ variables: ['innov', 'fin'], statistics: ['median', 'p25', 'p75', 'n'] })
    expect(files['table.md']).toContain('| Variable | Median | P25 | P75 | N |')
    expect(files['table.md']).toContain(`| fin | ${ref.summary.fin.median.toFixed(3)} | ${ref.summary.fin.p25.toFixed(3)} | ${ref.summary.fin.p75.toFixed(3)} | 4,200 |`)
    expect(files['table.md']).toContain("quartiles by R's type 7 definition")
  })

  test('by: groups side by side under spanning heads, N/Mean/SD by default, tests and their notes', async () => {
    const { files } = await run({ groups, by: 'if(is_missing(pilot_year), "Non-pilot", "Pilot")', period: [2007, 2012] })
    const md = files['table.md']
    expect(md).toContain('|  | Non-pilot |  |  | Pilot |  |  |  |  |  |')
    expect(md).toContain('| Variable | N | Mean | SD | N | Mean | SD | Difference | t (Welch) | t (clustered) |')
    expect(md).toContain('Sample: year 2007–2012.')
    expect(md).toContain('Difference = Pilot − Non-pilot.')
    expect(md).toContain('clustered by city (CR1; t with G − 1 = 279 df)')
    expect(files['table.tex']).toContain('\\multicolumn{3}{c}{Non-pilot} & \\multicolumn{3}{c}{Pilot}')
    expect(files['table.tex']).toContain('\\cmidrule(lr){2-4}\\cmidrule(lr){5-7}')
    expect(Object.keys(files)).toContain('differences.csv')
  })

  test('without a panel only Welch\'s test is shown, and the note says the rows are treated as independent', async () => {
    const ctx = makeTestContext<DescribeParams>({ params: { from: 'gie', quantile: 'r7', correlation: false, digits: 3, variables: ['fin'], by: 'region' } as DescribeParams, inputs: { gie: frame } })
    const r = await describeStage.run(ctx)
    const md = r.files!['table.md'] as string
    expect(md).toContain('| F (Welch) |')
    expect(md).not.toContain('clustered')
    expect(md).toContain('No cluster variable: the observations are treated as independent.')
    expect(r.facts!['f_cluster(fin)']).toBeUndefined()
  })

  test('a by column that is numeric names its groups "<label> = <value>"; rows where it is missing are counted', async () => {
    const f = frame.withColumn('east', numberColumn(Float64Array.from(frame.strings('region'), (r, i) => (i < 15 ? NaN : r === 'east' ? 1 : 0))))
    const { files, facts } = await run({ variables: ['fin'], by: 'east', labels: { east: 'Eastern' } }, { gie: f })
    expect(files['table.md']).toContain('| Eastern = 0 |')
    expect(files['table.md']).toContain('15 rows where the grouping is missing are in no group.')
    expect(facts['n(fin,Eastern=0)'] + facts['n(fin,Eastern=1)']).toBe(4200 - 15)
  })

  test('correlation: a lower-triangular matrix with stars, the VIF column for the control group, in four formats', async () => {
    const { files, facts } = await run({ groups, correlation: true })
    for (const ext of ['md', 'tex', 'html', 'csv']) expect(files[`correlation.${ext}`]).toBeDefined()
    const md = files['correlation.md']
    expect(md).toContain('|  | (1) | (2) | (3) | (4) | VIF |')
    expect(md).toMatch(/\| \(2\) eco \| 0\.509<sup>\*\*\*<\/sup> \| 1\.000 \|  \|  \| \d\.\d\d \|/)
    expect(md).toMatch(/\| \(1\) innov \| 1\.000 \|  \|  \|  \|  \|/) // not a control: no VIF
    expect(facts['vif(innov)']).toBeUndefined()
    expect(facts.vif_max).toBe(Math.max(facts['vif(eco)'], facts['vif(fin)']))
    // two controls: VIF = 1/(1 − r²)
    close(facts['vif(eco)'], 1 / (1 - facts['cor(eco,fin)'] ** 2), TOL.summary, 'VIF (two variables)', 'vif(eco)')
  })

  test('from a did stage: its model labels, and its `did` column described without a derive stage', async () => {
    const dp: DidParams = { from: 'vars', outcome: 'innov', treatment: { adoption: 'pilot_year' }, controls: ['fin'], cluster: 'city', labels: { did: 'Pilot × Post', fin: 'Financial development' } }
    const r = await did.run(makeTestContext<DidParams>({ params: { small_sample: 'nested', digits: 3, ...dp }, inputs: { vars: frame }, panel, stage: 'baseline', kind: 'did' }))
    const inputs = { baseline: { frame: r.frame, model: r.model as ModelSet, kind: 'did' } }
    const { files, facts } = await run({ from: 'baseline', groups: { 'Core explanatory variable': ['did'], 'Control variables': ['fin'] }, labels: { fin: 'Finance' } }, inputs)
    expect(files['table.md']).toContain('| Pilot × Post | did |')
    expect(files['table.md']).toContain('| Finance | fin |') // the parameter wins over the model's label
    const d = r.frame!.numbers('did')
    close(facts['mean(did)'], d.reduce((a, b) => a + b, 0) / d.length, TOL.summary, 'mean (did)', 'mean(did)')
  })

  test('every fact is declared by a pattern, and the same run twice gives the same bytes', async () => {
    const params = { groups, by: 'region', correlation: true } as const
    const [a, b] = [await run(params), await run(params)]
    expect(a.files).toEqual(b.files)
    for (const f of Object.keys(a.facts)) expect(factDeclared(f, describeStage.facts!), f).toBe(true)
    const two = await run({ groups, by: 'if(is_missing(pilot_year), "Non-pilot", "Pilot")' })
    for (const f of Object.keys(two.facts)) expect(factDeclared(f, describeStage.facts!), f).toBe(true)
  })
})

describe('errors', () => {
  const check = (p: Partial<DescribeParams>) => describeStage.check!({ from: 'gie', quantile: 'r7', correlation: false, digits: 3, ...p } as DescribeParams)

  test('a variable listed twice: INVALID_VALUE at its second place, naming both groups', () => {
    const [e, ...rest] = check({ groups: { Controls: ['eco', 'fin'], Mediators: ['isu', 'fin'] } })
    expect(rest).toEqual([])
    expect(e).toMatchObject({ code: 'INVALID_VALUE', param: ['groups', 'Mediators', 1], message: 'variable `fin` is listed twice: in `Controls` and in `Mediators`' })
    expect(check({ variables: ['eco', 'fin', 'eco'] })[0]).toMatchObject({ code: 'INVALID_VALUE', param: ['variables', 2], message: 'variable `eco` is listed twice in `variables`' })
  })

  test('an empty group: INVALID_VALUE at the group', () => {
    expect(check({ groups: { Dependent: ['gie'], Mediators: [] } })).toMatchObject([{ code: 'INVALID_VALUE', param: ['groups', 'Mediators'], message: 'group `Mediators` lists no variables' }])
  })

  test('groups and variables, neither, vif without the correlation table, an unknown vif group, a backwards period', () => {
    expect(check({ groups: { A: ['x'] }, variables: ['y'] })).toMatchObject([{ code: 'INVALID_VALUE', param: ['variables'] }])
    expect(check({})).toMatchObject([{ code: 'MISSING_PARAM', param: [] }])
    expect(check({ groups: { A: ['x'] }, vif: 'A' })).toMatchObject([{ code: 'INVALID_VALUE', param: ['vif'], message: '`vif` is a column of the correlation table: add `correlation: true`' }])
    expect(check({ groups: { Controls: ['x'] }, vif: 'Control', correlation: true })).toMatchObject([{ code: 'INVALID_VALUE', param: ['vif'], message: expect.stringContaining('did you mean `Controls`?') }])
    expect(check({ groups: { Controls: ['x', 'y'] }, vif: ['x', 'z'], correlation: true })).toMatchObject([{ code: 'INVALID_VALUE', param: ['vif', 1] }])
    expect(check({ variables: ['x'], period: [2012, 2007] })).toMatchObject([{ code: 'INVALID_VALUE', param: ['period'] }])
  })

  test('a text column: BAD_DATA at its place, naming the column and the stage whose table it is', async () => {
    const e = await runError({ groups: { Controls: ['eco', 'region'] } })
    expect(e).toMatchObject({ code: 'BAD_DATA', param: ['groups', 'Controls', 1], message: '`region` is a text column of stage `gie`; only numeric columns can be described' })
    expect(e.hint).toContain('by: region')
  })

  test('an unknown column: MISSING_COLUMN with a suggestion; in by and sample, a position in the expression', async () => {
    expect(await runError({ variables: ['fni'] })).toMatchObject({ code: 'MISSING_COLUMN', param: ['variables', 0], message: 'unknown column `fni`; did you mean `fin`?' })
    expect(await runError({ variables: ['fin'], by: 'regoin' })).toMatchObject({ code: 'MISSING_COLUMN', param: ['by'], offset: 0 })
    expect(await runError({ variables: ['fin'], sample: 'year > 2010 and regoin == "east"' })).toMatchObject({ code: 'MISSING_COLUMN', param: ['sample'], offset: 16 })
    expect(await runError({ variables: ['fin'], by: 'region', cluster: 'citty' })).toMatchObject({ code: 'MISSING_COLUMN', param: ['cluster'], message: expect.stringContaining('did you mean `city`?') })
  })

  test('by_levels must list every group and only groups; by needs two groups; period needs a panel', async () => {
    expect(await runError({ variables: ['fin'], by: 'region', by_levels: ['east', 'west'] })).toMatchObject({ code: 'INVALID_VALUE', param: ['by_levels'], message: '`by` takes `central`, which `by_levels` does not list' })
    expect(await runError({ variables: ['fin'], by: 'region', by_levels: ['east', 'central', 'west', 'north'] })).toMatchObject({ code: 'INVALID_VALUE', param: ['by_levels', 3] })
    expect(await runError({ variables: ['fin'], by: 'region', sample: 'region == "east"' })).toMatchObject({ code: 'NO_VARIATION', param: ['by'] })
    expect(await runError({ variables: ['fin'], by: 'city' })).toMatchObject({ code: 'INVALID_VALUE', param: ['by'], message: '`by` has 280 values on the sample; at most 20 groups can be shown' })
    const ctx = makeTestContext<DescribeParams>({ params: { from: 'gie', quantile: 'r7', correlation: false, digits: 3, variables: ['fin'], period: [2007, 2012] } as DescribeParams, inputs: { gie: frame } })
    await expect(describeStage.run(ctx)).rejects.toMatchObject({ code: 'INVALID_SPEC', param: ['period'] })
    expect(await runError({ variables: ['fin'], period: [1990, 1995] })).toMatchObject({ code: 'NO_VARIATION', param: ['period'] })
  })
})
