/**
 * The contract every stage kind satisfies. A stage is a pure function of
 * (kind, version, params, input artifacts, derived seed): it reads files only through
 * `ctx.files`, writes nothing itself, and returns what it made.
 */
import type { Frame } from './artifacts/frame.ts'
import type { Json } from './artifacts/json.ts'
import type { ArtifactName, ArtifactValues } from './artifacts/kinds.ts'
import type { Rng } from './stats/rng.ts'
import type { QuasiError } from './errors.ts'

export type { Json } from './artifacts/json.ts'
export type { ArtifactName, ArtifactValues } from './artifacts/kinds.ts'

/** A JSON Schema object as ajv takes it (draft-07 subset used by the registry). */
export type JsonSchema = Record<string, unknown>

/**
 * What a stage returns; every field is optional. Artifacts (src/artifacts/kinds.ts) are
 * what downstream stages read: `frame` (the table behind `from:`), `model` (fitted models,
 * behind `model:` and tables), `data` (kind-specific JSON).
 */
export type StageResult = Partial<ArtifactValues> & StageFiles

export interface StageFiles {
  /** Human-facing files written to `outputs/<pipeline>/<stage>/<name>` (tables, figures). */
  files?: Record<string, string | Uint8Array>
  /** Named numbers that `expect:` lines can test, e.g. `coef(did)`, `p(did)`, `rows`. */
  facts?: Record<string, number>
}

/** What downstream stages see of an upstream stage: its result, loaded from the run or the cache. */
export interface StageOutput {
  readonly stage: string
  readonly kind: string
  /** An artifact the stage published (loaded on first use), or undefined. */
  artifact<K extends ArtifactName>(name: K): ArtifactValues[K] | undefined
  /** Shorthands for `artifact('frame')` and `artifact('data')`. */
  readonly frame?: Frame
  readonly data?: Json
  readonly facts: Readonly<Record<string, number>>
  /** File names the stage wrote (their bytes stay in the cache). */
  readonly files: readonly string[]
}

/** A file named by a path parameter, resolved against the pipeline file and read by the core. */
export interface InputFile {
  /** The path as written in the pipeline, relative to the pipeline file. */
  readonly rel: string
  /** Absolute path, for error messages and format sniffing. */
  readonly path: string
  readonly bytes: Uint8Array
}

export interface StageLog {
  info(message: string): void
  warn(message: string): void
}

/** Threads leased from the run's budget; release them when done (it is safe to call twice). */
export interface ThreadLease {
  /** Threads the stage may compute on, counting its own: between 1 and the `max` asked for. */
  readonly count: number
  release(): void
}

/** The run's thread budget (`--threads`), shared by all stages running at once. */
export interface ThreadPool {
  /** Wait until a thread is free, then lease as many as are free, up to `max`. */
  acquire(max: number): Promise<ThreadLease>
}

export interface StageContext<P = Record<string, unknown>> {
  /** The stage's name in the pipeline, and its kind. */
  readonly stage: string
  readonly kind: string
  /** Parameters with defaults applied. */
  readonly params: P
  /** `panel: {unit, time}` from the pipeline file, when declared. */
  readonly panel?: { readonly unit: string; readonly time: string }
  /** Outputs of the stages this one references, by stage name. */
  input(stage: string): StageOutput
  /** Files named by the kind's `files` parameters, by parameter name. */
  readonly files: Readonly<Record<string, InputFile>>
  /** Seeded generator for this stage: H(pipeline seed, stage name); fork it per draw. */
  readonly rng: Rng
  readonly log: StageLog
  /** Report progress of long loops; renderers show a live bar. */
  progress(done: number, total: number): void
  /** Aborted on Ctrl-C or when a sibling stage fails under fail-fast; long loops check it. */
  readonly signal: AbortSignal
  /**
   * Threads for stages that compute on several: lease what you need, release in a `finally`.
   * Results must not depend on the count.
   */
  readonly threads: ThreadPool
  /**
   * @deprecated The run's `--jobs` (stages at once), which is not a thread budget: two stages
   * sizing worker pools by it start twice the threads. Lease from `threads` instead.
   */
  readonly jobs: number
}

export interface StageDef<P = any> {
  /** The name used in `uses:`. */
  readonly kind: string
  /** Bump when the results for the same inputs change; part of every cache key. */
  readonly version: number
  /** One line for `quasi schema` and editors. */
  readonly description: string
  /** JSON Schema of `with:` (an object schema; defaults are applied before run). */
  readonly params: JsonSchema
  /**
   * Parameters whose values name other stages: a string or a list of strings, or (when the
   * parameter's schema takes an object) a map whose values are either, e.g. table's `panels`.
   */
  readonly references: readonly string[]
  /** Parameters whose values are file paths relative to the pipeline file. */
  readonly files?: readonly string[]
  /**
   * The facts the stage reports for `expect:` lines, as patterns: `rows`, `mean(<column>)`,
   * `coef(<term>)`. `quasi validate` checks every fact an expectation names against them;
   * docs/stages.md lists them.
   */
  readonly facts?: readonly string[]
  /** The stage draws random numbers, so the derived seed is part of its key. */
  readonly random?: boolean
  /**
   * Artifact kinds the stage publishes. With `frame` it accepts `save: true | [columns]`
   * (writes data.csv). The planner checks references against it (see `consumes`).
   */
  readonly produces?: readonly ArtifactName[]
  /**
   * What a reference parameter must point at: `{ from: 'frame', model: 'model' }`. The
   * planner refuses, before anything runs, a reference to a stage that does not publish it.
   */
  readonly consumes?: Readonly<Record<string, ArtifactName>>
  /**
   * Checks that need no data (e.g. expression syntax), run by `quasi validate` and before
   * any stage of a run starts. Errors carry `param` (and `offset`) for their position.
   */
  check?(params: P): readonly QuasiError[]
  /**
   * Columns of the frame this stage will produce, known without data, and problems with the
   * columns it names. `input(param)` gives the columns of the stage named by a reference
   * parameter (undefined when not known); `header(param)` gives the column names of a file
   * parameter (undefined when the format's header cannot be read cheaply). Return
   * `columns: undefined` when the output cannot be known.
   *
   * Run by `quasi validate` and the planning step of `run` (src/pipeline/columns.ts), in
   * dependency order, only when the file has no other errors. Errors carry `param` (and
   * `offset`) like those of `check`. Report only what the run would also reject: a stage
   * whose input is unknown checks nothing, so a valid pipeline never fails validation.
   */
  columns?(params: P, ctx: ColumnContext): { columns?: readonly string[]; errors: readonly QuasiError[] }
  run(ctx: StageContext<P>): Promise<StageResult>
}

/** What a `columns` hook knows about its inputs before anything runs. */
export interface ColumnContext {
  /**
   * Columns of the stage named by reference parameter `param` (item `index` of a list
   * parameter); undefined when that stage's output cannot be known without running it.
   */
  input(param: string, index?: number): readonly string[] | undefined
  /**
   * Column names of the file named by file parameter `param`, from its header or metadata
   * only, read with the reader options given beside it in the same `with:` (`format`,
   * `delimiter`, `sheet`, `range`, `header`); undefined when that is not cheap or the file
   * cannot be read (the run then reports why).
   */
  header(param: string): readonly string[] | undefined
  /** `panel: {unit, time}` from the pipeline file, when declared. */
  panel?: { unit: string; time: string }
}

/** Identity helper that checks a stage definition against the contract. */
export function defineStage<P>(def: StageDef<P>): StageDef<P> {
  return def
}
