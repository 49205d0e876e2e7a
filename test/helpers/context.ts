/** A StageContext for unit tests of stage kinds: inputs given as frames, logs collected. */
import { Frame } from '../../src/artifacts/frame.ts'
import type { ArtifactValues, InputFile, Json, StageContext, StageOutput, ThreadPool } from '../../src/stage.ts'
import { memoryOutput } from '../../src/artifacts/output.ts'
import { stageRng } from '../../src/stats/rng.ts'
import { ThreadBudget } from '../../src/scheduler/threads.ts'

export interface TestContextInit<P> {
  params: P
  inputs?: Record<string, Frame | (Partial<StageOutput> & Partial<ArtifactValues>)>
  panel?: { unit: string; time: string }
  seed?: number
  stage?: string
  kind?: string
  files?: Record<string, { rel: string; bytes: Uint8Array | string }>
  jobs?: number
  /** Thread budget of the context, or its size; default `jobs` (so tests that ask for jobs 2 get two threads). */
  threads?: number | ThreadPool
  signal?: AbortSignal
}

export interface TestContext<P> extends StageContext<P> {
  readonly logs: { level: 'info' | 'warn'; message: string }[]
  readonly progressCalls: [number, number][]
}

export function makeTestContext<P>(init: TestContextInit<P>): TestContext<P> {
  const logs: { level: 'info' | 'warn'; message: string }[] = []
  const progressCalls: [number, number][] = []
  const stage = init.stage ?? 'test'
  const files: Record<string, InputFile> = {}
  for (const [k, f] of Object.entries(init.files ?? {})) {
    files[k] = { rel: f.rel, path: f.rel, bytes: typeof f.bytes === 'string' ? new TextEncoder().encode(f.bytes) : f.bytes }
  }
  return {
    stage,
    kind: init.kind ?? 'test',
    params: init.params,
    panel: init.panel,
    input(name: string): StageOutput {
      const v = init.inputs?.[name]
      if (v === undefined) throw new Error(`test context: no input \`${name}\``)
      if (v instanceof Frame) return memoryOutput(name, 'test', { frame: v })
      const o = v as Partial<StageOutput> & Partial<ArtifactValues>
      return memoryOutput(name, o.kind ?? 'test', { frame: o.frame, data: o.data, model: o.model, weights: o.weights }, { ...o.facts })
    },
    files,
    rng: stageRng(init.seed ?? 1, stage),
    log: {
      info: (message) => void logs.push({ level: 'info', message }),
      warn: (message) => void logs.push({ level: 'warn', message }),
    },
    progress: (done, total) => void progressCalls.push([done, total]),
    signal: init.signal ?? new AbortController().signal,
    jobs: init.jobs ?? 1,
    threads: typeof init.threads === 'object' ? init.threads : new ThreadBudget(init.threads ?? init.jobs ?? 1),
    logs,
    progressCalls,
  }
}

export type { Json }
