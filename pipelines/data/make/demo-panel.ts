/**
 * Generator of the bundled demo panel pipelines/data/cluster_gie_panel.csv (280 cities ×
 * 2007–2021) and of its answer key cluster_gie_truth.json, and of the regional-integration
 * files yrd_indicators.csv and yrd_truth.json (yrd.ts). Real city facts (cities.csv,
 * resource_based_cities_2013.csv, yrd_membership.csv) + a seeded synthetic DGP (dgp.ts;
 * documented in ../README.md). Deterministic: the same seed gives byte-identical files.
 *
 *   npx tsx pipelines/data/make/demo-panel.ts [--seed 2025]
 */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Rng } from '../../../src/stats/rng.ts'
import { panelCities, readCities, type City } from './cities.ts'
import { generateWorld, type World } from './dgp.ts'
import { missingMask, type MissingColumn } from './missing.ts'
import { DEFAULT_SEED, MISSING, YEARS } from './params.ts'
import { computeTruth, type Truth } from './truth.ts'
import { inverseDistanceWeights } from './weights.ts'
import { generateYrd, readMembership, renderYrdCsv } from './yrd.ts'
import { computeYrdTruth, type YrdTruth } from './yrd-truth.ts'

/** Folder of the data files (pipelines/data/). */
export const DATA_DIR = new URL('../', import.meta.url)

/** Economic columns in file order, with the number of decimals written. */
export const NUMERIC_COLUMNS = {
  pop: 2, area: 0, gdp: 2, gdp_pc: 0,
  edu_exp: 4, sci_exp: 4, env_exp: 4, rd_staff: 4, env_staff: 4, water: 1, electricity: 0, lpg: 0,
  green_area: 0, green_inv: 0, green_uti: 0,
  so2: 0, wastewater: 1, dust: 0,
  fin: 4, urban: 2, gov: 4, industry: 2,
  energy_int: 4, isu: 3, innov: 3, digital: 2, entre: 2, talent: 2, sci_share: 3,
  energy: 2, env_attention: 3,
} as const satisfies Record<string, number>

/** Key and attribute columns, in file order, before the numeric ones. */
export const ID_COLUMNS = [
  'city', 'year', 'city_en', 'city_zh', 'province', 'region', 'admin_level', 'resource_based', 'resource_type',
  'lat', 'lon', 'pilot_year', 'lowcarbon_year', 'broadband_year', 'smart_year',
] as const

/** DEA inputs and outputs: strictly positive wherever observed. */
export const DEA_COLUMNS = [
  'edu_exp', 'sci_exp', 'env_exp', 'rd_staff', 'env_staff', 'water', 'electricity', 'lpg',
  'gdp_pc', 'green_area', 'green_inv', 'green_uti', 'so2', 'wastewater', 'dust',
] as const

export interface DemoPanel {
  /** The CSV text (UTF-8, `\n` line ends, final newline). */
  csv: string
  /** The answer key, serialised with 2-space indentation and a final newline. */
  truthJson: string
  truth: Truth
  /** yrd_indicators.csv and yrd_truth.json (the regional-integration study). */
  yrd: { csv: string; truthJson: string; truth: YrdTruth }
}

function text(s: string): string {
  if (/[",\n\r]/.test(s)) throw new Error(`demo panel: cell needs quoting: ${s}`)
  return s
}

/** The CSV text of a generated world with the cells in `mask` blanked. */
export function renderCsv(cities: readonly City[], world: World, mask: Record<MissingColumn, Uint8Array>): string {
  const T = YEARS.length
  const lines: string[] = [[...ID_COLUMNS, ...Object.keys(NUMERIC_COLUMNS)].join(',')]
  const year = (y: number | null) => (y === null ? '' : String(y))
  cities.forEach((c, i) => {
    const ids = [
      c.code, '', c.en, c.zh, c.province, c.region, c.admin, String(c.resource), c.resourceType ?? '',
      c.lat.toFixed(5), c.lon.toFixed(5), year(c.pilotYear),
      year(world.adoption.lowcarbon[i]), year(world.adoption.broadband[i]), year(world.adoption.smart[i]),
    ].map(text)
    for (let t = 0; t < T; t++) {
      const r = i * T + t
      ids[1] = String(YEARS[t])
      const cells = Object.entries(NUMERIC_COLUMNS).map(([name, digits]) => {
        if (name in MISSING && mask[name as MissingColumn][r] === 1) return ''
        const x = world.columns[name][r]
        if (!Number.isFinite(x)) throw new Error(`demo panel: ${name} is ${x} at ${c.code}/${YEARS[t]}`)
        return x.toFixed(digits)
      })
      lines.push([...ids, ...cells].join(','))
    }
  })
  return lines.join('\n') + '\n'
}

/** Build the demo panel and its answer key for a seed (pure apart from reading the two fact files). */
export function makeDemoPanel(seed: number = DEFAULT_SEED): DemoPanel {
  const cities = panelCities(readCities(DATA_DIR))
  const w = inverseDistanceWeights(cities)
  const actual = generateWorld(cities, w, seed, { own: true, spill: true })
  const noOwn = generateWorld(cities, w, seed, { own: false, spill: true })
  const none = generateWorld(cities, w, seed, { own: false, spill: false })
  const mask = missingMask(cities, new Rng(['quasi', 'demo-panel', seed, 'missing']))
  const csv = renderCsv(cities, actual, mask)
  const truth = computeTruth(seed, cities, { actual, noOwn, none }, mask)
  // The YRD indicators come from their own random stream: the panel above is unchanged by them.
  const membership = readMembership(DATA_DIR)
  const yrd = (panel: World, on: { yrd: boolean; pilot: boolean; synergy: boolean }) =>
    ({ panel, yrd: generateYrd(cities, panel.latent, membership, seed, on) })
  const worlds = {
    actual: yrd(actual, { yrd: true, pilot: true, synergy: true }),
    noYrd: yrd(actual, { yrd: false, pilot: true, synergy: false }),
    noPilot: yrd(noOwn, { yrd: true, pilot: false, synergy: false }),
    neither: yrd(noOwn, { yrd: false, pilot: false, synergy: false }),
  }
  const yrdTruth = computeYrdTruth(seed, cities, membership, worlds)
  return {
    csv, truth, truthJson: JSON.stringify(truth, null, 2) + '\n',
    yrd: { csv: renderYrdCsv(cities, worlds.actual.yrd), truth: yrdTruth, truthJson: JSON.stringify(yrdTruth, null, 2) + '\n' },
  }
}

function main(argv: readonly string[]): void {
  const k = argv.indexOf('--seed')
  const seed = k >= 0 ? Number(argv[k + 1]) : DEFAULT_SEED
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be an integer, got ${argv[k + 1]}`)
  const panel = makeDemoPanel(seed)
  writeFileSync(new URL('cluster_gie_panel.csv', DATA_DIR), panel.csv)
  writeFileSync(new URL('cluster_gie_truth.json', DATA_DIR), panel.truthJson)
  writeFileSync(new URL('yrd_indicators.csv', DATA_DIR), panel.yrd.csv)
  writeFileSync(new URL('yrd_truth.json', DATA_DIR), panel.yrd.truthJson)
  const rows = panel.csv.split('\n').length - 2
  process.stdout.write(`wrote cluster_gie_panel.csv (${rows} rows), cluster_gie_truth.json, yrd_indicators.csv and yrd_truth.json, seed ${seed}\n`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) main(process.argv.slice(2))
