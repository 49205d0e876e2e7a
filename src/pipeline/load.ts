/**
 * Read a pipeline file: YAML with source positions, duplicate keys rejected, custom tags
 * off (only the core schema's tags resolve), one document, aliases bounded. Duplicate keys
 * are found by ./unique-keys.ts rather than by yaml's `uniqueKeys`, which is quadratic.
 */
import { readFile } from 'node:fs/promises'
import { relative, resolve, isAbsolute } from 'node:path'
import { LineCounter, parseDocument, type YAMLError } from 'yaml'
import { QuasiError, QuasiErrors, type ErrorCode } from '../errors.ts'
import { positionAt, type SourceFile } from './source.ts'
import { walkDocument } from './unique-keys.ts'

export async function readPipelineFile(file: string, cwd = process.cwd()): Promise<SourceFile> {
  const abs = resolve(cwd, file)
  let text: string
  try {
    text = await readFile(abs, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new QuasiError('MISSING_FILE', `cannot read pipeline file ${file}${code ? ` (${code})` : ''}`, {
      hint: code === 'ENOENT' ? 'check the path; pipelines usually live in pipelines/*.yaml' : undefined,
    })
  }
  return parsePipelineText(text, displayPath(abs, cwd), abs)
}

export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs)
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : abs
}

export function parsePipelineText(text: string, display: string, abs = display): SourceFile {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const lines = new LineCounter()
  const tooDeep = flowDepthExceeded(text)
  if (tooDeep !== undefined) {
    const src: SourceFile = { display, abs, text, lines: countLines(text), doc: parseDocument('') }
    throw new QuasiErrors([
      new QuasiError('YAML_SYNTAX', `brackets \`{\` and \`[\` are nested more than ${MAX_FLOW_DEPTH} levels deep here`, {
        pos: positionAt(src, tooDeep, 1),
        hint: 'a pipeline needs a few levels; this looks like a generated or damaged file',
      }),
    ])
  }
  const doc = withPlainEnv(() =>
    parseDocument(text, {
      lineCounter: lines,
      prettyErrors: false,
      uniqueKeys: false,
      schema: 'core',
      customTags: [],
      merge: false,
      strict: true,
      keepSourceTokens: false,
    }),
  )
  const src: SourceFile = { display, abs, text, lines, doc }
  const walked = walkDocument(doc)
  const problems = [...inOrder(doc.errors, walked.duplicates), ...doc.warnings].map((e) => yamlError(src, e))
  if (problems.length > 0) throw new QuasiErrors(problems)
  if (walked.value) plainValues.set(src, walked.value.value)
  return src
}

/** The plain value the duplicate-key walk built, for the first plan made from `src` (plans fill in defaults, so a value serves once). */
const plainValues = new WeakMap<SourceFile, unknown>()

/** The document's plain value built while it was read, once; undefined when it was not built (then use `doc.toJS`). */
export function takePlainValue(src: SourceFile): { value: unknown } | undefined {
  if (!plainValues.has(src)) return undefined
  const value = plainValues.get(src)
  plainValues.delete(src)
  return { value }
}

/**
 * Run `f` with `process.env` as a plain copy. yaml's parser reads `process.env.LOG_TOKENS`
 * for every token, and each read of the real `process.env` asks the operating system: two
 * million tokens of a 10 MB file spent about a second there. Nothing else runs meanwhile
 * (`f` is synchronous), and the real object is back before `f`'s result is used.
 */
function withPlainEnv<T>(f: () => T): T {
  const real = Object.getOwnPropertyDescriptor(process, 'env')
  if (!real || !('value' in real) || !real.writable) return f()
  process.env = { ...real.value }
  try {
    return f()
  } finally {
    Object.defineProperty(process, 'env', real)
  }
}

/** yaml's errors in its order, with the duplicate keys merged in where they stand in the file. */
function inOrder(errors: readonly YAMLError[], duplicates: readonly YAMLError[]): YAMLError[] {
  const out: YAMLError[] = []
  let d = 0
  for (const e of errors) {
    while (d < duplicates.length && duplicates[d].pos[0] < e.pos[0]) out.push(duplicates[d++])
    out.push(e)
  }
  return out.concat(duplicates.slice(d))
}

