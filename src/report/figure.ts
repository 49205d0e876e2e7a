/**
 * Figures: Vega-Lite specifications rendered to SVG in Node by Vega's headless view (no
 * browser, no canvas). Output is deterministic for the same spec and data. The house style
 * is a journal figure: white ground, black marks, grey guides, serif text.
 */
import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'

export const JOURNAL_CONFIG = {
  font: 'Times New Roman, Times, serif',
  background: 'white',
  view: { stroke: 'black', strokeWidth: 0.8 },
  axis: {
    domainColor: 'black',
    tickColor: 'black',
    labelColor: 'black',
    titleColor: 'black',
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    grid: false,
  },
  title: { fontSize: 13, fontWeight: 'normal', color: 'black' },
} as const

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile(spec).spec
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' })
  const svg = await view.toSVG()
  view.finalize()
  return svg + '\n'
}

export interface CoefPoint {
  /** Position on the x axis: the relative period (years since adoption). */
  readonly k: number
  /** Its tick text, e.g. `−3`, or `≤−5` for a binned end point. */
  readonly label: string
  readonly estimate: number
  readonly low: number
  readonly high: number
  /** The omitted reference period, drawn at zero without an interval. */
  readonly reference?: boolean
}

/**
 * The event-study coefficient plot: point estimates with their confidence intervals over
 * relative time (a numeric axis with one tick per period, labelled by `label`), a
 * horizontal line at zero, a dashed vertical line at `markAt` (the adoption period), and
 * the title above the plot.
 */
export function coefficientPlot(points: readonly CoefPoint[], opts: { title?: string; yTitle: string; xTitle: string; markAt?: number }): TopLevelSpec {
  const values = points.map((p) => ({ k: p.k, estimate: p.estimate, low: p.reference ? null : p.low, high: p.reference ? null : p.high, reference: Boolean(p.reference) }))
  const ks = points.map((p) => p.k)
  const width = Math.max(360, 40 * points.length)
  // Tick text by period: a chain of conditionals, since Vega expressions cannot read a JS map.
  const labelExpr = points.reduceRight((rest, p) => `datum.value === ${p.k} ? ${JSON.stringify(p.label)} : ${rest}`, "''")
  const x = {
    field: 'k',
    type: 'quantitative' as const,
    title: opts.xTitle,
    scale: { domain: ks.length ? [Math.min(...ks) - 0.5, Math.max(...ks) + 0.5] : [-1, 1], nice: false, zero: false },
    axis: { values: ks, labelExpr, labelAngle: 0, labelAlign: 'center' as const, labelFlush: false },
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(opts.title ? { title: { text: wrap(opts.title, Math.floor(width / (TEXT_WIDTH_EM * JOURNAL_CONFIG.title.fontSize))), anchor: 'start' as const, offset: 4 } } : {}),
    width,
    height: 260,
    config: JOURNAL_CONFIG,
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#888', strokeWidth: 0.8 }, encoding: { y: { datum: 0, type: 'quantitative' } } },
      ...(opts.markAt !== undefined
        ? [{ mark: { type: 'rule' as const, color: '#888', strokeDash: [4, 3], strokeWidth: 0.8 }, encoding: { x: { ...x, field: undefined, datum: opts.markAt } } }]
        : []),
      {
        transform: [{ filter: 'datum.low !== null' }],
        mark: { type: 'rule', color: 'black', strokeWidth: 1 },
        encoding: { x, y: { field: 'low', type: 'quantitative', title: opts.yTitle }, y2: { field: 'high' } },
      },
      {
        mark: { type: 'point', filled: true, color: 'black', size: 36 },
        encoding: {
          x,
          y: { field: 'estimate', type: 'quantitative', title: opts.yTitle },
          shape: { field: 'reference', type: 'nominal', scale: { domain: [false, true], range: ['circle', 'diamond'] }, legend: null },
        },
      },
    ],
  } as TopLevelSpec
}

