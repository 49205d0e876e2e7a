/**
 * Errors that point into an expression. The message starts with the 1-based line:col inside
 * the expression text (expressions may span lines in a YAML block scalar); `offset` carries
 * the same place as a character offset so the core can map it to file:line:col.
 */
import { QuasiError } from '../errors.ts'
import type { ErrorCode, QuasiErrorInit } from '../errors.ts'
import type { Span } from './ast.ts'

/** 1-based line and column of a character offset (columns count UTF-16 code units). */
export function lineCol(source: string, offset: number): { line: number; col: number } {
  let line = 1
  let lineStart = 0
  const end = Math.min(Math.max(offset, 0), source.length)
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return { line, col: end - lineStart + 1 }
}

export type ExprErrorInit = Pick<QuasiErrorInit, 'expected' | 'found' | 'hint'>

/** `1:7: unknown column "gpd" — did you mean "gdp"?` with `offset` 6. */
export function exprError(
  code: ErrorCode,
  source: string,
  at: Span | number,
  message: string,
  init: ExprErrorInit = {},
): QuasiError {
  const offset = typeof at === 'number' ? at : at.start
  const { line, col } = lineCol(source, offset)
  return new QuasiError(code, `${line}:${col}: ${message}`, { ...init, offset })
}

/**
 * The same error, placed in a stage parameter: `column eco, 1:7: …` with
 * `param: ['columns', 'eco']`. Stages call this on everything the expression layer throws.
 */
export function inParam(err: QuasiError, param: readonly (string | number)[], label: string): QuasiError {
  return new QuasiError(err.code, `${label}, ${err.message}`, {
    param,
    offset: err.offset,
    expected: err.expected,
    found: err.found,
    hint: err.hint,
    cause: err.cause,
  })
}

/** `"gdp"` for messages; names are quoted the way the example shows. */
export function q(name: string): string {
  return JSON.stringify(name)
}
