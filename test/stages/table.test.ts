/**
 * The table stage on models from the real did stage (demo panel): column order and main
 * models, outcome heads and captions, variance notes, keep/drop, user rows, panels, the
 * numbers against the models' estimates, facts through the expectation parser, and its
 * errors; then how the planner reads `columns` and `panels` (groups, maps, consumes).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import type { ModelSet } from '../../src/artifacts/model.ts'
import { QuasiError, QuasiErrors } from '../../src/errors.ts'
import { evaluateExpectation, parseExpectation } from '../../src/pipeline/expect.ts'
import { fixed, stars } from '../../src/report/table.ts'
import did from '../../stages/did/stage.ts'
import type { DidParams } from '../../stages/did/params.ts'
import { stageKinds } from '../../stages/index.ts'
import table from '../../stages/table/stage.ts'
import type { TableParams } from '../../stages/_estimation/table-params.ts'
import { csvRecords } from '../helpers/csv.ts'
import { makeTestContext } from '../helpers/context.ts'
import { planOf, tempProject } from '../helpers/pipeline.ts'
import { readCsvFrame } from '../unit/stats/helpers.ts'

const panelFrame = readCsvFrame('pipelines/data/cluster_gie_panel.csv')
const panel = { unit: 'city', time: 'year' }
const spec: DidParams = { from: 'vars', outcome: 'innov', treatment: { adoption: 'pilot_year' }, controls: ['fin', 'urban'], cluster: 'city' }

async function fit(stage: string, params: DidParams): Promise<ModelSet> {
  const ctx = makeTestContext<DidParams>({ params: { small_sample: 'nested', digits: 3, ...params }, inputs: { vars: panelFrame }, panel, stage, kind: 'did' })
  return (await did.run(ctx)).model!
}

// Three specifications: stepwise (main = its last column), another outcome, robust (HC1) errors.
const models = {
  stepwise: await fit('stepwise', { ...spec, stepwise: true }),
  digital: await fit('digital', { ...spec, outcome: 'digital' }),
  robust: await fit('robust', { ...spec, cluster: undefined, vcov: 'hc1' }),
}
type Name = keyof typeof models
const inputs = Object.fromEntries(Object.entries(models).map(([k, m]) => [k, { model: m, kind: 'did' }]))
const main = (n: Name) => models[n].models[models[n].main]

async function runTable(params: TableParams) {
  const ctx = makeTestContext<TableParams>({ params, inputs, panel, stage: 'table4', kind: 'table' })
  const result = await table.run(ctx)
  return { files: result.files as Record<string, string>, facts: result.facts!, ctx }
}

async function tableError(params: TableParams): Promise<QuasiError> {
  try { await runTable(params) } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

/** The markdown cell of an estimate: fixed decimals, stars as superscript. */
const coefCell = (est: number, p: number, d: number) => `${fixed(est, d)}${stars(p) ? `<sup>${stars(p)}</sup>` : ''}`
const term = (n: Name, t: string) => main(n).terms.find((x) => x.term === t)!