function yamlError(src: SourceFile, e: YAMLError): QuasiError {
  let [start, end] = e.pos
  // An error at the very end (an unclosed bracket) is clearer at the end of the last line with text.
  if (src.text.slice(start).trim() === '') {
    const trimmed = src.text.trimEnd().length
    start = Math.max(0, trimmed - 1)
    end = start + 1
  }
  const pos = positionAt(src, start, Math.max(1, Math.min(end - start, 40)))
  const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
  const map: Partial<Record<YAMLError['code'], [ErrorCode, string]>> = {
    DUPLICATE_KEY: ['DUPLICATE_KEY', 'a key may appear only once in a mapping; remove or rename one of them'],
    TAG_RESOLVE_FAILED: ['YAML_TAG', 'custom YAML tags are not allowed in pipeline files; write the value plainly'],
    BAD_INDENT: ['YAML_SYNTAX', 'indent nested keys with spaces, consistently (two per level is usual)'],
    TAB_AS_INDENT: ['YAML_SYNTAX', 'YAML does not allow tabs for indentation; use spaces'],
    MULTIPLE_DOCS: ['YAML_SYNTAX', 'a pipeline file holds one document; remove the `---` separator'],
    RESOURCE_EXHAUSTION: ['YAML_SYNTAX', 'too many aliases; write the values out'],
  }
  const unclosed = /end with a ([}\]])/.exec(e.message)
  const colon = /Nested mappings are not allowed in compact mappings|Implicit map keys need to be/.test(e.message)
  const [code, hint] = colon
    ? (['YAML_SYNTAX', 'a value containing ": " (colon and space) must be quoted, e.g. "entropy(a, b; shift: 0.0001)"'] as const)
    : unclosed
    ? (['YAML_SYNTAX', `a \`${unclosed[1] === '}' ? '{' : '['}\` opened above is not closed with \`${unclosed[1]}\``] as const)
    : (map[e.code] ?? ['YAML_SYNTAX', 'check the indentation, colons and brackets around this point'])
  const message = e.code === 'DUPLICATE_KEY' ? `duplicate key \`${duplicateKeyName(src.text, start)}\`` : first
  return new QuasiError(code, message, { pos, hint })
}

function duplicateKeyName(text: string, offset: number): string {
  const m = /^[\s"']*([^:"'\n]+)/.exec(text.slice(offset))
  return m ? m[1].trim() : '?'
}

/** Deeper flow nesting than any pipeline needs; yaml's composer recurses per level, and thousands of levels exhaust memory. */
const MAX_FLOW_DEPTH = 100

/**
 * The offset of the first `{`/`[` that opens level MAX_FLOW_DEPTH + 1, or undefined. A linear
 * scan that skips quoted text and comments; brackets inside plain scalars (`${{ matrix.x }}`)
 * balance and do not come near the limit.
 */
function flowDepthExceeded(text: string): number | undefined {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (ch === 0x7b || ch === 0x5b) {
      if (++depth > MAX_FLOW_DEPTH) return i
    } else if (ch === 0x7d || ch === 0x5d) {
      if (depth > 0) depth--
    } else if (ch === 0x22) {
      // "…" with backslash escapes
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++
    } else if (ch === 0x27 && (i === 0 || /[\s,[{:]/.test(text[i - 1]))) {
      // '…' with '' for a quote; only where a quoted scalar can start, so "it's" stays plain
      for (i++; i < text.length; i++) if (text.charCodeAt(i) === 0x27) { if (text.charCodeAt(i + 1) === 0x27) i++; else break }
    } else if (ch === 0x23 && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a) i++
    }
  }
  return undefined
}

function countLines(text: string): LineCounter {
  const lc = new LineCounter()
  lc.addNewLine(0)
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1)
  return lc
}
