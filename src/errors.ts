/**
 * QuasiError: every failure a user can cause or fix is one of these, with a stable code,
 * a position where there is one, and a hint. Anything else is a bug (`INTERNAL`).
 */

/** Closed vocabulary of error codes; docs/errors.md has the table. */
export type ErrorCode =
  // the pipeline file
  | 'YAML_SYNTAX'
  | 'DUPLICATE_KEY'
  | 'YAML_TAG'
  | 'YAML_ALIASES'
  | 'UNKNOWN_KEY'
  | 'UNKNOWN_KIND'
  | 'UNKNOWN_PARAM'
  | 'WRONG_TYPE'
  | 'MISSING_PARAM'
  | 'INVALID_VALUE'
  | 'MISSING_STAGE'
  | 'SELF_REFERENCE'
  | 'CYCLE'
  | 'BAD_EXPECTATION'
  | 'PATH_OUTSIDE_PROJECT'
  | 'DUPLICATE_PIPELINE_NAME'
  // the data
  | 'MISSING_FILE'
  | 'BAD_DATA'
  | 'EMPTY_DATA'
  | 'MISSING_COLUMN'
  | 'DUPLICATE_PANEL_KEY'
  | 'UNBALANCED_PANEL'
  | 'WEIGHTS_MISMATCH'
  | 'BAD_PANEL_TIME'
  | 'BAD_EXPRESSION'
  | 'INVALID_SPEC'
  // estimation
  | 'SINGULAR_DESIGN'
  | 'NO_VARIATION'
  | 'LP_INFEASIBLE'
  | 'SEPARATION'
  | 'NOT_CONVERGED'
  | 'NO_MATCH'
  | 'STAGE_FAILED'
  // the run
  | 'USAGE'
  | 'LOCKED'
  | 'CANCELLED'
  | 'EXPECTATION_FAILED'
  // the machine: folders quasi must write, the disk
  | 'NOT_WRITABLE'
  | 'DISK_FULL'
  | 'IO_ERROR'
  | 'CACHE_WRITE_FAILED'
  // the cluster (--executor slurm): a job could not be submitted or did not finish
  | 'SUBMIT_FAILED'
  | 'JOB_FAILED'
  | 'JOB_OUT_OF_MEMORY'
  | 'JOB_TIMEOUT'
  | 'JOB_NODE_FAIL'
  | 'JOB_CANCELLED'
  | 'INTERNAL'

/**
 * 0 success, 1 a stage failed, 2 invalid pipeline or usage, 3 an expectation did not hold,
 * 4 the machine stopped the run (a folder not writable, the disk full, a cluster job that was
 * killed or could not be submitted), 130 interrupted.
 */
export type ExitStatus = 1 | 2 | 3 | 4 | 130

export const exitStatus = {
  YAML_SYNTAX: 2,
  DUPLICATE_KEY: 2,
  YAML_TAG: 2,
  YAML_ALIASES: 2,
  UNKNOWN_KEY: 2,
  UNKNOWN_KIND: 2,
  UNKNOWN_PARAM: 2,
  WRONG_TYPE: 2,
  MISSING_PARAM: 2,
  INVALID_VALUE: 2,
  MISSING_STAGE: 2,
  SELF_REFERENCE: 2,
  CYCLE: 2,
  BAD_EXPECTATION: 2,
  PATH_OUTSIDE_PROJECT: 2,
  DUPLICATE_PIPELINE_NAME: 2,
  MISSING_FILE: 2,
  BAD_DATA: 2,
  EMPTY_DATA: 2,
  MISSING_COLUMN: 2,
  DUPLICATE_PANEL_KEY: 2,
  UNBALANCED_PANEL: 2,
  WEIGHTS_MISMATCH: 2,
  BAD_PANEL_TIME: 2,
  BAD_EXPRESSION: 2,
  INVALID_SPEC: 2,
  SINGULAR_DESIGN: 1,
  NO_VARIATION: 1,
  LP_INFEASIBLE: 1,
  SEPARATION: 1,
  NOT_CONVERGED: 1,
  NO_MATCH: 1,
  STAGE_FAILED: 1,
  USAGE: 2,
  LOCKED: 1,
  CANCELLED: 130,
  EXPECTATION_FAILED: 3,
  NOT_WRITABLE: 4,
  DISK_FULL: 4,
  IO_ERROR: 4,
  CACHE_WRITE_FAILED: 4,
  // The cluster stopped the stage, not its data or parameters: like a full disk, the machine
  // ended the run, and the same stage may well succeed with more memory or time.
  SUBMIT_FAILED: 4,
  JOB_FAILED: 4,
  JOB_OUT_OF_MEMORY: 4,
  JOB_TIMEOUT: 4,
  JOB_NODE_FAIL: 4,
  JOB_CANCELLED: 4,
  INTERNAL: 1,
} satisfies Record<ErrorCode, ExitStatus>

/** A place in a source text (1-based line and column), for code frames. */
export interface SourcePos {
  file: string
  line: number
  col: number
  /** Length of the span to underline (>= 1). */
  length?: number
  /** The whole source text, so the printer can show a code frame. */
  source?: string
}

/**
 * Which part of a model specification an error is about, for errors thrown by the
 * statistical kernels (src/stats/): the role the column plays, its name, and its position
 * in the list it came from (e.g. the 2nd regressor). Stages map it to their own parameter
 * (`controls:`, `cluster:` …) instead of reading the message.
 */