describe('columns', () => {
  test('one column per stage, in the order written, each the stage\'s main model', async () => {
    const { files } = await runTable({ columns: ['digital', 'stepwise', 'robust'] })
    const tidy = csvRecords(files['tidy.csv'])
    expect([...new Set(tidy.map((r) => r.model))]).toEqual(['(1)', '(2)', '(3)'])
    // The stepwise stage contributes its last column (both controls), not its first.
    expect(models.stepwise.models).toHaveLength(3)
    expect(tidy.filter((r) => r.model === '(2)').map((r) => r.term)).toEqual(['did', 'fin', 'urban'])
    expect(Number(tidy.find((r) => r.model === '(2)' && r.term === 'did')!.estimate)).toBe(term('stepwise', 'did').estimate)
    expect(Number(tidy.find((r) => r.model === '(1)' && r.term === 'did')!.estimate)).toBe(term('digital', 'did').estimate)
    const glance = csvRecords(files['glance.csv'])
    expect(glance.map((r) => [r.model, Number(r.nobs)])).toEqual([['(1)', main('digital').nobs], ['(2)', main('stepwise').nobs], ['(3)', main('robust').nobs]])
    expect(Object.keys(files).sort()).toEqual(['glance.csv', 'table.csv', 'table.html', 'table.md', 'table.tex', 'tidy.csv'])
  })

  test('column_labels name the headers and the models of tidy.csv and glance.csv; a wrong count is an error', async () => {
    const { files } = await runTable({ columns: ['stepwise', 'robust'], column_labels: ['Clustered', 'Robust'] })
    expect(files['table.md']).toContain('|  | Clustered | Robust |')
    expect([...new Set(csvRecords(files['tidy.csv']).map((r) => r.model))]).toEqual(['Clustered', 'Robust'])
    expect(csvRecords(files['glance.csv']).map((r) => r.model)).toEqual(['Clustered', 'Robust'])
    const e = await tableError({ columns: ['stepwise', 'robust'], column_labels: ['Only one'] })
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['column_labels'])
    expect(e.message).toBe('Expected `column_labels` to have 2 labels (one per column), got 1')
  })

  test('outcomes that differ are printed as a header line, with labels; no caption', async () => {
    const { files } = await runTable({ columns: ['stepwise', 'digital'], labels: { digital: 'Digital economy' } })
    const md = files['table.md']
    expect(md).toContain('|  | innov | Digital economy |\n|:---|:---:|:---:|\n|  | (1) | (2) |')
    expect(md).not.toContain('Dependent variable')
    expect(files['table.tex']).toContain(' & innov & Digital economy \\\\')
    expect(files['table.csv'].split('\n')[0]).toBe(',innov,Digital economy')
  })

  test('a shared outcome is the caption; `caption` replaces it', async () => {
    const shared = await runTable({ columns: ['stepwise', 'robust'], labels: { innov: 'Innovation index' } })
    expect(shared.files['table.md']).toContain('Dependent variable: Innovation index\n\n|  | (1) | (2) |')
    const own = await runTable({ columns: ['stepwise', 'robust'], caption: 'Innovation (index points)', title: 'Table 4. Robustness tests' })
    expect(own.files['table.md']).toContain('**Table 4. Robustness tests**\n\nInnovation (index points)\n\n|  | (1) | (2) |')
    expect(own.files['table.md']).not.toContain('Dependent variable')
    expect(own.files['table.tex']).toContain('\\caption{Table 4. Robustness tests}')
  })

  test('the variance convention is noted once when the columns share it, per column when they do not', async () => {
    const clustered = main('stepwise').variance.label
    const robust = main('robust').variance.label
    expect(clustered).not.toBe(robust)
    const same = (await runTable({ columns: ['stepwise', 'digital'] })).files['table.md']
    expect(same.split(clustered).length - 1).toBe(1)
    expect(same).toContain(`*${clustered.replace(/\*/g, '\\*')}*`)
    const mixed = (await runTable({ columns: ['stepwise', 'robust'], notes: ['Robustness checks of Table 2.'] })).files['table.md']
    expect(mixed).toContain(`*(1): ${clustered} (2): ${robust}*`)
    expect(mixed).toContain('*Robustness checks of Table 2.*')
  })

  test('keep shows these terms in this order; drop leaves terms out', async () => {
    const rowsOf = (md: string) => md.split('\n').filter((l) => /^\| (did|fin|urban) \|/.test(l)).map((l) => l.split(' | ')[0].slice(2))
    expect(rowsOf((await runTable({ columns: ['stepwise', 'robust'] })).files['table.md'])).toEqual(['did', 'fin', 'urban'])
    expect(rowsOf((await runTable({ columns: ['stepwise', 'robust'], keep: ['urban', 'did'] })).files['table.md'])).toEqual(['urban', 'did'])
    expect(rowsOf((await runTable({ columns: ['stepwise', 'robust'], drop: ['fin'] })).files['table.md'])).toEqual(['did', 'urban'])
    expect(rowsOf((await runTable({ columns: ['stepwise', 'robust'], keep: ['did', 'fin'], drop: ['fin'] })).files['table.md'])).toEqual(['did'])
  })

  test('keep or drop naming a term no column has is an error with a suggestion', async () => {
    const e = await tableError({ columns: ['stepwise', 'robust'], keep: ['did', 'urbn'] })
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['keep', 1])
    expect(e.message).toBe('`keep` names term `urbn`, which no column has; did you mean `urban`?')
    expect(e.expected).toBe('one of the columns\' terms: `did`, `fin`, `urban`')
    const d = await tableError({ columns: ['stepwise'], drop: ['dd'] })
    expect(d.param).toEqual(['drop', 0])
    expect(d.message).toContain('did you mean `did`?')
  })

  test('rows replace automatic rows of the same label in place, and others follow; a wrong count is an error naming the row', async () => {
    const { files } = await runTable({ columns: ['stepwise', 'digital', 'robust'], rows: { Controls: ['Some', 'All', 'All'], 'Province trends': ['No', 'No', 'Yes'] } })
    const md = files['table.md']
    expect(md).toContain('| city FE | Yes | Yes | Yes |\n| year FE | Yes | Yes | Yes |\n| Controls | Some | All | All |\n| Province trends | No | No | Yes |\n| N |')
    expect(md.match(/\| Controls \|/g)).toHaveLength(1)
    const e = await tableError({ columns: ['stepwise', 'digital', 'robust'], rows: { 'City FE': ['Yes', 'Yes'] } })
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['rows', 'City FE'])
    expect(e.message).toBe('row `City FE` has 2 values, but the table has 3 columns')
    expect(e.expected).toBe('3 values, one per column')
  })

  test.each([2, 4])('the numbers are the models\' estimates with %i digits, stars by p, N and R²', async (digits) => {
    const names: Name[] = ['stepwise', 'digital', 'robust']
    const { files } = await runTable({ columns: names, digits, keep: ['did'] })
    const md = files['table.md']
    const did = names.map((n) => term(n, 'did'))
    expect(md).toContain(`| did | ${did.map((t) => coefCell(t.estimate, t.pValue, digits)).join(' | ')} |`)
    expect(md).toContain(`|  | ${did.map((t) => `(${fixed(t.stdError, digits)})`).join(' | ')} |`)
    expect(md).toContain(`| N | ${names.map((n) => main(n).nobs.toLocaleString('en-US')).join(' | ')} |`)
    expect(md).toContain(`| R² | ${names.map((n) => fixed(main(n).fit.r2, 3)).join(' | ')} |`)
    expect(md).toContain(`| Within R² | ${names.map((n) => fixed(main(n).fit.withinR2, 3)).join(' | ')} |`)
    expect(md).toContain('| Clusters | 280 | 280 |  |')
  })

  test('facts: coef(term, j), se, p, nobs(j), columns; read by the expectation parser as written', async () => {
    const { facts } = await runTable({ columns: ['stepwise', 'digital', 'robust'] })
    expect(facts.columns).toBe(3)
    expect(facts['coef(did,2)']).toBe(term('digital', 'did').estimate)
    expect(facts['se(did,3)']).toBe(term('robust', 'did').stdError)
    expect(facts['p(fin,1)']).toBe(term('stepwise', 'fin').pValue)
    expect(facts['nobs(2)']).toBe(main('digital').nobs)
    expect(facts['n_clusters(1)']).toBe(280)
    expect(facts['n_clusters(3)']).toBeUndefined()
    const holds = (line: string) => evaluateExpectation(parseExpectation(line), facts).holds
    expect(holds('coef(did, 2) > 0')).toBe(true)
    expect(holds('se( did , 3 ) < se(did, 1)')).toBe(true) // HC1 ignores the within-city correlation
    expect(holds('nobs(1) == 4051')).toBe(main('stepwise').nobs === 4051)
    expect(holds('columns == 3')).toBe(true)
    expect(() => holds('coef(did, 4) > 0')).toThrow(/no fact `coef\(did,4\)`; did you mean `coef\(did,1\)`\?/)
  })
})

