/**
 * The 280 cities of the demo panel: the 297 rows of `cities.csv` (real facts; sources in
 * ../README.md) less the 17 in `DROPPED`, each with its reason. All 55 pilot cities stay.
 */
import { readFileSync } from 'node:fs'
import Papa from 'papaparse'

export type Region = 'east' | 'central' | 'west'
export type AdminLevel = 'municipality' | 'sub_provincial' | 'provincial_capital' | 'prefecture'

export interface City {
  /** 6-digit administrative division code: the panel's unit key. */
  readonly code: string
  readonly en: string
  readonly zh: string
  readonly province: string
  readonly lat: number
  readonly lon: number
  readonly region: Region
  readonly admin: AdminLevel
  readonly resource: 0 | 1
  /** Type in the 2013 resource-city plan (growing, mature, declining, regenerating); null if not listed. */
  readonly resourceType: string | null
  /** Batch year of the innovative industrial cluster pilot (2013, 2014, 2017); null if never treated. */
  readonly pilotYear: number | null
}

/**
 * The 17 rows of cities.csv left out of the panel, by code. Groups:
 * (a) not a prefecture-level city for the whole of 2007–2021 (a 地区 before the year named);
 * (b) founded or upgraded late and usually absent from the yearbook;
 * (c) the rest of Tibet and Xinjiang, which city-panel studies commonly leave out for their
 *     incomplete yearbook series; with (a) taking 5 of 6 Tibetan and 2 of 4 Xinjiang cities,
 *     the panel drops both regions whole rather than keep three isolated cities;
 * (d) non-pilot cities whose territory changed by a prefecture-level transfer during the
 *     period (pilots with such changes are kept: Hefei and Wuhu 2011, Chengdu 2016, Jinan 2019).
 */
export const DROPPED: Readonly<Record<string, string>> = {
  '520500': 'a: Bijie, prefecture (地区) until 2011',
  '520600': 'a: Tongren, prefecture (地区) until 2011',
  '630200': 'a: Haidong, prefecture (地区) until 2013',
  '540200': 'a: Rikaze (Shigatse), prefecture (地区) until 2014',
  '540300': 'a: Changdu (Qamdo), prefecture (地区) until 2014',
  '540400': 'a: Linzhi (Nyingchi), prefecture (地区) until 2015',
  '540500': 'a: Shannan, prefecture (地区) until 2016',
  '540600': 'a: Naqu (Nagqu), prefecture (地区) until 2017',
  '650400': 'a: Tulufan (Turpan), prefecture (地区) until 2015',
  '650500': 'a: Hami, prefecture (地区) until 2016',
  '460300': 'b: Sansha, founded 2012, no yearbook series',
  '460400': 'b: Danzhou, county-level until 2015, usually no yearbook series',
  '540100': 'c: Lasa (Lhasa), rest of Tibet',
  '650100': 'c: Wulumuqi (Urumqi), rest of Xinjiang',
  '650200': 'c: Kelamayi (Karamay), rest of Xinjiang',
  '340500': "d: Ma'anshan, gained Hanshan and He counties from the dissolved Chaohu city in 2011",
  '512000': 'd: Ziyang, lost Jianyang city to Chengdu in 2016',
}

const REGIONS: readonly Region[] = ['east', 'central', 'west']
const LEVELS: readonly AdminLevel[] = ['municipality', 'sub_provincial', 'provincial_capital', 'prefecture']

export function parse(text: string, file: string): Record<string, string>[] {
  const out = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: 'greedy' })
  if (out.errors.length > 0) throw new Error(`${file}: ${out.errors[0].message} (row ${out.errors[0].row})`)
  return out.data
}

/** All 297 rows of cities.csv joined with the resource-city types, in file order (by code). */
export function readCities(dataDir: URL): City[] {
  const types = new Map<string, string>()
  for (const r of parse(readFileSync(new URL('resource_based_cities_2013.csv', dataDir), 'utf8'), 'resource_based_cities_2013.csv')) {
    if (r.in_panel === '1') types.set(r.city_code, r.type_en)
  }
  return parse(readFileSync(new URL('cities.csv', dataDir), 'utf8'), 'cities.csv').map((r) => {
    const region = r.region as Region
    const admin = r.admin_level as AdminLevel
    if (!REGIONS.includes(region)) throw new Error(`cities.csv: ${r.city_code}: unknown region "${r.region}"`)
    if (!LEVELS.includes(admin)) throw new Error(`cities.csv: ${r.city_code}: unknown admin_level "${r.admin_level}"`)
    const resource = r.resource_based === '1' ? 1 : 0
    if (resource === 1 && !types.has(r.city_code)) throw new Error(`cities.csv: ${r.city_code}: resource city without a type`)
    return {
      code: r.city_code,
      en: r.city_en,
      zh: r.city_zh,
      province: r.province_en,
      lat: Number(r.lat),
      lon: Number(r.lon),
      region,
      admin,
      resource,
      resourceType: resource === 1 ? (types.get(r.city_code) ?? null) : null,
      pilotYear: r.pilot_year === '' ? null : Number(r.pilot_year),
    }
  })
}

/** The panel's cities: every row not in DROPPED, sorted by code. */
export function panelCities(all: readonly City[]): City[] {
  for (const code of Object.keys(DROPPED)) {
    const c = all.find((x) => x.code === code)
    if (!c) throw new Error(`DROPPED names ${code}, which is not in cities.csv`)
    if (c.pilotYear !== null) throw new Error(`DROPPED names pilot city ${code}`)
  }
  return all.filter((c) => !(c.code in DROPPED)).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
}
