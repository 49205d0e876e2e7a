/** Shared by the regression-kernel tests: CSV → Frame, and relative comparisons that explain themselves. */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Papa from 'papaparse'
import { expect } from 'vitest'
import { Frame } from '../../../src/artifacts/frame.ts'

export const root = fileURLToPath(new URL('../../../', import.meta.url))

/** A CSV as a Frame: a column is numeric when every non-empty cell parses as a number. */
export function readCsvFrame(rel: string): Frame {
  const text = readFileSync(root + rel, 'utf8')
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true })
  const cols: Record<string, Float64Array | (string | null)[]> = {}
  for (const f of parsed.meta.fields ?? []) {
    const raw = parsed.data.map((r) => r[f])
    const numeric = raw.every((v) => v === '' || v === undefined || Number.isFinite(Number(v)))
    cols[f] = numeric ? Float64Array.from(raw, (v) => (v === '' || v === undefined ? NaN : Number(v))) : raw.map((v) => (v === '' ? null : v))
  }
  return Frame.from(cols)
}

export function sha256File(rel: string): string {
  return createHash('sha256').update(readFileSync(root + rel)).digest('hex')
}

/** |got − want| ≤ rel · |want| (or ≤ abs when want is 0), with the numbers in the failure message. */
export function expectClose(got: number, want: number, tol: { rel: number; abs?: number }, label: string): void {
  const diff = Math.abs(got - want)
  const bound = Math.max(tol.rel * Math.abs(want), tol.abs ?? 0)
  const ok = diff <= bound || (Number.isNaN(got) && Number.isNaN(want))
  if (!ok) {
    expect.fail(`${label}: got ${got}, expected ${want}, Δ = ${diff.toExponential(3)} (rel ${(diff / Math.abs(want)).toExponential(3)}), tol ${bound.toExponential(3)}`)
  }
}