/**
 * Vega without a canvas estimates a text's width as 0.8 em per character (vega-scenegraph
 * `estimateWidth`), about 1.5 × what Times draws; the figure's size follows the estimate, so
 * a title longer than the plot by that measure would widen the picture with blank space.
 */
const TEXT_WIDTH_EM = 0.8

/** Lines of at most `max` characters, broken at spaces, as even in length as that many lines allow. */
function wrap(text: string, max: number): string | string[] {
  const greedy = (limit: number): string[] => {
    const lines: string[] = []
    for (const word of text.split(/\s+/)) {
      const last = lines.length - 1
      if (last >= 0 && lines[last].length + 1 + word.length <= limit) lines[last] += ' ' + word
      else lines.push(word)
    }
    return lines
  }
  const n = greedy(max).length
  // the narrowest limit that needs no more lines, so a last line is not one orphaned word
  let limit = Math.ceil(text.length / n)
  while (greedy(limit).length > n) limit++
  const lines = greedy(limit)
  return lines.length === 1 ? lines[0] : lines
}

export interface ForestRow {
  /** Row label, e.g. a model's column label or its stage. */
  readonly label: string
  readonly estimate: number
  readonly low: number
  readonly high: number
}

/**
 * A forest plot of one coefficient across models: one row per model, top to bottom in the
 * order given, the point estimate with its confidence interval (capped whiskers) on a
 * horizontal axis, and a vertical line at zero.
 */
export function forestPlot(rows: readonly ForestRow[], opts: { title?: string; xTitle: string; yTitle?: string; labelLimit?: number }): TopLevelSpec {
  const values = rows.map((r, i) => ({ i, label: r.label, estimate: r.estimate, low: r.low, high: r.high }))
  const order = rows.map((r) => r.label)
  // Row labels longer than `labelLimit` pixels (Vega's default 180) end in an ellipsis.
  const y = { field: 'label', type: 'ordinal' as const, sort: order, title: opts.yTitle ?? null, axis: { labelPadding: 6, ticks: false, domain: false, ...(opts.labelLimit ? { labelLimit: opts.labelLimit } : {}) } }
  // One x definition for every layer, so the layers share one scale and one axis. The
  // padding keeps the zero line and the outermost whiskers off the frame; few ticks keep
  // label-overlap removal from dropping the zero label.
  const x = (field: string) => ({ field, type: 'quantitative' as const, title: opts.xTitle, scale: { zero: true, padding: 14 }, axis: { tickCount: 5 } })
  const cap = (field: string) => ({ mark: { type: 'tick' as const, color: 'black', orient: 'vertical' as const, size: 8, thickness: 1, opacity: 1 }, encoding: { y, x: x(field) } })
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(opts.title ? { title: opts.title } : {}),
    width: 360,
    height: Math.max(120, 34 * rows.length),
    config: JOURNAL_CONFIG,
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#888', strokeWidth: 0.8, strokeDash: [4, 3] }, encoding: { x: { datum: 0, type: 'quantitative' } } },
      { mark: { type: 'rule', color: 'black', strokeWidth: 1 }, encoding: { y, x: x('low'), x2: { field: 'high' } } },
      cap('low'),
      cap('high'),
      { mark: { type: 'point', filled: true, color: 'black', opacity: 1, size: 40 }, encoding: { y, x: x('estimate') } },
    ],
  } as TopLevelSpec
}

export interface TrendPoint {
  /** The series (e.g. "All cities", "east"); legend entries follow the order of `series`. */
  readonly series: string
  readonly time: number
  readonly value: number
  /** The band around the value (NaN for none at this point). */
  readonly low: number
  readonly high: number
}

