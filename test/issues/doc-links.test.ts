/**
 * Messages and docs point only at documents that exist: a hint once sent users to
 * docs/pipeline.md, which was never written.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { makePlan } from '../../src/pipeline/plan.ts'
import { parsePipelineText } from '../../src/pipeline/load.ts'
import { QuasiErrors } from '../../src/errors.ts'
import { stageKinds } from '../../stages/index.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

function files(dir: string, ext: RegExp): string[] {
  return (readdirSync(join(root, dir), { recursive: true }) as string[]).filter((f) => ext.test(f)).map((f) => join(dir, f))
}

test('every docs/*.md named in code or docs, and every relative Markdown link, exists', () => {
  const sources = [...files('src', /\.ts$/), ...files('stages', /\.ts$/), ...files('docs', /\.md$/), ...files('pipelines', /\.(md|yaml)$/), 'README.md']
  const missing: string[] = []
  for (const f of sources) {
    const text = readFileSync(join(root, f), 'utf8')
    for (const m of text.matchAll(/\bdocs\/[\w.-]+\.md\b/g)) if (!existsSync(join(root, m[0]))) missing.push(`${f}: ${m[0]}`)
    if (f.endsWith('.md')) {
      for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(m[1])) continue
        if (!existsSync(join(root, dirname(f), m[1]))) missing.push(`${f}: ${m[1]}`)
      }
    }
  }
  expect(missing).toEqual([])
})

test('an unknown key with no near name points at the document that lists the allowed ones', () => {
  const yaml = 'quasi: 1\nname: x\nowner: me\nstages:\n  a: { uses: ingest, with: { file: a.csv, zzzz: 1 } }\n'
  let errors: QuasiErrors | undefined
  try {
    makePlan(parsePipelineText(yaml, 'x.yaml', join(root, 'x.yaml')), stageKinds, { root })
  } catch (e) {
    errors = e as QuasiErrors
  }
  const hints = Object.fromEntries(errors!.errors.map((e) => [e.code, e.hint]))
  expect(hints.UNKNOWN_KEY).toBe('README.md ("A short tour") shows a pipeline file with its keys')
  expect(hints.UNKNOWN_PARAM).toBe('docs/stages.md lists the parameters of `ingest`')
})
