import { describe, expect, test } from 'vitest'
import { readParquet } from '../../../../src/artifacts/read/parquet.ts'
import { Rng } from '../../../../src/stats/rng.ts'
import { QuasiError } from '../../../../src/errors.ts'
import { expected, expectColumn, expectUserError, fixture } from './helpers.ts'

describe('readParquet (fixtures: make_parquet.py, and pyarrow-simple.parquet written by pyarrow)', () => {
  test('every physical type: exact doubles, widened floats, int64, booleans, dates, decimals, nulls; gzip pages', async () => {
    const want = expected['sample.parquet']
    const { frame, info } = await readParquet(fixture('sample.parquet'), { file: 'sample.parquet' })
    expect(frame.names).toEqual(want.names)
    expect(frame.nrows).toBe(want.rows)
    for (const name of want.names) {
      expectColumn(frame, name, want.columns[name])
      const c = info.columns.find((x) => x.name === name)!
      expect(c.type, name).toBe(want.types[name])
      expect(c.missing, name).toBe(want.missing[name])
    }
    expect(info.columns.find((c) => c.name === 'price')?.storage).toBe('INT32 (DECIMAL)')
    expect(info.meta.codecs).toBe('GZIP, UNCOMPRESSED')
    expect(info.notes.join('\n')).toContain('column "day": INT32 (DATE) values read as ISO 8601 text (UTC)')
  })

  test('a file written by pyarrow (snappy, dictionary-encoded)', async () => {
    const want = expected['pyarrow-simple.parquet']
    const { frame, info } = await readParquet(fixture('pyarrow-simple.parquet'))
    expect(frame.names).toEqual(want.names)
    for (const name of want.names) expectColumn(frame, name, want.columns[name])
    expect(info.meta.codecs).toBe('SNAPPY')
  })

  test('an int64 beyond 2^53 is refused, naming row, column and value; declared string keeps it exactly', async () => {
    const bad = expected['int64-overflow.parquet'].bad
    const e = await expectUserError(readParquet(fixture('int64-overflow.parquet'), { file: 'ids.parquet' }), 'BAD_DATA', [
      'ids.parquet',
      `row ${bad.row}`,
      `column "${bad.column}"`,
      `${bad.value} cannot be represented exactly as a double`,
    ])
    expect(e.hint).toContain('`id: string`')
    const { frame } = await readParquet(fixture('int64-overflow.parquet'), { types: { id: 'string' } })
    expect(frame.strings('id')).toEqual(['1', bad.value, '3'])
  })

  test('declared types apply to parquet columns too', async () => {
    const { frame } = await readParquet(fixture('sample.parquet'), { types: { year: 'string', pop: 'integer' } })
    expect(frame.strings('year')[0]).toBe('2007')
    await expectUserError(readParquet(fixture('sample.parquet'), { types: { city: 'number' } }), 'BAD_DATA', ['row 1, column "city"', '`Shijiazhuang`'])
    await expectUserError(readParquet(fixture('sample.parquet'), { types: { gdp: 'integer' } }), 'BAD_DATA', ['row 1, column "gdp"', 'not an integer'])
  })
})

describe('readParquet: bad files', () => {
  const good = fixture('sample.parquet')

  test('a codec quasi cannot decompress is named, with how to rewrite the file', async () => {
    const e = await readParquet(fixture('zstd-codec.parquet'), { file: 'z.parquet' }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(QuasiError)
    expect((e as QuasiError).code).toBe('BAD_DATA')
    // Node < 22.15 has no zstd: the codec is refused up front; with zstd the raw page fails to decompress.
    expect((e as QuasiError).message).toMatch(/compressed with ZSTD|cannot be read/)
  })

  test('truncation anywhere gives BAD_DATA', async () => {
    for (let cut = 0; cut < good.length; cut += 23) {
      const e = await readParquet(good.subarray(0, cut)).catch((x: unknown) => x)
      expect(e, `cut at ${cut}`).toBeInstanceOf(QuasiError)
      expect((e as QuasiError).code).toBe('BAD_DATA')
    }
  })

  test('random byte damage never escapes as anything but a user error (200 seeded trials)', async () => {
    const rng = new Rng(['parquet-fuzz'])
    let refused = 0
    for (let t = 0; t < 200; t++) {
      const b = good.slice()
      for (let k = 0; k < 3; k++) b[4 + rng.int(b.length - 8)] = rng.int(256)
      try {
        await readParquet(b)
      } catch (e) {
        expect(e, `trial ${t}: ${String(e)}`).toBeInstanceOf(QuasiError)
        refused++
      }
    }
    expect(refused).toBeGreaterThan(0)
  })

  test('files of another kind say what they are', async () => {
    const e = await expectUserError(readParquet(new TextEncoder().encode('a,b\n1,2\n'), { file: 'p.parquet' }), 'BAD_DATA', [
      'p.parquet: expected a Parquet file, but the file is a text file starting with `a,b`',
    ])
    expect(e.hint).toContain('.csv')
    await expectUserError(readParquet(fixture('sample118.dta')), 'BAD_DATA', ['a Stata .dta file'])
  })
})
