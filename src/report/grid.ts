/**
 * Paper tables that are not regression tables — descriptive statistics, balance tests,
 * correlation matrices: a grid of text cells under column labels, optionally with header
 * lines whose cells span columns (a group's name over its N, Mean and SD), rows in sections
 * opened by a label row ("Control variables"), significance stars, and notes. Rendered to
 * Markdown, LaTeX (booktabs), HTML and CSV from one layout, like ./table.ts, with the cells
 * already formatted by the caller (so the same numbers always give the same bytes).
 */
import { STARS_NOTE, texText } from './table.ts'

export interface GridSpan {
  readonly text: string
  /** Columns the cell covers (>= 1). */
  readonly span: number
}

export interface GridRow {
  readonly cells: readonly string[]
  /** Stars per cell ('' for none), printed as a superscript after the cell. */
  readonly stars?: readonly string[]
}

export interface GridSection {
  /** A row of its own above the section's rows, e.g. "Dependent variable". */
  readonly label?: string
  readonly rows: readonly GridRow[]
}

export interface GridTable {
  readonly title?: string
  /** Header lines above the column labels; each line's spans add up to the number of columns. */
  readonly spans?: readonly (readonly GridSpan[])[]
  /** Column labels, one per column (the first columns usually name the rows). */
  readonly header: readonly string[]
  /** Alignment per column: `l` for the label columns, `c` for numbers. */
  readonly align: readonly ('l' | 'c' | 'r')[]
  readonly sections: readonly GridSection[]
  readonly notes: readonly string[]
  /** Print the stars legend after the notes. */
  readonly stars?: boolean
}

const notesOf = (t: GridTable) => (t.stars ? [...t.notes, STARS_NOTE] : [...t.notes])

export function gridMarkdown(t: GridTable): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\*/g, '\\*')
  const k = t.header.length
  const lines: string[] = []
  if (t.title) lines.push(`**${esc(t.title)}**`, '')
  // Markdown has one header line: spanning lines come first with the text in the span's first cell.
  const spanCells = (line: readonly GridSpan[]) => line.flatMap((s) => [s.text, ...Array<string>(s.span - 1).fill('')])
  const heads = [...(t.spans ?? []).map(spanCells), [...t.header]]
  lines.push(`| ${heads[0].map(esc).join(' | ')} |`)
  lines.push(`|${t.align.map((a) => (a === 'l' ? ':---' : a === 'r' ? '---:' : ':---:')).join('|')}|`)
  for (const h of heads.slice(1)) lines.push(`| ${h.map(esc).join(' | ')} |`)
  for (const s of t.sections) {
    if (s.label !== undefined) lines.push(`| *${esc(s.label)}* |${' |'.repeat(k - 1)}`)
    for (const r of s.rows) lines.push(`| ${r.cells.map((c, j) => esc(c) + (r.stars?.[j] ? `<sup>${r.stars[j]}</sup>` : '')).join(' | ')} |`)
  }
  lines.push('')
  for (const n of notesOf(t)) lines.push(`*${esc(n)}*`, '')
  return lines.join('\n')
}

export function gridLatex(t: GridTable): string {
  const k = t.header.length
  const out: string[] = ['% requires \\usepackage{booktabs}', '\\begin{table}[htbp]', '\\centering']
  if (t.title) out.push(`\\caption{${texText(t.title)}}`)
  out.push(`\\begin{tabular}{${t.align.join('')}}`, '\\toprule')
  for (const line of t.spans ?? []) {
    let at = 1
    const rules: string[] = []
    const cells = line.map((s) => {
      const from = at
      at += s.span
      if (s.text && s.span > 1) rules.push(`\\cmidrule(lr){${from}-${from + s.span - 1}}`)
      return s.span > 1 ? `\\multicolumn{${s.span}}{c}{${texText(s.text)}}` : texText(s.text)
    })
    out.push(`${cells.join(' & ')} \\\\`)
    if (rules.length) out.push(rules.join(''))
  }
  out.push(`${t.header.map(texText).join(' & ')} \\\\`, '\\midrule')
  t.sections.forEach((s, i) => {
    if (i > 0 && s.label === undefined) out.push('\\midrule')
    if (s.label !== undefined) {
      if (i > 0) out.push('\\addlinespace')
      out.push(`\\multicolumn{${k}}{l}{\\textit{${texText(s.label)}}} \\\\`)
    }
    for (const r of s.rows) out.push(`${r.cells.map((c, j) => (r.stars?.[j] ? `${texText(c)}$^{${r.stars[j]}}$` : texText(c))).join(' & ')} \\\\`)
  })
  out.push('\\bottomrule', '\\end{tabular}')
  const notes = notesOf(t)
  if (notes.length) out.push('\\par\\smallskip', `\\parbox{\\linewidth}{\\footnotesize ${notes.map(texText).join(' ')}}`)
  out.push('\\end{table}', '')
  return out.join('\n')
}

