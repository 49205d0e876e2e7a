/** Printing errors: one block each, separated by blank lines, on stderr. */
import type { QuasiError } from '../errors.ts'
import { formatError } from './format-error.ts'
import type { Io } from './context.ts'

export function printErrors(errors: readonly QuasiError[], io: Io): void {
  if (errors.length === 0) return
  const color = io.isTTY && !io.env.NO_COLOR && !io.env.CI
  io.err(errors.map((e) => formatError(e, { color })).join('\n\n') + '\n')
  if (errors.length > 1) io.err(`\n${errors.length} errors\n`)
}