describe('panels', () => {
  test('panels stack column blocks under one header, each with its rows; tidy names say the panel', async () => {
    const { files, facts } = await runTable({ panels: { 'Panel A': ['stepwise', 'robust'], 'Panel B': ['digital', 'stepwise'] }, keep: ['did'], rows: { Controls: ['Yes', 'Yes'] } })
    const md = files['table.md']
    expect(md.match(/^\|  \| \(1\) \| \(2\) \|$/gm)).toHaveLength(1)
    // Panel A shares an outcome (innov); Panel B does not, so each column's is named.
    expect(md).toContain('| *Panel A. Dependent variable: innov* | | |')
    expect(md).toContain('| *Panel B. Dependent variables: (1) digital; (2) innov* | | |')
    const a = md.indexOf('Panel A'), b = md.indexOf('Panel B')
    const didA = md.indexOf(`| did | ${coefCell(term('stepwise', 'did').estimate, term('stepwise', 'did').pValue, 3)} | ${coefCell(term('robust', 'did').estimate, term('robust', 'did').pValue, 3)} |`)
    const didB = md.indexOf(`| did | ${coefCell(term('digital', 'did').estimate, term('digital', 'did').pValue, 3)} |`)
    expect(a).toBeLessThan(didA)
    expect(didA).toBeLessThan(b)
    expect(b).toBeLessThan(didB)
    expect(md.match(/\| Controls \| Yes \| Yes \|/g)).toHaveLength(2)
    expect([...new Set(csvRecords(files['tidy.csv']).map((r) => r.model))]).toEqual(['Panel A (1)', 'Panel A (2)', 'Panel B (1)', 'Panel B (2)'])
    expect(md).toContain(`*Panel A (1): ${main('stepwise').variance.label} Panel A (2): ${main('robust').variance.label}`)
    expect(files['table.tex']).toContain('\\multicolumn{3}{l}{\\textit{Panel A. Dependent variable: innov}} \\\\')
    expect(facts.panels).toBe(2)
    expect(facts.columns).toBe(2)
    expect(facts['coef(did,2,1)']).toBe(term('digital', 'did').estimate)
    // Panel A column 2 (robust) and Panel B column 2 (stepwise): one estimate, two variance conventions.
    const holds = (line: string) => evaluateExpectation(parseExpectation(line), facts).holds
    expect(holds('coef(did, 1, 2) == coef(did, 2, 2)')).toBe(true)
    expect(holds('se(did, 1, 2) < se(did, 2, 2)')).toBe(true)
  })

  test('the outcome is the caption when every panel shares it, a header line when each column keeps one outcome', async () => {
    const same = (await runTable({ panels: { A: ['stepwise'], B: ['robust'] } })).files['table.md']
    expect(same).toContain('Dependent variable: innov\n\n|  | (1) |')
    expect(same).toContain('| *A* | |')
    const byColumn = (await runTable({ panels: { A: ['stepwise', 'digital'], B: ['robust', 'digital'] } })).files['table.md']
    expect(byColumn).toContain('|  | innov | digital |\n|:---|:---:|:---:|\n|  | (1) | (2) |')
    expect(byColumn).toContain('| *A* | | |')
  })

  test('notes speak of columns when each column has one variance convention and sample in every panel', async () => {
    const md = (await runTable({ panels: { A: ['stepwise', 'robust'], B: ['digital', 'robust'] } })).files['table.md']
    expect(md).toContain(`*(1): ${main('stepwise').variance.label} (2): ${main('robust').variance.label}*`)
    expect(md).not.toContain('A (1)')
  })

  test('every panel needs the same number of columns', async () => {
    const e = await tableError({ panels: { 'Panel A': ['stepwise', 'robust'], 'Panel B': ['digital'] } })
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['panels', 'Panel B'])
    expect(e.message).toBe('panel `Panel B` has 1 column, but `Panel A` has 2: every panel needs the same number of columns')
  })

  test('columns and panels: exactly one of them (checked before anything runs)', () => {
    const both = table.check!({ columns: ['a'], panels: { A: ['a'] } })
    expect(both.map((e) => [e.code, e.param])).toEqual([['INVALID_VALUE', ['panels']]])
    const neither = table.check!({ keep: ['did'] })
    expect(neither.map((e) => e.code)).toEqual(['MISSING_PARAM'])
    expect(neither[0].message).toContain('`columns`')
    expect(table.check!({ columns: 'a' })).toEqual([])
  })
})

