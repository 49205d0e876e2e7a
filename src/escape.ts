/**
 * Text from a user's files (pipeline values, column names, cell values, file names) on its
 * way to a terminal or a log: every character that could move the cursor, erase lines,
 * change colours or reorder text is shown as an escape instead of being obeyed. Whoever
 * writes a data file must not be able to rewrite the lines of a CI log.
 *
 * Escaped: C0 controls (newline only where the caller says it is structure), DEL, C1
 * controls (U+0080–U+009F; U+009B is a one-byte CSI on some terminals), and the bidi
 * embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069 ("Trojan Source").
 * Every renderer (plain, tty, and json through `jsonSafe`), error printing and the stage
 * logs written to log.txt go through here.
 */

const ALL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g
const KEEP_NEWLINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' }

/** `s` with every unsafe character written as `\t`, `\n`, `\r`, `\xHH` or `\u{HHHH}`. */
export function escapeControls(s: string, opts: { newlines?: boolean } = {}): string {
  return s.replace(opts.newlines ? KEEP_NEWLINES : ALL, (c) => {
    const named = NAMED[c]
    if (named) return named
    const n = c.charCodeAt(0)
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`
  })
}

const JSON_UNSAFE = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/**
 * JSON text with the characters JSON.stringify leaves raw (DEL, C1, bidi controls) written
 * as `\uHHHH` escapes: the same JSON value, safe to print.
 */
export function jsonSafe(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