const HTML_STYLE = `
  body { font-family: "Times New Roman", Times, serif; color: #000; background: #fff; margin: 2em; }
  table.grid { border-collapse: collapse; margin: 0 auto; font-size: 11pt; }
  table.grid caption { caption-side: top; font-size: 12pt; margin-bottom: 0.4em; }
  table.grid th, table.grid td { padding: 0.12em 0.8em; white-space: nowrap; }
  table.grid .l { text-align: left; } table.grid .c { text-align: center; } table.grid .r { text-align: right; }
  table.grid th:first-child, table.grid td:first-child { padding-left: 0; }
  table.grid thead tr:first-child th { border-top: 1.5px solid #000; }
  table.grid thead tr:last-child th { border-bottom: 0.8px solid #000; font-weight: normal; }
  table.grid thead tr.span th { font-weight: normal; }
  table.grid thead tr.span th.ruled { border-bottom: 0.5px solid #000; }
  table.grid tr.section td { padding-top: 0.5em; font-style: italic; }
  table.grid tbody tr:last-child td { border-bottom: 1.5px solid #000; }
  table.grid sup { font-size: 75%; line-height: 0; }
  p.notes { font-size: 9.5pt; max-width: 48em; margin: 0.6em auto; text-align: left; }
`

export function gridHtml(t: GridTable): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
  const k = t.header.length
  const out: string[] = ['<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">']
  out.push(`<title>${esc(t.title ?? 'Table')}</title>`, `<style>${HTML_STYLE}</style>`, '</head>', '<body>', '<table class="grid">')
  if (t.title) out.push(`<caption>${esc(t.title)}</caption>`)
  out.push('<thead>')
  for (const line of t.spans ?? []) {
    out.push(`<tr class="span">${line.map((s) => `<th class="c${s.text && s.span > 1 ? ' ruled' : ''}"${s.span > 1 ? ` colspan="${s.span}"` : ''}>${esc(s.text)}</th>`).join('')}</tr>`)
  }
  out.push(`<tr>${t.header.map((h, j) => `<th class="${t.align[j]}">${esc(h)}</th>`).join('')}</tr>`, '</thead>', '<tbody>')
  for (const s of t.sections) {
    if (s.label !== undefined) out.push(`<tr class="section"><td class="l" colspan="${k}">${esc(s.label)}</td></tr>`)
    for (const r of s.rows) {
      out.push(`<tr>${r.cells.map((c, j) => `<td class="${t.align[j]}">${esc(c)}${r.stars?.[j] ? `<sup>${r.stars[j]}</sup>` : ''}</td>`).join('')}</tr>`)
    }
  }
  out.push('</tbody>', '</table>')
  const notes = notesOf(t)
  if (notes.length) out.push(`<p class="notes"><i>Notes:</i> ${notes.map(esc).join(' ')}</p>`)
  out.push('</body>', '</html>', '')
  return out.join('\n')
}

/** The table as displayed, one CSV row per table row (a section label is a row of its own; stars appended). */
export function gridCsv(t: GridTable): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
  const k = t.header.length
  const rows: string[][] = []
  for (const line of t.spans ?? []) rows.push(line.flatMap((s) => [s.text, ...Array<string>(s.span - 1).fill('')]))
  rows.push([...t.header])
  for (const s of t.sections) {
    if (s.label !== undefined) rows.push([s.label, ...Array<string>(k - 1).fill('')])
    for (const r of s.rows) rows.push(r.cells.map((c, j) => c + (r.stars?.[j] ?? '')))
  }
  return rows.map((r) => r.map(q).join(',')).join('\n') + '\n'
}

/** `<name>.md`, `.tex`, `.html` and `.csv` of one table. */
export function gridFiles(name: string, t: GridTable): Record<string, string> {
  return { [`${name}.md`]: gridMarkdown(t), [`${name}.tex`]: gridLatex(t), [`${name}.html`]: gridHtml(t), [`${name}.csv`]: gridCsv(t) }
}
