/** The `resamples:` file: given cluster draws to replay (columns `draw`, `cluster`; one row per drawn cluster). */
import { readCsv, readCsvHeader } from '../../src/artifacts/csv.ts'
import { QuasiError } from '../../src/errors.ts'
import type { InputFile } from '../../src/stage.ts'

/**
 * Multiplicities of the resampled clusters in each draw, in the order draws first appear.
 * `index` maps a cluster label (as text) to its position among the resampled clusters.
 */
export function readResamples(f: InputFile, index: ReadonlyMap<string, number>, clusterName: string): Float64Array[] {
  const at = ['resamples']
  const text = new TextDecoder().decode(f.bytes)
  const header = readCsvHeader(text) ?? []
  const types = Object.fromEntries(['draw', 'cluster'].filter((c) => header.includes(c)).map((c) => [c, 'string' as const]))
  const { frame } = readCsv(text, { file: f.rel, types })
  const missing = ['draw', 'cluster'].filter((c) => !frame.has(c))
  if (missing.length) {
    throw new QuasiError('MISSING_COLUMN', `${f.rel} has no column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `\`${c}\``).join(', ')}`, {
      param: at, expected: 'columns `draw`, `cluster`', found: frame.names.map((c) => `\`${c}\``).join(', ') || 'no columns',
    })
  }
  const draws = frame.column('draw')!.data as readonly (string | null)[]
  const clusters = frame.column('cluster')!.data as readonly (string | null)[]
  const byDraw = new Map<string, Float64Array>()
  for (let i = 0; i < frame.nrows; i++) {
    const d = draws[i]?.trim() ?? ''
    if (d === '') throw new QuasiError('BAD_DATA', `${f.rel} row ${i + 2}: \`draw\` is empty`, { param: at })
    const label = clusters[i]?.trim() ?? ''
    const k = index.get(label)
    if (k === undefined) {
      throw new QuasiError('BAD_DATA', `${f.rel} row ${i + 2}: cluster \`${label}\` is not a cluster of the estimation sample`, {
        param: at, expected: `one of the ${index.size} values of \`${clusterName}\` in the mediators' estimation samples`, found: label || 'an empty cell',
      })
    }
    let c = byDraw.get(d)
    if (!c) { c = new Float64Array(index.size); byDraw.set(d, c) }
    c[k]++
  }
  if (byDraw.size === 0) throw new QuasiError('EMPTY_DATA', `${f.rel} has no draws`, { param: at })
  return [...byDraw.values()]
}
