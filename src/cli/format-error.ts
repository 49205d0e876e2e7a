/**
 * One block per error: `file:line:col  error CODE  stage `s` (kind)`, a code frame with a
 * caret, the message, what was expected and found, and a hint. INTERNAL errors add the stack.
 */
import type { QuasiError } from '../errors.ts'
import { escapeControls } from '../escape.ts'

export function formatError(e: QuasiError, opts: { color?: boolean } = {}): string {
  const c = colors(opts.color ?? false)
  // Messages quote the user's values and the code frame shows their line: escape before colouring.
  const x = (s: string) => escapeControls(s)
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

/** The line with a caret under the span; escaped characters widen the line, so the caret moves with them. */
function codeFrame(source: string, line: number, col: number, length: number, c: Colors): string[] {
  if (split?.source !== source) split = { source, lines: source.split('\n') }
  const text = (split.lines[line - 1] ?? '').replace(/\r$/, '').replace(/\t/g, ' ')
  const num = String(line)
  const pad = ' '.repeat(num.length)
  const before = escapeControls(text.slice(0, Math.max(0, col - 1)))
  const span = escapeControls(text.slice(Math.max(0, col - 1), Math.max(0, col - 1) + length))
  return [`  ${c.dim(num + ' |')} ${escapeControls(text)}`, `  ${c.dim(pad + ' |')} ${' '.repeat(before.length)}${c.red('^'.repeat(Math.max(1, span.length)))}`]
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
