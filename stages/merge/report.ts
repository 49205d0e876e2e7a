/** unmatched.csv: every row that found no partner, with its side, 1-based row and key. */
import type { KeyPair, Side } from './keys.ts'
import type { Pairs } from './join.ts'

export function unmatchedCsv(left: Side, right: Side, keys: readonly KeyPair[], pairs: Pairs): string {
  const lines = [csvRow(['side', 'row', ...keys.map((k) => k.left)])]
  for (const [side, rows, cols] of [
    [left, pairs.unmatchedLeft, keys.map((k) => k.left)],
    [right, pairs.unmatchedRight, keys.map((k) => k.right)],
  ] as const) {
    for (const r of rows) lines.push(csvRow([side.name, String(r + 1), ...cols.map((c) => side.frame.key(c, r))]))
  }
  return lines.join('\n') + '\n'
}

/** RFC 4180 row: fields with a comma, quote or line break are quoted; missing is empty. */
export function csvRow(fields: readonly (string | null)[]): string {
  return fields.map((f) => (f === null ? '' : /[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',')
}