/** Line dashes of successive series: solid, dashed, dotted, dash-dot, long dash, … */
const DASHES = [[1, 0], [6, 3], [1.5, 2.5], [7, 3, 1.5, 3], [12, 4], [3, 2], [9, 2, 2, 2, 2, 2]]
/** Greys of successive series, dark to light; the first (overall) series is black. */
const GREYS = ['#000000', '#3d3d3d', '#6b6b6b', '#8f8f8f', '#b0b0b0', '#555555', '#7a7a7a']
/** Marker shapes of successive series. */
const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down', 'circle']

/**
 * The evolution of a statistic over time, one line per series (overall, then each group),
 * each with a translucent band (± SD or the interquartile range), as papers draw the temporal
 * evolution of efficiency scores. Series are told apart by dash, grey and marker shape, so the
 * figure survives black-and-white printing; one tick per period when there are at most 20.
 */
export function trendPlot(points: readonly TrendPoint[], opts: { series: readonly string[]; title: string; subtitle?: string; yTitle: string; xTitle: string; legendTitle?: string | null }): TopLevelSpec {
  // `band` and `marker` repeat `series` under other names: a channel with `legend: null` on the
  // same field as the legend's channels would remove the merged legend (Vega-Lite 6).
  const values = points.map((p) => ({ series: p.series, band: p.series, marker: p.series, time: p.time, value: p.value, low: Number.isFinite(p.low) ? p.low : null, high: Number.isFinite(p.high) ? p.high : null }))
  const times = [...new Set(points.map((p) => p.time))].sort((a, b) => a - b)
  const width = Math.max(380, Math.min(640, 34 * times.length))
  const cycle = <T>(xs: readonly T[]) => opts.series.map((_, i) => xs[i % xs.length])
  const x = {
    field: 'time', type: 'quantitative' as const, title: opts.xTitle,
    scale: { domain: times.length ? [times[0], times[times.length - 1]] : [0, 1], nice: false, zero: false },
    axis: { format: 'd', ...(times.length <= 20 ? { values: times } : { tickCount: 10 }), labelFlush: false },
  }
  const color = { field: 'series', type: 'nominal' as const, sort: [...opts.series], scale: { domain: [...opts.series], range: cycle(GREYS) }, title: opts.legendTitle ?? null }
  const many = opts.series.length > 1
  const legend = many ? {} : { legend: null }
  const dash = { field: 'series', type: 'nominal' as const, sort: [...opts.series], scale: { domain: [...opts.series], range: cycle(DASHES) }, title: opts.legendTitle ?? null, ...legend }
  const shape = { field: 'marker', type: 'nominal' as const, sort: [...opts.series], scale: { domain: [...opts.series], range: cycle(SHAPES) }, legend: null }
  const titleSize = JOURNAL_CONFIG.title.fontSize
  // A y title longer than the plot is tall (by Vega's estimate) would push the plot down: wrap it.
  const height = 280
  const yTitle = wrap(opts.yTitle, Math.floor(height / (TEXT_WIDTH_EM * JOURNAL_CONFIG.axis.titleFontSize)))
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: wrap(opts.title, Math.floor(width / (TEXT_WIDTH_EM * titleSize))), anchor: 'start', offset: 6, ...(opts.subtitle ? { subtitle: opts.subtitle, subtitleFontSize: 11, subtitleColor: '#333' } : {}) },
    width,
    height,
    config: { ...JOURNAL_CONFIG, legend: { orient: 'bottom', direction: 'horizontal', labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', symbolStrokeWidth: 1.5, symbolSize: 500, symbolType: 'stroke', labelColor: 'black' } },
    data: { values },
    layer: [
      {
        transform: [{ filter: 'datum.low !== null && datum.high !== null' }],
        mark: { type: 'area', opacity: many ? 0.1 : 0.18, interpolate: 'linear' },
        // `fill`, not `color`: a scale of its own (the same greys) without a legend, so the one
        // legend shows each line's grey and dash.
        encoding: { x, y: { field: 'low', type: 'quantitative', title: yTitle }, y2: { field: 'high' }, fill: { ...color, field: 'band', legend: null } },
      },
      {
        mark: { type: 'line', strokeWidth: 1.5, interpolate: 'linear', point: { filled: true, size: 30, opacity: 1 } },
        encoding: { x, y: { field: 'value', type: 'quantitative', title: yTitle }, color: { ...color, ...legend }, strokeDash: dash, shape },
      },
    ],
  } as TopLevelSpec
}

