/**
 * The column-name rule (src/pipeline/columns.ts) through makePlan with the real stage kinds:
 * what each kind's hook passes downstream, what it reports and where, and that an unknown
 * upstream makes a stage check nothing.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { QuasiErrors } from '../../../src/errors.ts'
import { planOf, tempProject } from '../../helpers/pipeline.ts'
import { stageKinds } from '../../../stages/index.ts'

const root = tempProject('quasi-columns-')
mkdirSync(join(root, 'pipelines/data'), { recursive: true })
writeFileSync(join(root, 'pipelines/data/panel.csv'), 'city,year,gdp,pop,pilot_year,region\na,2019,1,2,2019,east\na,2020,2,3,2019,east\n')
writeFileSync(join(root, 'pipelines/data/attrs.csv'), 'code,region,area\na,east,9\n')
copyFileSync(fileURLToPath(new URL('../../fixtures/read/panel.xlsx', import.meta.url)), join(root, 'pipelines/data/book.xlsx'))

const head = 'quasi: 1\nname: t\npanel: { unit: city, time: year }\nstages:\n  panel: { uses: ingest, with: { file: data/panel.csv } }\n'

/** `line:col CODE stage: message` per error, or [] when the file plans. */
function problems(stages: string): string[] {
  try {
    planOf(root, head + stages, stageKinds)
    return []
  } catch (e) {
    if (!(e instanceof QuasiErrors)) throw e
    return e.errors.map((x) => `${x.pos?.line}:${x.pos?.col} ${x.code} ${x.stage}: ${x.message}`)
  }
}

describe('no false alarms', () => {
  test('columns made upstream are seen downstream: derive, merge suffixes, impute flags, measure-gie scores, the built `did`', () => {
    expect(problems(`
  attrs: { uses: ingest, with: { file: data/attrs.csv, rename: { code: city } } }
  joined: { uses: merge, with: { left: panel, right: attrs, on: city } }
  filled: { uses: impute, with: { from: joined, method: linear, columns: [gdp], flag: true } }
  vars: { uses: derive, with: { from: filled, columns: { ln_gdp: log(gdp), lag_ln: lag(ln_gdp), both: gdp_imputed + area } } }
  gie: { uses: measure-gie, with: { from: vars, inputs: [pop], desirable: [gdp], as: eff } }
  kept: { uses: filter, with: { from: gie, where: "eff > 0 and region_right == \\"east\\"" } }
  base: { uses: did, with: { from: kept, outcome: eff, treatment: { adoption: pilot_year }, controls: [ln_gdp] } }
  sub: { uses: did, with: { model: base, sample: "did == 1 or region == \\"east\\"" } }
  es: { uses: event-study, with: { model: base, controls: [lag_ln] } }
`)).toEqual([])
  })

  test('an Excel file has no cheap header: the stages after it check nothing', () => {
    expect(problems(`
  book: { uses: ingest, with: { file: data/book.xlsx, sheet: flat } }
  vars: { uses: derive, with: { from: book, columns: { y: log(anything) } } }
  base: { uses: did, with: { from: vars, outcome: nothing, treatment: none } }
`)).toEqual([])
  })

  test('impute with `flag` and default columns: the flags depend on types, so downstream checks nothing', () => {
    expect(problems(`
  filled: { uses: impute, with: { from: panel, method: linear, flag: true } }
  vars: { uses: derive, with: { from: filled, columns: { y: gdp_imputed + whatever } } }
`)).toEqual([])
  })
})

