import { expect, test } from 'vitest'
import { gridCsv, gridHtml, gridLatex, gridMarkdown, type GridTable } from '../../../src/report/grid.ts'

const table: GridTable = {
  title: 'Table 1. R&D | costs',
  spans: [[{ text: '', span: 1 }, { text: 'Pilot', span: 2 }, { text: '', span: 1 }]],
  header: ['Variable', 'N', 'Mean', 't'],
  align: ['l', 'c', 'c', 'c'],
  sections: [
    { label: 'Control variables', rows: [{ cells: ['energy_int', '1,350', '-0.5', '2.10'], stars: ['', '', '', '**'] }] },
    { label: 'Other', rows: [{ cells: ['a "b"', '2', '1.000', ''] }] },
  ],
  notes: ['Pilot × Post < 1.'],
  stars: true,
}

test('markdown: spanning heads in the first header line, section rows, stars as superscripts, escaped pipes', () => {
  const md = gridMarkdown(table)
  expect(md).toContain('**Table 1. R&D \\| costs**')
  expect(md).toContain('|  | Pilot |  |  |\n|:---|:---:|:---:|:---:|\n| Variable | N | Mean | t |')
  expect(md).toContain('| *Control variables* | | | |')
  expect(md).toContain('| energy_int | 1,350 | -0.5 | 2.10<sup>**</sup> |')
  expect(md).toContain('*\\* p < 0.10, \\*\\* p < 0.05, \\*\\*\\* p < 0.01.*')
})

test('LaTeX: booktabs, multicolumn heads with a rule under each named span, escaped text, sections with space between', () => {
  const tex = gridLatex(table)
  expect(tex).toContain('\\begin{tabular}{lccc}')
  expect(tex).toContain(' & \\multicolumn{2}{c}{Pilot} &  \\\\\n\\cmidrule(lr){2-3}')
  expect(tex).toContain('energy\\_int & 1,350 & -0.5 & 2.10$^{**}$ \\\\')
  expect(tex).toContain('\\addlinespace\n\\multicolumn{4}{l}{\\textit{Other}} \\\\')
  expect(tex).toContain('\\caption{Table 1. R\\&D | costs}')
  expect(tex).toContain('Pilot $\\times$ Post < 1.')
})

test('HTML escapes and spans; CSV quotes and keeps one row per table row', () => {
  const html = gridHtml(table)
  expect(html).toContain('<th class="c ruled" colspan="2">Pilot</th>')
  expect(html).toContain('<td class="l">a &quot;b&quot;</td>')
  expect(gridCsv(table).split('\n')).toEqual([',Pilot,,', 'Variable,N,Mean,t', 'Control variables,,,', 'energy_int,"1,350",-0.5,2.10**', 'Other,,,', '"a ""b""",2,1.000,', ''])
})
