/**
 * One block per error: `file:line:col  error CODE  stage `s` (kind)`, a code frame with a
 * caret, the message, what was expected and found, and a hint. INTERNAL errors add the stack.
 */
import type { QuasiError } from '../errors.ts'

export function formatError(e: QuasiError, opts: { color?: boolean } = {}): string {
  const c = colors(opts.color ?? false)
  const where = e.pos ? `${e.pos.file}:${e.pos.line}:${e.pos.col}  ` : ''
  const stage = e.stage ? `  stage \`${e.stage}\`${e.kind ? ` (${e.kind})` : ''}` : ''
  const out = [`${where}${c.red('error')} ${c.bold(e.code)}${stage}`]
  if (e.pos?.source) out.push(...codeFrame(e.pos.source, e.pos.line, e.pos.col, e.pos.length ?? 1, c))
  out.push(`  ${e.message}`)
  if (e.expected) out.push(`  expected: ${e.expected}`)
  if (e.found) out.push(`  found:    ${e.found}`)
  if (e.hint) out.push(`  ${c.dim('hint:')} ${e.hint}`)
  if (e.code === 'INTERNAL') {
    const cause = (e.cause as Error | undefined)?.stack ?? e.stack
    out.push(c.dim(indent(cause ?? '')), '  This is a bug in quasi; please report it with the pipeline file.')
  }
  return out.join('\n')
}

/** The lines of the last source split: every error of a run shares one source, and splitting a 10 MB file per error was quadratic. */
let split: { source: string; lines: string[] } | undefined

function codeFrame(source: string, line: number, col: number, length: number, c: Colors): string[] {
  if (split?.source !== source) split = { source, lines: source.split('\n') }
  const text = split.lines[line - 1] ?? ''
  const num = String(line)
  const pad = ' '.repeat(num.length)
  const expanded = text.replace(/\t/g, ' ')
  return [`  ${c.dim(num + ' |')} ${expanded}`, `  ${c.dim(pad + ' |')} ${' '.repeat(Math.max(0, col - 1))}${c.red('^'.repeat(Math.max(1, length)))}`]
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
