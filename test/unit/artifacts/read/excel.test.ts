/**
 * Excel beyond panel.xlsx: the date conventions, .xls, chart sheets and a package laid out at
 * the ZIP root. Fixtures: make_excel.py (openpyxl, xlwt); references: readxl (make_reference.R).
 */
import { describe, expect, test } from 'vitest'
import { readExcel } from '../../../../src/artifacts/read/xlsx.ts'
import { excelDateText, isDateFormat } from '../../../../src/artifacts/read/excel-dates.ts'
import { Rng } from '../../../../src/stats/rng.ts'
import { QuasiError } from '../../../../src/errors.ts'
import { expectColumn, expectUserError, fixture, referenceR } from './helpers.ts'

describe('Excel dates', () => {
  test('all 1,440 minutes of a day come out exact, as readxl reads them (read-excel-file 9.3.17 gave 448 of them 1 ms early)', async () => {
    const { frame } = await readExcel(fixture('datetime-rounding.xlsx'))
    const want = Array.from({ length: 1440 }, (_, m) => new Date(Date.UTC(2020, 0, 1, 0, m)).toISOString().replace(/T00:00:00\.000Z$|\.000Z$/, ''))
    expectColumn(frame, 'datetime', want)
    expectColumn(frame, 'datetime', referenceR.excel_dates.datetime_rounding.datetime)
    // Times without a date sit on 1899-12-31, as in readxl.
    expectColumn(frame, 'time', referenceR.excel_dates.datetime_rounding.time)
  })

  test('serials before 1900-03-01 follow Excel and readxl; serial 60 (1900-02-29) is missing with a warning', async () => {
    const { frame, info } = await readExcel(fixture('early-dates.xlsx'), { file: 'e.xlsx' })
    expectColumn(frame, 'date', referenceR.excel_dates.early_dates.date)
    expectColumn(frame, 'date', ['1900-01-01', '1900-01-02', '1900-02-28', null, '1900-03-01', '1900-03-02', '1899-12-31T12:00:00'])
    expect(info.warnings).toEqual([
      "1 date cell(s) name no real day and are read as missing: B5 (60) (serial 60 is 1900-02-29, which Excel counts but which never was; negative serials are before Excel's first day)",
    ])
  })

  test('the 1904 date system (old Mac workbooks) is taken from the workbook, as readxl reads it', async () => {
    const { frame, info } = await readExcel(fixture('date1904.xlsx'))
    expectColumn(frame, 'date', ['1904-01-01', '1904-01-02', '1905-01-01T12:00:00'])
    expect(info.meta.dateSystem).toBe(1904)
  })

  test('excelDateText: rounding half away from zero, the 1904 system, impossible serials', () => {
    expect(excelDateText(43831 + 690 / 1440, false)).toBe('2020-01-01T11:30:00')
    expect(excelDateText(43831.5 + 0.0000000057, false)).toBe('2020-01-01T12:00:00') // 0.49 ms rounds down
    expect(excelDateText(25569 - 0.6 / 86400000, false)).toBe('1969-12-31T23:59:59.999')
    expect(excelDateText(0, true)).toBe('1904-01-01')
    expect(excelDateText(60, false)).toBeUndefined()
    expect(excelDateText(60.5, false)).toBeUndefined()
    expect(excelDateText(-1, false)).toBeUndefined()
    expect(excelDateText(2958465, false)).toBe('9999-12-31')
  })

  test('isDateFormat: date and time codes outside quotes, escapes and brackets', () => {
    for (const f of ['m/d/yy', 'yyyy-mm-dd', 'h:mm', '[h]:mm:ss', '[$-404]e/m/d', 'dd"日"', '[Red]yyyy']) expect(isDateFormat(f), f).toBe(true)
    for (const f of ['General', '0.00', '#,##0', '"day"0', '\\d0', '[Red]0.00', '0.00E+00', '@', undefined]) expect(isDateFormat(f), String(f)).toBe(false)
  })
})

