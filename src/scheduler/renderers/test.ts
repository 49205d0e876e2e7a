/** Collects events for assertions in tests. */
import type { Renderer, RunEvent } from '../events.ts'

export interface TestRenderer extends Renderer {
  readonly events: RunEvent[]
  of<T extends RunEvent['type']>(type: T): Extract<RunEvent, { type: T }>[]
}

export function testRenderer(): TestRenderer {
  const events: RunEvent[] = []
  return {
    events,
    onEvent: (e) => void events.push(e),
    of: <T extends RunEvent['type']>(type: T) => events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type),
    async close() {},
  }
}
