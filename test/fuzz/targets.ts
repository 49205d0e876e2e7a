/**
 * The code under fuzz, run inside the sandbox's worker thread (sandbox.ts): one message in,
 * one outcome out. Each target calls quasi the way the CLI does, on the sources (the worker
 * loads them through tsx), and reports what came back as plain data, so that the test
 * thread can classify it without sharing classes with the worker.
 *
 * Whatever a target returns or throws is described, never judged, here: the judging is in
 * sandbox.ts (`classify`).
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import { stageKinds } from '../../stages/index.ts'
import { readCsv } from '../../src/artifacts/csv.ts'
import { Frame } from '../../src/artifacts/frame.ts'
import { readHeader } from '../../src/artifacts/read/header.ts'
import { readBinary } from '../../src/artifacts/read/index.ts'
import type { XlsxReadOptions } from '../../src/artifacts/read/types.ts'
import { formatError } from '../../src/cli/format-error.ts'
import { QuasiError, QuasiErrors } from '../../src/errors.ts'
import { compileExpression, evaluate, schemaOf } from '../../src/expr/index.ts'
import { parsePipelineText } from '../../src/pipeline/load.ts'
import { makePlan } from '../../src/pipeline/plan.ts'
import type { Job, Outcome, ThrownError } from './jobs.ts'

/** A folder of the sandbox's for files the header reader reads; the sandbox removes it. */
const scratch = (workerData as { scratch: string }).scratch

async function run(job: Job): Promise<string> {
  switch (job.target) {
    case 'pipeline': {
      // As `quasi validate` does: parse with positions, then plan (schema, rules, column names).
      const src = parsePipelineText(job.text, job.display, join(job.root, job.display))
      const plan = makePlan(src, stageKinds, { root: job.root })
      return `${plan.stages.length} stages`
    }
    case 'expression': {
      const frame = Frame.from(job.frame.columns)
      const panel = job.frame.panel
      const { expr, type } = compileExpression(job.text, schemaOf(frame, panel))
      if (!job.evaluate) return type
      const r = evaluate(expr, frame, { source: job.text, ...(panel ? { panel } : {}) })
      if (r.column.data.length !== frame.nrows) throw new Error(`evaluation gave ${r.column.data.length} rows for a frame of ${frame.nrows}`)
      if (r.column.type !== type) throw new Error(`evaluation gave a ${r.column.type} column where the checker said ${type}`)
      return `${type}[${frame.nrows}]`
    }
    case 'csv': {
      // As `ingest` does for CSV/TSV: strict UTF-8, then the CSV reader.
      let text: string
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(job.bytes)
      } catch {
        return 'not UTF-8 (ingest reports BAD_DATA)'
      }
      const r = readCsv(text, { file: job.file, ...job.options })
      return `${r.frame.nrows}×${r.frame.ncols}`
    }
    case 'binary': {
      const r = await readBinary(job.format, job.bytes, { file: job.file, ...(job.options as XlsxReadOptions) })
      return `${r.frame.nrows}×${r.frame.ncols}`
    }
    case 'header': {
      // The planning step's header reader, on a real file: it must never throw.
      const path = join(scratch, job.file)
      writeFileSync(path, job.bytes)
      try {
        const names = readHeader(path)
        return names ? `${names.length} names` : 'unknown'
      } finally {
        rmSync(path, { force: true })
      }
    }
    case 'selftest':
      switch (job.behave) {
        case 'value': return 'ok'
        case 'user-error': throw new QuasiErrors([new QuasiError('BAD_DATA', 'a user error'), new QuasiError('MISSING_FILE', 'another')])
        case 'internal': throw new QuasiError('INTERNAL', 'a bug')
        case 'throw': throw new TypeError('x is not a function')
        case 'loop': for (;;);
        case 'exit': process.exit(3)
      }
  }
}

function describe(err: unknown): ThrownError[] {
  const one = (e: unknown): ThrownError => {
    if (e instanceof QuasiError) {
      const d: ThrownError = { quasi: true, name: e.name, code: e.code, message: e.message, stack: e.stack }
      // The CLI prints every error with formatError: a coded error that cannot be printed is a crash.
      try {
        formatError(e)
      } catch (f) {
        return { quasi: false, name: 'FormatError', message: `formatError threw ${String(f)} for ${e.code}: ${e.message}`, stack: (f as Error).stack }
      }
      return d
    }
    const x = e instanceof Error ? e : new Error(String(e))
    return { quasi: false, name: x.name, message: x.message, stack: x.stack }
  }
  if (err instanceof QuasiErrors) return err.errors.length > 0 ? err.errors.map(one) : [{ quasi: false, name: 'QuasiErrors', message: 'QuasiErrors with no errors' }]
  return [one(err)]
}

parentPort!.on('message', async (msg: { id: number; job: Job }) => {
  let outcome: Outcome
  try {
    outcome = { kind: 'value', value: await run(msg.job) }
  } catch (err) {
    outcome = { kind: 'thrown', errors: describe(err) }
  }
  parentPort!.postMessage({ id: msg.id, outcome })
})
parentPort!.postMessage({ ready: true })
