/**
 * The interactive view on a terminal, drawn by listr2: a row per stage, a live bar under
 * stages that report progress, cache hits marked. The scheduler does not know it exists:
 * each row is a listr2 task that waits for its stage's events. Every string from the user's
 * files (names, reasons, messages) is escaped before listr2 sees it (src/escape.ts).
 */
import { Listr, type ListrTaskWrapper } from 'listr2'
import { describeReason } from '../../cache/stale.ts'
import { describeFailure } from '../../pipeline/expect.ts'
import { escapeControls } from '../../escape.ts'
import type { Renderer, RunEvent } from '../events.ts'
import { formatMs, summary } from './plain.ts'

type Row = {
  title: string
  /** What the row should say now; applied when its listr2 task exists. */
  display?: string
  output?: string
  task?: ListrTaskWrapper<unknown, any, any>
  settle?: (outcome: { kind: 'ok' | 'cached' | 'skip' } | { kind: 'fail'; message: string }) => void
  pending?: { kind: 'ok' | 'cached' | 'skip' } | { kind: 'fail'; message: string }
  /** Its outcome is known (a row settles once). */
  finished?: boolean
}

export function ttyRenderer(write: (line: string) => void): Renderer {
  const rows = new Map<string, Row>()
  let running: Promise<unknown> | undefined
  const warnings: string[] = []
  let done: Extract<RunEvent, { type: 'run:done' }> | undefined

  const finish = (stage: string, outcome: NonNullable<Row['pending']>) => {
    const row = rows.get(stage)
    if (!row || row.finished) return
    row.finished = true
    if (row.settle) row.settle(outcome)
    else row.pending = outcome
  }

  const show = (stage: string, title?: (t: string) => string, output?: string) => {
    const row = rows.get(stage)
    if (!row) return
    if (title) row.display = title(row.title)
    if (output !== undefined) row.output = escapeControls(output)
    if (row.task) {
      if (row.display) row.task.title = row.display
      if (row.output !== undefined) row.task.output = row.output
    }
  }

  return {
    onEvent(e: RunEvent) {
      switch (e.type) {
        case 'run:start': {
          const width = Math.max(0, ...e.stages.map((s) => s.name.length))
          for (const s of e.stages) rows.set(s.name, { title: escapeControls(`${s.name.padEnd(width)}  ${s.kind}`) })
          const list = new Listr(
            e.stages.map((s) => ({
              title: rows.get(s.name)!.title,
              task: (_ctx: unknown, task: ListrTaskWrapper<unknown, any, any>) =>
                new Promise<void>((resolve, reject) => {
                  const row = rows.get(s.name)!
                  row.task = task
                  if (row.display) task.title = row.display
                  if (row.output) task.output = row.output
                  row.settle = (o) => {
                    if (row.display) task.title = row.display
                    if (o.kind === 'fail') reject(new Error(o.message))
                    else if (o.kind === 'skip') {
                      task.title = `${row.title}  skipped (an upstream stage failed or the run was cancelled)`
                      resolve()
                    } else resolve()
                  }
                  if (row.pending) row.settle(row.pending)
                }),
            })),
            { concurrent: true, exitOnError: false, renderer: 'default', rendererOptions: { collapseErrors: false } },
          )
          running = list.run().catch(() => undefined)
          break
        }
        case 'stage:start':
          show(e.stage, undefined, e.reasons.map(describeReason).join('; '))
          break
        case 'stage:progress':
          show(e.stage, undefined, bar(e.done, e.total))
          break
        case 'stage:cached':
          show(e.stage, (t) => `${t}  (cached)`)
          finish(e.stage, { kind: 'cached' })
          break
        case 'stage:done':
          show(e.stage, (t) => `${t}  ${formatMs(e.ms)}${e.unchanged ? ' (output unchanged)' : ''}`)
          finish(e.stage, { kind: 'ok' })
          break
        case 'stage:failed':
          finish(e.stage, { kind: 'fail', message: e.error.code === 'CANCELLED' ? 'cancelled' : escapeControls(`${e.error.code}: ${e.error.message}`) })
          break
        case 'stage:skipped':
          finish(e.stage, { kind: 'skip' })
          break
        case 'stage:log':
          if (e.level === 'warn') warnings.push(`warning (${e.stage}): ${e.message}`)
          break
        case 'stage:expect':
          if (!e.holds) warnings.push(`expectation failed (${e.stage}): ${e.text} (${describeFailure(e)})`)
          break
        case 'warning':
          warnings.push(`warning${e.code ? ` ${e.code}` : ''}: ${e.message}`)
          break
        case 'run:done':
          done = e
          break
        case 'run:failed':
          // The run stopped before its stages did (its errors go to stderr): close every row.
          for (const name of rows.keys()) finish(name, { kind: 'skip' })
          break
      }
    },
    async close() {
      await running
      for (const w of warnings) write(escapeControls(w))
      if (done) write(summary(done))
    },
  }
}

function bar(done: number, total: number, width = 30): string {
  const f = total > 0 ? Math.min(1, done / total) : 1
  const n = Math.round(f * width)
  return `${'█'.repeat(n)}${'░'.repeat(width - n)} ${done}/${total}`
}
