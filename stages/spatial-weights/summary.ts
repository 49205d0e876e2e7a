/** summary.csv / summary.md (connectivity of each candidate) and weights.csv (the matrix, long). */
import { Frame } from '../../src/artifacts/frame.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import { islands, neighbourCounts, symmetricLinks, type SparseMatrix, type Weights } from '../../src/artifacts/weights.ts'

export interface Connectivity {
  readonly n: number
  readonly links: number
  readonly minNeighbors: number
  readonly meanNeighbors: number
  readonly maxNeighbors: number
  /** links / N². */
  readonly shareNonzero: number
  /** j is a neighbour of i exactly when i is one of j (the links, not their values). */
  readonly symmetric: boolean
  readonly islands: number
}

export function summarize(m: SparseMatrix): Connectivity {
  const c = neighbourCounts(m)
  const links = m.rowStart[m.n]
  let min = Infinity, max = 0
  for (const k of c) { min = Math.min(min, k); max = Math.max(max, k) }
  return {
    n: m.n, links, minNeighbors: m.n ? min : 0, meanNeighbors: m.n ? links / m.n : 0, maxNeighbors: max,
    shareNonzero: m.n ? links / (m.n * m.n) : 0, symmetric: symmetricLinks(m), islands: islands(m).length,
  }
}

export function summaryFiles(w: Weights, stats: readonly Connectivity[]): Record<string, string> {
  const csv = writeCsv(Frame.from({
    candidate: w.candidates.map((c) => c.label),
    n: stats.map((s) => s.n),
    links: stats.map((s) => s.links),
    min_neighbors: stats.map((s) => s.minNeighbors),
    mean_neighbors: stats.map((s) => s.meanNeighbors),
    max_neighbors: stats.map((s) => s.maxNeighbors),
    share_nonzero: stats.map((s) => s.shareNonzero),
    symmetric: stats.map((s) => (s.symmetric ? 'yes' : 'no')),
    islands: stats.map((s) => s.islands),
  }))
  const md = [
    `**Spatial weights: ${w.description}**`, '',
    `Style: ${w.style === 'row' ? 'row-standardised' : w.style === 'binary' ? 'binary' : 'as built'}.`, '',
    '| Matrix | N | Links | Min neighbours | Mean neighbours | Max neighbours | Share non-zero | Symmetric | Islands |',
    '|:---|---:|---:|---:|---:|---:|---:|:---:|---:|',
    ...w.candidates.map((c, k) => {
      const s = stats[k]
      return `| ${c.label} | ${s.n} | ${s.links} | ${s.minNeighbors} | ${s.meanNeighbors.toFixed(2)} | ${s.maxNeighbors} | ${(100 * s.shareNonzero).toFixed(2)}% | ${s.symmetric ? 'yes' : 'no'} | ${s.islands} |`
    }),
    '',
  ].join('\n')
  return { 'summary.csv': csv, 'summary.md': md }
}

/** from,to,weight per non-zero (row order, columns ascending); a first `candidate` column when there are several. */
export function weightsCsv(w: Weights): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
  const units = w.units.map(q)
  if (w.candidates.length === 1) {
    const m = w.candidates[0].matrix
    const out: string[] = ['from,to,weight']
    for (let i = 0; i < m.n; i++) {
      const from = units[i] + ','
      for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++) out.push(from + units[m.cols[k]] + ',' + m.values[k])
    }
    return out.join('\n') + '\n'
  }
  // Several candidates (a composite grid): one line per link of any candidate, one weight
  // column per candidate (0 where it has no link). A dense 280-unit grid of 11 is 78,000
  // lines this way, not 860,000 with a candidate column.
  const n = w.units.length
  const cols = w.candidates.map((c) => c.matrix)
  const out: string[] = [['from', 'to', ...w.candidates.map((c) => q(c.label))].join(',')]
  const row = new Float64Array(n * cols.length)
  const linked = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    row.fill(0)
    linked.fill(0)
    cols.forEach((m, c) => {
      for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++) {
        row[m.cols[k] * cols.length + c] = m.values[k]
        linked[m.cols[k]] = 1
      }
    })
    for (let j = 0; j < n; j++) {
      if (!linked[j]) continue
      let line = units[i] + ',' + units[j]
      for (let c = 0; c < cols.length; c++) line += ',' + row[j * cols.length + c]
      out.push(line)
    }
  }
  return out.join('\n') + '\n'
}
