/**
 * Paper-style regression tables: one column per model, a coefficient row with
 * significance stars and a standard-error row in parentheses per term, then indicator rows
 * (which fixed effects and controls are in) and statistics rows (N, R²). Rendered to
 * Markdown, LaTeX (booktabs), HTML and CSV from one layout, with fixed decimals so the
 * same results always give the same bytes.
 *
 * Stars: * p < 0.10, ** p < 0.05, *** p < 0.01 (the convention of the AEA journals' and
 * most field journals' tables).
 */

export interface TableCell {
  readonly estimate: number
  readonly stdError: number
  readonly pValue: number
}

export interface TableColumn {
  /** Header, e.g. "(1)". */
  readonly label: string
  /** Estimates by term name; terms absent from the model are left blank. */
  readonly cells: ReadonlyMap<string, TableCell>
}

export interface RegressionTable extends TableBlock {
  readonly title?: string
  /** Shown above the column labels, e.g. "Dependent variable: gie". */
  readonly caption?: string
  /** A header line above the column labels, one cell per column (e.g. each column's outcome). */
  readonly heads?: readonly string[]
  /**
   * Stacked panels ("Panel A", "Panel B"), each with its own terms and statistics under the
   * same column labels, as mechanism tables are printed. When given, the table's own
   * terms, indicators and stats follow the panels (usually empty).
   */
  readonly panels?: readonly (TableBlock & { readonly label: string })[]
  readonly notes: readonly string[]
  /** Decimals of estimates and standard errors. @default 3 */
  readonly digits?: number
}

/** Rows of estimates under one set of columns. */
export interface TableBlock {
  readonly columns: readonly TableColumn[]
  /** Terms in display order, with their labels. */
  readonly terms: readonly { readonly term: string; readonly label: string }[]
  /** "Yes"/"No" rows, e.g. City FE, Year FE, Controls. */
  readonly indicators: readonly { readonly label: string; readonly values: readonly string[] }[]
  /** Statistics rows, already formatted (N, R², …). */
  readonly stats: readonly { readonly label: string; readonly values: readonly string[] }[]
}

export const STAR_LEVELS = [
  { p: 0.01, stars: '***' },
  { p: 0.05, stars: '**' },
  { p: 0.1, stars: '*' },
] as const

export const STARS_NOTE = '* p < 0.10, ** p < 0.05, *** p < 0.01.'

export function stars(p: number): string {
  for (const l of STAR_LEVELS) if (p < l.p) return l.stars
  return ''
}

/** Fixed decimals without a negative zero ("-0.000" → "0.000"); NaN prints as "NA". */
export function fixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return 'NA'
  const s = x.toFixed(digits)
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s
}

/** Thousands separators for counts, as printed tables do (4,051). */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

interface Grid {
  header: string[]
  body: { cells: string[]; stars: string[]; kind: 'coef' | 'se' | 'indicator' | 'stat' | 'panel' }[]
  /** Index in body where each section starts (for rules). */
  sections: number[]
}

function layout(t: RegressionTable): Grid {
  const d = t.digits ?? 3
  const body: Grid['body'] = []
  const sections: number[] = [0]
  for (const p of t.panels ?? []) {
    if (body.length > 0) sections.push(body.length)
    body.push({ cells: [p.label, ...t.columns.map(() => '')], stars: [], kind: 'panel' })
    block(p, d, body, sections, false)
  }
  block(t, d, body, sections, true)
  return { header: ['', ...t.columns.map((c) => c.label)], body, sections }
}

/** Coefficient rows, then indicator and statistics rows, each section opened by a rule. */
function block(t: TableBlock, d: number, body: Grid['body'], sections: number[], ruleBeforeTerms: boolean): void {
  const section = () => {
    if (body.length > 0 && sections[sections.length - 1] !== body.length) sections.push(body.length)
  }
  if (t.terms.length && ruleBeforeTerms) section()
  for (const { term, label } of t.terms) {
    const coef = [label], se = [''], st = ['']
    for (const c of t.columns) {
      const cell = c.cells.get(term)
      coef.push(cell ? fixed(cell.estimate, d) : '')
      st.push(cell ? stars(cell.pValue) : '')
      se.push(cell ? `(${fixed(cell.stdError, d)})` : '')
    }
    body.push({ cells: coef, stars: st, kind: 'coef' })
    body.push({ cells: se, stars: se.map(() => ''), kind: 'se' })
  }
  if (t.indicators.length) {
    section()
    for (const r of t.indicators) body.push({ cells: [r.label, ...r.values], stars: [], kind: 'indicator' })
  }
  if (t.stats.length) {
    section()
    for (const r of t.stats) body.push({ cells: [r.label, ...r.values], stars: [], kind: 'stat' })
  }
}

