/** What the test thread sends the sandbox worker (targets.ts), and what comes back. */

export interface FrameSpec {
  /** Plain arrays: numbers (NaN for missing) make numeric columns, strings/null text columns. */
  readonly columns: Record<string, number[] | (string | null)[]>
  readonly panel?: { readonly unit: string; readonly time: string }
}

export type Job =
  /** A pipeline file's text, parsed and planned as `quasi validate` does (`display` relative to `root`). */
  | { readonly target: 'pipeline'; readonly text: string; readonly display: string; readonly root: string }
  /** An expression compiled against the frame's columns and, with `evaluate`, evaluated on it. */
  | { readonly target: 'expression'; readonly text: string; readonly frame: FrameSpec; readonly evaluate: boolean }
  /** A CSV/TSV file's bytes, read as `ingest` reads them. */
  | { readonly target: 'csv'; readonly file: string; readonly bytes: Uint8Array; readonly options: CsvOptions }
  /** An Excel, Stata or Parquet file's bytes, read by its reader. */
  | { readonly target: 'binary'; readonly format: 'xlsx' | 'dta' | 'parquet'; readonly file: string; readonly bytes: Uint8Array; readonly options: BinaryOptions }
  /** A data file's bytes written to disk and read by the planning step's header reader (which must never throw). */
  | { readonly target: 'header'; readonly file: string; readonly bytes: Uint8Array }
  /** The harness's own check (sandbox.test.ts): behave as a defect would. */
  | { readonly target: 'selftest'; readonly behave: 'value' | 'user-error' | 'internal' | 'throw' | 'loop' | 'exit' }

export interface CsvOptions {
  readonly delimiter?: string
  readonly types?: Record<string, 'number' | 'integer' | 'string'>
  readonly na?: readonly string[]
}

export interface BinaryOptions extends CsvOptions {
  readonly sheet?: string | number
  readonly range?: string
  readonly header?: boolean | number
}

export interface ThrownError {
  /** Whether it is a QuasiError (inside QuasiErrors or not). */
  readonly quasi: boolean
  readonly name: string
  readonly code?: string
  readonly message: string
  readonly stack?: string
}

export type Outcome =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'thrown'; readonly errors: readonly ThrownError[] }
