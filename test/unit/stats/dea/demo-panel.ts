/**
 * The DEA columns of the bundled demo panel (pipelines/data/cluster_gie_panel.csv) that the
 * fixtures use: three inputs, three desirable outputs and one undesirable output without
 * missing values, so that every one of the 4,200 city-years is a DMU.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Papa from 'papaparse'

export const DEMO_PANEL = fileURLToPath(new URL('../../../../pipelines/data/cluster_gie_panel.csv', import.meta.url))

/** Columns of the demo-panel fixtures (test/fixtures/dea/make.py uses the same). */
export const DEMO_COLUMNS = {
  inputs: ['sci_exp', 'env_staff', 'electricity'],
  desirable: ['gdp', 'green_inv', 'green_uti'],
  undesirable: ['so2'],
} as const

/**
 * SHA-256 of the fixture's view of the panel: city, year and the DEA columns as the CSV
 * spells them, one line per row. make.py records the same digest, so a regenerated panel is
 * detected rather than silently compared.
 */
export function demoColumnsDigest(path = DEMO_PANEL): string {
  const text = readFileSync(path, 'utf8')
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true })
  const names = ['city', 'year', ...DEMO_COLUMNS.inputs, ...DEMO_COLUMNS.desirable, ...DEMO_COLUMNS.undesirable]
  const h = createHash('sha256')
  for (const r of parsed.data) h.update(names.map((c) => r[c] ?? '').join(',') + '\n')
  return h.digest('hex')
}
