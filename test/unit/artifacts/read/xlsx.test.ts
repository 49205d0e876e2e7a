import { describe, expect, test } from 'vitest'
import * as zlib from 'node:zlib'
import { readXlsx } from '../../../../src/artifacts/read/xlsx.ts'
import { expected, expectColumn, expectUserError, fixture, referenceR } from './helpers.ts'

const panel = fixture('panel.xlsx')
const want = expected['panel.xlsx']
/** GDP_2019 holds the text "12.5" among numbers (C9): read as text here, as expected.json has it. */
const asText = { ...want.panel.options, types: { GDP_2019: 'string' as const } }

describe('readXlsx: a yearbook-style sheet (fixture made by make_xlsx.py with openpyxl)', () => {
  test('two merged header rows, a range, `na`: names, exact doubles, missing counts', async () => {
    const { frame, info } = await readXlsx(panel, { file: 'panel.xlsx', ...asText })
    expect(frame.names).toEqual(want.panel.names)
    expect(frame.nrows).toBe(want.panel.rows)
    for (const name of want.panel.names) expectColumn(frame, name, want.panel.columns[name])
    for (const c of info.columns) expect(c.missing, c.name).toBe(want.panel.missing[c.name])
    expect(info.meta).toMatchObject({ sheet: 'panel', sheetNumber: 2, range: 'A3:G10', headerRows: 2 })
  })

  test('notes report the formula error, merged fills and the skipped blank row; the text number stops an undeclared read', async () => {
    const { info } = await readXlsx(panel, { file: 'panel.xlsx', ...asText })
    const notes = info.notes.join('\n')
    expect(notes).toContain('formula errors and are read as missing: E10 #DIV/0!')
    expect(notes).toContain('1 empty row(s) skipped')
    expect(notes).toContain('inside merged areas')
    const e = await expectUserError(readXlsx(panel, { file: 'panel.xlsx', ...want.panel.options }), 'BAD_DATA', [
      'panel.xlsx: cell C9, column "GDP_2019": `12.5` is not a number (the column is read as numbers: 3 of its cells are numbers)',
    ])
    expect(e.hint).toContain('declare `GDP_2019: number` under `types`')
    expect(notes).toContain('column "date": 2 date cell(s) read as ISO 8601 text')
    expect(notes).toContain('column "flag": 4 TRUE/FALSE cell(s) read as 1/0')
  })

  test('a declared number column parses numeric text ("12.5" in C9)', async () => {
    const { frame, info } = await readXlsx(panel, { ...want.panel.options, types: { GDP_2019: 'number' } })
    expectColumn(frame, 'GDP_2019', want.panel.gdp2019_declared_number)
    expect(info.columns.find((c) => c.name === 'GDP_2019')).toMatchObject({ type: 'number', declared: true, missing: 1 })
  })

  test('without `na` for the dash, Population (numbers and one dash) stops the read naming the cell', async () => {
    const e = await expectUserError(readXlsx(panel, { sheet: 'panel', range: 'A3:G10', header: 2, types: { GDP_2019: 'number' } }), 'BAD_DATA', [
      'cell E6, column "Population": `—` is not a number',
    ])
    expect(e.hint).toContain('`na: ["—"]`')
  })

  test('one header row read inside merged areas takes the merged value (A4 → "city")', async () => {
    const { frame } = await readXlsx(panel, { sheet: 'panel', range: 'A4:G10', header: 1, na: ['—'], types: { '2019': 'string' } })
    expect(frame.names).toEqual(['city', 'province', '2019', '2020', 'Population', 'flag', 'date'])
  })

  test('header: false names columns by letter; an open range `C5:D` reads to the last row', async () => {
    const { frame, info } = await readXlsx(panel, { sheet: 'panel', range: 'C5:D', header: false, types: { C: 'string' } })
    expect(frame.names).toEqual(['C', 'D'])
    expect(frame.nrows).toBe(5)
    expect(info.meta.range).toBe('C5:D12') // rows 8, 11 and 12 have nothing in C:D and are skipped
    expectColumn(frame, 'D', want.panel.columns.GDP_2020)
  })

  test('a sheet by number and by name; text codes like "0101" stay text; -0 and the largest double survive', async () => {
    const byNumber = await readXlsx(panel, { sheet: 3 })
    const byName = await readXlsx(panel, { sheet: 'flat' })
    for (const r of [byNumber, byName]) {
      expect(r.frame.names).toEqual(want.flat.names)
      for (const name of want.flat.names) expectColumn(r.frame, name, want.flat.columns[name])
    }
  })

  test('the default is the first sheet', async () => {
    const { info } = await readXlsx(panel)
    expect(info.meta.sheet).toBe('notes')
  })
})

