/**
 * The committed demo panel (pipelines/data/cluster_gie_panel.csv): shape, keys, the real
 * pilot batches, missing cells, positivity of the DEA variables, and that the committed
 * generator reproduces the file (and its answer key) byte for byte.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { readCsv } from '../../src/artifacts/csv.ts'
import { DROPPED } from '../../pipelines/data/make/cities.ts'
import { DATA_DIR, DEA_COLUMNS, ID_COLUMNS, NUMERIC_COLUMNS, makeDemoPanel } from '../../pipelines/data/make/demo-panel.ts'
import { DEFAULT_SEED, MISSING, YEARS } from '../../pipelines/data/make/params.ts'

const csvText = readFileSync(new URL('cluster_gie_panel.csv', DATA_DIR), 'utf8')
const truthText = readFileSync(new URL('cluster_gie_truth.json', DATA_DIR), 'utf8')
const frame = readCsv(csvText, { file: 'cluster_gie_panel.csv', types: { city: 'string' } }).frame
const city = frame.strings('city')
const year = frame.numbers('year')
const pilotYear = frame.numbers('pilot_year')

/** Stated range of the share of missing cells in each column of MISSING (README, "Missing values"). */
const MISSING_SHARE_RANGE = [0.01, 0.05] as const

describe('demo panel: shape and keys', () => {
  test('280 cities × 2007–2021 = 4,200 rows with unique city-year keys', () => {
    expect(frame.nrows).toBe(4200)
    const keys = new Set(city.map((c, i) => `${c}/${year[i]}`))
    expect(keys.size).toBe(4200)
    const cities = new Set(city)
    expect(cities.size).toBe(280)
    expect(new Set(year)).toEqual(new Set(YEARS))
    for (const code of Object.keys(DROPPED)) expect(cities.has(code)).toBe(false)
  })

  test('the header is exactly the documented columns, in order', () => {
    expect(frame.names).toEqual([...ID_COLUMNS, ...Object.keys(NUMERIC_COLUMNS)])
  })

  test('city codes are 6-digit strings and attributes are constant within a city', () => {
    const attrs = ['city_en', 'province', 'region', 'admin_level', 'pilot_year', 'lowcarbon_year', 'broadband_year', 'smart_year', 'lat', 'lon'] as const
    const first = new Map<string, string>()
    const rows = frame.toRows()
    rows.forEach((r) => {
      expect(r.city).toMatch(/^\d{6}$/)
      const sig = attrs.map((a) => String(r[a])).join('|')
      const seen = first.get(r.city as string)
      if (seen === undefined) first.set(r.city as string, sig)
      else expect(sig).toBe(seen)
    })
  })
})

describe('demo panel: the real pilot cities', () => {
  test('55 pilot cities in batches of 10 (2013), 19 (2014) and 26 (2017)', () => {
    const batch = new Map<string, number>()
    city.forEach((c, i) => {
      if (!Number.isNaN(pilotYear[i])) batch.set(c as string, pilotYear[i])
    })
    expect(batch.size).toBe(55)
    const sizes: Record<number, number> = {}
    for (const y of batch.values()) sizes[y] = (sizes[y] ?? 0) + 1
    expect(sizes).toEqual({ 2013: 10, 2014: 19, 2017: 26 })
    expect(batch.get('110000')).toBe(2013) // Beijing (Zhongguancun), first batch
    expect(batch.get('321200')).toBe(2017) // Taizhou, Jiangsu (see README, pilot-name decisions)
  })
})