describe('planning', () => {
  const kinds = `
quasi: 1
name: p
panel: { unit: city, time: year }
stages:
  panel: { uses: ingest, with: { file: data/panel.csv } }
  base: { uses: did, with: { from: panel, outcome: y, treatment: d } }
  het:
    uses: did
    matrix: { region: [east, central, west] }
    names: "\${{ matrix.region }}"
    with: { model: base, sample: 'region == "\${{ matrix.region }}"' }
`
  const plan = (stages: string) => {
    const root = tempProject('quasi-table-')
    mkdirSync(`${root}/pipelines/data`, { recursive: true })
    writeFileSync(`${root}/pipelines/data/panel.csv`, 'city,year,y,d,region\na,2020,1,0,east\n')
    return planOf(root, kinds + stages, stageKinds)
  }
  const errorsOf = (stages: string) => {
    try { plan(stages) } catch (e) { if (e instanceof QuasiErrors) return e.errors; throw e }
    throw new Error('expected errors')
  }

  test('a matrix group in `columns` becomes its instances, in order, and each is a dependency', () => {
    const p = plan('  t: { uses: table, with: { columns: [base, het] } }\n')
    const t = p.byName.get('t')!
    expect(t.params.columns).toEqual(['base', 'het[east]', 'het[central]', 'het[west]'])
    expect(t.refs).toEqual(['base', 'het[east]', 'het[central]', 'het[west]'])
    expect(plan('  t: { uses: table, with: { columns: het } }\n').byName.get('t')!.params.columns).toEqual(['het[east]', 'het[central]', 'het[west]'])
  })

  test('panel references are read from the map: groups expand, every stage is a dependency, missing stages are named', () => {
    const t = plan('  t: { uses: table, with: { panels: { "Panel A": [base, base, base], "Panel B": het } } }\n').byName.get('t')!
    expect(t.params.panels).toEqual({ 'Panel A': ['base', 'base', 'base'], 'Panel B': ['het[east]', 'het[central]', 'het[west]'] })
    expect(t.refs).toEqual(['base', 'het[east]', 'het[central]', 'het[west]'])
    const errs = errorsOf('  t: { uses: table, with: { panels: { "Panel A": [base], "Panel B": [bsae] } } }\n')
    expect(errs.map((e) => [e.code, e.pos?.line, e.pos?.col])).toEqual([['MISSING_STAGE', 13, 70]])
    expect(errs[0].message).toBe('`panels` refers to stage `bsae`, which does not exist; did you mean `base`?')
  })

  test('a stage that produces no model is refused in `columns` and in `panels`', () => {
    const cols = errorsOf('  t: { uses: table, with: { columns: [base, panel] } }\n')
    expect(cols.map((e) => e.message)).toEqual(['`columns` refers to stage `panel` (ingest), which produces no fitted model'])
    const panels = errorsOf('  t: { uses: table, with: { panels: { A: [base], B: [panel] } } }\n')
    expect(panels.map((e) => [e.message, e.pos?.col])).toEqual([['`panels` refers to stage `panel` (ingest), which produces no fitted model', 54]])
  })
})
