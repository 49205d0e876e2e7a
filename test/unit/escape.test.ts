import { expect, test } from 'vitest'
import { escapeControls, jsonSafe } from '../../src/escape.ts'

test('controls that move the cursor, erase or colour are shown, not obeyed', () => {
  expect(escapeControls('a\x1b[2K\x1b[1Ab')).toBe('a\\x1b[2K\\x1b[1Ab')
  expect(escapeControls('\x1b]0;title\x07')).toBe('\\x1b]0;title\\x07')
  expect(escapeControls('x\ry\tz\bw\x00')).toBe('x\\ry\\tz\\x08w\\x00')
  expect(escapeControls('del\x7f c1\x9b31m \x85')).toBe('del\\x7f c1\\x9b31m \\x85')
  expect(escapeControls('a\u202eb\u2066c\u2069d\u202a')).toBe('a\\u{202e}b\\u{2066}c\\u{2069}d\\u{202a}')
})

test('newlines are escaped unless the caller says they are structure', () => {
  expect(escapeControls('a\nb')).toBe('a\\nb')
  expect(escapeControls('a\nb\x1b', { newlines: true })).toBe('a\nb\\x1b')
})

test('printable text is left alone, in any script', () => {
  const s = 'GDP (万元) — Zürich ✔ ▶ 🙂 \\x1b already escaped'
  expect(escapeControls(s)).toBe(s)
})

test('jsonSafe escapes what JSON.stringify leaves raw, and the value is unchanged', () => {
  const value = { s: 'a\x1b[31m\x7f\x9b\u202eb', ok: '万元 ✔' }
  const text = jsonSafe(JSON.stringify(value))
  expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
  expect(JSON.parse(text)).toEqual(value)
})
