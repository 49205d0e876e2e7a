/**
 * The contract of a built-in function: arity, argument types, options, whether it accepts
 * `by`, whether it needs the panel, and its vectorised evaluation. The checker and the
 * evaluator both read these specs, so a function's rules live in one place.
 */
import type { Column, ColumnType, Frame } from '../artifacts/frame.ts'
import type { QuasiError } from '../errors.ts'
import type { ByClause, Call, Expr } from './ast.ts'

export type ArgType = ColumnType | 'any'

/** What the checker knows while it walks a tree. */
export interface CheckContext {
  readonly source: string
  readonly columns: ReadonlyMap<string, ColumnType>
  readonly panel?: { readonly unit: string; readonly time: string }
  readonly errors: QuasiError[]
  /** Check a sub-expression (an option value, say) and return its type, undefined after an error. */
  check(e: Expr): ColumnType | undefined
}

/** A group of rows for `by`: `id[i]` is the row's group (−1 when a key is missing). */
export interface Groups {
  readonly id: Int32Array
  readonly count: number
  /** Display label of each group, e.g. `2010` or `east|2010`. */
  readonly labels: readonly string[]
}

/** Rows of the panel: unit id per row (−1 if missing) and row lookup by (unit, time). */
export interface PanelIndex {
  readonly unitId: Int32Array
  readonly time: Float64Array
  /** Row of unit `u` at time `t`, or −1. */
  row(u: number, t: number): number
}

/** Weights of one entropy() call, for the stage to write. */
export interface EntropyReport {
  /** The call as written. */
  readonly expression: string
  readonly by: readonly string[]
  readonly groups: readonly {
    readonly group: string
    readonly n: number
    readonly indicators: readonly {
      readonly indicator: string
      readonly direction: 'positive' | 'negative'
      readonly entropy: number
      readonly divergence: number
      readonly weight: number
    }[]
  }[]
}

/** What the evaluator offers a function while it runs. */
export interface EvalContext {
  readonly frame: Frame
  readonly n: number
  readonly source: string
  evaluate(e: Expr): Column
  /** Groups of the `by` clause (one group of all rows without one); cached per key list. */
  groups(by: ByClause | undefined): Groups
  /** The panel index (built once, checks one row per unit and time). */
  panelIndex(call: Call): PanelIndex
  /** The panel time of each row. */
  panelTime(call: Call): Float64Array
  warn(at: Expr, message: string): void
  /**
   * The rows whose values can reach the result (1), while a branch of `if()` is evaluated;
   * undefined when all can. Counts of values made missing ("3 value(s) missing: division
   * by zero") count only these rows: a branch is computed on every row, but kept on some.
   */
  live: Uint8Array | undefined
  readonly entropy: EntropyReport[]
}

export interface FnSpec {
  readonly name: string
  /** Shown in arity errors and the docs, e.g. `lag(x, k = 1)`. */
  readonly signature: string
  readonly minArgs: number
  /** Infinity for variadic functions. */
  readonly maxArgs: number
  /** Type of each positional argument (the last one repeats); default 'number'. */
  readonly argTypes?: readonly ArgType[]
  /** Option names accepted after `;`. */
  readonly options?: readonly string[]
  /** Accepts `by keys` (computed within groups). */
  readonly group?: boolean
  /**
   * `if`: argument 0 is a condition, argument 1 is kept where it is true and argument 2 where
   * it is false, so each is evaluated with those rows as `live` (EvalContext).
   */
  readonly branches?: true
  /** Needs the pipeline's `panel:`: 'unit-time' for lag/lead/diff, 'time' for treatment helpers. */
  readonly panel?: 'unit-time' | 'time'
  /** Result type; default 'number'. */
  resultType?(args: readonly (ColumnType | undefined)[]): ColumnType | undefined
  /**
   * Extra static checks (constant arguments, option values); push errors to cx.errors.
   * `argTypes` are the checked types of the positional arguments (undefined after an error);
   * option values are not checked before this, call cx.check on them.
   */
  check?(call: Call, argTypes: readonly (ColumnType | undefined)[], cx: CheckContext): void
  /** Returns a fresh column (never an argument's array: the evaluator may clean it in place). */
  evaluate(call: Call, args: readonly Column[], ex: EvalContext): Column
}
