/**
 * The built code must not import `.ts` files: tsc leaves a dynamic `import('./x.ts')`
 * unrewritten inside an object literal passed to a call (stages avoid it with a top-level
 * loader), and the CLI would then fail only when that stage runs.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

const dist = fileURLToPath(new URL('../../dist', import.meta.url))

test('no module in dist/ imports a .ts file', () => {
  const bad: string[] = []
  for (const f of readdirSync(dist, { recursive: true }) as string[]) {
    if (!f.endsWith('.js')) continue
    const text = readFileSync(join(dist, f), 'utf8')
    for (const m of text.matchAll(/(?:import\(|from )\s*['"](\.[^'"]+\.ts)['"]/g)) bad.push(`${f}: ${m[1]}`)
  }
  expect(bad).toEqual([])
})

test('the package entry (`exports` in package.json) exists and gives the public API', async () => {
  const { spawnSync } = await import('node:child_process')
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const script = `import * as q from 'quasi'; const plan = q.makePlan(q.parsePipelineText('quasi: 1\\nname: x\\nstages:\\n  a: { uses: ingest, with: { file: package.json } }\\n', 'p.yaml'), q.stageKinds, { root: process.cwd() }); console.log(JSON.stringify({ keys: Object.keys(q).sort(), stages: plan.order, frame: typeof q.Frame, define: q.defineStage({ kind: 'k' }).kind }))`
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })
  expect(r.stderr).toBe('')
  const got = JSON.parse(r.stdout) as { keys: string[]; stages: string[]; frame: string; define: string }
  expect(got.keys).toEqual(expect.arrayContaining(['defineStage', 'QuasiError', 'Frame', 'makePlan', 'runPipeline', 'readPipelineFile', 'stageKinds', 'mainModel']))
  expect(got.stages).toEqual(['a'])
  expect(got.frame).toBe('function')
  expect(got.define).toBe('k')
})
