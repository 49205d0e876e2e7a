/**
 * The peer corpus (test/fixtures/read/peer/, README.md there): workbooks and Stata files from
 * other projects' test data, compared cell by cell with readxl, haven and pandas
 * (reference-r.json, reference-pandas.json, made by the scripts beside them). Doubles must
 * agree bit for bit; dates to the millisecond.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { readSheetGrid, ExcelDate, type Raw } from '../../../../src/artifacts/read/excel-book.ts'
import { excelDateText } from '../../../../src/artifacts/read/excel-dates.ts'
import { readExcel } from '../../../../src/artifacts/read/xlsx.ts'
import { readDta } from '../../../../src/artifacts/read/dta.ts'
import { expectColumn } from './helpers.ts'

const dir = new URL('../../../fixtures/read/peer/', import.meta.url)
const file = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)))
const refR = JSON.parse(readFileSync(new URL('reference-r.json', dir), 'utf8')).files
const refPandas = JSON.parse(readFileSync(new URL('reference-pandas.json', dir), 'utf8')).files
const names = readdirSync(fileURLToPath(dir))
const workbooks = names.filter((n) => /\.xlsx?$/.test(n))
const stata = names.filter((n) => n.endsWith('.dta'))

type RefCell = null | string | { n: string } | { d: string } | { b: boolean }

/** readxl's cell as quasi's grid gives it: numbers as doubles, dates as ISO text, booleans, text. */
function ours(v: Raw, date1904: boolean): RefCell {
  if (v === null) return null
  if (v instanceof ExcelDate) return { d: excelDateText(v.serial, date1904) ?? 'impossible' }
  if (typeof v === 'boolean') return { b: v }
  if (typeof v === 'number') return { n: String(v) }
  return v
}

function same(a: RefCell, b: RefCell): boolean {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && 'n' in a && 'n' in b) return Object.is(Number(a.n), Number(b.n))
  return JSON.stringify(a) === JSON.stringify(b)
}

describe('peer workbooks: every sheet, cell by cell, against readxl', () => {
  test.each(workbooks)('%s', (name) => {
    const sheets = refR[name].readxl as Record<string, RefCell[][] | null>
    let compared = 0
    const differences: string[] = []
    Object.entries(sheets).forEach(([sheet, cols], k) => {
      const g = readSheetGrid(file(name), name.endsWith('.xls') ? 'xls' : 'xlsx', k + 1, name)
      expect(g.sheet.name).toBe(sheet)
      if (cols === null) return
      cols.forEach((col, j) =>
        col.forEach((want, i) => {
          const got = ours(g.grid[i]?.[j] ?? null, g.date1904)
          compared++
          const at = `${name}!${sheet}!R${i + 1}C${j + 1}`
          if (!same(got, want)) differences.push(`${at}: quasi ${JSON.stringify(got)}, readxl ${JSON.stringify(want)}`)
        }),
      )
    })
    expect(differences, differences.slice(0, 20).join('\n')).toEqual([])
    expect(compared).toBeGreaterThan(0)
  })

  test('each .xls reads to the same frames as its .xlsx twin (readxl ships both)', async () => {
    for (const base of ['clippy', 'datasets', 'deaths', 'geometry', 'type-me']) {
      const sheets = Object.keys(refR[`${base}.xlsx`].readxl)
      for (const sheet of sheets) {
        const opts = { sheet, header: false, types: Object.fromEntries('ABCDEFGHIJKL'.split('').map((c) => [c, 'string' as const])) }
        const read = async (ext: string) => readExcel(file(`${base}.${ext}`), opts).catch((e: Error) => e.message)
        const [a, b] = [await read('xls'), await read('xlsx')]
        if (typeof a === 'string' || typeof b === 'string') {
          expect(a, `${base} ${sheet}`).toEqual(b)
          continue
        }
        expect(a.frame.toRows(), `${base} ${sheet}`).toEqual(b.frame.toRows())
      }
    }
  })
})

describe('peer Stata files (written by Stata, from statsmodels\' test data): haven and pandas', () => {
  test.each(stata)('%s', async (name) => {
    const { frame } = await readDta(file(name))
    const haven = refR[name].haven as Record<string, (string | null)[] | null>
    const pandas = refPandas[name] as Record<string, (string | number | null)[]>
    expect(frame.names).toEqual(Object.keys(haven))
    for (const col of frame.names) {
      const numeric = frame.column(col)!.type === 'number'
      // jsonlite writes a column of nothing but NA as a single null.
      const h = haven[col] ?? new Array<null>(frame.nrows).fill(null)
      expectColumn(frame, col, numeric ? h.map((v) => (v === null ? null : Number(v))) : h)
      expectColumn(frame, col, numeric ? pandas[col].map((v) => (v === null ? null : Number(v))) : pandas[col])
    }
  })
})
