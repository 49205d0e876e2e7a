/** `quasi status <file>`: each stage fresh or stale, with every reason. */
import { describeReason } from '../cache/stale.ts'
import { escapeControls } from '../escape.ts'
import { predict } from '../scheduler/predict.ts'
import { common, parse } from './args.ts'
import { cacheDir, cacheOption } from './cache-dir.ts'
import { loadPlan, project, type Io } from './context.ts'

export async function statusCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('status', argv, { ...common, ...cacheOption }, { min: 1, max: 1, names: 'one pipeline file' })
  if (values.help) {
    io.out('Usage: quasi status <pipeline.yaml>\n\nLists each stage as fresh (cached for its current inputs) or stale, with the reasons.\n')
    return 0
  }
  const p = project(io, values.root, positionals[0])
  const plan = await loadPlan(io, positionals[0], p, values['allow-outside'] ?? false)
  const preds = await predict(plan, { quasiDir: p.quasiDir, cacheDir: cacheDir(io, values.cache), warn: (m) => io.err(`warning: ${escapeControls(m)}\n`) })
  const width = Math.max(0, ...preds.map((x) => x.stage.length))
  const kw = Math.max(0, ...preds.map((x) => x.kind.length))
  for (const x of preds) {
    io.out(escapeControls(`${x.stage.padEnd(width)}  ${x.kind.padEnd(kw)}  ${x.fresh ? 'fresh' : `stale: ${x.reasons.map(describeReason).join('; ')}`}`) + '\n')
  }
  return 0
}
