/**
 * What a run reports, as typed events. The scheduler emits them and never prints;
 * renderers (tty, plain, json, test) decide how they look.
 */
import type { ErrorCode, QuasiError } from '../errors.ts'
import type { StaleReason } from '../cache/stale.ts'

export type RunEvent =
  | { type: 'run:start'; pipeline: string; stages: readonly { name: string; kind: string }[]; jobs: number; threads: number }
  | { type: 'stage:start'; stage: string; kind: string; reasons: readonly StaleReason[] }
  | { type: 'stage:progress'; stage: string; done: number; total: number }
  | { type: 'stage:log'; stage: string; level: 'info' | 'warn'; message: string }
  | { type: 'stage:cached'; stage: string; kind: string; key: string }
  | { type: 'stage:done'; stage: string; kind: string; key: string; ms: number; unchanged: boolean }
  | { type: 'stage:failed'; stage: string; kind: string; error: QuasiError }
  | { type: 'stage:skipped'; stage: string; kind: string; reason: 'upstream-failed' | 'cancelled' }
  | { type: 'stage:expect'; stage: string; text: string; holds: boolean; left: number; right: number; tol?: number }
  /** `code` when the warning has one (docs/errors.md), e.g. CACHE_WRITE_FAILED. */
  | { type: 'warning'; message: string; code?: ErrorCode }
  /**
   * The run's last event: it ran (`ok` false when a stage failed or an expectation did not
   * hold), with the exit status and the errors of the stages that failed.
   */
  | { type: 'run:done'; ok: boolean; exit: number; ms: number; ran: number; cached: number; failed: number; skipped: number; expectationsFailed: number; errors: readonly QuasiError[] }
  /**
   * The run's last event when it could not start: the file is invalid, a data file is
   * missing, the lock is held, `.quasi/` is not writable … (emitted by the CLI; the
   * scheduler never started). `file` is the pipeline file, for errors without a position.
   */
  | { type: 'run:failed'; exit: number; file: string; errors: readonly QuasiError[] }

export type RunEventType = RunEvent['type']

/** A renderer consumes events; `close` lets it finish drawing before the process exits. */
export interface Renderer {
  onEvent(e: RunEvent): void
  close(): Promise<void>
}
