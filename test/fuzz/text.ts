/**
 * Text mutations as data: an input is a base text plus a list of edits, so a counterexample
 * prints as a recipe that can be replayed by hand (`applyEdits`), and shrinks to fewer and
 * smaller edits. Positions are taken modulo the text's length, so any number is valid.
 */
import fc from 'fast-check'

export type TextEdit =
  | { readonly op: 'insert'; readonly at: number; readonly text: string }
  | { readonly op: 'delete'; readonly at: number; readonly n: number }
  | { readonly op: 'char'; readonly at: number; readonly code: number }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'dupLine'; readonly line: number }
  | { readonly op: 'dropLine'; readonly line: number }
  | { readonly op: 'swapLines'; readonly a: number; readonly b: number }
  | { readonly op: 'indent'; readonly line: number; readonly by: number }

/** Code points that tend to break text handling: controls, NUL, BOM, separators, surrogates, astral. */
const ODD_CODES = [0, 1, 8, 9, 10, 11, 12, 13, 27, 0x7f, 0x85, 0xa0, 0x2028, 0x2029, 0xfeff, 0xfffd, 0xd800, 0xdfff, 0x1f600, 0x10ffff, 0x200b, 0x202e]

/** A position anywhere, or near the start: small positions shrink toward the start. */
const position = fc.oneof(fc.nat(64), fc.nat(1 << 20))

export function textEdit(fragments: readonly string[]): fc.Arbitrary<TextEdit> {
  return fc.oneof(
    { arbitrary: fc.record({ op: fc.constant('insert' as const), at: position, text: fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 8 })) }), weight: 4 },
    { arbitrary: fc.record({ op: fc.constant('delete' as const), at: position, n: fc.integer({ min: 1, max: 40 }) }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('char' as const), at: position, code: fc.oneof(fc.constantFrom(...ODD_CODES), fc.integer({ min: 0, max: 0x10ffff })) }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('truncate' as const), at: position }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('dupLine' as const), line: fc.nat(400) }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('dropLine' as const), line: fc.nat(400) }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('swapLines' as const), a: fc.nat(400), b: fc.nat(400) }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('indent' as const), line: fc.nat(400), by: fc.integer({ min: -6, max: 6 }) }), weight: 2 },
  )
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  for (const e of edits) text = applyEdit(text, e)
  return text
}

function applyEdit(s: string, e: TextEdit): string {
  const at = (n: number) => (s.length === 0 ? 0 : n % (s.length + 1))
  switch (e.op) {
    case 'insert':
      return s.slice(0, at(e.at)) + e.text + s.slice(at(e.at))
    case 'delete':
      return s.slice(0, at(e.at)) + s.slice(at(e.at) + e.n)
    case 'char': {
      const i = at(e.at)
      const ch = e.code >= 0xd800 && e.code <= 0xdfff ? String.fromCharCode(e.code) : String.fromCodePoint(e.code)
      return s.slice(0, i) + ch + s.slice(i + 1)
    }
    case 'truncate':
      return s.slice(0, at(e.at))
  }
  const lines = s.split('\n')
  const line = (n: number) => n % lines.length
  switch (e.op) {
    case 'dupLine':
      lines.splice(line(e.line), 0, lines[line(e.line)])
      break
    case 'dropLine':
      lines.splice(line(e.line), 1)
      break
    case 'swapLines': {
      const [a, b] = [line(e.a), line(e.b)]
      ;[lines[a], lines[b]] = [lines[b], lines[a]]
      break
    }
    case 'indent': {
      const i = line(e.line)
      lines[i] = e.by >= 0 ? ' '.repeat(e.by) + lines[i] : lines[i].replace(new RegExp(`^ {0,${-e.by}}`), '')
      break
    }
  }
  return lines.join('\n')
}

/** A short, printable form of a text for a failure report. */
export function preview(text: string, max = 400): string {
  const j = JSON.stringify(text)
  return j.length > max ? `${j.slice(0, max)}… (${text.length} chars)` : j
}
