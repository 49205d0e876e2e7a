/**
 * The bundled demo panel (pipelines/data/cluster_gie_panel.csv) as a Frame, and the DEA
 * columns the fixtures use: three inputs, three desirable outputs and one undesirable
 * output without missing values, so that every one of the 4,200 city-years is a DMU.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Papa from 'papaparse'
import { Frame } from '../../../../src/artifacts/frame.ts'

export const DEMO_PANEL = fileURLToPath(new URL('../../../../pipelines/data/cluster_gie_panel.csv', import.meta.url))

/** Columns of the demo-panel fixtures (test/fixtures/dea/make.py uses the same). */
export const DEMO_COLUMNS = {
  inputs: ['sci_exp', 'env_staff', 'electricity'],
  desirable: ['gdp', 'green_inv', 'green_uti'],
  undesirable: ['so2'],
} as const

const TEXT = new Set(['city', 'city_en', 'city_zh', 'province', 'region', 'admin_level', 'resource_type'])

export function loadDemoPanel(path = DEMO_PANEL): Frame {
  const text = readFileSync(path, 'utf8')
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true })
  const cols: Record<string, Float64Array | (string | null)[]> = {}
  for (const f of parsed.meta.fields ?? []) {
    const raw = parsed.data.map((r) => r[f] ?? '')
    cols[f] = TEXT.has(f) ? raw.map((v) => (v === '' ? null : v)) : Float64Array.from(raw, (v) => (v === '' ? NaN : Number(v)))
  }
  return Frame.from(cols)
}

/**
 * SHA-256 of the fixture's view of the panel: city, year and the DEA columns as the CSV
 * spells them. The fixtures record it, so a regenerated panel is detected, not silently compared.
 */
export function demoColumnsDigest(path = DEMO_PANEL): string {
  const text = readFileSync(path, 'utf8')
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true })
  const names = ['city', 'year', ...DEMO_COLUMNS.inputs, ...DEMO_COLUMNS.desirable, ...DEMO_COLUMNS.undesirable]
  const h = createHash('sha256')
  for (const r of parsed.data) h.update(names.map((c) => r[c] ?? '').join(',') + '\n')
  return h.digest('hex')
}
