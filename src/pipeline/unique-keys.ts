/**
 * Duplicate mapping keys, found with one Set per mapping while walking the parsed Document.
 * yaml's own `uniqueKeys` check compares each new key with every earlier key of its
 * mapping, so a mapping of N keys costs N²/2 comparisons: a `derive` with 315,000 columns
 * (a 10 MB file) took more than 12 minutes to parse. This walk is linear.
 *
 * Keys are compared as the plain object `toJS` builds will hold them (`String(value)`, null
 * as ""), so `1:` and `"1":` are duplicates here although yaml's check (strict equality of
 * values) lets them through and the second silently replaces the first. Keys that are
 * collections are left alone: pipeline files have none, and yaml stringifies them anyway.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, YAMLParseError, type Document, type Node } from 'yaml'

/** One `DUPLICATE_KEY` error (at the repeated key) for each key already seen in its mapping, in file order. */
export function duplicateKeys(doc: Document.Parsed): YAMLParseError[] {
  const found: YAMLParseError[] = []
  // An explicit stack, not recursion: the walk must not be what limits nesting depth.
  const stack: unknown[] = [doc.contents]
  while (stack.length > 0) {
    const node = stack.pop()
    if (!isCollection(node) || isAlias(node)) continue
    const seen = isMap(node) ? new Set<string>() : undefined
    for (let i = node.items.length - 1; i >= 0; i--) {
      const item = node.items[i]
      if (isPair(item)) {
        stack.push(item.value)
        if (isCollection(item.key)) stack.push(item.key)
      } else stack.push(item)
    }
    if (!seen) continue
    for (const item of node.items) {
      const key = isPair(item) ? item.key : undefined
      if (!isScalar(key)) continue
      const k = key.value === null || key.value === undefined ? '' : String(key.value)
      if (!seen.has(k)) seen.add(k)
      else {
        const at = (key as Node).range?.[0] ?? 0
        found.push(new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'))
      }
    }
  }
  return found.sort((a, b) => a.pos[0] - b.pos[0])
}