describe('readXlsx agrees with R readxl cell by cell (reference-r.json, make_reference.R)', () => {
  /** readxl cells: {n: "<17 digits>"} numbers, text, or null; our frame by sheet row. */
  const compare = async (sheet: string, range: string, ref: unknown[][], firstRow: number, merged: Record<string, string>) => {
    const { frame } = await readXlsx(panel, { sheet, range, header: false, types: sheet === 'panel' ? { C: 'string', E: 'string' } : {} })
    const rows = frame.nrows
    let compared = 0
    const ourRow = new Map<number, number>()
    // Our reader drops rows with no value of their own; readxl keeps them as NA rows.
    let i = 0
    for (let r = 0; r < ref[0].length; r++) {
      if (ref.some((col) => col[r] !== null)) ourRow.set(firstRow + r, i++)
    }
    expect(i).toBe(rows)
    ref.forEach((col, j) => {
      const name = frame.names[j]
      const data = frame.column(name)!.data as ArrayLike<number | string | null>
      col.forEach((cell, r) => {
        const sheetRow = firstRow + r
        const k = ourRow.get(sheetRow)
        if (k === undefined) return
        const got = typeof data[k] === 'number' && Number.isNaN(data[k]) ? null : data[k]
        const addr = `${name}${sheetRow}`
        if (cell === null) expect(got, addr).toBe(merged[addr] ?? null)
        else if (typeof cell === 'object') {
          const x = Number((cell as { n: string }).n)
          expect(Object.is(got, x) || got === String(x), `${addr}: ${String(got)} vs ${x}`).toBe(true)
        } else {
          const ours = typeof got === 'string' && /^\d{4}-\d\d-\d\d$/.test(got) ? `${got}T00:00:00` : got
          expect(ours, addr).toBe(cell)
        }
        compared++
      })
    })
    return compared
  }

  test('panel A5:G10 (merged province cells are filled by quasi, empty in readxl)', async () => {
    const n = await compare('panel', 'A5:G10', referenceR.xlsx.panel_A5_G10, 5, { B6: 'Hebei', B10: 'Jiangsu' })
    expect(n).toBe(35)
  })

  test('flat A2:C5', async () => {
    expect(await compare('flat', 'A2:C5', referenceR.xlsx.flat_A2_C5, 2, {})).toBe(12)
  })
})

describe('readXlsx: user errors', () => {
  test('a declared number column with text names the cell, column and value', async () => {
    const e = await expectUserError(readXlsx(panel, { file: 'data/panel.xlsx', ...asText, types: { GDP_2019: 'string', city: 'number' } }), 'BAD_DATA', [
      'data/panel.xlsx',
      'cell A5',
      'column "city"',
      '`Shijiazhuang` is not a number',
    ])
    expect(e.param).toEqual(['types', 'city'])
    expect(e.hint).toBeDefined()
  })

  test('a declared integer column with a fraction names the cell', async () => {
    await expectUserError(readXlsx(panel, { ...asText, types: { GDP_2019: 'string', GDP_2020: 'integer' } }), 'BAD_DATA', ['cell D5', 'is not an integer'])
  })

  test('a declared column that does not exist suggests the nearest name', async () => {
    const e = await expectUserError(readXlsx(panel, { ...want.panel.options, types: { Populaton: 'number' } }), 'MISSING_COLUMN', ['did you mean "Population"?'])
    expect(e.param).toEqual(['types', 'Populaton'])
  })

  test('an unknown sheet name or number lists the sheets', async () => {
    const e = await expectUserError(readXlsx(panel, { sheet: 'pannel' }), 'INVALID_VALUE', ['no sheet named "pannel"', 'did you mean "panel"?'])
    expect(e.param).toEqual(['sheet'])
    expect(e.hint).toContain('1: "notes", 2: "panel", 3: "flat"')
    await expectUserError(readXlsx(panel, { sheet: 4 }), 'INVALID_VALUE', ['no sheet 4'])
  })

  test('a malformed range or header count points at the parameter', async () => {
    for (const range of ['A3-G10', 'G10:A3', 'A0:B2', 'AAAA1:B2']) {
      const e = await expectUserError(readXlsx(panel, { range }), 'INVALID_VALUE', ['`range`'])
      expect(e.param).toEqual(['range'])
    }
    const e = await expectUserError(readXlsx(panel, { header: -1 }), 'INVALID_VALUE', ['`header`'])
    expect(e.param).toEqual(['header'])
  })

  test('a range with no cells is an error, not an empty table', async () => {
    await expectUserError(readXlsx(panel, { sheet: 'panel', range: 'K20:L30' }), 'BAD_DATA', ['has no cells in range K20:L30'])
  })
})