export function renderMarkdown(t: RegressionTable): string {
  const g = layout(t)
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\*/g, '\\*')
  const lines: string[] = []
  if (t.title) lines.push(`**${esc(t.title)}**`, '')
  if (t.caption) lines.push(esc(t.caption), '')
  // Markdown has one header line: the column heads (e.g. outcomes) take it and the labels follow.
  const first = t.heads ? ['', ...t.heads] : g.header
  lines.push(`| ${first.map(esc).join(' | ')} |`)
  lines.push(`|${g.header.map((_, j) => (j === 0 ? ':---' : ':---:')).join('|')}|`)
  if (t.heads) lines.push(`| ${g.header.map(esc).join(' | ')} |`)
  for (const r of g.body) {
    if (r.kind === 'panel') {
      lines.push(`| *${esc(r.cells[0])}* |${' |'.repeat(r.cells.length - 1)}`)
      continue
    }
    const cells = r.cells.map((c, j) => esc(c) + (r.stars[j] ? `<sup>${r.stars[j]}</sup>` : ''))
    lines.push(`| ${cells.join(' | ')} |`)
  }
  lines.push('')
  for (const n of [...t.notes, STARS_NOTE]) lines.push(`*${esc(n)}*`, '')
  return lines.join('\n')
}

/** Characters pdfLaTeX cannot typeset from UTF-8 text without extra packages. */
const TEX_SYMBOLS: Record<string, string> = { '×': '$\\times$', '−': '$-$', '²': '$^2$', '≥': '$\\geq$', '≤': '$\\leq$' }

