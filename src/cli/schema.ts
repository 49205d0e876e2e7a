/** `quasi schema`: write schema/pipeline.schema.json from the stage registry. */
import { join } from 'node:path'
import { writeFileAtomic } from '../cache/atomic.ts'
import { editorSchema } from '../pipeline/schema.ts'
import { common, parse } from './args.ts'
import { project, registry, type Io } from './context.ts'

export function renderPipelineSchema(): string {
  return JSON.stringify(editorSchema(registry), null, 2) + '\n'
}

export async function schemaCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse('schema', argv, { ...common, stdout: { type: 'boolean' } }, { min: 0, max: 0, names: 'no file' })
  if (values.help) {
    io.out('Usage: quasi schema [--stdout]\n\nWrites schema/pipeline.schema.json (for editors: yaml-language-server) from the stage registry.\n')
    return 0
  }
  if (values.stdout) {
    io.out(renderPipelineSchema())
    return 0
  }
  const path = join(project(io, values.root).root, 'schema', 'pipeline.schema.json')
  await writeFileAtomic(path, renderPipelineSchema())
  io.out(`wrote schema/pipeline.schema.json (${registry.length} stage kinds)\n`)
  return 0
}