/**
 * The placebo density figure: the kernel density of placebo estimates (a line) with the
 * actual estimate as a dashed vertical line, as placebo tests in the literature draw it.
 */
export function placeboDensityPlot(density: { x: Float64Array; y: Float64Array }, actual: number, opts: { title?: string; xTitle: string }): TopLevelSpec {
  const values = Array.from(density.x, (x, k) => ({ x, y: density.y[k] }))
  const x = { field: 'x', type: 'quantitative' as const, title: opts.xTitle, scale: { zero: false, nice: false }, axis: { tickCount: 6 } }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(opts.title ? { title: opts.title } : {}),
    width: 400,
    height: 260,
    config: JOURNAL_CONFIG,
    layer: [
      { data: { values }, mark: { type: 'line', color: 'black', strokeWidth: 1.2 }, encoding: { x, y: { field: 'y', type: 'quantitative', title: 'Density' } } },
      // A layer of its own needs a datum to draw from: without `data` a rule of a layered spec with per-layer data draws nothing.
      { data: { values: [{}] }, mark: { type: 'rule', color: 'black', strokeWidth: 1, strokeDash: [5, 4] }, encoding: { x: { datum: actual, type: 'quantitative' } } },
    ],
  } as TopLevelSpec
}

/**
 * The placebo scatter: each draw's estimate (x) against its p-value (y), the actual
 * estimate as a vertical line and p = 0.1 as a dashed horizontal line.
 */
export function placeboScatterPlot(points: readonly { estimate: number; p: number }[], actual: number, opts: { title?: string; xTitle: string; pLine?: number }): TopLevelSpec {
  const values = points.filter((d) => Number.isFinite(d.estimate) && Number.isFinite(d.p))
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(opts.title ? { title: opts.title } : {}),
    width: 400,
    height: 260,
    config: JOURNAL_CONFIG,
    layer: [
      {
        data: { values },
        mark: { type: 'point', shape: 'circle', color: 'black', size: 14, opacity: 0.6 },
        encoding: {
          x: { field: 'estimate', type: 'quantitative', title: opts.xTitle, scale: { zero: false } },
          y: { field: 'p', type: 'quantitative', title: 'p-value', scale: { domain: [0, 1] } },
        },
      },
      { data: { values: [{}] }, mark: { type: 'rule', color: 'black', strokeWidth: 1 }, encoding: { x: { datum: actual, type: 'quantitative' } } },
      { data: { values: [{}] }, mark: { type: 'rule', color: '#555', strokeWidth: 0.8, strokeDash: [4, 3] }, encoding: { y: { datum: opts.pLine ?? 0.1, type: 'quantitative' } } },
    ],
  } as TopLevelSpec
}

/**
 * The Goodman-Bacon scatter: each 2×2 comparison's weight (x) and estimate (y), shape and
 * grey level by comparison type, and the TWFE coefficient (their weighted sum) as a
 * horizontal line, as in Goodman-Bacon (2021), figure 6.
 */
