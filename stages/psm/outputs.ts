/**
 * What psm writes: balance.csv (every number at full precision) and the balance table
 * (balance.md, .tex, .html: psmatch2 pstest's layout, a row per covariate and sample), matches.csv,
 * att.csv, and the figures balance.svg and pscore.svg.
 */
import { Frame } from '../../src/artifacts/frame.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import { gridHtml, gridLatex, gridMarkdown, type GridRow, type GridTable } from '../../src/report/grid.ts'
import { balanceDotPlot, pscoreDensityPlot, renderSvg } from '../../src/report/figure.ts'
import { fixed, stars } from '../../src/report/table.ts'
import type { StageContext } from '../../src/stage.ts'
import type { AttResult } from '../../src/stats/psm/att.ts'
import type { BalanceRow } from '../../src/stats/psm/balance.ts'
import { weightedDensity } from '../../src/stats/psm/density.ts'
import type { Matches } from '../../src/stats/psm/match.ts'
import type { PsmParams } from './params.ts'

export const DEFAULT_TITLE = 'Covariate balance before and after matching'

export interface PsmOutputs {
  readonly ctx: StageContext<PsmParams>
  readonly frame: Frame
  readonly matches: Matches
  readonly balance: readonly BalanceRow[]
  readonly att?: AttResult
  readonly pscore: Float64Array
  readonly weight: Float64Array
  readonly treated: Uint8Array
  readonly inSample: Uint8Array
}

export async function psmFiles(o: PsmOutputs): Promise<Record<string, string>> {
  const p = o.ctx.params
  const shown = (c: string) => p.labels?.[c] ?? c
  const table = balanceTable(o.balance.map((b) => ({ ...b, covariate: shown(b.covariate) })), p.title ?? DEFAULT_TITLE, methodNote(p))
  const files: Record<string, string> = {
    'balance.csv': balanceCsv(o.balance),
    'balance.md': gridMarkdown(table),
    'balance.tex': gridLatex(table),
    'balance.html': gridHtml(table),
    'matches.csv': matchesCsv(o),
  }
  if (o.att) {
    files['att.csv'] = writeCsv(Frame.from({
      outcome: [p.outcome!], att: [o.att.att], se: [o.att.se], statistic: [o.att.att / o.att.se], treated: [o.att.treated],
      se_type: ['Abadie-Imbens'],
    }))
  }
  files['balance.svg'] = await renderSvg(balanceDotPlot(o.balance.map((b) => ({ covariate: shown(b.covariate), before: b.biasBefore, after: b.biasAfter })), {}))
  files['pscore.svg'] = await renderSvg(pscoreDensityPlot(densities(o), {}))
  return files
}

