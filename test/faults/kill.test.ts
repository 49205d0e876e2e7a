/**
 * kill -9 at seeded points of a run: after the n-th event of the JSON reporter (0: from the
 * start of the process, through loading, planning and taking the lock) plus a seeded delay.
 * Half the points hit a first run on an empty cache, half a `--force` run over a complete
 * cache and outputs (existing entries and files being replaced). After each kill the next
 * normal run must succeed, print only coded messages, and leave outputs byte-identical to
 * those of a clean reference run; in the long run, the run after that must be all cache hits.
 *
 *   QUASI_FAULTS_KILLS=n   points (default 3 in `npm test`; 20 with QUASI_FAULTS=long, `npm run faults`)
 *   QUASI_FAULTS_SEED=n    the seed of the points (default 20250901)
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { copyProject, LONG, newProject, outputDiff, outputsOf, PIPELINE, quasi, removeProject, SEED, seeded, STAGES, startRun, uncodedProblems } from './project.ts'

const KILLS = Number(process.env.QUASI_FAULTS_KILLS ?? (LONG ? 20 : 3))

let reference: Map<string, Buffer>
let warm: string
let events: number
let firstEventMs: number
const made: string[] = []

beforeAll(() => {
  const dir = newProject()
  made.push(dir)
  const t0 = performance.now()
  const r = quasi(['run', PIPELINE, '--reporter', 'json'], dir)
  const ms = performance.now() - t0
  expect(r.err).toBe('')
  expect(r.code).toBe(0)
  reference = outputsOf(dir)
  warm = dir
  events = r.out.trim().split('\n').length
  // roughly when the first event comes: the start-up share of a run
  firstEventMs = Math.max(200, ms * 0.4)
}, 120_000)

afterAll(() => {
  for (const d of made) removeProject(d)
})

interface Point {
  readonly i: number
  readonly cache: 'empty' | 'complete, --force'
  readonly afterEvent: number
  readonly delayMs: number
}

function points(): Point[] {
  const rnd = seeded(SEED)
  return Array.from({ length: KILLS }, (_, i) => {
    const afterEvent = Math.floor(rnd() * (events + 1))
    const delayMs = Math.floor(afterEvent === 0 ? rnd() * firstEventMs : rnd() * 60)
    return { i, cache: i % 2 === 0 ? 'empty' : 'complete, --force', afterEvent, delayMs }
  })
}

describe('kill -9 at seeded points of a run', () => {
  test(`${KILLS} kills: the next run succeeds with coded messages only and outputs identical to a clean run`, async () => {
    const failures: string[] = []
    const summary: string[] = []
    for (const p of points()) {
      const dir = p.cache === 'empty' ? newProject() : copyProject(warm)
      made.push(dir)
      const run = startRun(dir, p.cache === 'empty' ? [] : ['--force'])
      if (p.afterEvent > 0) await run.events(p.afterEvent)
      await new Promise((r) => setTimeout(r, p.delayMs))
      run.child.kill('SIGKILL')
      const killed = await run.done
      const where = `point ${p.i} (cache ${p.cache}; kill ${p.delayMs} ms after event ${p.afterEvent} of ${events}; seed ${SEED})`
      const hit = killed.signal === 'SIGKILL' ? 'killed' : `had finished (exit ${killed.code})`
      summary.push(`${where}: ${hit}`)
      for (const problem of uncodedProblems(killed.err)) failures.push(`${where}: the killed run's stderr ${problem}:\n${killed.err}`)

      const next = quasi(['run', PIPELINE], dir)
      if (next.code !== 0) failures.push(`${where}: the next run exited ${next.code}:\n${next.err}${next.out}`)
      for (const problem of uncodedProblems(next.err)) failures.push(`${where}: the next run's stderr ${problem}:\n${next.err}`)
      const diff = outputDiff(outputsOf(dir), reference)
      if (diff.length > 0) failures.push(`${where}: outputs differ from the clean run: ${diff.join('; ')}`)
      // and, in the long run, the run after that takes everything from the cache
      const again = LONG ? quasi(['run', PIPELINE], dir) : undefined
      if (again && (again.code !== 0 || !again.out.includes(`0 ran, ${STAGES.length} cached`))) failures.push(`${where}: the run after that was not all cache hits (exit ${again.code}):\n${again.err}${again.out}`)
      removeProject(dir)
    }
    if (process.env.QUASI_FAULTS_SUMMARY === '1' || LONG) console.log(`kill -9 points:\n  ${summary.join('\n  ')}`)
    expect(failures, failures.join('\n\n')).toEqual([])
  }, 60_000 + KILLS * 20_000)
})