export function baconScatterPlot(points: readonly { weight: number; estimate: number; type: string }[], twfe: number, opts: { title?: string; types: readonly string[]; yTitle?: string }): TopLevelSpec {
  const values = points.filter((d) => Number.isFinite(d.estimate) && Number.isFinite(d.weight))
  const domain = opts.types.filter((t) => values.some((d) => d.type === t))
  const shapes = ['circle', 'triangle-up', 'square', 'diamond']
  const greys = ['#000000', '#555555', '#888888', '#bbbbbb']
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(opts.title ? { title: opts.title } : {}),
    width: 400,
    height: 260,
    config: JOURNAL_CONFIG,
    layer: [
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 40, opacity: 0.85 },
        encoding: {
          x: { field: 'weight', type: 'quantitative', title: 'Weight', scale: { zero: true } },
          y: { field: 'estimate', type: 'quantitative', title: opts.yTitle ?? '2×2 DD estimate', scale: { zero: false } },
          shape: { field: 'type', type: 'nominal', title: null, scale: { domain, range: shapes.slice(0, domain.length) }, legend: { orient: 'bottom', columns: 2, labelLimit: 220 } },
          color: { field: 'type', type: 'nominal', title: null, scale: { domain, range: greys.slice(0, domain.length) }, legend: { orient: 'bottom', columns: 2, labelLimit: 220 } },
        },
      },
      { data: { values: [{}] }, mark: { type: 'rule', color: 'black', strokeWidth: 1, strokeDash: [5, 4] }, encoding: { y: { datum: twfe, type: 'quantitative' } } },
    ],
  } as TopLevelSpec
}

export interface MarginalPoint {
  readonly x: number
  readonly effect: number
  readonly low: number
  readonly high: number
}

/**
 * The marginal effect of a treatment over a continuous moderator: the effect as a line, its
 * confidence band shaded, and a horizontal line at zero.
 */
export function marginalEffectPlot(points: readonly MarginalPoint[], opts: { title?: string; xTitle: string; yTitle: string }): TopLevelSpec {
  const x = { field: 'x', type: 'quantitative' as const, title: opts.xTitle, scale: { zero: false, nice: false } }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(opts.title ? { title: opts.title } : {}),
    width: 360,
    height: 260,
    config: JOURNAL_CONFIG,
    data: { values: points.map((p) => ({ ...p })) },
    layer: [
      { mark: { type: 'area', color: '#bbb', opacity: 0.5 }, encoding: { x, y: { field: 'low', type: 'quantitative', title: opts.yTitle }, y2: { field: 'high' } } },
      { mark: { type: 'rule', color: '#888', strokeWidth: 0.8, strokeDash: [4, 3] }, encoding: { y: { datum: 0, type: 'quantitative' } } },
      { mark: { type: 'line', color: 'black', strokeWidth: 1.5 }, encoding: { x, y: { field: 'effect', type: 'quantitative', title: opts.yTitle } } },
    ],
  } as TopLevelSpec
}

/**
 * The balance dot plot of propensity-score matching: per covariate (one row each, in the
 * given order) the standardized %bias before (hollow circle) and after matching (filled
 * circle), with a line at zero.
 */
export function balanceDotPlot(rows: readonly { covariate: string; before: number; after: number }[], opts: { title?: string; xTitle?: string }): TopLevelSpec {
  const values = rows.flatMap((r) => [
    { covariate: r.covariate, sample: 'Unmatched', bias: r.before },
    { covariate: r.covariate, sample: 'Matched', bias: r.after },
  ]).filter((v) => Number.isFinite(v.bias))
  const order = rows.map((r) => r.covariate)
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(opts.title ? { title: opts.title } : {}),
    width: 400,
    height: Math.max(120, 22 * rows.length),
    config: JOURNAL_CONFIG,
    layer: [
      { data: { values: [{}] }, mark: { type: 'rule', color: '#555', strokeWidth: 0.8 }, encoding: { x: { datum: 0, type: 'quantitative' } } },
      {
        data: { values },
        mark: { type: 'point', size: 45, color: 'black', strokeWidth: 1.2 },
        encoding: {
          x: { field: 'bias', type: 'quantitative', title: opts.xTitle ?? 'Standardized % bias across covariates' },
          y: { field: 'covariate', type: 'nominal', title: null, sort: order },
          shape: { field: 'sample', type: 'nominal', title: null, sort: ['Unmatched', 'Matched'], scale: { range: ['circle', 'circle'] } },
          fill: { field: 'sample', type: 'nominal', title: null, sort: ['Unmatched', 'Matched'], scale: { range: ['white', 'black'] } },
        },
      },
    ],
  } as TopLevelSpec
}

