/**
 * The syntax tree of a quasi expression. Every node carries the character offsets of its
 * source span (`start` inclusive, `end` exclusive) so that errors point into the text.
 * `depth` is the height of the subtree, a left-nested chain of binary operators counting as
 * one level (tree walkers follow a binary node's left spine in a loop, not by recursion); the
 * parser caps it so that checking and evaluation never recurse deeper than MAX_DEPTH.
 */

export interface Span {
  readonly start: number
  readonly end: number
}

interface NodeBase extends Span {
  readonly depth: number
}

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or'
export type UnaryOp = '-' | '+' | 'not'

export interface NumberLit extends NodeBase { readonly kind: 'number'; readonly value: number }
export interface StringLit extends NodeBase { readonly kind: 'string'; readonly value: string }
export interface ColumnRef extends NodeBase { readonly kind: 'column'; readonly name: string }
export interface Unary extends NodeBase { readonly kind: 'unary'; readonly op: UnaryOp; readonly arg: Expr }
export interface Binary extends NodeBase {
  readonly kind: 'binary'
  readonly op: BinaryOp
  readonly left: Expr
  readonly right: Expr
  /** Where the operator itself is, for type errors. */
  readonly opSpan: Span
}
/** `x in [a, b, c]`: membership in a list of literals or expressions. */
export interface In extends NodeBase { readonly kind: 'in'; readonly arg: Expr; readonly list: List; readonly opSpan: Span }
/** `[a, b]`: only valid after `in` and as an option value (`negative: [x3]`). */
export interface List extends NodeBase { readonly kind: 'list'; readonly items: readonly Expr[] }

/** `name: value` after the `;` of a call: `entropy(a, b; negative: [c])`. */
export interface CallOption extends Span {
  readonly name: string
  readonly nameSpan: Span
  readonly value: Expr
}

/** `by region, year` after a group function call. */
export interface ByClause extends Span {
  readonly keys: readonly { readonly name: string; readonly start: number; readonly end: number }[]
}

export interface Call extends NodeBase {
  readonly kind: 'call'
  readonly name: string
  readonly nameSpan: Span
  readonly args: readonly Expr[]
  readonly options: readonly CallOption[]
  readonly by?: ByClause
}

export type Expr = NumberLit | StringLit | ColumnRef | Unary | Binary | In | List | Call

/** Deepest tree the parser builds (real nesting; a flat chain is one level); beyond it, BAD_EXPRESSION. */
export const MAX_DEPTH = 200
