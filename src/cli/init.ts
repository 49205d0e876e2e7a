/** `quasi init [dir]`: a starter study (./starter.ts) with its small synthetic panel, and the editor schema. */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { writeFileAtomic } from '../cache/atomic.ts'
import { QuasiError, fsError } from '../errors.ts'
import { common, parse } from './args.ts'
import type { Io } from './context.ts'
import { renderPipelineSchema } from './schema.ts'
import { STARTER_PIPELINE, starterData } from './starter.ts'

export async function initCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('init', argv, common, { min: 0, max: 1, names: 'at most one folder' })
  if (values.help) {
    io.out('Usage: quasi init [folder]\n\nWrites a starter study: pipelines/example.yaml (ingest → derive → did → event-study →\nheterogeneity by matrix → a combined table), its synthetic panel pipelines/data/example.csv,\nand schema/pipeline.schema.json for editors.\n')
    return 0
  }
  const dir = resolve(io.cwd, positionals[0] ?? '.')
  const files: [string, string][] = [
    ['pipelines/example.yaml', STARTER_PIPELINE],
    ['pipelines/data/example.csv', starterData()],
    ['schema/pipeline.schema.json', renderPipelineSchema()],
  ]
  const clash = files.map(([f]) => f).filter((f) => f !== 'schema/pipeline.schema.json' && existsSync(join(dir, f)))
  if (clash.length > 0) {
    throw new QuasiError('USAGE', `quasi init would overwrite ${clash.join(', ')}`, { hint: 'run it in an empty folder, or move those files' })
  }
  for (const [f, text] of files) await writeFileAtomic(join(dir, f), text)
  // Marks the folder as the project (src/cli/context.ts), so runs from pipelines/ use it too.
  await mkdir(join(dir, '.quasi'), { recursive: true }).catch((e: unknown) => {
    throw fsError(e, join(dir, '.quasi'))
  })
  io.out(`wrote ${files.map(([f]) => f).join(', ')}\nnext: quasi run pipelines/example.yaml\n`)
  return 0
}