/**
 * The propensity-score densities of treated and control rows, before and after matching
 * (two panels side by side; after matching the controls are weighted by their match weights).
 */
export function pscoreDensityPlot(curves: readonly { sample: string; group: string; x: Float64Array; y: Float64Array }[], opts: { title?: string; xTitle?: string }): TopLevelSpec {
  const values = curves.flatMap((c) => Array.from(c.x, (x, k) => ({ sample: c.sample, group: c.group, x, y: c.y[k] })))
  const samples = [...new Set(curves.map((c) => c.sample))]
  const groups = [...new Set(curves.map((c) => c.group))]
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(opts.title ? { title: opts.title } : {}),
    config: JOURNAL_CONFIG,
    data: { values },
    facet: { column: { field: 'sample', type: 'nominal', title: null, sort: samples } },
    spec: {
      width: 260,
      height: 200,
      mark: { type: 'line', color: 'black', strokeWidth: 1.2 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: opts.xTitle ?? 'Propensity score', scale: { domain: [0, 1] } },
        y: { field: 'y', type: 'quantitative', title: 'Density' },
        strokeDash: { field: 'group', type: 'nominal', title: null, sort: groups, scale: { range: [[1, 0], [5, 4]] } },
      },
    },
  } as TopLevelSpec
}

/**
 * An information criterion over a parameter grid (the mixing weight a of a composite spatial
 * weights matrix): AIC and BIC as two lines with points (solid and dashed), the chosen value
 * marked by a dotted vertical rule.
 */
export function criterionPlot(rows: readonly { a: number; aic: number; bic: number }[], chosen: number, opts: { title?: string; xTitle: string }): TopLevelSpec {
  const values = rows.flatMap((r) => [{ a: r.a, criterion: 'AIC', value: r.aic }, { a: r.a, criterion: 'BIC', value: r.bic }])
  const x = { field: 'a', type: 'quantitative' as const, title: opts.xTitle, scale: { zero: false, nice: false } }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(opts.title ? { title: { text: opts.title, anchor: 'start' as const, offset: 6 } } : {}),
    width: 380,
    height: 260,
    config: { ...JOURNAL_CONFIG, legend: { orient: 'bottom', direction: 'horizontal', labelFontSize: 11, symbolType: 'stroke', labelColor: 'black' } },
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#888', strokeDash: [1.5, 2.5], strokeWidth: 0.8 }, encoding: { x: { ...x, field: undefined, datum: chosen } } },
      {
        mark: { type: 'line', strokeWidth: 1.5, color: 'black', point: { filled: true, size: 30, color: 'black' } },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title: 'Information criterion', scale: { zero: false } },
          strokeDash: { field: 'criterion', type: 'nominal', sort: ['AIC', 'BIC'], scale: { domain: ['AIC', 'BIC'], range: [[1, 0], [6, 3]] }, title: null },
        },
      },
    ],
  } as TopLevelSpec
}

export interface OverlaySeries {
  /** The estimator's legend label; legend entries follow the order of the series. */
  readonly label: string
  /** Event time k, the estimate, its interval; a reference period is drawn at 0 without an interval. */
  readonly points: readonly { readonly k: number; readonly estimate: number; readonly low: number; readonly high: number; readonly reference: boolean }[]
}

/**
 * Several event studies on one axis (event-compare): at each event time the estimators sit
 * side by side, `offset` periods apart and centred on k, each a marker with its interval;
 * estimators are told apart by marker shape and grey, so the figure survives black-and-white
 * printing. Reference periods (normalised to zero) are hollow markers without an interval.
 */