export interface ErrorRole {
  readonly role: 'outcome' | 'regressor' | 'fixed_effect' | 'cluster' | 'weights' | 'design' | 'covariate' | 'treatment'
  /** The column (or term, for an interaction) that failed. */
  readonly column?: string
  /** 0-based position in the list of that role (regressors, fixed effects, clusters). */
  readonly index?: number
}

export interface QuasiErrorInit {
  pos?: SourcePos
  /** Stage name and kind, when the error belongs to a stage. */
  stage?: string
  kind?: string
  /** What was expected and what was found, when it is a validation error. */
  expected?: string
  found?: string
  hint?: string
  /**
   * Path of the offending parameter inside the stage's `with:` (e.g. ['columns', 'eco']),
   * and a character offset inside that scalar. The core maps them to file:line:col.
   */
  param?: readonly (string | number)[]
  offset?: number
  /** The model role (and column) a kernel error is about; see ErrorRole. */
  role?: ErrorRole
  cause?: unknown
}

export class QuasiError extends Error {
  readonly code: ErrorCode
  pos?: SourcePos
  stage?: string
  kind?: string
  readonly expected?: string
  readonly found?: string
  readonly hint?: string
  param?: readonly (string | number)[]
  offset?: number
  readonly role?: ErrorRole

  constructor(code: ErrorCode, message: string, init: QuasiErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'QuasiError'
    this.code = code
    this.pos = init.pos
    this.stage = init.stage
    this.kind = init.kind
    this.expected = init.expected
    this.found = init.found
    this.hint = init.hint
    this.param = init.param
    this.offset = init.offset
    this.role = init.role
  }

  get exitStatus(): ExitStatus {
    return exitStatus[this.code]
  }

  /** Attach the stage this error happened in, unless it already names one. */
  inStage(stage: string, kind: string): this {
    this.stage ??= stage
    this.kind ??= kind
    return this
  }
}

/** Several user errors found together (validation collects them all before stopping). */
export class QuasiErrors extends Error {
  readonly errors: readonly QuasiError[]
  constructor(errors: readonly QuasiError[]) {
    super(errors.map((e) => e.message).join('\n'))
    this.name = 'QuasiErrors'
    this.errors = errors
  }
  get exitStatus(): ExitStatus {
    // reduce, not Math.max(...): a large file can give 100,000s of errors, too many arguments for a call
    return this.errors.reduce<number>((s, e) => Math.max(s, e.exitStatus), 0) as ExitStatus
  }
}

/**
 * Any thrown value as a list of QuasiErrors. A failure the machine causes (a folder that is
 * not writable, a full disk) is that, wherever it surfaced; any other throw is INTERNAL.
 */
export function asQuasiErrors(err: unknown): QuasiError[] {
  if (err instanceof QuasiErrors) return [...err.errors]
  if (err instanceof QuasiError) return [err]
  const code = errnoOf(err)
  if (code && (PERMISSION.has(code) || SPACE.has(code))) return [systemError(err as NodeJS.ErrnoException, code, undefined, 'access')]
  const e = err instanceof Error ? err : new Error(String(err))
  return [new QuasiError('INTERNAL', e.message, { cause: e })]
}

const PERMISSION = new Set(['EACCES', 'EPERM', 'EROFS'])
const SPACE = new Set(['ENOSPC', 'EDQUOT'])

function errnoOf(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined
}

/**
 * A failed read or write of quasi's own files (`.quasi/`, `outputs/`) as the user sees it:
 * NOT_WRITABLE, DISK_FULL, or IO_ERROR with the path and the system's code. Anything that is
 * not a system error (no errno code) is returned unchanged.
 */
export function fsError(err: unknown, path: string | undefined): unknown {
  const code = errnoOf(err)
  return !code || err instanceof QuasiError ? err : systemError(err as NodeJS.ErrnoException, code, path, 'write')
}

function systemError(err: NodeJS.ErrnoException, code: string, path: string | undefined, verb: 'write' | 'access'): QuasiError {
  const where = path ?? err.path ?? '(unknown path)'
  if (PERMISSION.has(code)) {
    return new QuasiError('NOT_WRITABLE', `cannot ${verb} ${where}: ${code === 'EROFS' ? 'the file system is read-only' : 'permission denied'} (${code})`, {
      hint: 'quasi writes its cache to .quasi/ and results to outputs/ in the project folder; make them writable for this user (`ls -ld` shows the owner), or run with --root DIR to use another project folder',
      cause: err,
    })
  }
  if (SPACE.has(code)) {
    return new QuasiError('DISK_FULL', `cannot ${verb} ${where}: ${code === 'EDQUOT' ? 'disk quota exceeded' : 'no space left on the device'} (${code})`, {
      hint: 'free some space on that disk; `quasi clean` removes cache entries no pipeline uses any more',
      cause: err,
    })
  }
  return new QuasiError('IO_ERROR', `cannot ${err.syscall ?? 'access'} ${where} (${code})`, {
    hint: code === 'ENOTDIR' || code === 'EISDIR' ? 'a file stands where quasi needs a folder (or the reverse); move it away' : 'the system refused the operation; check the disk and the folder, then run again',
    cause: err,
  })
}

/** `Expected `x` to be …, got `v` (type)`: the one template for validation messages. */
export function describeValue(v: unknown): string {
  if (v === null) return '`null` (null)'
  if (Array.isArray(v)) return `\`${short(JSON.stringify(v))}\` (array)`
  if (typeof v === 'object') return `\`${short(JSON.stringify(v))}\` (object)`
  return `\`${short(String(v))}\` (${typeof v})`
}

function short(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '…' : s
}
