/** JSON lines, one event per line, for tools. Errors are flattened to code, message and position. */
import { jsonSafe } from '../../escape.ts'
import type { Renderer, RunEvent } from '../events.ts'

/** C0 controls are escaped by JSON itself; jsonSafe escapes the rest (DEL, C1, bidi), giving the same values. */
export function jsonRenderer(writeLine: (line: string) => void): Renderer {
  const write = (line: string) => writeLine(jsonSafe(line))
  return {
    onEvent(e: RunEvent) {
      if (e.type === 'stage:failed') {
        const { error } = e
        write(JSON.stringify({
          ...e,
          error: {
            code: error.code,
            message: error.message,
            file: error.pos?.file,
            line: error.pos?.line,
            col: error.pos?.col,
            hint: error.hint,
          },
        }))
      } else write(JSON.stringify(e))
    },
    async close() {},
  }
}
