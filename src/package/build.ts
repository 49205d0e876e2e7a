/**
 * A replication package, laid out as the AEA / Social Science Data Editors template asks
 * (https://social-science-data-editors.github.io/template_README/): the pipeline file and the
 * data files it reads at their project paths, the run's `outputs/<pipeline>/`, a
 * `package.json` that pins quasi, a README generated from the pipeline and its run.json
 * (data availability with sizes and SHA-256, computational requirements, the tables and
 * figures with the stage that makes each, run time, the exact command), and
 * `MANIFEST.sha256` (`sha256sum -c` format) over every other file.
 * docs/decisions.md, "Replication packages".
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { listFiles } from '../diff/runs.ts'
import { QuasiError } from '../errors.ts'
import type { Plan } from '../pipeline/plan.ts'

export interface PackageFile {
  /** `/`-separated path inside the package. */
  readonly path: string
  readonly bytes: Buffer
}

export interface PackageInfo {
  readonly toolVersion: string
  readonly nodeVersion: string
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const posix = (p: string) => p.split(sep).join('/')

interface RunRecord {
  stages?: { stage: string; kind: string; status: string; ms?: number }[]
}

export function buildPackage(plan: Plan, outputsDir: string, info: PackageInfo): PackageFile[] {
  const outDir = join(outputsDir, plan.name)
  const runJson = join(outDir, 'run.json')
  if (!existsSync(runJson)) {
    throw new QuasiError('MISSING_FILE', `no run of \`${plan.name}\` to package: outputs/${plan.name}/run.json does not exist`, {
      hint: `run it first: \`quasi run ${plan.src.display}\``,
    })
  }
  const record = JSON.parse(readFileSync(runJson, 'utf8')) as RunRecord
  const incomplete = (record.stages ?? []).filter((s) => s.status !== 'ran' && s.status !== 'cached')
  if (incomplete.length > 0) {
    throw new QuasiError('MISSING_FILE', `the last run of \`${plan.name}\` is incomplete: ${incomplete.map((s) => `\`${s.stage}\` ${s.status}`).join(', ')}`, {
      hint: `a package holds the results of a complete run: \`quasi run ${plan.src.display}\` without --only/--from, and with every stage succeeding`,
    })
  }

  const pipelinePath = posix(relative(plan.root, plan.src.abs))
  const files = new Map<string, Buffer>()
  files.set(pipelinePath, readFileSync(plan.src.abs))
  const data = new Map<string, { stage: string; param: string }>()
  for (const s of plan.stages) {
    for (const [param, f] of Object.entries(s.files)) {
      const rel = posix(relative(plan.root, f.abs))
      if (rel.startsWith('../')) throw new QuasiError('PATH_OUTSIDE_PROJECT', `data file \`${f.rel}\` of stage \`${s.name}\` is outside the project folder; a package holds project paths only`)
      if (!data.has(rel)) data.set(rel, { stage: s.name, param })
      files.set(rel, readFileSync(f.abs))
    }
  }
  const outputs = listFiles(outDir).map((f) => `outputs/${plan.name}/${f}`)
  for (const f of outputs) files.set(f, readFileSync(join(outputsDir, plan.name, f.slice(`outputs/${plan.name}/`.length))))

  const command = `npx quasi@${info.toolVersion} run ${pipelinePath}`
  files.set('package.json', Buffer.from(JSON.stringify({
    name: `${plan.name}-replication`,
    private: true,
    description: `Replication package for ${plan.title ?? plan.name}`,
    scripts: { replicate: `quasi run ${pipelinePath}` },
    devDependencies: { quasi: info.toolVersion },
    engines: { node: '>=20' },
  }, null, 2) + '\n'))
  files.set('README.md', Buffer.from(readme(plan, record, pipelinePath, data, files, outputs, command, info)))

  const sorted = [...files.keys()].sort()
  const manifest = sorted.map((p) => `${sha(files.get(p)!)}  ${p}`).join('\n') + '\n'
  return [...sorted.map((path) => ({ path, bytes: files.get(path)! })), { path: 'MANIFEST.sha256', bytes: Buffer.from(manifest) }]
}

