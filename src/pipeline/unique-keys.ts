/**
 * Duplicate mapping keys, found with one Set per mapping while walking the parsed Document,
 * and in the same walk the document's plain value. yaml's own `uniqueKeys` check compares
 * each new key with every earlier key of its mapping, so a mapping of N keys costs N²/2
 * comparisons: a `derive` with 315,000 columns (a 10 MB file) took more than 12 minutes to
 * parse. This walk is linear, and building the value here spares a second walk (`toJS`).
 *
 * Keys are compared as the plain object `toJS` builds will hold them (`String(value)`, null
 * as ""), so `1:` and `"1":` are duplicates here although yaml's check (strict equality of
 * values) lets them through and the second silently replaces the first. Keys that are
 * collections are left alone: pipeline files have none, and yaml stringifies them anyway.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, YAMLParseError, type Document } from 'yaml'

export interface Walked {
  /** One `DUPLICATE_KEY` error (at the repeated key) for each key already seen in its mapping, in file order. */
  readonly duplicates: YAMLParseError[]
  /**
   * The document as `doc.toJS()` gives it, when the walk could build it alike: not for a
   * document with aliases (their expansion and limits are toJS's) or keys that are collections.
   */
  readonly value?: { readonly value: unknown }
}

/** Where a collection's plain value goes while it is filled: undefined once the walk stops building. */
type Out = Record<string, unknown> | unknown[] | undefined

export function duplicateKeys(doc: Document.Parsed): YAMLParseError[] {
  return walkDocument(doc).duplicates
}

export function walkDocument(doc: Document.Parsed): Walked {
  const found: YAMLParseError[] = []
  let building = true
  const root = doc.contents as unknown
  const start: Out = isMap(root) ? {} : isSeq(root) ? [] : undefined
  if (isAlias(root)) building = false
  // An explicit stack, not recursion: the walk must not be what limits nesting depth.
  const stack: [unknown, Out][] = [[root, start]]
  /** A child's plain value; a collection's is filled when the stack reaches it. */
  const child = (node: unknown): unknown => {
    if (isScalar(node)) return node.value
    if (isMap(node)) {
      const out = building ? {} : undefined
      stack.push([node, out])
      return out
    }
    if (isSeq(node)) {
      const out = building ? [] : undefined
      stack.push([node, out])
      return out
    }
    // An alias, a pair in a sequence (`[a: 1]`) or anything else: toJS's business.
    building = false
    if (isCollection(node)) stack.push([node, undefined])
    return undefined
  }
  while (stack.length > 0) {
    const [node, out] = stack.pop()!
    if (!isCollection(node)) continue
    if (isSeq(node)) {
      // Children are pushed in order and so filled in reverse; which one is filled first does not matter.
      for (let i = 0; i < node.items.length; i++) {
        const v = child(node.items[i])
        if (building && out) (out as unknown[]).push(v)
      }
      continue
    }
    const seen = new Set<string>()
    const obj = out as Record<string, unknown> | undefined
    for (const item of node.items) {
      if (!isPair(item)) { building = false; continue }
      const key = item.key
      if (isCollection(key)) stack.push([key, undefined])
      let k: string | undefined
      if (isScalar(key)) {
        const kv = key.value
        k = kv === null || kv === undefined ? '' : String(kv)
        if (typeof kv === 'object' && kv !== null) building = false
        if (!seen.has(k)) seen.add(k)
        else {
          const at = key.range?.[0] ?? 0
          found.push(new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'))
        }
      } else if (key === null || key === undefined) k = ''
      else building = false
      const v = item.value === null || item.value === undefined ? null : child(item.value)
      if (building && obj && k !== undefined) {
        // As toJS does: `__proto__` and other inherited names become own properties.
        if (k in obj) Object.defineProperty(obj, k, { value: v, writable: true, enumerable: true, configurable: true })
        else obj[k] = v
      }
    }
  }
  found.sort((a, b) => a.pos[0] - b.pos[0])
  if (!building) return { duplicates: found }
  return { duplicates: found, value: { value: isScalar(root) ? root.value : root === null || root === undefined ? null : start } }
}
