/** The Produc panel and the US-states weights of test/fixtures/spatial-models (make.R), as the kernels take them. */
import { readFileSync } from 'node:fs'
import { sparseFromDense, type SparseMatrix, type Weights } from '../../../../src/artifacts/weights.ts'
import type { Frame } from '../../../../src/artifacts/frame.ts'
import { readCsvFrame, root } from '../helpers.ts'
import models from '../../../fixtures/spatial-models/models.json' with { type: 'json' }

export const DIR = 'test/fixtures/spatial-models'
export const REGRESSORS = ['lpcap', 'lpc', 'lemp', 'unemp']
export const produc: Frame = readCsvFrame(`${DIR}/produc.csv`)
export const units: string[] = [...new Set(produc.column('state')!.data as string[])].sort()
export { models }

/** A long CSV (from, to, w) as an N × N sparse matrix over `units`. */
export function readLongW(file: string, order: readonly string[] = units): SparseMatrix {
  const idx = new Map(order.map((u, i) => [u, i]))
  const rows = Array.from({ length: order.length }, () => new Float64Array(order.length))
  const lines = readFileSync(`${root}${DIR}/${file}`, 'utf8').trim().split('\n').slice(1)
  for (const l of lines) {
    const [from, to, w] = l.split(',')
    rows[idx.get(from)!][idx.get(to)!] = Number(w)
  }
  return sparseFromDense(rows)
}

export const wQueen = readLongW('w_queen.csv')
export const wDist = readLongW('w_dist.csv')

export function weightsOf(...candidates: { label: string; a?: number; matrix: SparseMatrix }[]): Weights {
  return { units, style: 'row', description: 'queen contiguity', candidates }
}

/** a·W1 + (1 − a)·W2. */
export function composite(a: number, w1: SparseMatrix, w2: SparseMatrix): SparseMatrix {
  const n = w1.n
  const rows = Array.from({ length: n }, () => new Float64Array(n))
  for (const [m, f] of [[w1, a], [w2, 1 - a]] as const) for (let i = 0; i < n; i++) for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++) rows[i][m.cols[k]] += f * m.values[k]
  return sparseFromDense(rows)
}
