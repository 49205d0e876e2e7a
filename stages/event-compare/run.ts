/** The event-compare stage's work, loaded on demand by stage.ts (see docs/methods.md, "event-compare"). */
import { Frame } from '../../src/artifacts/frame.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import { QuasiError } from '../../src/errors.ts'
import { eventOverlayPlot, renderSvg } from '../../src/report/figure.ts'
import { gridFiles, type GridTable } from '../../src/report/grid.ts'
import { fixed } from '../../src/report/table.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { DEFAULT_OFFSET, DEFAULT_TITLE, type EventCompareParams } from './params.ts'

/** The estimator's name by stage kind, as the legend says it. */
const KIND_LABELS: Record<string, string> = {
  'event-study': 'TWFE event study',
  'cs-did': 'Callaway and Sant\'Anna (2021)',
  'sa-event-study': 'Sun and Abraham (2021)',
  imputation: 'Borusyak, Jaravel and Spiess (2024)',
  'policy-mix': 'Joint exposure (policy mix)',
}

interface Period {
  readonly k: number
  readonly estimate: number
  readonly stdError: number
  readonly low: number
  readonly high: number
  readonly reference: boolean
}

interface Series {
  readonly stage: string
  readonly kind: string
  readonly label: string
  readonly level: number
  readonly band: string
  readonly periods: readonly Period[]
  readonly outcome?: string
}

export async function runEventCompare(ctx: StageContext<EventCompareParams>): Promise<StageResult> {
  const p = ctx.params
  const kinds = p.stages.map((s) => ctx.input(s).kind)
  const series = p.stages.map((stage, i) => readSeries(ctx, stage, i, label(p, stage, kinds[i], kinds)))
  const [lo, hi] = p.window ?? [-Infinity, Infinity]
  const shown = series.map((s) => ({ ...s, periods: s.periods.filter((x) => x.k >= lo && x.k <= hi) }))
  const ks = [...new Set(shown.flatMap((s) => s.periods.map((x) => x.k)))].sort((a, b) => a - b)
  if (!ks.length) {
    throw new QuasiError('INVALID_VALUE', `no event time of ${p.stages.map((s) => `\`${s}\``).join(', ')} lies in the window [${lo}, ${hi}]`, { param: ['window'] })
  }
  const levels = [...new Set(shown.map((s) => s.level))]
  if (levels.length > 1) ctx.log.warn(`the intervals are at different levels (${shown.map((s) => `${s.stage}: ${pct(s.level)}`).join(', ')}): set \`level\` alike in the stages to compare like with like`)
  const outcomes = [...new Set(shown.map((s) => s.outcome).filter((o): o is string => o !== undefined))]
  if (outcomes.length > 1) ctx.log.warn(`the stages estimate effects on different outcomes (${outcomes.map((o) => `\`${o}\``).join(', ')})`)

  const title = p.title ?? DEFAULT_TITLE
  const yTitle = p.y_title ?? (outcomes.length === 1 ? `Effect on ${outcomes[0]}` : 'Estimate')
  const svg = await renderSvg(eventOverlayPlot(shown.map((s) => ({ label: s.label, points: s.periods })), {
    title, xTitle: p.x_title ?? 'Years relative to adoption', yTitle, offset: p.offset ?? DEFAULT_OFFSET, markAt: 0,
  }))
  const digits = p.digits ?? 3
  const facts: Record<string, number> = { estimators: shown.length, max_gap: maxGap(shown, ks) }
  for (const s of shown) for (const x of s.periods) {
    facts[`estimate(${s.stage},${x.k})`] = x.estimate
    if (!x.reference) {
      facts[`se(${s.stage},${x.k})`] = x.stdError
      facts[`low(${s.stage},${x.k})`] = x.low
      facts[`high(${s.stage},${x.k})`] = x.high
    }
  }
  ctx.log.info(`${shown.length} event studies over event times ${ks[0]}…${ks[ks.length - 1]}; largest gap between estimators after adoption ${Number.isFinite(facts.max_gap) ? fixed(facts.max_gap, digits) : 'n/a'}`)
  return {
    data: { stages: [...p.stages], event_times: ks, estimators: shown.map((s) => ({ stage: s.stage, kind: s.kind, label: s.label, level: s.level, band: s.band })) },
    files: {
      'compare.svg': svg,
      ...gridFiles('compare', table(shown, ks, title, digits)),
      'estimates.csv': writeCsv(Frame.from({
        estimator: shown.flatMap((s) => s.periods.map(() => s.label)),
        stage: shown.flatMap((s) => s.periods.map(() => s.stage)),
        kind: shown.flatMap((s) => s.periods.map(() => s.kind)),
        k: Float64Array.from(shown.flatMap((s) => s.periods.map((x) => x.k))),
        estimate: Float64Array.from(shown.flatMap((s) => s.periods.map((x) => x.estimate))),
        std_error: Float64Array.from(shown.flatMap((s) => s.periods.map((x) => x.stdError))),
        low: Float64Array.from(shown.flatMap((s) => s.periods.map((x) => x.low))),
        high: Float64Array.from(shown.flatMap((s) => s.periods.map((x) => x.high))),
        reference: Float64Array.from(shown.flatMap((s) => s.periods.map((x) => (x.reference ? 1 : 0)))),
        band: shown.flatMap((s) => s.periods.map(() => s.band)),
        level: Float64Array.from(shown.flatMap((s) => s.periods.map(() => s.level))),
      })),
    },
    facts,
  }
}

function label(p: EventCompareParams, stage: string, kind: string, kinds: readonly string[]): string {
  if (p.labels?.[stage]) return p.labels[stage]
  const base = KIND_LABELS[kind] ?? stage
  return kinds.filter((k) => k === kind).length > 1 ? `${base}: ${stage}` : base
}

/** The `event_study` series a stage publishes in its data (see docs/methods.md, "event-compare"). */
function readSeries(ctx: StageContext<EventCompareParams>, stage: string, i: number, label: string): Series {
  const up = ctx.input(stage)
  const data = up.data as Record<string, unknown> | undefined
  const es = data?.event_study as { level?: unknown; band?: unknown; periods?: unknown; outcome?: unknown } | undefined
  if (!es || !Array.isArray(es.periods)) {
    throw new QuasiError('INVALID_VALUE', `stage \`${stage}\` (${up.kind}) publishes no event-study series to compare`, {
      param: ['stages', i], expected: `a stage of kind ${Object.keys(KIND_LABELS).map((k) => `\`${k}\``).join(', ')}`, found: `a \`${up.kind}\` stage`,
    })
  }
  const num = (v: unknown) => (typeof v === 'number' ? v : NaN)
  const periods = (es.periods as Record<string, unknown>[]).map((x) => ({
    k: num(x.k), estimate: num(x.estimate), stdError: num(x.std_error), low: num(x.low), high: num(x.high), reference: x.reference === true,
  })).filter((x) => Number.isFinite(x.k) && (x.reference || Number.isFinite(x.estimate))).sort((a, b) => a.k - b.k)
  const model = up.artifact('model')
  const main = model?.models[model.main]
  const raw = typeof es.outcome === 'string' ? es.outcome : main?.outcome
  // the outcome as the model labels it (e.g. "Green innovation efficiency" for gie)
  const outcome = raw === undefined ? undefined : main?.labels[raw] ?? raw
  return {
    stage, kind: up.kind, label, periods,
    level: typeof es.level === 'number' ? es.level : 0.95,
    band: typeof es.band === 'string' ? es.band : 'pointwise',
    ...(outcome !== undefined ? { outcome } : {}),
  }
}

