/** The ingest stage over every format, through a stage context as the scheduler builds it. */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import ingest from '../../stages/ingest/stage.ts'
import type { IngestParams } from '../../stages/ingest/params.ts'
import { makeTestContext } from '../helpers/context.ts'

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/read/${name}`, import.meta.url)))
const defaults: IngestParams = { file: '', format: 'auto', na: ['', 'NA', 'NaN', '.'], panel: 'auto' }

function run(rel: string, bytes: Uint8Array | string, params: Partial<IngestParams> = {}, panel?: { unit: string; time: string }) {
  const ctx = makeTestContext<IngestParams>({ params: { ...defaults, file: rel, ...params }, files: { file: { rel, bytes } }, panel })
  return { ctx, result: ingest.run(ctx) }
}

describe('ingest', () => {
  test('CSV: types, facts and a log line per column', async () => {
    const { ctx, result } = run('data/p.csv', 'city,year,y\na,2019,1.5\na,2020,\nb,2019,2\n', {}, { unit: 'city', time: 'year' })
    const r = await result
    expect(r.frame!.toRows()).toEqual([{ city: 'a', year: 2019, y: 1.5 }, { city: 'a', year: 2020, y: null }, { city: 'b', year: 2019, y: 2 }])
    expect(r.facts).toMatchObject({ rows: 3, columns: 3, 'missing(y)': 1, units: 2, periods: 2 })
    expect(ctx.logs.map((l) => l.message)).toEqual([
      'data/p.csv: 3 rows, 3 columns (csv)',
      '  city: string, 0 missing of 3',
      '  year: number, 0 missing of 3',
      '  y: number, 1 missing of 3',
    ])
  })

  test('select and rename; unknown columns suggest the nearest', async () => {
    const r = await run('p.csv', 'city,year,gdp\na,1,2\n', { select: ['city', 'gdp'], rename: { gdp: 'output' } }).result
    expect(r.frame!.names).toEqual(['city', 'output'])
    await expect(run('p.csv', 'city,year,gdp\na,1,2\n', { select: ['gpd'] }).result).rejects.toMatchObject({
      code: 'MISSING_COLUMN',
      message: 'p.csv has no column `gpd`; did you mean `gdp`?',
      param: ['select', 0],
    })
  })

  test('a header-only file says it has no data rows, not that the time column is not numeric', async () => {
    const panel = { unit: 'city', time: 'year' }
    await expect(run('p.csv', 'city,year,y\n', {}, panel).result).rejects.toMatchObject({
      code: 'BAD_DATA',
      message: 'p.csv has no data rows (only a header), so it holds no panel',
      param: ['file'],
    })
  })

  test('panel keys: non-integer time and missing keys are named by row', async () => {
    const panel = { unit: 'city', time: 'year' }
    await expect(run('p.csv', 'city,year\na,2019.5\n', {}, panel).result).rejects.toMatchObject({ code: 'BAD_PANEL_TIME', message: expect.stringContaining('row 2 (`2019.5`)') })
    await expect(run('p.csv', 'city,year\n,2019\na,2020\n', {}, panel).result).rejects.toMatchObject({ code: 'BAD_PANEL_TIME', message: expect.stringContaining('rows 2') })
    // panel: false skips the checks; panel: true insists on them
    await expect(run('p.csv', 'city,year\na,2019.5\n', { panel: false }, panel).result).resolves.toBeTruthy()
    await expect(run('p.csv', 'city,x\na,1\n', { panel: true }, panel).result).rejects.toMatchObject({ code: 'MISSING_COLUMN', param: ['panel'] })
  })

  test('not UTF-8, or an unknown extension, is a clear error', async () => {
    await expect(run('p.csv', new Uint8Array([0x61, 0x0a, 0xc4, 0xe3, 0x0a])).result).rejects.toMatchObject({ code: 'BAD_DATA', message: 'p.csv is not valid UTF-8 text' })
    await expect(run('p.sav', 'a\n1\n').result).rejects.toMatchObject({ code: 'BAD_DATA', param: ['format'] })
  })

  test('Excel: a sheet by name, a range with two header rows, dash as missing', async () => {
    const r = await run('panel.xlsx', fixture('panel.xlsx'), { sheet: 'panel', range: 'A3:G10', header: 2, na: ['—'] }).result
    expect(r.frame!.names).toEqual(['city', 'province', 'GDP_2019', 'GDP_2020', 'Population', 'flag', 'date'])
    expect(Array.from(r.frame!.numbers('GDP_2020'))).toEqual([1 / 3, 123456789.12345679, 5e-324, -2.5, 7.25])
    expect(r.facts!['missing(Population)']).toBe(2)
    await expect(run('panel.xlsx', fixture('panel.xlsx'), { sheet: 'panle' }).result).rejects.toMatchObject({ code: 'INVALID_VALUE', param: ['sheet'] })
    await expect(run('p.csv', 'a\n1\n', { sheet: 1 }).result).rejects.toMatchObject({ code: 'INVALID_VALUE', param: ['sheet'] })
  })

  test('Stata .dta 117/118/119 and Parquet read the same values; a corrupt file is BAD_DATA', async () => {
    for (const f of ['sample117.dta', 'sample118.dta', 'sample119.dta']) {
      const r = await run(f, fixture(f)).result
      expect(r.frame!.nrows).toBe(12)
      expect(r.frame!.numbers('gdp')[1]).toBe(1 / 3)
    }
    const pq = await run('sample.parquet', fixture('sample.parquet')).result
    expect(pq.frame!.nrows).toBeGreaterThan(0)
    const bytes = fixture('sample118.dta').slice(0, 300)
    await expect(run('cut.dta', bytes).result).rejects.toMatchObject({ code: 'BAD_DATA' })
    await expect(run('fake.xlsx', 'city,year\n').result).rejects.toMatchObject({ code: 'BAD_DATA' })
  })
})