export function eventOverlayPlot(series: readonly OverlaySeries[], opts: { title?: string; xTitle: string; yTitle: string; offset: number; markAt?: number }): TopLevelSpec {
  const labels = series.map((s) => s.label)
  const m = series.length
  const values = series.flatMap((s, j) => s.points.map((p) => ({
    series: s.label, x: p.k + opts.offset * (j - (m - 1) / 2), k: p.k, estimate: p.estimate,
    low: p.reference || !Number.isFinite(p.low) ? null : p.low, high: p.reference || !Number.isFinite(p.high) ? null : p.high, reference: p.reference,
  })))
  const ks = [...new Set(series.flatMap((s) => s.points.map((p) => p.k)))].sort((a, b) => a - b)
  const width = Math.max(420, Math.min(720, (36 + 10 * m) * ks.length))
  const cycle = <T>(xs: readonly T[]) => labels.map((_, i) => xs[i % xs.length])
  const pad = 0.5 + opts.offset * (m - 1) / 2
  const labelExpr = ks.reduceRight((rest, k) => `datum.value === ${k} ? ${JSON.stringify(k < 0 ? `\u2212${-k}` : String(k))} : ${rest}`, "''")
  const x = {
    field: 'x', type: 'quantitative' as const, title: opts.xTitle,
    scale: { domain: ks.length ? [ks[0] - pad, ks[ks.length - 1] + pad] : [-1, 1], nice: false, zero: false },
    axis: { values: ks, labelExpr, labelAngle: 0, labelAlign: 'center' as const, labelFlush: false, grid: false },
  }
  const color = { field: 'series', type: 'nominal' as const, sort: labels, scale: { domain: labels, range: cycle(GREYS) }, title: null }
  const shape = { field: 'series', type: 'nominal' as const, sort: labels, scale: { domain: labels, range: cycle(SHAPES) }, title: null }
  const height = 300
  const yTitle = wrap(opts.yTitle, Math.floor(height / (TEXT_WIDTH_EM * JOURNAL_CONFIG.axis.titleFontSize)))
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(opts.title ? { title: { text: wrap(opts.title, Math.floor(width / (TEXT_WIDTH_EM * JOURNAL_CONFIG.title.fontSize))), anchor: 'start' as const, offset: 6 } } : {}),
    width,
    height,
    // more than two estimators: two legend columns, so the legend is not wider than the plot
    config: { ...JOURNAL_CONFIG, legend: { orient: 'bottom', direction: 'horizontal', columns: m > 2 ? 2 : m, labelFontSize: 11, titleFontSize: 11, symbolSize: 60, labelColor: 'black', labelLimit: 320 } },
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#888', strokeWidth: 0.8 }, encoding: { y: { datum: 0, type: 'quantitative' } } },
      ...(opts.markAt !== undefined
        ? [{ mark: { type: 'rule' as const, color: '#888', strokeDash: [4, 3], strokeWidth: 0.8 }, encoding: { x: { ...x, field: undefined, datum: opts.markAt - 0.5 } } }]
        : []),
      {
        transform: [{ filter: 'datum.low !== null && datum.high !== null' }],
        mark: { type: 'rule', strokeWidth: 1.2 },
        // every layer encodes `series` alike and none says `legend: null`: they share one scale, and
        // one layer's `legend: null` would remove the merged legend (Vega-Lite 6)
        encoding: { x, y: { field: 'low', type: 'quantitative', title: yTitle }, y2: { field: 'high' }, color },
      },
      {
        transform: [{ filter: '!datum.reference' }],
        mark: { type: 'point', filled: true, size: 40, opacity: 1 },
        encoding: { x, y: { field: 'estimate', type: 'quantitative', title: yTitle }, color, shape },
      },
      {
        transform: [{ filter: 'datum.reference' }],
        mark: { type: 'point', filled: false, size: 40, strokeWidth: 1.5, opacity: 1 },
        encoding: { x, y: { field: 'estimate', type: 'quantitative', title: yTitle }, color, shape },
      },
    ],
  } as TopLevelSpec
}