/** The largest spread (max − min) of the estimates at one event time k ≥ 0 that two or more estimators share. */
function maxGap(series: readonly Series[], ks: readonly number[]): number {
  let gap = NaN
  for (const k of ks) {
    if (k < 0) continue
    const est = series.flatMap((s) => s.periods.filter((x) => x.k === k && !x.reference).map((x) => x.estimate))
    if (est.length < 2) continue
    const d = Math.max(...est) - Math.min(...est)
    gap = Number.isNaN(gap) ? d : Math.max(gap, d)
  }
  return gap
}

const pct = (l: number) => `${Math.round(l * 1000) / 10} %`
const minus = (k: number) => (k < 0 ? `\u2212${-k}` : String(k))

function table(series: readonly Series[], ks: readonly number[], title: string, digits: number): GridTable {
  const rows = ks.flatMap((k) => {
    const at = series.map((s) => s.periods.find((x) => x.k === k))
    return [
      { cells: [minus(k), ...at.map((x) => (!x ? '' : x.reference ? '0 (ref.)' : fixed(x.estimate, digits)))] },
      { cells: ['', ...at.map((x) => (!x || x.reference || !Number.isFinite(x.low) ? '' : `[${fixed(x.low, digits)}, ${fixed(x.high, digits)}]`))] },
    ]
  })
  const bands = series.map((s) => `${s.label}: ${pct(s.level)} ${s.band === 'uniform' ? 'simultaneous (uniform) band' : 'pointwise intervals'}`)
  return {
    title,
    header: ['Event time', ...series.map((s) => s.label)],
    align: ['l', ...series.map(() => 'c' as const)],
    sections: [{ rows }],
    notes: [`Estimates by event time (periods relative to adoption), intervals in brackets as drawn in the figure: ${bands.join('; ')}. "ref." marks a period an estimator normalises to zero.`],
  }
}