describe('.xls through SheetJS (@e965/xlsx)', () => {
  const xls = fixture('twin.xls')
  const xlsx = fixture('twin.xlsx')

  test('a workbook saved as .xls and as .xlsx gives identical frames', async () => {
    const a = await readExcel(xls, { file: 'twin.xls' })
    const b = await readExcel(xlsx, { file: 'twin.xlsx' })
    expect(a.info.format).toBe('xls')
    expect(b.info.format).toBe('xlsx')
    expect(a.frame.names).toEqual(b.frame.names)
    for (const name of a.frame.names) {
      expect(a.frame.column(name)!.type, name).toBe(b.frame.column(name)!.type)
      expectColumn(a.frame, name, Array.from(b.frame.column(name)!.data as ArrayLike<number | string | null>, (v) => (typeof v === 'number' && Number.isNaN(v) ? null : v)))
    }
    expect(a.info.columns).toEqual(b.info.columns.map((c) => ({ ...c })))
    expect(a.info.notes).toEqual(b.info.notes)
  })

  test('both agree with readxl cell by cell (its empty row 4 is dropped by quasi; H3, inside the merged H2:H3, is filled)', async () => {
    for (const [bytes, ref] of [[xls, referenceR.twin.xls], [xlsx, referenceR.twin.xlsx]] as const) {
      const { frame } = await readExcel(bytes)
      const keep = (ref.city as (string | null)[]).map((_, i) => Object.values(ref).some((col) => (col as unknown[])[i] !== null))
      for (const [name, col] of Object.entries(ref) as [string, (string | null)[]][]) {
        const values = col.filter((_, i) => keep[i]).map((v, i) => (name === 'province' && i === 1 ? 'Hebei' : v))
        const ours = frame.column(name)!
        expectColumn(frame, name, ours.type === 'number' ? values.map((v) => (v === null ? null : Number(v))) : values)
      }
    }
  })

  test('sheet, range and header work as for .xlsx', async () => {
    const { frame, info } = await readExcel(xls, { sheet: 'twin', range: 'B2:D3', header: false })
    expect(frame.names).toEqual(['B', 'C', 'D'])
    expectColumn(frame, 'C', [0.1, 1e-300])
    expect(info.meta).toMatchObject({ sheet: 'twin', sheetNumber: 1, range: 'B2:D3' })
    await expectUserError(readExcel(xls, { sheet: 2 }), 'INVALID_VALUE', ['no sheet 2'])
    const merged = await readExcel(xls, { range: 'A1:H3' })
    expectColumn(merged.frame, 'province', ['Hebei', 'Hebei'])
  })

  test('random byte damage never escapes as anything but a user error, nor prints to the console (100 seeded trials)', async () => {
    const rng = new Rng(['xls-fuzz'])
    const printed: unknown[] = []
    const saved = { error: console.error, warn: console.warn, log: console.log }
    console.error = console.warn = console.log = (...a: unknown[]) => printed.push(a)
    try {
      for (let t = 0; t < 100; t++) {
        const b = xls.slice()
        for (let k = 0; k < 4; k++) b[512 + rng.int(b.length - 512)] = rng.int(256)
        try {
          await readExcel(b)
        } catch (e) {
          expect(e, `trial ${t}: ${String(e)}`).toBeInstanceOf(QuasiError)
        }
      }
    } finally {
      Object.assign(console, saved)
    }
    expect(printed).toEqual([])
  })
})

describe('workbook layouts', () => {
  test('`sheet:` naming a chart sheet says so and lists the worksheets', async () => {
    const e = await expectUserError(readExcel(fixture('chartsheet.xlsx'), { file: 'c.xlsx', sheet: 'Chart1' }), 'INVALID_VALUE', [
      'c.xlsx: sheet 1 "Chart1" is a chart sheet, which holds no table',
    ])
    expect(e.param).toEqual(['sheet'])
    expect(e.hint).toBe('the worksheets are 2: "data", 3: "other"')
    await expectUserError(readExcel(fixture('chartsheet.xlsx'), { sheet: 1 }), 'INVALID_VALUE', ['is a chart sheet'])
  })

  test('without `sheet:` the first worksheet is read, past a chart sheet', async () => {
    const { frame, info } = await readExcel(fixture('chartsheet.xlsx'))
    expect(info.meta).toMatchObject({ sheet: 'data', sheetNumber: 2 })
    expectColumn(frame, 'gdp', [1.5, 2.5, 3])
  })

  test('a valid package with its parts at the ZIP root is found through _rels/.rels', async () => {
    const { frame } = await readExcel(fixture('root-parts.xlsx'))
    expect(frame.toRows()).toEqual([{ id: 1, x: 0.5 }, { id: 2, x: 2.5 }])
  })
})
