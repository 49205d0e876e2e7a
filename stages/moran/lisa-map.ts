/**
 * The LISA cluster map: each unit drawn at its coordinates (longitude across, latitude up),
 * coloured by its cluster (HH, LL, HL, LH at the chosen significance level, grey otherwise),
 * in the house style of src/report/figure.ts. No boundaries: the units are points.
 */
import type { TopLevelSpec } from 'vega-lite'
import { JOURNAL_CONFIG } from '../../src/report/figure.ts'

export const CLUSTERS = ['HH', 'LL', 'HL', 'LH', 'not significant'] as const
export type Cluster = (typeof CLUSTERS)[number]

/** Red for hot spots, blue for cold spots, their light shades for the outliers (GeoDa's colours). */
const COLOURS = ['#d7191c', '#2c7bb6', '#fdae61', '#abd9e9', '#d9d9d9']

export function lisaMap(points: readonly { unit: string; lat: number; lon: number; cluster: Cluster }[], opts: { title?: string }): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(opts.title ? { title: opts.title } : {}),
    width: 420,
    height: 360,
    config: JOURNAL_CONFIG,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'point', shape: 'circle', filled: true, size: 40, stroke: 'black', strokeWidth: 0.3, opacity: 1 },
    encoding: {
      x: { field: 'lon', type: 'quantitative', title: 'Longitude', scale: { zero: false } },
      y: { field: 'lat', type: 'quantitative', title: 'Latitude', scale: { zero: false } },
      color: { field: 'cluster', type: 'nominal', title: 'LISA cluster', scale: { domain: [...CLUSTERS], range: COLOURS } },
      // Draw the significant units last, on top of the grey ones.
      order: { field: 'rank', type: 'quantitative' },
    },
    transform: [{ calculate: "datum.cluster === 'not significant' ? 0 : 1", as: 'rank' }],
  } as TopLevelSpec
}
