/**
 * Row pairing for a join, on keys already reduced to comparable strings (null = missing,
 * which matches nothing). Pure and deterministic: left rows in their order, each followed
 * by its matching right rows in right order; for `outer`, then the unmatched right rows in
 * right order.
 */
import type { MergeHow } from './params.ts'

export interface Pairs {
  /** Row of the left frame for each output row, or −1 (a right-only row of an outer join). */
  readonly left: Int32Array
  /** Row of the right frame for each output row, or −1 (no match). */
  readonly right: Int32Array
  /** Left rows with no match (missing keys included), in left order. */
  readonly unmatchedLeft: number[]
  /** Right rows with no match (missing keys included), in right order. */
  readonly unmatchedRight: number[]
}

/** Rows per key, keys in order of first appearance; rows with a missing key are left out. */
export function indexKeys(keys: readonly (string | null)[]): Map<string, number[]> {
  const index = new Map<string, number[]>()
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]
    if (k === null) continue
    const rows = index.get(k)
    if (rows) rows.push(i)
    else index.set(k, [i])
  }
  return index
}

/** Keys held by more than one row, with their rows, in order of first appearance. */
export function duplicatedKeys(index: ReadonlyMap<string, number[]>): [string, number[]][] {
  return [...index].filter(([, rows]) => rows.length > 1)
}

export function pairRows(leftKeys: readonly (string | null)[], rightKeys: readonly (string | null)[], how: MergeHow): Pairs {
  const rightIndex = indexKeys(rightKeys)
  const matchedRight = new Uint8Array(rightKeys.length)
  const l: number[] = []
  const r: number[] = []
  const unmatchedLeft: number[] = []
  for (let i = 0; i < leftKeys.length; i++) {
    const k = leftKeys[i]
    const rows = k === null ? undefined : rightIndex.get(k)
    if (rows === undefined) {
      unmatchedLeft.push(i)
      if (how !== 'inner') {
        l.push(i)
        r.push(-1)
      }
      continue
    }
    for (const j of rows) {
      l.push(i)
      r.push(j)
      matchedRight[j] = 1
    }
  }
  const unmatchedRight: number[] = []
  for (let j = 0; j < rightKeys.length; j++) {
    if (matchedRight[j]) continue
    unmatchedRight.push(j)
    if (how === 'outer') {
      l.push(-1)
      r.push(j)
    }
  }
  return { left: Int32Array.from(l), right: Int32Array.from(r), unmatchedLeft, unmatchedRight }
}
