/** The ingest stage over every format, through a stage context as the scheduler builds it. */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import ingest from '../../stages/ingest/stage.ts'
import type { IngestParams } from '../../stages/ingest/params.ts'
import { makeTestContext } from '../helpers/context.ts'
import type { QuasiError } from '../../src/errors.ts'

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/read/${name}`, import.meta.url)))
const defaults: IngestParams = { file: '', format: 'auto', encoding: 'utf-8', decimal: '.', na: ['', 'NA', 'NaN', '.'], panel: 'auto' }

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
      code: 'EMPTY_DATA',
      message: 'p.csv has no rows (only the header: `city`, `year`, `y`)',
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
    await expect(run('p.csv', new Uint8Array([0x61, 0x0a, 0xc4, 0xe3, 0x0a])).result).rejects.toMatchObject({ code: 'BAD_DATA', message: expect.stringContaining('p.csv is not valid UTF-8 text (line 2)'), param: ['file'] })
    await expect(run('p.sav', 'a\n1\n').result).rejects.toMatchObject({ code: 'BAD_DATA', param: ['format'] })
  })

  test('Excel: a sheet by name, a range with two header rows, dash as missing', async () => {
    const r = await run('panel.xlsx', fixture('panel.xlsx'), { sheet: 'panel', range: 'A3:G10', header: 2, na: ['—'], types: { GDP_2019: 'number' } }).result
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

  test('bad cells surface at ingest with the column and rows, pointing at `file:`', async () => {
    await expect(run('p.csv', 'city,year,y\na,2019,1.5\na,2020,n/a\nb,2019,2\n').result).rejects.toMatchObject({
      code: 'BAD_DATA',
      param: ['file'],
      message: expect.stringContaining('p.csv: row 3, column "y": `n/a` is not a number'),
    })
    const r = await run('p.csv', 'city;y\na;1,5\nb;2\n', { decimal: ',' }).result
    expect(Array.from(r.frame!.numbers('y'))).toEqual([1.5, 2])
  })

  test('sheet: 0 and header: -1 are integers out of range, not of the wrong type', () => {
    const errors = ingest.check!({ ...defaults, file: 'p.xlsx', sheet: 0, header: -1 })
    expect(errors.map((e) => [e.code, e.param, e.message])).toEqual([
      ['INVALID_VALUE', ['sheet'], 'Expected `sheet` to be a sheet name or a position of at least 1, got `0`'],
      ['INVALID_VALUE', ['header'], 'Expected `header` to be a number of header rows of at least 0 and at most 10 (or true/false), got `-1`'],
    ])
    expect(errors[0].hint).toContain('the first sheet is `sheet: 1`')
    expect(ingest.check!({ ...defaults, file: 'p.xlsx', sheet: 1, header: 0 })).toEqual([])
  })
})

describe('ingest: text encodings (fixtures: test/fixtures/read/make_text.py)', () => {
  const text = (name: string) => fixture(`text/${name}`)
  const chinese = [{ 城市: '北京', 年份: 2019, 国内生产总值: 35371.3 }, { 城市: '上海', 年份: 2019, 国内生产总值: 38155.3 }]

  test.each([
    ['gbk.csv', 'gbk'],
    ['gb18030.csv', 'gb18030'],
    ['utf16le-bom.csv', 'utf-16'],
    ['utf16be-bom.csv', 'utf-16'],
    ['utf16le-nobom.csv', 'utf-16le'],
    ['utf8-bom.csv', 'utf-8'],
  ] as const)('%s with encoding: %s', async (name, encoding) => {
    const r = await run(name, text(name), { encoding }).result
    expect(r.frame!.toRows().slice(0, 2)).toEqual(chinese)
    expect(r.frame!.nrows).toBe(4)
  })

  test('big5 and latin1', async () => {
    const big5 = await run('b.csv', text('big5.csv'), { encoding: 'big5' }).result
    expect(big5.frame!.strings('城市')).toEqual(['臺北', '高雄', '臺中', '新竹'])
    const latin = await run('l.csv', text('latin1.csv'), { encoding: 'latin1' }).result
    expect(latin.frame!.names).toEqual(['ville', 'année', 'pib'])
    expect(latin.frame!.strings('ville')).toEqual(['Zürich', 'Genève', 'São Paulo', 'Köln'])
  })

  test.each([
    ['gbk.csv', 'gb18030'],
    ['big5.csv', 'big5'],
    ['latin1.csv', 'latin1'],
    ['utf16le-bom.csv', 'utf-16'],
    ['utf16le-nobom.csv', 'utf-16le'],
  ])('%s read as UTF-8: the error names the likely encoding (%s) and the parameter', async (name, guess) => {
    const e = await run(name, text(name)).result.catch((x: unknown) => x as QuasiError)
    expect(e).toMatchObject({ code: 'BAD_DATA', param: ['file'], message: expect.stringContaining(`${name} is not valid UTF-8 text`) })
    expect((e as QuasiError).message).toContain(`it looks like ${guess}`)
    expect((e as QuasiError).hint).toContain(`set \`encoding: ${guess}\``)
  })

  test('a byte outside the declared encoding is an error at `encoding`, never a replacement character', async () => {
    await expect(run('g.csv', text('gbk.csv'), { encoding: 'shift_jis' }).result).rejects.toMatchObject({
      code: 'BAD_DATA',
      param: ['encoding'],
      message: expect.stringContaining('g.csv is not valid shift_jis text (line 1); it looks like gb18030'),
    })
    // UTF-16 read as Big5 decodes, but to NUL characters: refused as well.
    await expect(run('u.csv', text('utf16le-nobom.csv'), { encoding: 'big5' }).result).rejects.toMatchObject({
      code: 'BAD_DATA',
      param: ['encoding'],
      message: expect.stringContaining('it looks like utf-16le'),
    })
  })

  test('`encoding` is for text files only', async () => {
    await expect(run('sample.parquet', fixture('sample.parquet'), { encoding: 'gbk' }).result).rejects.toMatchObject({ code: 'INVALID_VALUE', param: ['encoding'] })
  })
})
