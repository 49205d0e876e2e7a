/** A weights file's links as a matrix over the data's units (or the file's own, sorted). */
import type { SparseMatrix } from '../../src/artifacts/weights.ts'
import { sparseFromRows } from '../../src/artifacts/weights.ts'
import { QuasiError } from '../../src/errors.ts'
import { byCodeUnit, unitMismatch } from '../_spatial/panel-units.ts'
import type { WeightsFile } from './formats.ts'

const PARAM = ['file']

/**
 * `units`: the data's units in matrix order, with `norm` mapping a file id to a data key;
 * undefined to take the file's ids, sorted (numerically when all are numbers).
 */
export function assembleFile(f: WeightsFile, rel: string, data?: { units: readonly string[]; norm: (id: string) => string }): { units: string[]; matrix: SparseMatrix } {
  const norm = data?.norm ?? ((s: string) => s)
  const fileIds = [...new Set(f.ids.map(norm))]
  let units: string[]
  if (data) {
    const problem = unitMismatch(fileIds, data.units, `\`${rel}\``, 'the data')
    if (problem) {
      throw new QuasiError('BAD_DATA', `the weights file and the data name different units: ${problem}`, {
        param: PARAM, hint: 'the ids in the file are compared with the unit keys of `from` (as numbers when the unit column is numeric)',
      })
    }
    units = [...data.units]
  } else {
    const numeric = fileIds.every((u) => u.trim() !== '' && Number.isFinite(Number(u)))
    units = numeric ? fileIds.sort((a, b) => Number(a) - Number(b)) : fileIds.sort(byCodeUnit)
  }
  const at = new Map(units.map((u, i) => [u, i]))
  const rows: Map<number, [number, number]>[] = units.map(() => new Map())
  for (const l of f.links) {
    const i = at.get(norm(l.from))!, j = at.get(norm(l.to))!
    if (i === j) {
      if (l.weight === 0) continue
      throw new QuasiError('BAD_DATA', `${rel} line ${l.line}: unit \`${l.from}\` is its own neighbour`, { param: PARAM, expected: 'no self-links (a zero diagonal)' })
    }
    const row = rows[i]
    if (row.has(j)) throw new QuasiError('BAD_DATA', `${rel} line ${l.line}: the link \`${l.from}\` → \`${l.to}\` is given twice`, { param: PARAM })
    row.set(j, [j, l.weight])
  }
  return { units, matrix: sparseFromRows(units.length, rows.map((r) => [...r.values()])) }
}
