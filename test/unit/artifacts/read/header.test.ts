import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { readCsv } from '../../../../src/artifacts/csv.ts'
import { readDta } from '../../../../src/artifacts/read/dta.ts'
import { readHeader } from '../../../../src/artifacts/read/header.ts'
import { readParquet } from '../../../../src/artifacts/read/parquet.ts'
import { expected, fixture } from './helpers.ts'

const fixtures = fileURLToPath(new URL('../../../fixtures/read/', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'quasi-header-'))

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

/** The header reader must agree with the full reader on the same text. */
function fullCsvNames(text: string, delimiter?: string): readonly string[] {
  return readCsv(text, { file: 'x', delimiter }).frame.names
}

describe('readHeader: CSV and TSV through the CSV reader\'s parsing rules', () => {
  test('a byte order mark, quoted names with commas and quotes, padded names', () => {
    const text = '\uFEFF"city","gdp, bn","say ""hi""", year \r\n1,2,3,4\r\n'
    const names = readHeader(file('bom.csv', text))
    expect(names).toEqual(['city', 'gdp, bn', 'say "hi"', 'year'])
    expect(names).toEqual(fullCsvNames(text))
  })

  test('TSV by extension, and a declared delimiter', () => {
    expect(readHeader(file('t.tsv', 'a b\tc\n1\t2\n'))).toEqual(['a b', 'c'])
    expect(readHeader(file('semi.txt', 'a;b;c\n1;2;3\n'), { delimiter: ';' })).toEqual(['a', 'b', 'c'])
    expect(readHeader(file('tab-as-csv.dat', 'a\tb\n1\t2\n'), { format: 'tsv' })).toEqual(['a', 'b'])
  })

  test('the delimiter is guessed as on the whole file, also when only its start is read', () => {
    // 200 kB: more than one read; a semicolon file whose header also holds commas.
    const rows = Array.from({ length: 20000 }, (_, i) => `${i};${i * 2};x`)
    const text = 'id;a,b;label\n' + rows.join('\n') + '\n'
    expect(text.length).toBeGreaterThan(64 * 1024)
    expect(readHeader(file('long.csv', text))).toEqual(['id', 'a,b', 'label'])
    expect(fullCsvNames(text)).toEqual(['id', 'a,b', 'label'])
  })

  test('`encoding`: GBK, and UTF-16 longer than one read (a character may be cut between reads)', () => {
    expect(readHeader(join(fixtures, 'text/gbk.csv'), { encoding: 'gbk' })).toEqual(['城市', '年份', '国内生产总值'])
    expect(readHeader(join(fixtures, 'text/gbk.csv'))).toBeUndefined() // not UTF-8: the run says which encoding
    const text = '城市;年份\n' + Array.from({ length: 30000 }, (_, i) => `北京${i};${i}`).join('\n') + '\n'
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    expect(utf16.length).toBeGreaterThan(64 * 1024)
    expect(readHeader(file('wide.csv', utf16), { encoding: 'utf-16' })).toEqual(['城市', '年份'])
  })

  test('leading empty lines are skipped, as the reader skips them', () => {
    expect(readHeader(file('blank.csv', '\n\nx,y\n1,2\n'))).toEqual(['x', 'y'])
  })

  test('an unreadable header gives undefined (the run reports it): repeated or empty names, bad UTF-8, no file', () => {
    expect(readHeader(file('dup.csv', 'a,a\n1,2\n'))).toBeUndefined()
    expect(readHeader(file('empty-name.csv', 'a,,b\n1,2,3\n'))).toBeUndefined()
    expect(readHeader(file('latin1.csv', new Uint8Array([0x61, 0xe9, 0x2c, 0x62, 0x0a])))).toBeUndefined()
    expect(readHeader(file('empty.csv', ''))).toBeUndefined()
    expect(readHeader(join(dir, 'nope.csv'))).toBeUndefined()
    expect(readHeader(file('odd.json', '{}'))).toBeUndefined()
  })
})

describe('readHeader: binary formats from their metadata', () => {
  test.each(['sample117.dta', 'sample118.dta', 'sample119.dta', 'sample118-msf.dta'])('Stata %s: the variable names', (name) => {
    expect(readHeader(join(fixtures, name))).toEqual(expected[name].names)
  })

  test('Stata files written by Stata 13 and by haven agree with the full reader', async () => {
    for (const name of ['stata13-lutkepohl2.dta', 'haven-iris.dta']) {
      const { frame } = await readDta(fixture(name))
      expect(readHeader(join(fixtures, name)), name).toEqual(frame.names)
    }
  })

  test('Stata: an old format gives its names; a damaged file gives undefined', () => {
    expect(readHeader(join(fixtures, 'old114.dta'))).toEqual(['city', 'year', 'treat', 'pop', 'gdp', 'share'])
    const bytes = fixture('sample118.dta')
    expect(readHeader(file('cut.dta', bytes.subarray(0, 300)))).toBeUndefined()
  })

  test('Parquet: the columns the full reader reads, from the footer', async () => {
    for (const name of ['sample.parquet', 'pyarrow-simple.parquet']) {
      expect(readHeader(join(fixtures, name)), name).toEqual(expected[name].names)
      const { frame } = await readParquet(fixture(name))
      expect(readHeader(join(fixtures, name)), name).toEqual(frame.names)
    }
  })

  test('Parquet: a file whose data the reader refuses still has readable names; a truncated one does not', () => {
    expect(readHeader(join(fixtures, 'lzo-codec.parquet'))).toEqual(['x'])
    const bytes = fixture('sample.parquet')
    expect(readHeader(file('cut.parquet', bytes.subarray(0, bytes.length - 3)))).toBeUndefined()
  })

  test('Excel: undefined, since a sheet\'s names depend on its data (used area, merges, empty columns)', () => {
    expect(readHeader(join(fixtures, 'panel.xlsx'))).toBeUndefined()
  })

  test('an explicit format wins over the extension', () => {
    expect(readHeader(file('stata.bin', fixture('sample118.dta')), { format: 'dta' })).toEqual(expected['sample118.dta'].names)
    expect(readHeader(file('stata.csv', fixture('sample118.dta')), { format: 'dta' })).toEqual(expected['sample118.dta'].names)
  })
})
