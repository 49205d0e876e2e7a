/** One line per event, no colours or cursor movement: for CI logs and pipes. */
import { describeReason } from '../../cache/stale.ts'
import { describeFailure } from '../../pipeline/expect.ts'
import { escapeControls } from '../../escape.ts'
import type { Renderer, RunEvent } from '../events.ts'

/** One line per event; user text in it (names, values, messages) is escaped (src/escape.ts). */
export function plainRenderer(writeLine: (line: string) => void): Renderer {
  const write = (line: string) => writeLine(escapeControls(line))
  let width = 0
  const pad = (s: string) => s.padEnd(width)
  const lastPct = new Map<string, number>()
  return {
    onEvent(e: RunEvent) {
      switch (e.type) {
        case 'run:start':
          width = Math.max(0, ...e.stages.map((s) => s.name.length))
          write(`quasi: running ${e.pipeline} (${e.stages.length} stage${e.stages.length === 1 ? '' : 's'}, ${e.jobs} job${e.jobs === 1 ? '' : 's'}, ${e.threads} thread${e.threads === 1 ? '' : 's'})`)
          break
        case 'stage:start':
          write(`  ▶ ${pad(e.stage)}  ${e.kind}: ${e.reasons.map(describeReason).join('; ')}`)
          break
        case 'stage:progress': {
          // Every 10 % at most, so logs stay short.
          const pct = e.total > 0 ? Math.floor((100 * e.done) / e.total / 10) * 10 : 100
          if (pct > (lastPct.get(e.stage) ?? -1)) {
            lastPct.set(e.stage, pct)
            write(`    ${pad(e.stage)}  ${e.done}/${e.total} (${pct} %)`)
          }
          break
        }
        case 'stage:log':
          if (e.level === 'warn') write(`    ${pad(e.stage)}  warning: ${e.message}`)
          break
        case 'stage:cached':
          write(`  ◆ ${pad(e.stage)}  cached`)
          break
        case 'stage:done':
          write(`  ✔ ${pad(e.stage)}  ${formatMs(e.ms)}${e.unchanged ? ' (output unchanged)' : ''}`)
          break
        case 'stage:failed':
          write(`  ✖ ${pad(e.stage)}  ${e.error.code === 'CANCELLED' ? 'cancelled' : `failed: ${e.error.code}`}`)
          break
        case 'stage:skipped':
          write(`  – ${pad(e.stage)}  skipped (${e.reason === 'cancelled' ? 'cancelled' : 'an upstream stage failed'})`)
          break
        case 'stage:expect':
          write(`    ${pad(e.stage)}  expect ${e.text}: ${e.holds ? 'holds' : `FAILED (${describeFailure(e)})`}`)
          break
        case 'warning':
          write(`  warning${e.code ? ` ${e.code}` : ''}: ${e.message}`)
          break
        case 'run:done':
          write(summary(e))
          break
      }
    },
    async close() {},
  }
}

export function summary(e: Extract<RunEvent, { type: 'run:done' }>): string {
  const parts = [`${e.ran} ran`, `${e.cached} cached`]
  if (e.failed) parts.push(`${e.failed} failed`)
  if (e.skipped) parts.push(`${e.skipped} skipped`)
  if (e.expectationsFailed) parts.push(`${e.expectationsFailed} expectation${e.expectationsFailed > 1 ? 's' : ''} failed`)
  return `quasi: ${e.ok ? 'done' : 'FAILED'}: ${parts.join(', ')} in ${formatMs(e.ms)}`
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`
}
