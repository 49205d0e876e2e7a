import { describe, expect, test } from 'vitest'
import { readCsv, writeCsv } from '../../../src/artifacts/csv.ts'
import { Frame } from '../../../src/artifacts/frame.ts'
import { deserializeFrame, serializeFrame } from '../../../src/artifacts/serialize.ts'
import { Rng } from '../../../src/stats/rng.ts'
import type { QuasiError } from '../../../src/errors.ts'

describe('CSV', () => {
  test('round-trips every double exactly, including extremes and missing values', () => {
    const rng = new Rng(['csv-test'])
    const xs = new Float64Array(2000)
    for (let i = 0; i < xs.length; i++) {
      const u = rng.uniform()
      xs[i] = i % 97 === 0 ? NaN : (u - 0.5) * 10 ** Math.floor(rng.uniform() * 40 - 20)
    }
    xs.set([Number.MAX_VALUE, Number.MIN_VALUE, -0.1, 1 / 3, 2 ** 53 + 2, 1e-310], 1)
    const f = Frame.from({ id: Array.from(xs, (_, i) => `u${i}`), x: xs })
    const back = readCsv(writeCsv(f), { file: 't.csv' }).frame
    const y = back.numbers('x')
    for (let i = 0; i < xs.length; i++) expect(Object.is(y[i], xs[i]) || (Number.isNaN(y[i]) && Number.isNaN(xs[i]))).toBe(true)
    expect(back.strings('id')).toEqual(f.strings('id'))
  })

  test('a BOM, quoted cells with commas and newlines, TSV', () => {
    const r = readCsv('\ufeffname,v\n"Xi\'an, Shaanxi",1\n"two\nlines",2\n', { file: 't.csv' })
    expect(r.frame.toRows()).toEqual([{ name: "Xi'an, Shaanxi", v: 1 }, { name: 'two\nlines', v: 2 }])
    expect(readCsv('a\tb\n1\t2\n', { file: 't.tsv', delimiter: '\t' }).frame.toRows()).toEqual([{ a: 1, b: 2 }])
    expect(writeCsv(r.frame)).toBe('name,v\n"Xi\'an, Shaanxi",1\n"two\nlines",2\n')
  })

  test('declared types: integers, strings kept as text, and clear errors', () => {
    const r = readCsv('code,year\n0101,2010\n0102,2011\n', { file: 't.csv', types: { code: 'string', year: 'integer' } })
    expect(r.frame.strings('code')).toEqual(['0101', '0102'])
    expect(() => readCsv('year\n2010.5\n', { file: 't.csv', types: { year: 'integer' } })).toThrow(/row 2, column "year": `2010.5` is not an integer/)
    expect(() => readCsv('a,b\n1,2\n', { file: 't.csv', types: { c: 'number' } })).toThrow(/declared column "c" is not in the file/)
    expect(() => readCsv('a,a\n1,2\n', { file: 't.csv' })).toThrow(/names column "a" twice/)
    expect(() => readCsv('a,b\n1,2,3\n', { file: 't.csv' })).toThrow(/row 2/)
  })

  test('inference: a column with fewer numbers than texts is text, with a note; missing markers', () => {
    const r = readCsv('a,b,c\n1,x,NA\n.,2,\n4,y,\n', { file: 't.csv' })
    expect(r.columns.map((c) => [c.name, c.type, c.missing])).toEqual([['a', 'number', 1], ['b', 'string', 0], ['c', 'string', 3]])
    expect(r.notes).toEqual(['column "b" is read as text: 2 of its 3 cells are not numbers (first: row 2 `x`)'])
  })

  test('na is compared with the trimmed cell: "NA " and a cell of spaces are missing', () => {
    const r = readCsv('x,y\n1,NA \n2,  \n3,4\n', { file: 't.csv' })
    expect(Array.from(r.frame.numbers('y'))).toEqual([NaN, NaN, 4])
  })
})

