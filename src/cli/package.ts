/** `quasi package <pipeline.yaml> [--out DIR | --zip FILE]`: a replication package of the last run. */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { writeFileAtomic } from '../cache/atomic.ts'
import { QuasiError } from '../errors.ts'
import { buildPackage } from '../package/build.ts'
import { zip } from '../package/zip.ts'
import { VERSION } from '../version.ts'
import { common, parse } from './args.ts'
import { loadPlan, project, type Io } from './context.ts'

export const packageHelp = `Usage: quasi package <pipeline.yaml> [--out DIR | --zip FILE]

Writes a replication package of the pipeline's last complete run: the pipeline file, the data
files it reads, outputs/<pipeline>/, package.json (quasi pinned), a README in the AEA / Social
Science Data Editors template (data availability with sizes and SHA-256, computational
requirements, tables and figures with the stage that makes each, run time, the command) and
MANIFEST.sha256.

Options:
  --out DIR   write the package into DIR (default: replication-<pipeline>/ in the project)
  --zip FILE  write it as one ZIP file instead`

export async function packageCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('package', argv, { ...common, out: { type: 'string' }, zip: { type: 'string' } }, { min: 1, max: 1, names: 'one pipeline file' })
  if (values.help) {
    io.out(packageHelp + '\n')
    return 0
  }
  if (values.out !== undefined && values.zip !== undefined) throw new QuasiError('USAGE', 'quasi package takes one of --out, --zip')
  const p = project(io, values.root, positionals[0])
  const plan = await loadPlan(io, positionals[0], p, values['allow-outside'] ?? false)
  const files = buildPackage(plan, p.outputsDir, { toolVersion: VERSION, nodeVersion: process.version })
  if (values.zip !== undefined) {
    const file = resolve(io.cwd, values.zip)
    await writeFileAtomic(file, zip(files))
    io.out(`wrote ${values.zip} (${files.length} files)\n`)
    return 0
  }
  const dir = values.out !== undefined ? resolve(io.cwd, values.out) : join(p.root, `replication-${plan.name}`)
  for (const f of files) {
    await mkdir(dirname(join(dir, f.path)), { recursive: true })
    await writeFile(join(dir, f.path), f.bytes)
  }
  io.out(`wrote ${files.length} files to ${values.out ?? `replication-${plan.name}/`}\n`)
  return 0
}