describe('demo panel: missing cells and positivity', () => {
  test('only the documented columns have missing cells, each within the stated share', () => {
    for (const name of Object.keys(NUMERIC_COLUMNS)) {
      const x = frame.numbers(name)
      const share = x.reduce((s, v) => s + (Number.isNaN(v) ? 1 : 0), 0) / x.length
      if (name in MISSING) {
        expect(share, name).toBeGreaterThanOrEqual(MISSING_SHARE_RANGE[0])
        expect(share, name).toBeLessThanOrEqual(MISSING_SHARE_RANGE[1])
      } else expect(share, name).toBe(0)
    }
  })

  test('interior-only columns never miss the first or last year', () => {
    for (const [name, spec] of Object.entries(MISSING)) {
      if (!spec.interior) continue
      const x = frame.numbers(name)
      x.forEach((v, i) => {
        if (year[i] === YEARS[0] || year[i] === YEARS[YEARS.length - 1]) expect(Number.isNaN(v), `${name} ${city[i]}/${year[i]}`).toBe(false)
      })
    }
  })

  test('DEA inputs and outputs are strictly positive where observed', () => {
    for (const name of DEA_COLUMNS) {
      const x = frame.numbers(name)
      let min = Infinity
      for (const v of x) if (!Number.isNaN(v)) min = Math.min(min, v)
      expect(min, name).toBeGreaterThan(0)
    }
  })
})

describe('demo panel: the generator', () => {
  test('re-running the generator reproduces the committed CSV and answer key byte for byte', () => {
    const panel = makeDemoPanel(DEFAULT_SEED)
    expect(panel.csv === csvText, 'cluster_gie_panel.csv differs from the generator output; run `npx tsx pipelines/data/make/demo-panel.ts`').toBe(true)
    expect(panel.truthJson).toBe(truthText)
    const yrdCsv = readFileSync(new URL('yrd_indicators.csv', DATA_DIR), 'utf8')
    expect(panel.yrd.csv === yrdCsv, 'yrd_indicators.csv differs from the generator output').toBe(true)
    expect(panel.yrd.truthJson).toBe(readFileSync(new URL('yrd_truth.json', DATA_DIR), 'utf8'))
  })

  test('a different seed gives different data on the same skeleton', () => {
    const other = makeDemoPanel(DEFAULT_SEED + 1).csv
    expect(other).not.toBe(csvText)
    expect(other.split('\n')[0]).toBe(csvText.split('\n')[0])
    expect(other.split('\n').length).toBe(csvText.split('\n').length)
  })
})

describe('regional-integration files', () => {
  const members = readCsv(readFileSync(new URL('yrd_membership.csv', DATA_DIR), 'utf8'), {
    file: 'yrd_membership.csv', types: { city: 'string' },
  }).frame
  const indicators = readCsv(readFileSync(new URL('yrd_indicators.csv', DATA_DIR), 'utf8'), {
    file: 'yrd_indicators.csv', types: { city: 'string' },
  }).frame

  test('membership: 16 cities from the 2010 plan, 10 added by the 2016 plan, 1 by the 2019 outline', () => {
    const years = members.numbers('yrd_year')
    const docs = members.strings('document')
    const count = (y: number) => years.filter((v) => v === y).length
    expect([count(2010), count(2016), count(2019)]).toEqual([16, 10, 1])
    years.forEach((y, i) => expect(docs[i]).toBe({ 2010: 'plan2010', 2016: 'plan2016', 2019: 'outline2019' }[y]))
    expect(new Set(members.strings('city')).size).toBe(27)
  })

  test('26 of the 27 member cities are in the panel (Ma\'anshan is not), and each has its province', () => {
    const panelCities = new Set(city)
    const out = members.strings('city').filter((c) => !panelCities.has(c))
    expect(out).toEqual(['340500'])
    const province = new Map(frame.strings('city').map((c, i) => [c, frame.strings('province')[i]]))
    members.strings('city').forEach((c, i) => {
      if (panelCities.has(c)) expect(members.strings('province')[i]).toBe(province.get(c))
    })
  })

  test('indicators: one complete, positive row per panel city-year', () => {
    expect(indicators.names).toEqual(['city', 'year', 'trade', 'tech_market', 'pm25'])
    expect(indicators.nrows).toBe(frame.nrows)
    const keys = new Set(indicators.strings('city').map((c, i) => `${c}/${indicators.numbers('year')[i]}`))
    city.forEach((c, i) => expect(keys.has(`${c}/${year[i]}`)).toBe(true))
    for (const name of ['trade', 'tech_market', 'pm25']) for (const x of indicators.numbers(name)) expect(x).toBeGreaterThan(0)
  })
})
