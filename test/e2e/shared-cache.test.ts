/**
 * A shared cache (issue 13 §4): two processes, in two project folders, run the same pipeline
 * into one `--cache` folder at the same time. Blobs are content-addressed and written by
 * rename, so there is no lock between them: both runs succeed with the same outputs, every
 * blob's bytes match its name, every manifest's blobs are present, and a third project with
 * `QUASI_CACHE` set takes every stage from the shared folder.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { STAGES, newProject, outputsOf, quasi, startRun } from '../faults/project.ts'

test('two processes writing one pipeline into one shared cache at once', async () => {
  const shared = join(mkdtempSync(join(tmpdir(), 'quasi-shared-')), 'cache')
  const [p1, p2] = [newProject(), newProject()]
  const [r1, r2] = await Promise.all([startRun(p1, ['--cache', shared]).done, startRun(p2, ['--cache', shared]).done])
  expect([r1.code, r1.err]).toEqual([0, ''])
  expect([r2.code, r2.err]).toEqual([0, ''])
  expect(outputsOf(p2)).toEqual(outputsOf(p1))

  // every blob is whole and named for its content; no temporary file is left behind
  const blobs = readdirSync(join(shared, 'blobs')).flatMap((d) => readdirSync(join(shared, 'blobs', d)).map((f) => join(shared, 'blobs', d, f)))
  expect(blobs.length).toBeGreaterThan(STAGES.length)
  for (const b of blobs) expect(createHash('sha256').update(readFileSync(b)).digest('hex')).toBe(b.slice(-64))
  const manifests = readdirSync(join(shared, 'stages'))
  expect(manifests.every((m) => m.endsWith('.json'))).toBe(true)
  expect(manifests).toHaveLength(STAGES.length)
  for (const m of manifests) {
    const man = JSON.parse(readFileSync(join(shared, 'stages', m), 'utf8')) as { artifacts: Record<string, { digest: string }>; files: Record<string, { digest: string }> }
    for (const ref of [...Object.values(man.artifacts), ...Object.values(man.files)]) expect(blobs).toContain(join(shared, 'blobs', ref.digest.slice(0, 2), ref.digest))
  }
  // the projects' own .quasi/ holds no cache
  expect(readdirSync(join(p1, '.quasi')).sort()).not.toContain('cache')

  const p3 = newProject()
  const r3 = quasi(['run', 'pipelines/faults.yaml', '--reporter', 'json'], p3, { env: { QUASI_CACHE: shared } })
  expect(r3.code).toBe(0)
  const events = r3.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string })
  expect(events.filter((e) => e.type === 'stage:cached')).toHaveLength(STAGES.length)
  expect(events.filter((e) => e.type === 'stage:done')).toHaveLength(0)
  expect(outputsOf(p3)).toEqual(outputsOf(p1))
})
