/**
 * Issue 9: inputs the long fuzz run (`npm run fuzz`, seed 20250901) found, kept as plain
 * tests so that they fail `npm test` if they come back. Each must end in a coded error, in time.
 */
import { expect, test } from 'vitest'
import { readBinary } from '../../src/artifacts/read/index.ts'
import { writeZip } from '../fuzz/bytes.ts'
import { ZipArchive } from '../../src/artifacts/read/zip.ts'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { quasiIn, smallProject } from '../helpers/cli.ts'

const head = 'quasi: 1\nname: p\npanel: { unit: city, time: year }\nstages:\n  panel: { uses: ingest, with: { file: data/p.csv } }\n'
const csv = 'city,year,y\na,2000,1\nb,2000,2\n'

test('a matrix instance name written as a mapping is a coded error, not a crash while printing it', async () => {
  const dir = smallProject({
    'pipelines/data/p.csv': csv,
    'pipelines/p.yaml': `${head}  het:\n    uses: filter\n    matrix: { w: ['city == "a"', 'city != "a"'] }\n    names: [ a, { state: -1e-300 } ]\n    with: { from: panel, where: "\${{ matrix.w }}" }\n`,
  })
  const r = await quasiIn(['validate', 'pipelines/p.yaml'], dir)
  expect(r.code).toBe(2)
  expect(r.err).toMatch(/error (WRONG_TYPE|INVALID_VALUE)/)
  expect(r.err).not.toContain('INTERNAL')
})

test('brackets nested thousands deep: YAML_SYNTAX at the bracket past the limit, with a short code frame', async () => {
  const deep = '{ x: '.repeat(6000) + '1' + ' }'.repeat(6000)
  const dir = smallProject({ 'pipelines/data/p.csv': csv, 'pipelines/p.yaml': `${head}  b: ${deep}\n` })
  const r = await quasiIn(['validate', 'pipelines/p.yaml'], dir)
  expect(r.code).toBe(2)
  expect(r.err).toContain('pipelines/p.yaml:6:506  error YAML_SYNTAX')
  expect(r.err).toContain('nested more than 100 levels deep')
  expect(Math.max(...r.err.split('\n').map((l) => l.length))).toBeLessThan(200)
})

test('brackets that only look deep (in quotes and comments) are not counted', async () => {
  const dir = smallProject({
    'pipelines/data/p.csv': csv,
    'pipelines/p.yaml': `${head}  kept: { uses: filter, with: { from: panel, where: "city != '${'{['.repeat(80)}'" } } # ${'{'.repeat(200)}\n`,
  })
  const r = await quasiIn(['validate', 'pipelines/p.yaml'], dir)
  expect(r.err).not.toContain('levels deep')
})

test('a workbook whose cells claim row 999,999 and column XFD reads in well under the fuzz time limit', async () => {
  // panel.xlsx with its last cell moved to XFD999999: rows × columns of nothing must not be walked cell by cell.
  const zip = new ZipArchive(new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures/read/panel.xlsx'))))
  const names = zip.names()
  const sheet = names.find((n) => /worksheets\/sheet\d+\.xml$/.test(n))!
  const xml = new TextDecoder().decode(zip.read(sheet))
  const lastCell = [...xml.matchAll(/<c r="([A-Z]+\d+)"/g)].pop()![1]
  const edited = xml.replace(`<c r="${lastCell}"`, '<c r="XFD999999"').replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:XFD999999"/>')
  const bytes = writeZip(names.map((n) => [n, n === sheet ? new TextEncoder().encode(edited) : zip.read(n)] as const))
  const t = performance.now()
  const r = await readBinary('xlsx', bytes, { file: 'x.xlsx', sheet: 1, range: 'A1:XFD1048576' }).catch((e: unknown) => e)
  // Not a speed target: the walk cell by cell took 83 s; 30 s leaves room for a loaded CI machine.
  expect(performance.now() - t).toBeLessThan(30_000)
  expect(r).toBeDefined()
})
