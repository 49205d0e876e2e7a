/**
 * The stage graph as a small layered SVG for the HTML report, drawn without a layout
 * library: a stage's column is the length of the longest path from a source to it (so
 * every edge points right), stages keep their dependency order within a column, and edges
 * are cubic curves from the right side of a stage to the left side of the one that reads it.
 * The drawing depends only on the names, their order and the edges: the same graph gives
 * the same bytes.
 */
import { escapeHtml } from './escape-html.ts'

export interface DagNode {
  readonly name: string
  readonly kind: string
  /** Stages this one reads or waits for. */
  readonly needs: readonly string[]
  /** `failed` and `skipped` are drawn apart; everything else as a plain box. */
  readonly outcome?: 'ok' | 'failed' | 'skipped' | 'not-run'
}

const FONT_PX = 12
/** Average advance of a character at FONT_PX in a sans-serif face; boxes are sized from it. */
const CHAR_PX = 7
const BOX_H = 22
const ROW_GAP = 8
const COL_GAP = 48
const PAD_X = 8
const MARGIN = 6

/** `nodes` in dependency order (every stage after the stages it needs). */
export function dagSvg(nodes: readonly DagNode[]): string {
  const layer = new Map<string, number>()
  for (const n of nodes) layer.set(n.name, Math.max(-1, ...n.needs.map((d) => layer.get(d) ?? -1)) + 1)
  const columns: DagNode[][] = []
  for (const n of nodes) (columns[layer.get(n.name)!] ??= []).push(n)

  const colWidth = columns.map((c) => Math.max(...c.map((n) => n.name.length)) * CHAR_PX + 2 * PAD_X)
  const colX: number[] = []
  let x = MARGIN
  for (const w of colWidth) {
    colX.push(x)
    x += w + COL_GAP
  }
  const width = Math.max(x - COL_GAP + MARGIN, 2 * MARGIN)
  const rows = Math.max(0, ...columns.map((c) => c.length))
  const height = Math.max(MARGIN * 2 + rows * BOX_H + (rows - 1) * ROW_GAP, 2 * MARGIN)

  const box = new Map<string, { x: number; y: number; w: number }>()
  columns.forEach((c, i) => {
    // Centre short columns vertically so edges stay short.
    const top = MARGIN + ((rows - c.length) * (BOX_H + ROW_GAP)) / 2
    c.forEach((n, j) => box.set(n.name, { x: colX[i], y: top + j * (BOX_H + ROW_GAP), w: colWidth[i] }))
  })

  const f = (v: number) => String(Math.round(v * 10) / 10)
  const edges: string[] = []
  for (const n of nodes) {
    const b = box.get(n.name)!
    for (const d of n.needs) {
      const a = box.get(d)
      if (!a) continue
      const x1 = a.x + a.w
      const y1 = a.y + BOX_H / 2
      const x2 = b.x
      const y2 = b.y + BOX_H / 2
      const mx = (x1 + x2) / 2
      edges.push(`<path d="M${f(x1)},${f(y1)} C${f(mx)},${f(y1)} ${f(mx)},${f(y2)} ${f(x2 - 4)},${f(y2)}" marker-end="url(#dag-arrow)"/>`)
    }
  }
  const boxes = nodes.map((n) => {
    const b = box.get(n.name)!
    const cls = n.outcome && n.outcome !== 'ok' ? ` class="${n.outcome}"` : ''
    return (
      `<g${cls}><title>${escapeHtml(`${n.name} (${n.kind})`)}</title>` +
      `<rect x="${f(b.x)}" y="${f(b.y)}" width="${f(b.w)}" height="${BOX_H}" rx="3"/>` +
      `<text x="${f(b.x + b.w / 2)}" y="${f(b.y + BOX_H / 2)}">${escapeHtml(n.name)}</text></g>`
    )
  })
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="dag" width="${f(width)}" height="${f(height)}" viewBox="0 0 ${f(width)} ${f(height)}" role="img" aria-label="stage graph">`,
    '<defs><marker id="dag-arrow" viewBox="0 0 8 8" refX="4" refY="4" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>',
    `<g class="edges" fill="none" stroke="#888" stroke-width="1">${edges.join('')}</g>`,
    `<g class="nodes" font-family="Helvetica, Arial, sans-serif" font-size="${FONT_PX}" text-anchor="middle" dominant-baseline="central">${boxes.join('')}</g>`,
    '</svg>',
  ].join('\n')
}