function methodNote(p: PsmParams): string {
  const how = p.method === 'nearest'
    ? `Nearest-neighbour matching 1:${p.neighbors ?? 1} ${p.replace ? 'with' : 'without'} replacement`
    : p.method === 'radius' ? 'Radius matching' : `Epanechnikov kernel matching (bandwidth ${p.bandwidth ?? 0.06})`
  const cal = p.caliper === undefined ? '' : typeof p.caliper === 'number' ? `, caliper ${p.caliper}` : `, caliper ${p.caliper.sd} SD of the linear predictor`
  return `${how}${cal} on a ${p.link} propensity score${p.common ? ', common support imposed' : ''}${p.by ? `, within each \`${p.by}\`` : ''}. ` +
    '%bias: difference of means over the square root of the mean of the unmatched variances (psmatch2 pstest); SMD: MatchIt\'s standardized mean difference; t-tests of equal means (matched: weighted by the match weights).'
}

function balanceTable(rows: readonly BalanceRow[], title: string, note: string): GridTable {
  const body: GridRow[] = []
  for (const b of rows) {
    body.push({
      cells: [b.covariate, 'Unmatched', fixed(b.meanTreatedBefore, 3), fixed(b.meanControlBefore, 3), fixed(b.biasBefore, 1), '', fixed(b.tBefore, 2), fixed(b.pBefore, 3), fixed(b.smdBefore, 3)],
      stars: ['', '', '', '', '', '', stars(b.pBefore), '', ''],
    })
    body.push({
      cells: ['', 'Matched', fixed(b.meanTreatedAfter, 3), fixed(b.meanControlAfter, 3), fixed(b.biasAfter, 1), fixed(b.reduction, 1), fixed(b.tAfter, 2), fixed(b.pAfter, 3), fixed(b.smdAfter, 3)],
      stars: ['', '', '', '', '', '', stars(b.pAfter), '', ''],
    })
  }
  return {
    title,
    spans: [[{ text: '', span: 2 }, { text: 'Mean', span: 2 }, { text: '', span: 2 }, { text: 't-test', span: 2 }, { text: '', span: 1 }]],
    header: ['Variable', 'Sample', 'Treated', 'Control', '%bias', '%reduct |bias|', 't', 'p>|t|', 'SMD'],
    align: ['l', 'l', 'c', 'c', 'c', 'c', 'c', 'c', 'c'],
    sections: [{ rows: body }],
    notes: [note],
    stars: true,
  }
}

function balanceCsv(rows: readonly BalanceRow[]): string {
  const col = (f: (b: BalanceRow) => number) => Float64Array.from(rows, f)
  return writeCsv(Frame.from({
    covariate: rows.map((b) => b.covariate),
    mean_treated_before: col((b) => b.meanTreatedBefore), mean_control_before: col((b) => b.meanControlBefore),
    mean_treated_after: col((b) => b.meanTreatedAfter), mean_control_after: col((b) => b.meanControlAfter),
    bias_before: col((b) => b.biasBefore), bias_after: col((b) => b.biasAfter), reduction: col((b) => b.reduction),
    t_before: col((b) => b.tBefore), p_before: col((b) => b.pBefore), t_after: col((b) => b.tAfter), p_after: col((b) => b.pAfter),
    smd_before: col((b) => b.smdBefore), smd_after: col((b) => b.smdAfter),
  }))
}

/**
 * One row per match, in the order made: rows of the `from` table (1-based), the panel unit and
 * time when declared. Written directly rather than through writeCsv: a large panel has hundreds of
 * thousands of matches, and the generic writer's cost per cell dominated the stage.
 */
function matchesCsv(o: PsmOutputs): string {
  const { matches: m, frame } = o
  const heads = ['treated_row', 'control_row']
  const keyed: { name: string }[] = []
  const panel = o.ctx.panel
  for (const [key, name] of [['unit', panel?.unit], ['time', panel?.time], ['group', o.ctx.params.by]] as const) {
    if (name === undefined || !frame.has(name) || (key === 'group' && (name === panel?.time || name === panel?.unit))) continue
    heads.push(`treated_${key}`, `control_${key}`)
    keyed.push({ name })
  }
  heads.push('distance', 'weight')
  // Keys of each row once (a row appears in many matches).
  const keys = keyed.map(({ name }) => {
    const cache: (string | undefined)[] = new Array(frame.nrows)
    return (i: number) => (cache[i] ??= csvField(frame.key(name, i) ?? ''))
  })
  const lines: string[] = [heads.join(',')]
  for (let j = 0; j < m.t.length; j++) {
    const t = m.t[j], c = m.c[j]
    let line = `${t + 1},${c + 1}`
    for (const k of keys) line += `,${k(t)},${k(c)}`
    lines.push(`${line},${m.distance[j]},${m.w[j]}`)
  }
  return lines.join('\n') + '\n'
}

/** A CSV field, quoted as papaparse quotes (delimiter, quote, line break, or edge whitespace). */
function csvField(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function densities(o: PsmOutputs) {
  const pick = (treated: 0 | 1, matched: boolean) => {
    const ps: number[] = [], w: number[] = []
    for (let i = 0; i < o.pscore.length; i++) {
      if (!o.inSample[i] || o.treated[i] !== treated || !Number.isFinite(o.pscore[i])) continue
      if (matched && !(o.weight[i] > 0)) continue
      ps.push(o.pscore[i]); w.push(matched ? o.weight[i] : 1)
    }
    return { ps: Float64Array.from(ps), w: Float64Array.from(w) }
  }
  const out: { sample: string; group: string; x: Float64Array; y: Float64Array }[] = []
  for (const [sample, matched] of [['Before matching', false], ['After matching', true]] as const) {
    for (const [group, t] of [['Treated', 1], ['Control', 0]] as const) {
      const s = pick(t, matched)
      if (s.ps.length) out.push({ sample, group, ...weightedDensity(s.ps, s.w) })
    }
  }
  return out
}
