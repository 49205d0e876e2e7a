/**
 * Eight runs of one pipeline started together, on an empty cache: with `--wait` they queue
 * on the lock and all succeed, the stages computed once; without it, those that find the
 * lock taken stop with LOCKED and nothing else. Either way every message is coded and the
 * outputs equal those of a clean run.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { codesIn, newProject, outputDiff, outputsOf, PIPELINE, quasi, removeProject, STAGES, startRun, uncodedProblems, type CliResult } from './project.ts'

const RUNS = 8
let reference: Map<string, Buffer>
const made: string[] = []

beforeAll(() => {
  const dir = newProject()
  made.push(dir)
  const r = quasi(['run', PIPELINE], dir)
  expect(r.code).toBe(0)
  reference = outputsOf(dir)
}, 120_000)

afterAll(() => {
  for (const d of made) removeProject(d)
})

const ranIn = (r: CliResult) => Number(/"ran":(\d+)/.exec(r.out.trim().split('\n').at(-1) ?? '')?.[1] ?? NaN)

describe(`${RUNS} concurrent runs of one pipeline`, () => {
  test('with --wait: all succeed, each stage is computed once, outputs as a clean run', async () => {
    const dir = newProject()
    made.push(dir)
    const results = await Promise.all(Array.from({ length: RUNS }, () => startRun(dir, ['--wait', '300']).done))
    const failures: string[] = []
    results.forEach((r, i) => {
      if (r.code !== 0) failures.push(`run ${i} exited ${r.code} (${r.signal ?? 'no signal'}):\n${r.err}`)
      for (const p of uncodedProblems(r.err)) failures.push(`run ${i}'s stderr ${p}:\n${r.err}`)
    })
    expect(failures, failures.join('\n\n')).toEqual([])
    expect(results.map(ranIn).reduce((a, b) => a + b, 0)).toBe(STAGES.length)
    expect(outputDiff(outputsOf(dir), reference)).toEqual([])
    const next = quasi(['run', PIPELINE], dir)
    expect(next.code).toBe(0)
    expect(next.out).toContain(`0 ran, ${STAGES.length} cached`)
  }, 300_000)

  test('without --wait: each run succeeds or stops with LOCKED alone; the next run succeeds with identical outputs', async () => {
    const dir = newProject()
    made.push(dir)
    const results = await Promise.all(Array.from({ length: RUNS }, () => startRun(dir).done))
    const failures: string[] = []
    results.forEach((r, i) => {
      for (const p of uncodedProblems(r.err)) failures.push(`run ${i}'s stderr ${p}:\n${r.err}`)
      if (r.code === 0) return
      if (r.code !== 1 || codesIn(r.err).join() !== 'LOCKED') failures.push(`run ${i} exited ${r.code} (${r.signal ?? 'no signal'}) with ${codesIn(r.err).join(', ') || 'no coded error'}:\n${r.err}`)
    })
    expect(failures, failures.join('\n\n')).toEqual([])
    expect(results.some((r) => r.code === 0)).toBe(true)
    const next = quasi(['run', PIPELINE], dir)
    expect(next.err).toBe('')
    expect(next.code).toBe(0)
    expect(outputDiff(outputsOf(dir), reference)).toEqual([])
  }, 300_000)
})
