/** JSON lines, one event per line, for tools. Errors are flattened to code, message and position. */
import type { Renderer, RunEvent } from '../events.ts'

export function jsonRenderer(write: (line: string) => void): Renderer {
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
