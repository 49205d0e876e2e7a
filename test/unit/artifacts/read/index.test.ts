import { describe, expect, test } from 'vitest'
import { binaryFormatOf, readBinary } from '../../../../src/artifacts/read/index.ts'
import { expectUserError, fixture } from './helpers.ts'

describe('read/index: choosing a reader', () => {
  test('extensions map to formats, case-insensitively', () => {
    expect(['a.xlsx', 'b.XLSX', 'c.xls', 'd.dta', 'e.parquet', 'f.csv', 'g'].map(binaryFormatOf)).toEqual(['xlsx', 'xlsx', 'xls', 'dta', 'parquet', undefined, undefined])
  })

  test('readBinary dispatches, and refuses sheet/range/header for non-Excel files', async () => {
    expect((await readBinary('dta', fixture('sample118.dta'))).info.format).toBe('dta')
    expect((await readBinary('parquet', fixture('sample.parquet'))).info.format).toBe('parquet')
    expect((await readBinary('xlsx', fixture('panel.xlsx'), { sheet: 'flat' })).info.format).toBe('xlsx')
    const e = await expectUserError(readBinary('dta', fixture('sample118.dta'), { file: 'p.dta', sheet: 2 }), 'INVALID_VALUE', ['`sheet` applies to Excel workbooks only; p.dta is a Stata file'])
    expect(e.param).toEqual(['sheet'])
  })
})
