/**
 * A pipeline file's text with its YAML document, and the mapping from a path in the
 * parsed value (['stages', 'baseline', 'with', 'control']) back to line and column.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node, type Pair, type YAMLMap } from 'yaml'
import type { SourcePos } from '../errors.ts'

export interface SourceFile {
  /** The path as shown to the user (relative to the working directory when inside it). */
  readonly display: string
  readonly abs: string
  readonly text: string
  readonly lines: LineCounter
  readonly doc: Document.Parsed
}

export type ValuePath = readonly (string | number)[]

/** Position of the value at `path` (or of its key, with `key: true`); the nearest existing ancestor otherwise. */
export function locate(src: SourceFile, path: ValuePath, opts: { key?: boolean; offset?: number } = {}): SourcePos {
  let node: unknown = src.doc.contents
  let range: [number, number] | undefined = rangeOf(node)
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]
    const last = i === path.length - 1
    if (isMap(node)) {
      const pair = pairOf(node, String(seg))
      if (!pair) break
      if (last && opts.key) {
        range = rangeOf(pair.key) ?? range
        node = undefined
        break
      }
      node = pair.value
      range = rangeOf(node) ?? rangeOf(pair.key) ?? range
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      node = node.items[seg]
      range = rangeOf(node) ?? range
    } else break
  }
  const [start, end] = range ?? [0, 1]
  let at = start
  let length = Math.max(1, end - start)
  if (opts.offset !== undefined && isScalar(node) && typeof node.value === 'string') {
    at = start + scalarOffset(src.text, start, node, opts.offset)
    length = 1
  }
  const { line, col } = src.lines.linePos(at)
  // Underline at most to the end of the line.
  const lineEnd = src.text.indexOf('\n', at)
  const maxLen = (lineEnd === -1 ? src.text.length : lineEnd) - at
  return { file: src.display, line, col, length: Math.max(1, Math.min(length, maxLen)), source: src.text }
}

/** Each mapping's pairs by key, built the first time a large mapping is searched: an error per column of a 300,000-column derive would otherwise search it once per error. */
const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>()

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  const keyOf = (p: unknown): string | undefined => (isPair(p) && isScalar(p.key) ? String(p.key.value) : undefined)
  if (map.items.length < 64) return map.items.find((p) => keyOf(p) === key) as Pair | undefined
  let index = pairIndex.get(map)
  if (!index) {
    index = new Map()
    // The first pair of a key wins, as the linear search found it.
    for (const p of map.items) {
      const k = keyOf(p)
      if (k !== undefined && !index.has(k)) index.set(k, p as Pair)
    }
    pairIndex.set(map, index)
  }
  return index.get(key)
}

/** Position of a raw character offset in the file. */
export function positionAt(src: SourceFile, offset: number, length = 1): SourcePos {
  const { line, col } = src.lines.linePos(offset)
  return { file: src.display, line, col, length, source: src.text }
}

function rangeOf(node: unknown): [number, number] | undefined {
  const r = (node as Node | undefined)?.range
  return r ? [r[0], r[1]] : undefined
}

/** Offset of character `k` of a scalar's value inside its source text (quotes and escapes aside). */
function scalarOffset(text: string, start: number, node: { type?: string; value: unknown }, k: number): number {
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE'
  const base = quoted ? 1 : 0
  // Exact for plain and quoted scalars without escapes on one line, which is how expressions are written.
  const raw = text.slice(start + base, start + base + k)
  return raw.includes('\n') ? 0 : base + k
}
