/**
 * `report.html`: one self-contained page for a run. Title, the stage graph (dag-svg.ts), then
 * each stage in dependency order with the tables and figures it wrote, its warnings and its
 * expectations, and last the provenance. No scripts, no fonts, nothing fetched: a
 * Content-Security-Policy forbids every load but inline styles and data: images, so the page
 * reads the same offline and in an archive.
 *
 * Determinism: the page is a function of run.json and the stages' files. Everything that
 * changes between two runs of the same pipeline on the same data (wall times, whether a stage
 * came from the cache) stands in the last section, `<section id="timings">`; the bytes before
 * it are the same. docs/decisions.md, "The HTML report".
 */
import type { ExpectationRecord, InputFileRecord, StageStatus } from '../scheduler/record.ts'
import { dagSvg, type DagNode } from './dag-svg.ts'
import { escapeHtml as esc } from './escape-html.ts'

export interface ReportStage {
  readonly name: string
  readonly kind: string
  readonly status: StageStatus
  readonly needs: readonly string[]
  readonly key?: string
  readonly ms?: number
  /** The folder holds an earlier run's files (the stage was not selected in this one). */
  readonly earlier?: boolean
  readonly error?: string
  readonly reason?: string
  /** Each .html file the stage wrote, by file name, as written. */
  readonly tables: readonly { readonly file: string; readonly html: string }[]
  readonly figures: readonly { readonly file: string; readonly svg: string }[]
  /** Warnings from the stage's log. */
  readonly warnings: readonly string[]
  readonly expectations: readonly ExpectationRecord[]
}

export interface ReportData {
  readonly name: string
  readonly title?: string
  /** The pipeline file as the run named it, and its SHA-256. */
  readonly file: string
  readonly digest: string
  readonly quasiVersion: string
  readonly nodeVersion: string
  readonly seed: number
  /** In dependency order. */
  readonly stages: readonly ReportStage[]
  readonly inputs: readonly InputFileRecord[]
}

export function renderReport(d: ReportData): string {
  const tableStyles = new Set<string>()
  const sections = d.stages.filter(hasContent).map((s) => stageSection(s, tableStyles))
  const title = d.title ?? d.name
  const out = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    // The tables' own styles first, so that the page's rules (body, print) win.
    `<style>\n${[...tableStyles].join('\n')}\n</style>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${esc(title)}</h1>`,
    `<p class="sub">Pipeline <code>${esc(d.name)}</code> (${esc(d.file)}): ${d.stages.length} stage${d.stages.length === 1 ? '' : 's'}; ${summary(d.stages)}.</p>`,
    '</header>',
    contents(d.stages),
    '<section id="graph">',
    '<h2>Stage graph</h2>',
    `<figure class="figure dag">${dagSvg(d.stages.map(dagNode))}<figcaption>Stages in dependency order, left to right; an arrow points from a stage to one that reads it.${d.stages.some((s) => s.status === 'failed' || s.status === 'skipped' || s.status === 'cancelled') ? ' Red: failed; dashed: skipped.' : ''}</figcaption></figure>`,
    '</section>',
    ...sections,
    provenance(d),
    timings(d),
    '</body>',
    '</html>',
    '',
  ]
  return out.join('\n')
}

function hasContent(s: ReportStage): boolean {
  return s.tables.length + s.figures.length + s.warnings.length + s.expectations.length > 0 || (s.status !== 'ran' && s.status !== 'cached' && s.status !== 'not-selected')
}

const anchor = (name: string) => `stage-${name}`

function summary(stages: readonly ReportStage[]): string {
  const exp = stages.flatMap((s) => s.expectations)
  const failed = stages.filter((s) => s.status === 'failed').length
  const skipped = stages.filter((s) => s.status === 'skipped' || s.status === 'cancelled').length
  const parts = [`${exp.filter((e) => e.result === 'held').length} of ${exp.length} expectation${exp.length === 1 ? '' : 's'} held`]
  if (failed) parts.push(`${failed} stage${failed === 1 ? '' : 's'} failed`)
  if (skipped) parts.push(`${skipped} skipped`)
  return parts.join(', ')
}

function contents(stages: readonly ReportStage[]): string {
  const items = stages.filter(hasContent).map((s) => `<li><a href="#${esc(anchor(s.name))}">${esc(s.name)}</a></li>`)
  return `<nav><h2>Contents</h2><ol><li><a href="#graph">Stage graph</a></li>${items.join('')}<li><a href="#provenance">Provenance</a></li></ol></nav>`
}

function dagNode(s: ReportStage): DagNode {
  const outcome = s.status === 'failed' ? 'failed' : s.status === 'skipped' || s.status === 'cancelled' ? 'skipped' : 'ok'
  return { name: s.name, kind: s.kind, needs: s.needs, outcome }
}