describe('what is reported, and where', () => {
  test('every stage\'s problems together, in file order, at the misspelt name (a `types` key: at its value, as the run does)', () => {
    expect(problems(`
  attrs: { uses: ingest, with: { file: data/attrs.csv, types: { aera: number } } }
  joined: { uses: merge, with: { left: panel, right: attrs, on: { city: cod } } }
  vars: { uses: derive, with: { from: panel, columns: { a: log(gpd), b: a + popp } } }
  filled: { uses: impute, with: { from: vars, method: time-mean, by: regoin } }
  gie: { uses: measure-gie, with: { from: vars, inputs: [pop], desirable: [gdp], undesirable: [co2] } }
  base: { uses: did, with: { from: vars, outcome: b, treatment: { adoption: pilot_yr }, cluster: [city, regin], weights: pop, sample: "yaer > 2019" } }
`)).toEqual([
      "7:71 MISSING_COLUMN attrs: unknown column `aera`; did you mean `area`?",
      '8:73 MISSING_COLUMN joined: unknown column `cod`; did you mean `code`?',
      '9:64 MISSING_COLUMN vars: column a, 1:5: unknown column "gpd" — did you mean "gdp"?',
      '9:77 MISSING_COLUMN vars: column b, 1:5: unknown column "popp" — did you mean "pop"?',
      '10:70 MISSING_COLUMN filled: unknown column `regoin`; did you mean `region`?',
      '11:96 MISSING_COLUMN gie: unknown column `co2`',
      '12:77 MISSING_COLUMN base: unknown column `pilot_yr`; did you mean `pilot_year`?',
      '12:105 MISSING_COLUMN base: unknown column `regin`; did you mean `region`?',
      '12:136 MISSING_COLUMN base: sample, 1:1: unknown column "yaer" — did you mean "year"?',
    ])
  })

  test('expected lists the columns of the stage read from', () => {
    try {
      planOf(root, head + '  base: { uses: did, with: { from: panel, outcome: gpd, treatment: { adoption: pilot_year } } }\n', stageKinds)
      expect.unreachable()
    } catch (e) {
      const [x] = (e as QuasiErrors).errors
      expect(x.expected).toBe('a column of stage `panel`: `city`, `year`, `gdp`, `pop`, `pilot_year`, `region`')
      expect(x.found).toBe('`gpd`')
    }
  })

  test('a later derive column sees the earlier ones, not the other way round', () => {
    expect(problems('  vars: { uses: derive, with: { from: panel, columns: { a: b + 1, b: gdp } } }\n')).toEqual([
      '6:60 MISSING_COLUMN vars: column a, 1:1: unknown column "b"',
    ])
  })

  test('ingest: `select` and `rename` shape what follows; a misspelt `select` silences what follows', () => {
    expect(problems(`
  slim: { uses: ingest, with: { file: data/panel.csv, select: [city, year, gdp], rename: { gdp: output } } }
  vars: { uses: derive, with: { from: slim, columns: { a: output + pop } } }
`)).toEqual(['8:68 MISSING_COLUMN vars: column a, 1:10: unknown column "pop"'])
    expect(problems(`
  slim: { uses: ingest, with: { file: data/panel.csv, select: [city, yaer] } }
  vars: { uses: derive, with: { from: slim, columns: { a: year + 1 } } }
`)).toEqual(['7:70 MISSING_COLUMN slim: unknown column `yaer`; did you mean `year`?'])
  })

  test('did with `model:` only checks its own keys against the model stage\'s table', () => {
    expect(problems(`
  base: { uses: did, with: { from: panel, outcome: gdp, treatment: { adoption: pilot_year } } }
  other: { uses: did, with: { model: base, outcome: popp } }
`)).toEqual(['8:53 MISSING_COLUMN other: unknown column `popp`; did you mean `pop`?'])
  })

  test('merge: a key missing on the left side names that side', () => {
    try {
      planOf(root, head + '  attrs: { uses: ingest, with: { file: data/attrs.csv } }\n  joined: { uses: merge, with: { left: attrs, right: panel, on: city } }\n', stageKinds)
      expect.unreachable()
    } catch (e) {
      const [x] = (e as QuasiErrors).errors
      expect([x.pos?.line, x.pos?.col, x.message]).toEqual([7, 65, 'unknown column `city`'])
      expect(x.expected).toBe('a column of `left` (stage `attrs`): `code`, `region`, `area`')
      expect(x.hint).toContain('on: {left_name: right_name}')
    }
  })
})
