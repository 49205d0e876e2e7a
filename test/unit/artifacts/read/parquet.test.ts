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

describe('readParquet: codecs, row counts, dates and types beyond the basics (make_parquet.py)', () => {
  test('ZSTD, LZ4 (Hadoop framing), LZ4_RAW and gzip pages on any Node.js ≥ 20', async () => {
    const want = expected['codecs.parquet']
    const { frame, info } = await readParquet(fixture('codecs.parquet'))
    expect(frame.names).toEqual(want.names)
    for (const name of want.names) expectColumn(frame, name, want.columns[name])
    expect(info.meta.codecs).toBe('GZIP, LZ4, LZ4_RAW, ZSTD')
  })

  test('a footer row count of 0 over a row group of 6 rows: the 6 rows are read, with a warning', async () => {
    const { frame, info } = await readParquet(fixture('footer-rows-zero.parquet'))
    expect(Array.from(frame.numbers('x'))).toEqual([1, 2, 3, 4, 5, 6])
    expect(info.warnings).toEqual(["the file's footer says 0 rows, but its 1 row group(s) hold 6: all 6 are read"])
  })

  test('an INT96 timestamp in the year 290000 is missing with a warning, never text of a number', async () => {
    const { frame, info } = await readParquet(fixture('int96.parquet'))
    expectColumn(frame, 't', expected['int96.parquet'].t)
    expect(info.warnings).toHaveLength(1)
    expect(info.warnings[0]).toMatch(/^column "t": 1 INT96 value\(s\) beyond the dates JavaScript can represent .* read as missing: row 2 \(\d+ days after 1970\)$/)
  })

  test('INTERVAL reads as ISO 8601 durations, TIME as text of the time of day, each with a note', async () => {
    const want = expected['interval-time.parquet']
    const { frame, info } = await readParquet(fixture('interval-time.parquet'))
    for (const name of ['span', 't_ms', 't_us']) expectColumn(frame, name, want[name])
    expectColumn(frame, 'id', [1, 2, 3])
    const notes = info.notes.join('\n')
    expect(notes).toContain('column "span": INTERVAL values read as ISO 8601 durations')
    expect(notes).toContain('column "t_us": INT64 (TIME_MICROS) values (time of day) read as text HH:MM:SS')
  })

  test('a file of nested columns only is an error naming each and why', async () => {
    const e = await expectUserError(readParquet(fixture('nested-only.parquet'), { file: 'n.parquet' }), 'BAD_DATA', [
      'n.parquet: the Parquet file has no flat columns to read',
      's (struct), r (list)',
      'no single value per row',
    ])
    expect(e.hint).toContain('flatten')
  })
})

describe('readParquet: bad files', () => {
  const good = fixture('sample.parquet')

  test('a codec quasi cannot decompress (LZO) is named, with the codecs that would work', async () => {
    const e = await expectUserError(readParquet(fixture('lzo-codec.parquet'), { file: 'z.parquet' }), 'BAD_DATA', [
      'z.parquet: column "x" is compressed with LZO, which quasi cannot decompress; it reads uncompressed, snappy, gzip, brotli, zstd, lz4, lz4_raw',
    ])
    expect(e.hint).toContain("compression='zstd'")
  })

  test('truncation anywhere gives BAD_DATA', async () => {
    for (let cut = 0; cut < good.length; cut += 23) {
      const e = await readParquet(good.subarray(0, cut)).catch((x: unknown) => x)
      expect(e, `cut at ${cut}`).toBeInstanceOf(QuasiError)
      expect((e as QuasiError).code).toBe('BAD_DATA')
    }
  })

  test('random byte damage of files with INT96, INTERVAL, TIME and every codec: user errors only (400 trials each)', async () => {
    for (const name of ['int96.parquet', 'interval-time.parquet', 'codecs.parquet']) {
      const file = fixture(name)
      const rng = new Rng([`pq-${name}`])
      for (let t = 0; t < 400; t++) {
        const b = file.slice()
        for (let k = 0; k < 3; k++) b[4 + rng.int(b.length - 8)] = rng.int(256)
        try {
          await readParquet(b)
        } catch (e) {
          expect(e, `${name} trial ${t}: ${String(e)}`).toBeInstanceOf(QuasiError)
        }
      }
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
