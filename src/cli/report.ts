/** `quasi report <file>`: write outputs/<pipeline>/report.html from the last run, recomputing nothing. */
import { join, relative } from 'node:path'
import { sha256 } from '../cache/canonical.ts'
import { escapeControls } from '../escape.ts'
import type { Plan } from '../pipeline/plan.ts'
import { renderReport } from '../report/report-page.ts'
import { readReport, readRunJson } from '../report/report-read.ts'
import { writeIfChanged } from '../scheduler/outputs.ts'
import { common, parse } from './args.ts'
import { loadPlan, project, type Io } from './context.ts'

export const reportHelp = `Usage: quasi report <pipeline.yaml> [options]

Writes outputs/<pipeline>/report.html from the last run (outputs/<pipeline>/run.json and the
files its stages wrote): one self-contained page with the stage graph, every stage's tables,
figures, warnings and expectations, and the run's provenance. \`quasi run --report\` does the
same at the end of a run.

Options:
  --root DIR      project folder (default: the nearest folder holding .quasi/, package.json
                  or .git, from the pipeline file's folder up)
  --allow-outside allow data paths outside the project folder`

export async function reportCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('report', argv, { ...common }, { min: 1, max: 1, names: 'one pipeline file' })
  if (values.help) {
    io.out(reportHelp + '\n')
    return 0
  }
  const p = project(io, values.root, positionals[0])
  const plan = await loadPlan(io, positionals[0], p, values['allow-outside'] ?? false)
  await writeReport(plan, p.outputsDir, io)
  return 0
}

/** Read the run's record and files under `outputsDir/<name>/`, write report.html, and `say` where (stderr when stdout carries JSON events). */
export async function writeReport(plan: Plan, outputsDir: string, io: Io, say: (line: string) => void = io.out): Promise<void> {
  const outDir = join(outputsDir, plan.name)
  const shown = (f: string) => relative(io.cwd, join(outDir, f)) || f
  const run = await readRunJson(outDir, shown('run.json'))
  if (run.pipeline.digest !== sha256(plan.src.text)) {
    io.err(escapeControls(`warning: ${plan.src.display} changed since the last run; the report shows that run`) + '\n')
  }
  const html = renderReport(await readReport(outDir, run))
  await writeIfChanged(join(outDir, 'report.html'), html)
  say(escapeControls(`report: ${shown('report.html')}`) + '\n')
}
