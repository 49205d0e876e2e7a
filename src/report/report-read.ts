/**
 * What the HTML report shows, read from a finished run: `outputs/<pipeline>/run.json` and
 * the files the stages wrote beside it. Nothing is recomputed; a stage's tables are its
 * `.html` files, its figures its `.svg` files, its warnings the `warning:` lines of its
 * `log.txt`.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { QuasiError } from '../errors.ts'
import type { ExpectationRecord, InputFileRecord, StageRecord } from '../scheduler/record.ts'
import type { ReportData, ReportStage } from './report-page.ts'

interface RunJson {
  tool: { version: string; node?: string }
  pipeline: { name: string; file: string; digest: string; title?: string }
  seed: number
  stages: (StageRecord & { needs?: string[] })[]
  inputs?: InputFileRecord[]
}

/** The last run's record; a MISSING_FILE error (exit 2) when the pipeline has not run here. */
export async function readRunJson(outDir: string, shown: string): Promise<RunJson> {
  let text: string
  try {
    text = await readFile(join(outDir, 'run.json'), 'utf8')
  } catch {
    throw new QuasiError('MISSING_FILE', `no run to report on: \`${shown}\` does not exist`, { hint: 'run the pipeline first (`quasi run <file>`), or use `quasi run <file> --report`' })
  }
  try {
    return JSON.parse(text) as RunJson
  } catch {
    throw new QuasiError('BAD_DATA', `\`${shown}\` is not valid JSON`, { hint: 'run the pipeline again to rewrite it' })
  }
}

export async function readReport(outDir: string, run: RunJson): Promise<ReportData> {
  const stages: ReportStage[] = []
  for (const s of run.stages) {
    const files = s.status === 'ran' || s.status === 'cached' ? (s.files ?? []) : s.status === 'not-selected' ? (s.earlier?.files ?? []) : []
    const dir = join(outDir, s.stage)
    const read = (f: string) => readFile(join(dir, f), 'utf8').catch(() => undefined)
    const tables: { file: string; html: string }[] = []
    const figures: { file: string; svg: string }[] = []
    for (const f of files) {
      if (f.endsWith('.html')) {
        const html = await read(f)
        if (html !== undefined) tables.push({ file: f, html })
      } else if (f.endsWith('.svg')) {
        const svg = await read(f)
        if (svg !== undefined) figures.push({ file: f, svg })
      }
    }
    const log = files.includes('log.txt') ? ((await read('log.txt')) ?? '') : ''
    const warnings = log
      .split('\n')
      .filter((l) => l.startsWith('warning: '))
      .map((l) => l.slice('warning: '.length))
    stages.push({
      name: s.stage,
      kind: s.kind,
      status: s.status,
      needs: s.needs ?? [],
      key: s.key ?? s.earlier?.key,
      ms: s.ms,
      earlier: s.status === 'not-selected' && files.length > 0,
      error: s.error,
      reason: s.reason,
      tables,
      figures,
      warnings,
      expectations: (s.expectations ?? []) as ExpectationRecord[],
    })
  }
  return {
    name: run.pipeline.name,
    title: run.pipeline.title,
    file: run.pipeline.file,
    digest: run.pipeline.digest,
    quasiVersion: run.tool.version,
    nodeVersion: run.tool.node ?? 'not recorded',
    seed: run.seed,
    stages,
    inputs: run.inputs ?? [],
  }
}
