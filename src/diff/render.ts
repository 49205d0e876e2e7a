/** A RunDiff as plain text (the default), Markdown (for CI summaries) or JSON (for tools). */
import type { ExpectationResult, RunDiff } from './runs.ts'

export type DiffFormat = 'text' | 'md' | 'json'

const expectation = (e?: ExpectationResult) => (e ? `${e.held ? 'holds' : 'fails'} (${e.left} vs ${e.right})` : 'absent')

/** |b − a| and its size relative to |a|, when both cells are numbers. */
function delta(a: string, b: string): string {
  const x = Number(a)
  const y = Number(b)
  if (a.trim() === '' || b.trim() === '' || !Number.isFinite(x) || !Number.isFinite(y)) return ''
  const d = y - x
  return x === 0 ? `Δ ${fmt(d)}` : `Δ ${fmt(d)} (${fmt((100 * d) / Math.abs(x))} %)`
}
const fmt = (v: number) => (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? String(Number(v.toPrecision(4))) : v.toExponential(3))

interface Line {
  readonly file: string
  readonly row: string
  readonly column: string
  readonly a: string
  readonly b: string
  readonly note: string
}

/** Every difference as one line of (file, row key, column, value in A, value in B). */
export function diffLines(d: RunDiff): Line[] {
  const lines: Line[] = []
  for (const f of d.filesOnlyA) lines.push({ file: f, row: '', column: '', a: 'present', b: 'absent', note: 'file only in A' })
  for (const f of d.filesOnlyB) lines.push({ file: f, row: '', column: '', a: 'absent', b: 'present', note: 'file only in B' })
  for (const { file, diff } of d.tables) {
    for (const c of diff.columnsOnlyA) lines.push({ file, row: '', column: c, a: 'present', b: 'absent', note: 'column only in A' })
    for (const c of diff.columnsOnlyB) lines.push({ file, row: '', column: c, a: 'absent', b: 'present', note: 'column only in B' })
    for (const r of diff.rowsOnlyA) lines.push({ file, row: r, column: '', a: 'present', b: 'absent', note: 'row only in A' })
    for (const r of diff.rowsOnlyB) lines.push({ file, row: r, column: '', a: 'absent', b: 'present', note: 'row only in B' })
    for (const c of diff.changed) lines.push({ file, row: c.key, column: c.column, a: c.a, b: c.b, note: delta(c.a, c.b) })
  }
  for (const s of d.stages) lines.push({ file: s.file, row: s.stage, column: 'status', a: s.a ?? 'absent', b: s.b ?? 'absent', note: 'stage outcome' })
  for (const e of d.expectations) lines.push({ file: e.file, row: e.stage, column: `expect ${e.expr}`, a: expectation(e.a), b: expectation(e.b), note: '' })
  return lines
}

function summary(d: RunDiff, n: number): string {
  return d.same ? `same: ${d.compared} table${d.compared === 1 ? '' : 's'} agree within the tolerance` : `${n} difference${n === 1 ? '' : 's'}`
}

export function renderDiff(d: RunDiff, format: DiffFormat, labels: { a: string; b: string }): string {
  const lines = diffLines(d)
  if (format === 'json') return JSON.stringify({ a: labels.a, b: labels.b, same: d.same, compared: d.compared, differences: lines }, null, 2) + '\n'
  if (format === 'md') {
    const esc = (s: string) => s.replace(/\|/g, '\\|')
    const rows = lines.map((l) => `| ${[l.file, l.row, l.column, l.a, l.b, l.note].map(esc).join(' | ')} |`)
    const table = lines.length ? ['', '| file | row | column | A | B | note |', '| --- | --- | --- | --- | --- | --- |', ...rows] : []
    return [`**quasi diff** A: \`${labels.a}\`, B: \`${labels.b}\`: ${summary(d, lines.length)}`, ...table].join('\n') + '\n'
  }
  const out = [`A: ${labels.a}`, `B: ${labels.b}`]
  let file = ''
  for (const l of lines) {
    if (l.file !== file) out.push(l.file)
    file = l.file
    const where = [l.row, l.column].filter(Boolean).join('  ')
    out.push(`  ${where ? where + ': ' : ''}${l.a} → ${l.b}${l.note ? `  [${l.note}]` : ''}`)
  }
  out.push(summary(d, lines.length))
  return out.join('\n') + '\n'
}