describe('readXlsx: bad files give BAD_DATA with what was found and a hint, never a crash or hang', () => {
  const bad = async (bytes: Uint8Array, fragments: string[]) => {
    const e = await expectUserError(readXlsx(bytes, { file: 'in.xlsx' }), 'BAD_DATA', ['in.xlsx', ...fragments])
    expect(e.hint).toBeTruthy()
    return e
  }

  test('truncated workbooks', async () => {
    for (const keep of [0.2, 0.5, 0.9, 0.99]) await bad(panel.subarray(0, Math.floor(panel.length * keep)), ['cannot be read'])
  })

  test('a workbook whose sheet data are damaged', async () => {
    const name = new TextEncoder().encode('xl/worksheets/sheet2.xml')
    const at = indexOf(panel, name) // the local header's name: the entry's data follow it
    const broken = panel.slice()
    for (let i = 0; i < 24; i++) broken[at + name.length + 40 + i] ^= 0x5a
    await bad(broken, ['cannot be read'])
  })

  test('files that are not workbooks say what they are', async () => {
    const text = new TextEncoder().encode('city,year,gdp\nBeijing,2019,1.5\n')
    expect((await bad(text, ['a text file starting with `city,year,gdp`'])).hint).toContain('.csv')
    // An OLE2 header with nothing behind it: read as .xls (by its first bytes), and damaged.
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)])
    expect((await bad(xls, ['the Excel workbook cannot be read'])).hint).toContain('copy it again')
    expect((await bad(fixture('sample118.dta'), ['a Stata .dta file (format 118)'])).hint).toContain('.dta')
    await bad(new Uint8Array(0), ['an empty file'])
    await bad(storedZip({ 'word/document.xml': '<w/>' }), ['ZIP archive of something else', 'word/document.xml'])
  })
})

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer
    return i
  }
  throw new Error('not found')
}

/** A ZIP archive of stored (uncompressed) entries, per APPNOTE 4.3. */
function storedZip(files: Record<string, string>): Uint8Array {
  const crc32 = (zlib as unknown as { crc32: (d: Uint8Array) => number }).crc32
  const locals: Uint8Array[] = []
  const centrals: Uint8Array[] = []
  let offset = 0
  for (const [name, text] of Object.entries(files)) {
    const n = new TextEncoder().encode(name)
    const d = new TextEncoder().encode(text)
    const crc = crc32(d) >>> 0
    const loc = new DataView(new ArrayBuffer(30))
    loc.setUint32(0, 0x04034b50, true)
    loc.setUint16(4, 20, true)
    loc.setUint32(14, crc, true)
    loc.setUint32(18, d.length, true)
    loc.setUint32(22, d.length, true)
    loc.setUint16(26, n.length, true)
    const cen = new DataView(new ArrayBuffer(46))
    cen.setUint32(0, 0x02014b50, true)
    cen.setUint16(6, 20, true)
    cen.setUint32(16, crc, true)
    cen.setUint32(20, d.length, true)
    cen.setUint32(24, d.length, true)
    cen.setUint16(28, n.length, true)
    cen.setUint32(42, offset, true)
    locals.push(new Uint8Array(loc.buffer), n, d)
    centrals.push(new Uint8Array(cen.buffer), n)
    offset += 30 + n.length + d.length
  }
  const cdSize = centrals.reduce((s, b) => s + b.length, 0)
  const eocd = new DataView(new ArrayBuffer(22))
  eocd.setUint32(0, 0x06054b50, true)
  eocd.setUint16(8, Object.keys(files).length, true)
  eocd.setUint16(10, Object.keys(files).length, true)
  eocd.setUint32(12, cdSize, true)
  eocd.setUint32(16, offset, true)
  return Buffer.concat([...locals, ...centrals, new Uint8Array(eocd.buffer)])
}
