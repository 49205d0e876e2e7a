/**
 * Text files in the encodings users have: UTF-8 (the default), the Chinese GB18030/GBK and
 * Big5, Latin-1, UTF-16, Shift_JIS and EUC-KR. Decoding is Node's own TextDecoder (WHATWG
 * Encoding Standard, full ICU), always `fatal`, so a byte that does not belong to the
 * encoding is an error, never a silent U+FFFD. When a file is not valid UTF-8, the error
 * names the encoding it most likely is (chardet, plus a check for UTF-16 without a byte
 * order mark, which chardet does not recognise) and the `encoding:` to set.
 *
 * WHATWG maps the label `latin1` (ISO-8859-1) to Windows-1252, its superset, as browsers do:
 * the two differ only in bytes 0x80–0x9F, which are control characters in ISO-8859-1.
 */
import { TextDecoder } from 'node:util'
import chardet from 'chardet'
import { QuasiError } from '../errors.ts'

/** The values of `encoding:`. `utf-16` means: by the byte order mark, little-endian without one. */
export const ENCODINGS = ['utf-8', 'gb18030', 'gbk', 'big5', 'latin1', 'windows-1252', 'utf-16', 'utf-16le', 'utf-16be', 'shift_jis', 'euc-kr'] as const
export type Encoding = (typeof ENCODINGS)[number]

/** The TextDecoder label of an `encoding:` for these bytes (utf-16 by its byte order mark). */
function decoderLabel(encoding: Encoding, bytes: Uint8Array): string {
  if (encoding === 'utf-16') return bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-16le'
  return encoding
}

/**
 * A decoder for the encoding that may be fed a file in pieces (`stream: true`); fatal. The
 * byte order mark of UTF-8 and UTF-16 is dropped.
 */
export function textDecoder(encoding: Encoding, head: Uint8Array): TextDecoder {
  return new TextDecoder(decoderLabel(encoding, head), { fatal: true })
}

/**
 * The file's text; `BAD_DATA` pointing at `encoding` (or the file, for the default) when a
 * byte does not belong to the encoding, with the encoding the file most likely has.
 */
export function decodeText(bytes: Uint8Array, file: string, encoding: Encoding = 'utf-8'): string {
  let text: string
  try {
    text = textDecoder(encoding, bytes).decode(bytes)
  } catch {
    const where = firstBadByte(bytes, encoding)
    const guess = guessEncoding(bytes)
    const at = where === undefined ? '' : ` (line ${where.line})`
    const declared = encoding === 'utf-8' ? 'valid UTF-8 text' : `valid ${encoding} text`
    const likely = guess && guess !== encoding ? `; it looks like ${guess}` : ''
    return fail(file, `${file} is not ${declared}${at}${likely}`, encoding, guess)
  }
  // NUL is valid in every encoding but never in a text table: UTF-16 read as a byte encoding.
  const nul = text.indexOf('\u0000')
  if (nul >= 0) {
    const guess = guessEncoding(bytes)
    const line = text.slice(0, nul).split('\n').length
    return fail(file, `${file} holds NUL characters when read as ${encoding} (line ${line})${guess && guess !== encoding ? `; it looks like ${guess}` : ''}`, encoding, guess)
  }
  return text
}

function fail(file: string, message: string, encoding: Encoding, guess: Encoding | undefined): never {
  const set = guess && guess !== encoding ? `set \`encoding: ${guess}\`` : 'set `encoding:` to the encoding the file was saved in'
  throw new QuasiError('BAD_DATA', message, {
    param: encoding === 'utf-8' ? undefined : ['encoding'],
    expected: `text in ${encoding}`,
    hint: `${set} (one of ${ENCODINGS.join(', ')}), or save the file as UTF-8 (spreadsheets: "CSV UTF-8")`,
  })
}

/** Where decoding first fails: the byte offset and its line (1-based). */
function firstBadByte(bytes: Uint8Array, encoding: Encoding): { offset: number; line: number } | undefined {
  // Bisect on prefixes: a prefix decodes (as a stream) exactly when it holds no bad byte.
  const ok = (n: number) => {
    try {
      textDecoder(encoding, bytes).decode(bytes.subarray(0, n), { stream: true })
      return true
    } catch {
      return false
    }
  }
  if (ok(bytes.length)) return undefined // the end of the file cuts a character: say no more
  let lo = 0
  let hi = bytes.length
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1
    if (ok(mid)) lo = mid
    else hi = mid
  }
  const offset = hi - 1
  let line = 1
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++
  return { offset, line }
}

/** chardet's names → ours. */
const FROM_CHARDET: Record<string, Encoding> = {
  'UTF-8': 'utf-8',
  GB18030: 'gb18030',
  Big5: 'big5',
  'ISO-8859-1': 'latin1',
  'windows-1252': 'windows-1252',
  'UTF-16LE': 'utf-16',
  'UTF-16BE': 'utf-16',
  Shift_JIS: 'shift_jis',
  'EUC-KR': 'euc-kr',
}

/** The likeliest of our encodings for these bytes, or undefined when none fits well. */
export function guessEncoding(bytes: Uint8Array): Encoding | undefined {
  const head = bytes.subarray(0, 64 * 1024)
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return 'utf-16'
  // UTF-16 text of mostly ASCII has a zero in every other byte; chardet does not look for it.
  let evenZeros = 0
  let oddZeros = 0
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i] === 0) evenZeros++
    if (head[i + 1] === 0) oddZeros++
  }
  const pairs = Math.floor(head.length / 2)
  if (pairs > 0 && Math.max(evenZeros, oddZeros) > 0.3 * pairs && Math.min(evenZeros, oddZeros) < 0.05 * pairs) {
    return oddZeros > evenZeros ? 'utf-16le' : 'utf-16be'
  }
  for (const m of chardet.analyse(head)) {
    const e = FROM_CHARDET[m.name]
    if (e && m.confidence >= 10) return e
  }
  return undefined
}
