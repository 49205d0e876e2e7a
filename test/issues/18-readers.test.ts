/**
 * Issue 18 acceptance: the files users have read through the CLI, in process: an .xls
 * workbook, a GBK CSV, Stata formats 108 and 119 (haven's strLs), a ZSTD/LZ4 Parquet file;
 * `quasi validate` checks column names from the old .dta and the GBK header; a 0-row
 * `save: true` frame writes a header line only. Issue 9.7: an undeclared bad cell stops the run.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { main } from '../../src/cli/main.ts'

const fixtures = fileURLToPath(new URL('../fixtures/read/', import.meta.url))

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'quasi-readers-'))
  mkdirSync(join(dir, 'pipelines', 'data'), { recursive: true })
  for (const [from, to] of [
    ['twin.xls', 'twin.xls'],
    ['text/gbk.csv', 'gbk.csv'],
    ['dta-old/foreign-108.dta', 'old.dta'],
    ['dta-old/haven-119-strl.dta', 'haven119.dta'],
    ['codecs.parquet', 'codecs.parquet'],
  ]) {
    copyFileSync(join(fixtures, from), join(dir, 'pipelines', 'data', to))
  }
  writeFileSync(join(dir, 'pipelines', 'data', 'bad.csv'), 'id,y\n1,1.5\n2,n/a\n3,2\n')
  return dir
}

const pipeline = `quasi: 1
name: readers
stages:
  xls: { uses: ingest, with: { file: data/twin.xls }, expect: ["rows == 4"] }
  gbk: { uses: ingest, with: { file: data/gbk.csv, encoding: gbk, select: [城市, 国内生产总值] }, expect: ["rows == 4"] }
  old: { uses: ingest, with: { file: data/old.dta, select: [byt, num] }, expect: ["rows == 4", "missing(byt) == 1"] }
  strl: { uses: ingest, with: { file: data/haven119.dta }, expect: ["rows == 4"] }
  pq: { uses: ingest, with: { file: data/codecs.parquet }, expect: ["rows == 6", "missing(zstd) == 1"] }
  none: { uses: filter, with: { from: old, where: "byt > 1000", save: true } }
`

async function cli(dir: string, args: string[]) {
  let out = ''
  let err = ''
  const code = await main(args, { cwd: dir, out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, env: { CI: 'true' } })
  return { code, out, err }
}

test('old and odd files read through the CLI; validate checks their column names', async () => {
  const dir = project()
  writeFileSync(join(dir, 'pipelines', 'p.yaml'), pipeline)
  const run = await cli(dir, ['run', 'pipelines/p.yaml', '--reporter', 'plain'])
  expect(run.err).toBe('')
  expect(run.code).toBe(0)
  expect(readFileSync(join(dir, 'outputs', 'readers', 'none', 'data.csv'), 'utf8')).toBe('byt,num\n')

  writeFileSync(join(dir, 'pipelines', 'p.yaml'), pipeline.replace('select: [byt, num]', 'select: [byte, num]').replace('select: [城市, 国内生产总值]', 'select: [城巿]'))
  const validate = await cli(dir, ['validate', 'pipelines/p.yaml'])
  expect(validate.code).toBe(2)
  expect(validate.err).toContain('unknown column `byte`; did you mean `byt`?')
  expect(validate.err).toContain('unknown column `城巿`; did you mean `城市`?')
}, 120_000)

test('issue 9.7: a text cell in a column of numbers stops the run at ingest with its row', async () => {
  const dir = project()
  writeFileSync(join(dir, 'pipelines', 'p.yaml'), 'quasi: 1\nname: bad\nstages:\n  panel: { uses: ingest, with: { file: data/bad.csv } }\n')
  const run = await cli(dir, ['run', 'pipelines/p.yaml', '--reporter', 'plain'])
  expect(run.code).toBe(2)
  expect(run.err).toContain('data/bad.csv: row 3, column "y": `n/a` is not a number')
  expect(run.err).toContain('`na: ["n/a"]`')
}, 60_000)