/** Issue 9, item 7: ingest hides bad cells. Each of these read as a text column (or Infinity) before. */
describe('CSV: a column of numbers with bad cells stops the read, naming the cells', () => {
  const bad = (text: string, opts: Partial<Parameters<typeof readCsv>[1]> = {}) => {
    try {
      readCsv(text, { file: 'p.csv', ...opts })
    } catch (e) {
      return e as QuasiError
    }
    throw new Error('the read should have failed')
  }
  const rows = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n'

  test('one text cell among numbers: column, row, count and how to fix it', () => {
    const e = bad('id,y\n' + rows(40, (i) => `${i},${i === 16 ? 'n/a' : i / 4}`))
    expect(e.code).toBe('BAD_DATA')
    expect(e.message).toBe('p.csv: row 18, column "y": `n/a` is not a number (the column is read as numbers: 39 of its cells are numbers)')
    expect(e.param).toBeUndefined() // ingest points it at `file:`
    expect(e.hint).toContain('`na: ["n/a"]`')
    expect(e.hint).toContain('declare `y: string` under `types` if the column is text')
  })

  test('the first offending rows and their count', () => {
    const e = bad('y\n' + rows(20, (i) => (i % 3 === 0 ? '-' : String(i))))
    expect(e.message).toContain('row 2, column "y": `-` is not a number')
    expect(e.message).toContain('7 cells of the column are not numbers: row 2 `-`, row 5 `-`, row 8 `-`, row 11 `-`, row 14 `-`, …')
  })

  test('"12,345": thousands separators are named', () => {
    const e = bad('y\n1\n"12,345"\n3\n')
    expect(e.message).toContain('row 3, column "y": `12,345` is not a number')
    expect(e.hint).toContain('thousands separators')
  })

  test('decimal commas: the hint names `decimal: ","`, which reads them', () => {
    const e = bad('a;y\n1;2,5\n2;3\n3;4\n', { delimiter: ';' })
    expect(e.hint).toContain('set `decimal: ","`')
    const r = readCsv('a;y\n1;2,5\n2;3,25\n3;-,5\n4;1,5e3\n', { file: 'p.csv', decimal: ',' })
    expect(Array.from(r.frame.numbers('y'))).toEqual([2.5, 3.25, -0.5, 1500])
    expect(r.frame.names).toEqual(['a', 'y']) // the delimiter is guessed among ; tab |, never the comma
    const e2 = bad('y\n1.5\n2,5\n3\n', { decimal: ',', delimiter: ';' })
    expect(e2.hint).toContain('a point is not a decimal mark')
    expect(bad('y\n1\n', { decimal: ',', delimiter: ',' })).toMatchObject({ code: 'INVALID_VALUE', param: ['decimal'] })
  })

  test('inf and nan are bad cells, with `na` as the way to read them as missing', () => {
    const e = bad('y\n1\ninf\n3\n')
    expect(e.message).toContain('`inf` is not a number')
    expect(e.hint).toContain('infinity is never read as a value: add "inf" to `na`')
    expect(bad('y\n1\nnan\n3\n').hint).toContain('add "nan" to `na`')
    expect(Array.from(readCsv('y\n1\ninf\nnan\n', { file: 'p.csv', na: ['inf', 'nan'] }).frame.numbers('y'))).toEqual([1, NaN, NaN])
  })

  test('1e309 is not read as Infinity', () => {
    const e = bad('y\n1\n1e309\n3\n')
    expect(e.message).toContain('row 3, column "y": `1e309` is not a number')
    expect(e.hint).toContain('beyond the largest double')
    // Declared number: the same cell, the same refusal.
    expect(bad('y\n1e309\n', { types: { y: 'number' } })).toMatchObject({ code: 'BAD_DATA', param: ['types', 'y'] })
    // 1.7976931348623157e308 is the largest double and reads exactly.
    expect(readCsv('y\n1.7976931348623157e308\n', { file: 'p.csv' }).frame.numbers('y')[0]).toBe(Number.MAX_VALUE)
  })

  test('a declared integer column lists its fractions', () => {
    const e = bad('year\n2010\n2010.5\n2011.5\n', { types: { year: 'integer' } })
    expect(e.message).toBe('p.csv: row 3, column "year": `2010.5` is not an integer; 2 cells of the column are not integers: row 3 `2010.5`, row 4 `2011.5`')
    expect(e.hint).toContain('declare `year: number` if the column holds fractions')
  })
})

describe('writeCsv', () => {
  test('a frame without rows is its header line, with no blank line after it', () => {
    expect(writeCsv(Frame.from({ a: new Float64Array(0), b: [] as string[] }))).toBe('a,b\n')
  })
})

describe('frame serialization', () => {
  test('round-trips and is byte-stable, with one canonical NaN', () => {
    const neg = new Float64Array(1)
    new Uint32Array(neg.buffer)[1] = 0xfff80000 // the NaN x86 makes for 0/0
    const f = Frame.from({ s: ['a', null, 'c'], x: Float64Array.of(1.5, neg[0], -0) })
    const bytes = serializeFrame(f)
    const g = deserializeFrame(bytes)
    expect(g.toRows()).toEqual(f.toRows())
    expect(serializeFrame(Frame.from({ s: ['a', null, 'c'], x: Float64Array.of(1.5, NaN, -0) }))).toEqual(bytes)
  })
})
