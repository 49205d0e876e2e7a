/**
 * The batch file: what `quasi task` on a node needs to run its share of a submission — the
 * pipeline file, the project and cache folders, and per array task the stages with the key
 * each must produce and the keys of the inputs it reads from the cache. Also the files a
 * task leaves for the scheduler: its progress, and a stage's own error (so that a stage that
 * fails on the cluster reports the same coded error, with its position, as it does locally).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { writeFileAtomic } from '../../cache/atomic.ts'
import { QuasiError, type ErrorCode } from '../../errors.ts'

export const BATCH_FORMAT = 1

export interface BatchEntry {
  /** Serial number of the stage in this run: names its progress and error files. */
  readonly n: number
  readonly stage: string
  /** The key the stage must be stored under; a node that derives another key stops. */
  readonly key: string
  /** Cache keys of the stages it reads, by stage name. */
  readonly inputs: Readonly<Record<string, string>>
}

export interface BatchFile {
  readonly format: number
  /** quasi's version on the submitting host; a node running another one refuses. */
  readonly tool: string
  readonly pipeline: string
  readonly root: string
  readonly allowOutside: boolean
  readonly cache: string
  /** The run's folder (logs, progress, errors). */
  readonly dir: string
  /** `tasks[i]`: the stages array task i runs, in order. */
  readonly tasks: readonly (readonly BatchEntry[])[]
}

export async function readBatch(file: string): Promise<BatchFile> {
  const b = JSON.parse(await readFile(file, 'utf8')) as BatchFile
  if (b.format !== BATCH_FORMAT || !Array.isArray(b.tasks)) throw new QuasiError('USAGE', `${file} is not a batch file of this quasi version`)
  return b
}

export const progressFile = (dir: string, n: number) => join(dir, 'progress', String(n))
export const errorFile = (dir: string, n: number) => join(dir, 'errors', `${n}.json`)

/**
 * Synchronous on purpose: a stage computing on the main thread may not yield to the event loop
 * for seconds, and an asynchronous write would wait until it does (often until the stage ends).
 * Once a second, a few bytes: temp file, then rename, so a reader never sees half a line.
 */
export function writeProgress(dir: string, n: number, done: number, total: number): void {
  const f = progressFile(dir, n)
  const tmp = `${f}.${process.pid}.tmp`
  try {
    mkdirSync(dirname(f), { recursive: true })
    writeFileSync(tmp, `${done} ${total}\n`)
    renameSync(tmp, f)
  } catch {
    // progress is a courtesy: a failed write must not fail the stage
  }
}

export async function readProgress(dir: string, n: number): Promise<{ done: number; total: number } | undefined> {
  const t = await readFile(progressFile(dir, n), 'utf8').catch(() => undefined)
  const m = t && /^(\d+) (\d+)/.exec(t)
  return m ? { done: Number(m[1]), total: Number(m[2]) } : undefined
}

interface ErrorJson {
  code: ErrorCode
  message: string
  hint?: string
  expected?: string
  found?: string
  param?: (string | number)[]
  offset?: number
}

export async function writeStageError(dir: string, n: number, e: QuasiError): Promise<void> {
  const j: ErrorJson = { code: e.code, message: e.message, hint: e.hint, expected: e.expected, found: e.found, param: e.param ? [...e.param] : undefined, offset: e.offset }
  await writeFileAtomic(errorFile(dir, n), JSON.stringify(j) + '\n')
}

export async function readStageError(dir: string, n: number): Promise<QuasiError | undefined> {
  const t = await readFile(errorFile(dir, n), 'utf8').catch(() => undefined)
  if (t === undefined) return undefined
  try {
    const j = JSON.parse(t) as ErrorJson
    return new QuasiError(j.code, j.message, { hint: j.hint, expected: j.expected, found: j.found, param: j.param, offset: j.offset })
  } catch {
    return undefined
  }
}
