import { describe, expect, test } from 'vitest'
import { readCsv, writeCsv } from '../../../src/artifacts/csv.ts'
import { Frame } from '../../../src/artifacts/frame.ts'
import { deserializeFrame, serializeFrame } from '../../../src/artifacts/serialize.ts'
import { Rng } from '../../../src/stats/rng.ts'

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

  test('inference: a column with any non-number is text; missing markers', () => {
    const r = readCsv('a,b,c\n1,x,NA\n.,2,\n', { file: 't.csv' })
    expect(r.columns.map((c) => [c.name, c.type, c.missing])).toEqual([['a', 'number', 1], ['b', 'string', 0], ['c', 'string', 2]])
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
