/** `quasi dag <file> [--format text|mermaid|dot]`: the stage graph. */
import { QuasiError } from '../errors.ts'
import { escapeControls } from '../escape.ts'
import { renderDag, type DagFormat } from '../graph/render.ts'
import { common, parse } from './args.ts'
import { loadPlan, project, type Io } from './context.ts'

export async function dagCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('dag', argv, { ...common, format: { type: 'string', short: 'f' } }, { min: 1, max: 1, names: 'one pipeline file' })
  if (values.help) {
    io.out('Usage: quasi dag <pipeline.yaml> [--format text|mermaid|dot]\n')
    return 0
  }
  const format = (values.format ?? 'text') as DagFormat
  if (!['text', 'mermaid', 'dot'].includes(format)) {
    throw new QuasiError('USAGE', `Expected \`--format\` to be one of text, mermaid, dot, got \`${values.format}\``)
  }
  const plan = await loadPlan(io, positionals[0], project(io, values.root, positionals[0]), values['allow-outside'] ?? false)
  io.out(escapeControls(renderDag(plan.graph, new Map(plan.stages.map((s) => [s.name, s.kind])), format), { newlines: true }))
  return 0
}
