/**
 * One block per error: `file:line:col  error CODE  stage `s` (kind)`, a code frame with a
 * caret, the message, what was expected and found, and a hint. INTERNAL errors add the stack.
 */
import type { QuasiError } from '../errors.ts'
import { escapeControls } from '../escape.ts'

export function formatError(e: QuasiError, opts: { color?: boolean } = {}): string {
  const c = colors(opts.color ?? false)
  // Messages quote the user's values and the code frame shows their line: escape before colouring.
  const x = (s: unknown) => escapeControls(String(s))
  const where = e.pos ? `${x(e.pos.file)}:${e.pos.line}:${e.pos.col}  ` : ''
  const stage = e.stage ? `  stage \`${x(e.stage)}\`${e.kind ? ` (${x(e.kind)})` : ''}` : ''
  const out = [`${where}${c.red('error')} ${c.bold(e.code)}${stage}`]
  if (e.pos?.source) out.push(...codeFrame(e.pos.source, e.pos.line, e.pos.col, e.pos.length ?? 1, c))
  out.push(`  ${x(e.message)}`)
  if (e.expected) out.push(`  expected: ${x(e.expected)}`)
  if (e.found) out.push(`  found:    ${x(e.found)}`)
  if (e.hint) out.push(`  ${c.dim('hint:')} ${x(e.hint)}`)
  if (e.code === 'INTERNAL') {
    const cause = (e.cause as Error | undefined)?.stack ?? e.stack
    out.push(c.dim(indent(escapeControls(cause ?? '', { newlines: true }))), '  This is a bug in quasi; please report it with the pipeline file.')
  }
  return out.join('\n')
}

/** The lines of the last source split: every error of a run shares one source, and splitting a 10 MB file per error was quadratic. */
let split: { source: string; lines: string[] } | undefined

/** Characters of one source line a code frame shows at most. */
const MAX_FRAME = 160

/** The line with a caret under the span; escaped characters widen the line, so the caret moves with them. */
function codeFrame(source: string, line: number, col: number, length: number, c: Colors): string[] {
  if (split?.source !== source) split = { source, lines: source.split('\n') }
  const text = (split.lines[line - 1] ?? '').replace(/\r$/, '').replace(/\t/g, ' ')
  const num = String(line)
  const pad = ' '.repeat(num.length)
  // A very long line (generated or damaged files) shows a window around the caret, not kilobytes.
  let from = 0
  let to = text.length
  if (text.length > MAX_FRAME) {
    from = Math.max(0, col - 1 - MAX_FRAME / 2)
    to = Math.min(text.length, from + MAX_FRAME)
  }
  const lead = from > 0 ? '…' : ''
  const before = lead + escapeControls(text.slice(from, Math.max(from, col - 1)))
  const span = escapeControls(text.slice(Math.max(0, col - 1), Math.min(to, Math.max(0, col - 1) + length)))
  const shown = lead + escapeControls(text.slice(from, to)) + (to < text.length ? '…' : '')
  return [`  ${c.dim(num + ' |')} ${shown}`, `  ${c.dim(pad + ' |')} ${' '.repeat(before.length)}${c.red('^'.repeat(Math.max(1, span.length)))}`]
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => '    ' + l)
    .join('\n')
}

interface Colors {
  red(s: string): string
  bold(s: string): string
  dim(s: string): string
}

function colors(on: boolean): Colors {
  const wrap = (a: number, b: number) => (s: string) => (on ? `\u001b[${a}m${s}\u001b[${b}m` : s)
  return { red: wrap(31, 39), bold: wrap(1, 22), dim: wrap(2, 22) }
}
