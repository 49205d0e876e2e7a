/** entropy_weights.csv: one row per (derived column, entropy call, group, indicator). */
import type { EntropyReport } from '../../src/expr/index.ts'

export const ENTROPY_CSV_HEADER = ['column', 'expression', 'by', 'group', 'n', 'indicator', 'direction', 'entropy', 'divergence', 'weight']

export function entropyWeightsCsv(reports: readonly { column: string; report: EntropyReport }[]): string {
  const lines = [ENTROPY_CSV_HEADER.join(',')]
  for (const { column, report } of reports) {
    for (const g of report.groups) {
      for (const ind of g.indicators) {
        lines.push(
          [column, report.expression, report.by.join('|'), g.group, g.n, ind.indicator, ind.direction, ind.entropy, ind.divergence, ind.weight]
            .map(csvField)
            .join(','),
        )
      }
    }
  }
  return lines.join('\n') + '\n'
}

/** Numbers in shortest round-trip form; text quoted when it holds a comma, quote or newline. */
function csvField(v: string | number): string {
  const s = String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
