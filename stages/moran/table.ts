/** The per-period table of the papers (year, I, E[I], sd, z, p) as a grid table. */
import type { GridTable } from '../../src/report/grid.ts'
import { fixed, stars } from '../../src/report/table.ts'

export interface TableRow {
  readonly period: string
  readonly I: number
  readonly expected: number
  readonly sd: number
  readonly z: number
  readonly p: number
}

export function moranTable(rows: readonly TableRow[], opts: { title: string; periodHeader: string; digits: number; notes: readonly string[] }): GridTable {
  const d = opts.digits
  return {
    title: opts.title,
    header: [opts.periodHeader, "Moran's I", 'E[I]', 'sd', 'z', 'p'],
    align: ['l', 'c', 'c', 'c', 'c', 'c'],
    sections: [{
      rows: rows.map((r) => ({
        cells: [r.period, fixed(r.I, d), fixed(r.expected, d), fixed(r.sd, d), fixed(r.z, d), fixed(r.p, d)],
        stars: ['', stars(r.p), '', '', '', ''],
      })),
    }],
    notes: opts.notes,
    stars: true,
  }
}
