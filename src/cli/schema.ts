/** `quasi schema`: write schema/pipeline.schema.json from the stage registry, and schema/profile.schema.json. */
import { join } from 'node:path'
import { writeFileAtomic } from '../cache/atomic.ts'
import { editorSchema } from '../pipeline/schema.ts'
import { profileFileSchemaFor } from '../profile/schema.ts'
import { common, parse } from './args.ts'
import { project, registry, type Io } from './context.ts'

export function renderPipelineSchema(): string {
  return JSON.stringify(editorSchema(registry), null, 2) + '\n'
}

/**
 * The schema of quasi.profile.yaml for editors: the one the loader validates with, plus the
 * stage kinds as the names `kinds:` may use (the loader reports an unknown kind itself).
 */
export function renderProfileSchema(): string {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'quasi profile (quasi.profile.yaml)',
    description: 'Where and with which resources stages run: `quasi run --profile NAME`. Never part of a pipeline.',
    ...profileFileSchemaFor(registry.map((d) => d.kind).sort()),
  }
  return JSON.stringify(schema, null, 2) + '\n'
}

export async function schemaCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse('schema', argv, { ...common, stdout: { type: 'boolean' } }, { min: 0, max: 0, names: 'no file' })
  if (values.help) {
    io.out('Usage: quasi schema [--stdout]\n\nWrites schema/pipeline.schema.json (for editors: yaml-language-server) from the stage registry, and schema/profile.schema.json for quasi.profile.yaml. --stdout prints the pipeline schema.\n')
    return 0
  }
  if (values.stdout) {
    io.out(renderPipelineSchema())
    return 0
  }
  const root = project(io, values.root).root
  await writeFileAtomic(join(root, 'schema', 'pipeline.schema.json'), renderPipelineSchema())
  await writeFileAtomic(join(root, 'schema', 'profile.schema.json'), renderProfileSchema())
  io.out(`wrote schema/pipeline.schema.json (${registry.length} stage kinds) and schema/profile.schema.json\n`)
  return 0
}