function stageSection(s: ReportStage, tableStyles: Set<string>): string {
  const out = [`<section class="stage" id="${esc(anchor(s.name))}">`, `<h2>${esc(s.name)} <span class="kind">${esc(s.kind)}</span></h2>`]
  if (s.status === 'failed') out.push(`<p class="outcome failed">This stage failed${s.error ? ` (${esc(s.error)})` : ''}; see the run's messages.</p>`)
  else if (s.status === 'skipped' || s.status === 'cancelled') out.push(`<p class="outcome skipped">This stage did not run (${esc(s.reason === 'upstream-failed' ? 'a stage it needs failed' : 'the run stopped first')}).</p>`)
  else if (s.earlier) out.push('<p class="outcome">Not selected in the last run: its files are from an earlier run.</p>')
  for (const t of s.tables) {
    const { body, style } = tableParts(t.html)
    if (style) tableStyles.add(style)
    out.push(`<div class="table" data-file="${esc(t.file)}">${body}</div>`)
  }
  s.figures.forEach((f, i) => {
    out.push(`<figure class="figure" data-file="${esc(f.file)}">${inlineSvg(f.svg, `${s.name}-${i}`)}<figcaption>${esc(f.file)}</figcaption></figure>`)
  })
  if (s.warnings.length > 0) out.push(`<div class="warnings"><h3>Warnings</h3><ul>${s.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></div>`)
  if (s.expectations.length > 0) {
    const rows = s.expectations.map(
      (e) => `<tr class="${e.result}"><td><code>${esc(e.expression)}</code></td><td>${num(e.left)}</td><td>${num(e.right)}${e.tol === undefined ? '' : ` ± ${num(e.tol)}`}</td><td>${e.result}</td></tr>`,
    )
    out.push(`<table class="expectations"><caption>Expectations</caption><thead><tr><th>Expression</th><th>Left</th><th>Right</th><th>Result</th></tr></thead><tbody>${rows.join('')}</tbody></table>`)
  }
  out.push('</section>')
  return out.join('\n')
}

/**
 * A table file's body and its style. The files come from quasi's own renderers (which escape
 * what they quote); the page takes their markup as it is and drops their `body` rule.
 */
export function tableParts(html: string): { body: string; style?: string } {
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html
  const style = /<style[^>]*>([\s\S]*?)<\/style>/i.exec(html)?.[1]
  return { body: body.trim(), style: style?.replace(/^\s*body\s*\{[^}]*\}\s*$/gm, '').trim() || undefined }
}

/**
 * An SVG file inline: without its XML prolog, and with its ids (if any) prefixed so that two
 * figures' clip paths or gradients cannot capture each other's references.
 */
export function inlineSvg(svg: string, prefix: string): string {
  let s = svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '').replace(/^\s*<!DOCTYPE[^>]*>\s*/i, '').trim()
  if (/\sid="/.test(s)) {
    const p = prefix.replace(/[^A-Za-z0-9_-]/g, '_') + '-'
    s = s
      .replace(/(\sid=")([^"]+)"/g, `$1${p}$2"`)
      .replace(/url\(#([^)]+)\)/g, `url(#${p}$1)`)
      .replace(/(href=")#([^"]+)"/g, `$1#${p}$2"`)
  }
  return s
}

/** A fact's value: integers as they are, others to 6 significant digits. */
function num(v: number | null): string {
  if (v === null || Number.isNaN(v)) return 'NaN'
  if (Number.isInteger(v) || !Number.isFinite(v)) return String(v)
  return String(Number(v.toPrecision(6)))
}

function provenance(d: ReportData): string {
  const inputs = d.inputs.map(
    (f) => `<tr><td>${esc(f.stage)}</td><td><code>${esc(f.file)}</code></td><td class="r">${f.size}</td><td><code class="hash">${f.sha256}</code></td></tr>`,
  )
  const keys = d.stages.map((s) => `<tr><td>${esc(s.name)}</td><td>${esc(s.kind)}</td><td><code class="hash">${esc(s.key ?? '—')}</code></td></tr>`)
  return [
    '<section id="provenance">',
    '<h2>Provenance</h2>',
    '<dl>',
    `<dt>quasi</dt><dd>${esc(d.quasiVersion)}</dd>`,
    `<dt>Node.js</dt><dd>${esc(d.nodeVersion)}</dd>`,
    `<dt>Pipeline file</dt><dd><code>${esc(d.file)}</code>, SHA-256 <code class="hash">${esc(d.digest)}</code></dd>`,
    `<dt>Seed</dt><dd>${d.seed}</dd>`,
    '</dl>',
    `<table class="prov inputs"><caption>Input files</caption><thead><tr><th>Stage</th><th>File</th><th class="r">Bytes</th><th>SHA-256</th></tr></thead><tbody>${inputs.join('') || '<tr><td colspan="4">none</td></tr>'}</tbody></table>`,
    `<table class="prov keys"><caption>Cache keys</caption><thead><tr><th>Stage</th><th>Kind</th><th>Key</th></tr></thead><tbody>${keys.join('')}</tbody></table>`,
    '</section>',
  ].join('\n')
}

/** The part that differs between runs: where each stage's result came from, and how long it took. */
function timings(d: ReportData): string {
  const rows = d.stages.map((s) => {
    const from = s.status === 'cached' ? 'cache' : s.status === 'ran' ? 'computed' : s.status
    const ms = s.status === 'ran' && s.ms !== undefined ? (s.ms >= 1000 ? `${(s.ms / 1000).toFixed(2)} s` : `${s.ms} ms`) : '—'
    return `<tr><td>${esc(s.name)}</td><td>${esc(from)}</td><td class="r">${ms}</td></tr>`
  })
  return [
    '<section id="timings">',
    '<h2>This run</h2>',
    '<p class="note">Whether each result was computed or taken from the cache, and the wall time; the only part of this page that differs between runs of the same pipeline on the same data.</p>',
    `<table class="prov timings"><thead><tr><th>Stage</th><th>Result</th><th class="r">Wall time</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    '</section>',
  ].join('\n')
}

