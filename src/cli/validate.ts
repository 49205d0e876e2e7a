/** `quasi validate <file>`: check the pipeline without running it. */
import { escapeControls } from '../escape.ts'
import { common, parse } from './args.ts'
import { loadPlan, project, type Io } from './context.ts'

export async function validateCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('validate', argv, common, { min: 1, max: 1, names: 'one pipeline file' })
  if (values.help) {
    io.out('Usage: quasi validate <pipeline.yaml>\n\nChecks the file (syntax, parameters, references, files, cycles, and the column names stages use,\nread from the headers of the data files) and exits 2 if anything is wrong.\n')
    return 0
  }
  const plan = await loadPlan(io, positionals[0], project(io, values.root, positionals[0]), values['allow-outside'] ?? false)
  io.out(`${escapeControls(plan.src.display)}: ok (${plan.stages.length} stage${plan.stages.length === 1 ? '' : 's'})\n`)
  return 0
}
