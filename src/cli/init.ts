/** `quasi init [dir]`: a starter pipeline with a small CSV, and the editor schema. */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { writeFileAtomic } from '../cache/atomic.ts'
import { QuasiError } from '../errors.ts'
import { common, parse } from './args.ts'
import type { Io } from './context.ts'
import { renderPipelineSchema } from './schema.ts'

const PIPELINE = `# yaml-language-server: $schema=../schema/pipeline.schema.json
quasi: 1
name: example
title: A first quasi pipeline
panel: { unit: unit, time: year }
seed: 1
stages:
  panel:
    uses: ingest
    with: { file: data/example.csv }
    expect: [ "rows == 12" ]
`

const DATA = `unit,year,y,x
a,2019,1.5,0.2
a,2020,1.7,0.3
a,2021,2.1,0.1
a,2022,2.0,0.4
b,2019,0.9,0.5
b,2020,1.1,0.2
b,2021,1.0,0.6
b,2022,1.4,0.3
c,2019,2.2,0.1
c,2020,2.0,0.2
c,2021,2.5,0.3
c,2022,2.6,0.5
`

export async function initCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('init', argv, common, { min: 0, max: 1, names: 'at most one folder' })
  if (values.help) {
    io.out('Usage: quasi init [folder]\n\nWrites pipelines/example.yaml, pipelines/data/example.csv and schema/pipeline.schema.json.\n')
    return 0
  }
  const dir = resolve(io.cwd, positionals[0] ?? '.')
  const files: [string, string][] = [
    ['pipelines/example.yaml', PIPELINE],
    ['pipelines/data/example.csv', DATA],
    ['schema/pipeline.schema.json', renderPipelineSchema()],
  ]
  const clash = files.map(([f]) => f).filter((f) => f !== 'schema/pipeline.schema.json' && existsSync(join(dir, f)))
  if (clash.length > 0) {
    throw new QuasiError('USAGE', `quasi init would overwrite ${clash.join(', ')}`, { hint: 'run it in an empty folder, or move those files' })
  }
  for (const [f, text] of files) await writeFileAtomic(join(dir, f), text)
  io.out(`wrote ${files.map(([f]) => f).join(', ')}\nnext: quasi run pipelines/example.yaml\n`)
  return 0
}