const PAGE_STYLE = `
  body { font-family: "Times New Roman", Times, serif; color: #000; background: #fff; margin: 2em auto; max-width: 60em; padding: 0 1.5em; line-height: 1.35; }
  h1 { font-size: 20pt; font-weight: normal; margin: 0 0 0.2em; }
  h2 { font-size: 14pt; font-weight: normal; border-bottom: 0.8px solid #000; margin: 2em 0 0.8em; padding-bottom: 0.15em; }
  h3 { font-size: 11pt; font-weight: normal; font-style: italic; margin: 1em 0 0.3em; }
  h2 .kind { font-size: 10pt; color: #555; font-family: Helvetica, Arial, sans-serif; margin-left: 0.5em; }
  p.sub, p.note { color: #333; font-size: 10.5pt; }
  nav ol { columns: 3; font-size: 10.5pt; padding-left: 1.5em; }
  nav h2 { border: none; margin-bottom: 0.3em; }
  a { color: #1a4f8b; text-decoration: none; }
  code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 9pt; }
  code.hash { font-size: 8pt; word-break: break-all; }
  div.table { margin: 1.2em 0; overflow-x: auto; }
  figure { margin: 1.2em 0; text-align: center; }
  figure svg { max-width: 100%; height: auto; }
  figcaption { font-size: 9.5pt; color: #333; margin-top: 0.3em; }
  figure.dag svg rect { fill: #fff; stroke: #000; stroke-width: 0.8; }
  figure.dag svg g.failed rect { stroke: #b00020; stroke-width: 1.6; }
  figure.dag svg g.skipped rect { stroke-dasharray: 3 2; }
  figure.dag svg text { fill: #000; }
  div.warnings ul { font-size: 10pt; margin: 0.2em 0; padding-left: 1.5em; }
  p.outcome { font-style: italic; }
  p.outcome.failed { color: #b00020; }
  table.expectations, table.prov { border-collapse: collapse; font-size: 10pt; margin: 0.8em 0; }
  table.expectations caption, table.prov caption { caption-side: top; text-align: left; font-style: italic; margin-bottom: 0.3em; }
  table.expectations th, table.expectations td, table.prov th, table.prov td { padding: 0.1em 0.8em 0.1em 0; text-align: left; vertical-align: top; }
  table.expectations thead th, table.prov thead th { border-top: 1.5px solid #000; border-bottom: 0.8px solid #000; font-weight: normal; }
  table.expectations tbody tr:last-child td, table.prov tbody tr:last-child td { border-bottom: 1.5px solid #000; }
  table.expectations tr.failed td { color: #b00020; font-weight: bold; }
  .r { text-align: right !important; }
  dl { display: grid; grid-template-columns: max-content auto; gap: 0.15em 1em; font-size: 10.5pt; }
  dd { margin: 0; }
  section#timings { margin-top: 2.5em; border-top: 3px double #000; }
  @media print {
    body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
    nav { display: none; }
    a { color: inherit; }
    h2 { break-after: avoid; page-break-after: avoid; }
    section.stage { break-before: auto; }
    div.table, figure, table.expectations, table.prov tr { break-inside: avoid; page-break-inside: avoid; }
    div.table { overflow: visible; }
    figure svg { max-height: 23cm; }
    @page { margin: 2cm; }
  }
`
