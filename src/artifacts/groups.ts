/**
 * Group rows by the values of one or more key columns (compared by their display values:
 * numbers in shortest round-trip form, text as is). Groups are numbered in order of first
 * appearance, so ids are deterministic for a given frame; a row with any missing key
 * belongs to no group (id −1).
 */
import type { Frame } from './frame.ts'

export interface RowGroups {
  /** Group of each row, or −1 when a key is missing. */
  readonly id: Int32Array
  /** Key values of each group, in `cols` order. */
  readonly keys: readonly (readonly string[])[]
  /** Rows with a missing key, ascending. */
  readonly missing: readonly number[]
}

export function groupRows(frame: Frame, cols: readonly string[]): RowGroups {
  const id = new Int32Array(frame.nrows)
  const index = new Map<string, number>()
  const keys: string[][] = []
  const missing: number[] = []
  for (let i = 0; i < frame.nrows; i++) {
    const parts: string[] = []
    for (const c of cols) {
      const v = frame.key(c, i)
      if (v === null) break
      parts.push(v)
    }
    if (parts.length < cols.length) {
      id[i] = -1
      missing.push(i)
      continue
    }
    const k = JSON.stringify(parts)
    let g = index.get(k)
    if (g === undefined) {
      g = keys.length
      index.set(k, g)
      keys.push(parts)
    }
    id[i] = g
  }
  return { id, keys, missing }
}
