/** `quasi clean [--cache | --outputs | --unused] [pipeline.yaml]`. */
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { collectGarbage } from '../cache/gc.ts'
import { QuasiError } from '../errors.ts'
import { common, parse } from './args.ts'
import { loadPlan, project, type Io } from './context.ts'

export async function cleanCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('clean', argv, {
    ...common,
    cache: { type: 'boolean' },
    outputs: { type: 'boolean' },
    unused: { type: 'boolean' },
  }, { min: 0, max: 1, names: 'at most one pipeline file' })
  if (values.help) {
    io.out(`Usage: quasi clean [--cache | --outputs | --unused] [pipeline.yaml]

  --unused   (default) remove cache entries no pipeline's last run used, and temporary files
  --cache    remove the whole cache (.quasi/cache and .quasi/state)
  --outputs  remove outputs/ (or only outputs/<name>/ of the given pipeline)
`)
    return 0
  }
  const p = project(io, values.root, positionals[0])
  const chosen = [values.cache, values.outputs, values.unused].filter(Boolean).length
  if (chosen > 1) throw new QuasiError('USAGE', 'quasi clean takes one of --cache, --outputs, --unused')
  if (values.cache) {
    await rm(join(p.quasiDir, 'cache'), { recursive: true, force: true })
    await rm(join(p.quasiDir, 'state'), { recursive: true, force: true })
    io.out('removed the cache (.quasi/cache, .quasi/state)\n')
  } else if (values.outputs) {
    if (positionals[0]) {
      const plan = await loadPlan(io, positionals[0], p, values['allow-outside'] ?? false)
      await rm(join(p.outputsDir, plan.name), { recursive: true, force: true })
      io.out(`removed outputs/${plan.name}/\n`)
    } else {
      const names = await readdir(p.outputsDir).catch(() => [] as string[])
      await rm(p.outputsDir, { recursive: true, force: true })
      io.out(`removed outputs/ (${names.length} pipeline${names.length === 1 ? '' : 's'})\n`)
    }
  } else {
    const r = await collectGarbage(p.quasiDir)
    io.out(`removed ${r.manifests} unused cache entr${r.manifests === 1 ? 'y' : 'ies'}, ${r.blobs} blob${r.blobs === 1 ? '' : 's'} and ${r.temp} temporary file${r.temp === 1 ? '' : 's'} (${(r.bytes / 1e6).toFixed(1)} MB)\n`)
  }
  return 0
}
