/** JSON lines, one event per line, for tools. Errors are flattened to code, message and position. */
import { jsonSafe } from '../../escape.ts'
import type { QuasiError } from '../../errors.ts'
import type { Renderer, RunEvent } from '../events.ts'

/** C0 controls are escaped by JSON itself; jsonSafe escapes the rest (DEL, C1, bidi), giving the same values. */
export function jsonRenderer(writeLine: (line: string) => void): Renderer {
  const write = (line: string) => writeLine(jsonSafe(line))
  return {
    onEvent(e: RunEvent) {
      if (e.type === 'stage:failed') {
        write(JSON.stringify({ ...e, error: errorJson(e.error) }))
      } else if (e.type === 'run:done') {
        write(JSON.stringify({ ...e, errors: e.errors.map(errorJson) }))
      } else if (e.type === 'run:failed') {
        // The first error's code and place at the top, for tools that read one; all of them below.
        const first = e.errors[0]
        write(JSON.stringify({
          type: e.type,
          exit: e.exit,
          code: first?.code ?? 'INTERNAL',
          message: first?.message ?? '',
          file: first?.pos?.file ?? e.file,
          line: first?.pos?.line ?? null,
          col: first?.pos?.col ?? null,
          errors: e.errors.map(errorJson),
        }))
      } else write(JSON.stringify(e))
    },
    async close() {},
  }
}

/** An error as data: code, message, position, stage, and what was expected and found. */
function errorJson(error: QuasiError) {
  return {
    code: error.code,
    message: error.message,
    file: error.pos?.file,
    line: error.pos?.line,
    col: error.pos?.col,
    stage: error.stage,
    kind: error.kind,
    expected: error.expected,
    found: error.found,
    hint: error.hint,
  }
}
