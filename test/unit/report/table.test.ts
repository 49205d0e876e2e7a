import { describe, expect, test } from 'vitest'
import { fixed, renderHtml, renderLatex, renderMarkdown, stars } from '../../../src/report/table.ts'
import type { RegressionTable } from '../../../src/report/table.ts'

describe('number formatting', () => {
  test('stars at 10/5/1 %, strict inequalities', () => {
    expect([0.2, 0.1, 0.0999, 0.05, 0.049, 0.01, 0.0099].map(stars)).toEqual(['', '', '*', '*', '**', '**', '***'])
  })
  test('fixed decimals never print a negative zero', () => {
    expect(fixed(-0.0001, 3)).toBe('0.000')
    expect(fixed(-0.0006, 3)).toBe('-0.001')
    expect(fixed(NaN, 3)).toBe('NA')
  })
})

const table: RegressionTable = {
  title: 'Effects & costs',
  caption: 'Dependent variable: ln_gdp',
  columns: [
    { label: '(1)', cells: new Map([['x_1', { estimate: 1.23456, stdError: 0.1, pValue: 0.003 }]]) },
    { label: '(2)', cells: new Map([['x_1', { estimate: -0.5, stdError: 0.4, pValue: 0.2 }], ['z', { estimate: 2, stdError: 1, pValue: 0.04 }]]) },
  ],
  terms: [{ term: 'x_1', label: 'Pilot × Post' }, { term: 'z', label: 'z' }],
  indicators: [{ label: 'City FE', values: ['Yes', 'Yes'] }],
  stats: [{ label: 'N', values: ['4,200', '4,051'] }, { label: 'R²', values: ['0.500', '0.600'] }],
  notes: ['Robust <SE>.'],
}

test('markdown: a blank cell where a term is not in the model', () => {
  const md = renderMarkdown(table)
  expect(md).toContain('| Pilot × Post | 1.235<sup>***</sup> | -0.500 |')
  expect(md).toContain('| z |  | 2.000<sup>**</sup> |')
  expect(md).toContain('|  | (0.100) | (0.400) |')
})

test('LaTeX: booktabs rules, escaped text, math for symbols', () => {
  const tex = renderLatex(table)
  expect(tex).toContain('\\caption{Effects \\& costs}')
  expect(tex).toContain('Dependent variable: ln\\_gdp')
  expect(tex).toContain('Pilot $\\times$ Post & 1.235$^{***}$ & -0.500 \\\\')
  expect(tex).toContain('$R^2$ & 0.500 & 0.600 \\\\')
  expect(tex.indexOf('\\toprule')).toBeLessThan(tex.indexOf('\\midrule'))
  expect(tex.indexOf('\\bottomrule')).toBeGreaterThan(tex.lastIndexOf('\\midrule'))
})

test('HTML: escaped text, rules by section', () => {
  const html = renderHtml(table)
  expect(html).toContain('<caption>Effects &amp; costs</caption>')
  expect(html).toContain('Robust &lt;SE&gt;.')
  expect(html.match(/<tbody/g)!.length).toBe(3)
  expect(html).toContain('<td>R<sup>2</sup></td>')
})