/** Text as LaTeX: special characters escaped, and the symbols of TEX_SYMBOLS in math mode. */
export function texText(s: string): string {
  return s.replace(/\\/g, '\\textbackslash{}').replace(/([&%$#_{}])/g, '\\$1').replace(/~/g, '\\textasciitilde{}').replace(/\^/g, '\\textasciicircum{}')
    .replace(/[×−²≥≤]/g, (c) => TEX_SYMBOLS[c])
}

export function renderLatex(t: RegressionTable): string {
  const g = layout(t)
  const tex = texText
  const texStat = (s: string) => (s === 'R²' ? '$R^2$' : s === 'Within R²' ? 'Within $R^2$' : tex(s))
  const k = t.columns.length
  const out: string[] = []
  out.push('% requires \\usepackage{booktabs}')
  out.push('\\begin{table}[htbp]', '\\centering')
  if (t.title) out.push(`\\caption{${tex(t.title)}}`)
  out.push(`\\begin{tabular}{l*{${k}}{c}}`, '\\toprule')
  if (t.caption) out.push(` & \\multicolumn{${k}}{c}{${tex(t.caption)}} \\\\`, `\\cmidrule(lr){2-${k + 1}}`)
  if (t.heads) out.push(`${['', ...t.heads].map(tex).join(' & ')} \\\\`)
  out.push(`${g.header.map(tex).join(' & ')} \\\\`, '\\midrule')
  g.body.forEach((r, i) => {
    if (i > 0 && g.sections.includes(i)) out.push('\\midrule')
    if (r.kind === 'panel') {
      out.push(`\\multicolumn{${k + 1}}{l}{\\textit{${tex(r.cells[0])}}} \\\\`)
      return
    }
    const cells = r.cells.map((c, j) => {
      if (j === 0) return r.kind === 'stat' ? texStat(c) : tex(c)
      return r.stars[j] ? `${tex(c)}$^{${r.stars[j]}}$` : tex(c)
    })
    out.push(`${cells.join(' & ')} \\\\`)
  })
  out.push('\\bottomrule', '\\end{tabular}')
  out.push('\\par\\smallskip')
  out.push(`\\parbox{\\linewidth}{\\footnotesize ${[...t.notes, STARS_NOTE].map(tex).join(' ')}}`)
  out.push('\\end{table}', '')
  return out.join('\n')
}

const HTML_STYLE = `
  body { font-family: "Times New Roman", Times, serif; color: #000; background: #fff; margin: 2em; }
  table.regression { border-collapse: collapse; margin: 0 auto; font-size: 11pt; }
  table.regression caption { caption-side: top; font-size: 12pt; margin-bottom: 0.4em; }
  table.regression th, table.regression td { padding: 0.12em 0.9em; text-align: center; white-space: nowrap; }
  table.regression th:first-child, table.regression td:first-child { text-align: left; padding-left: 0; }
  table.regression thead tr:first-child th { border-top: 1.5px solid #000; }
  table.regression thead tr:last-child th { border-bottom: 0.8px solid #000; font-weight: normal; }
  table.regression thead tr.heads th { font-weight: normal; }
  table.regression tr.panel td { text-align: left; padding-top: 0.5em; }
  table.regression thead tr.depvar th[colspan] { border-bottom: 0.5px solid #000; font-weight: normal; font-style: italic; }
  table.regression tbody.first tr:first-child td { padding-top: 0.35em; }
  table.regression tbody + tbody tr:first-child td { border-top: 0.8px solid #000; }
  table.regression tbody:last-of-type tr:last-child td { border-bottom: 1.5px solid #000; }
  table.regression td.se { padding-bottom: 0.35em; }
  table.regression sup { font-size: 75%; line-height: 0; }
  p.notes { font-size: 9.5pt; max-width: 40em; margin: 0.6em auto; text-align: left; }
`

export function renderHtml(t: RegressionTable): string {
  const g = layout(t)
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
  const out: string[] = []
  out.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">')
  out.push(`<title>${esc(t.title ?? 'Regression results')}</title>`, `<style>${HTML_STYLE}</style>`, '</head>', '<body>')
  out.push('<table class="regression">')
  if (t.title) out.push(`<caption>${esc(t.title)}</caption>`)
  out.push('<thead>')
  if (t.caption) out.push(`<tr class="depvar"><th></th><th colspan="${t.columns.length}">${esc(t.caption)}</th></tr>`)
  if (t.heads) out.push(`<tr class="heads"><th></th>${t.heads.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`)
  out.push(`<tr>${g.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`, '</thead>')
  const bounds = [...g.sections, g.body.length]
  for (let s = 0; s + 1 < bounds.length; s++) {
    if (bounds[s] === bounds[s + 1]) continue
    out.push(s === 0 ? '<tbody class="first">' : '<tbody>')
    for (const r of g.body.slice(bounds[s], bounds[s + 1])) {
      if (r.kind === 'panel') {
        out.push(`<tr class="panel"><td colspan="${r.cells.length}"><i>${esc(r.cells[0])}</i></td></tr>`)
        continue
      }
      const cls = r.kind === 'se' ? ' class="se"' : ''
      const cells = r.cells.map((c, j) => {
        const label = r.kind === 'stat' && j === 0 ? esc(c).replace('R²', 'R<sup>2</sup>') : esc(c)
        return `<td${cls}>${label}${r.stars[j] ? `<sup>${r.stars[j]}</sup>` : ''}</td>`
      })
      out.push(`<tr>${cells.join('')}</tr>`)
    }
    out.push('</tbody>')
  }
  out.push('</table>')
  out.push(`<p class="notes"><i>Notes:</i> ${[...t.notes, STARS_NOTE].map(esc).join(' ')}</p>`)
  out.push('</body>', '</html>', '')
  return out.join('\n')
}

/** The table as displayed, one CSV row per table row (stars appended to the estimate). */
export function renderCsv(t: RegressionTable): string {
  const g = layout(t)
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
  const rows = [...(t.heads ? [['', ...t.heads]] : []), g.header, ...g.body.map((r) => r.cells.map((c, j) => c + (r.stars[j] ?? '')))]
  return rows.map((r) => r.map(q).join(',')).join('\n') + '\n'
}