function readme(plan: Plan, record: RunRecord, pipelinePath: string, data: ReadonlyMap<string, { stage: string; param: string }>, files: ReadonlyMap<string, Buffer>, outputs: readonly string[], command: string, info: PackageInfo): string {
  const stages = record.stages ?? []
  const kindOf = new Map(stages.map((s) => [s.stage, s.kind]))
  const seconds = stages.reduce((t, s) => t + (s.ms ?? 0), 0) / 1000
  const cached = stages.filter((s) => s.status === 'cached').length
  const what = (f: string) => {
    const base = f.split('/').pop()!
    if (base.endsWith('.svg')) return 'figure'
    if (/^table\.(md|tex|html|csv)$/.test(base)) return 'table'
    if (base === 'tidy.csv' || base === 'glance.csv') return 'estimates (broom)'
    if (base === 'report.html') return 'report'
    if (base === 'data.csv') return 'data'
    return ''
  }
  const shown = outputs.filter((f) => what(f) !== '')
  const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`
  return [
    `# Replication package: ${plan.title ?? plan.name}`,
    '',
    `Generated by quasi ${info.toolVersion} from \`${pipelinePath}\` (pipeline \`${plan.name}\`, seed ${plan.seed}).`,
    '',
    '## Overview',
    '',
    `The pipeline \`${pipelinePath}\` runs ${plan.order.length} stage${plan.order.length === 1 ? '' : 's'} in dependency order and writes every result to \`outputs/${plan.name}/\`. One command reproduces all of them (see *Instructions to replicators*).`,
    '',
    '## Data availability and provenance statements',
    '',
    'The package includes every data file the pipeline reads. For each, the authors state its source, licence and access conditions here:',
    '',
    row(['file', 'read by stage', 'bytes', 'SHA-256']),
    row(['---', '---', '---:', '---']),
    ...[...data.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([f, d]) => row([`\`${f}\``, `\`${d.stage}\` (\`${d.param}\`)`, String(files.get(f)!.length), `\`${sha(files.get(f)!)}\``])),
    '',
    '## Computational requirements',
    '',
    `- quasi ${info.toolVersion} (npm package \`quasi\`, pinned in \`package.json\`; its own dependencies are pinned by the package-lock.json published with it)`,
    `- Node.js >= 20 (the results in \`outputs/\` were made with Node.js ${info.nodeVersion})`,
    '- No other software. Randomness comes only from the pipeline seed, so the results do not depend on the machine or the number of cores.',
    `- Run time of the recorded run: ${seconds.toFixed(1)} s of stage computation${cached ? ` (${cached} stage${cached === 1 ? '' : 's'} came from the cache and count 0 s)` : ''}, as \`outputs/${plan.name}/run.json\` records.`,
    '',
    '## Description of programs',
    '',
    `\`${pipelinePath}\` is the only program. Its stages:`,
    '',
    row(['stage', 'kind']),
    row(['---', '---']),
    ...plan.order.map((s) => row([`\`${s}\``, plan.byName.get(s)!.kind])),
    '',
    '## List of tables and figures',
    '',
    row(['file', 'what', 'made by stage']),
    row(['---', '---', '---']),
    ...shown.map((f) => {
      const stage = f.split('/')[2]
      return row([`\`${f}\``, what(f), kindOf.has(stage) ? `\`${stage}\` (${kindOf.get(stage)})` : ''])
    }),
    '',
    '## Instructions to replicators',
    '',
    'In this folder, run',
    '',
    '```sh',
    command,
    '```',
    '',
    `(or \`npm install && npm run replicate\`, which uses the quasi version pinned in \`package.json\`). It rewrites \`outputs/${plan.name}/\`; every file there but \`run.json\` (which also records wall times) comes out byte-identical. \`sha256sum -c MANIFEST.sha256\` checks the package as shipped.`,
    '',
  ].join('\n')
}
