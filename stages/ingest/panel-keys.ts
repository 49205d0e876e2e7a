/**
 * Panel key checks on a freshly read frame: every row has a unit and a time, time is an
 * integer, and no unit-time pair appears twice. Offending rows are named as the user sees
 * them (row 2 is the first data row below the header).
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'

const SHOW = 5

export function checkPanelKeys(frame: Frame, unit: string, time: string, file: string): void {
  const t = frame.column(time)
  // Without rows every column reads as text, and "not numeric" would point the wrong way.
  if (frame.nrows === 0 && t) {
    throw new QuasiError('BAD_DATA', `${file} has no data rows (only a header), so it holds no panel`, {
      expected: `rows of ${unit} and ${time} below the header`,
      found: 'a header line only',
      hint: 'check that the file is the one you meant and that it was written completely',
    })
  }
  if (t?.type !== 'number') {
    throw new QuasiError('BAD_PANEL_TIME', `${file}: time column \`${time}\` is not numeric`, {
      expected: 'integer periods such as 2007, 2008, …',
      found: t ? `text values such as \`${t.data.find((v) => v !== null) ?? ''}\`` : 'no such column',
      hint: 'declare the panel\'s time column as a whole number, or fix `panel.time` at the top of the pipeline',
    })
  }
  const bad: string[] = []
  const missing: number[] = []
  for (let i = 0; i < frame.nrows; i++) {
    const v = t.data[i]
    if (Number.isNaN(v) || frame.key(unit, i) === null) missing.push(i + 2)
    else if (!Number.isInteger(v)) bad.push(`row ${i + 2} (\`${v}\`)`)
  }
  if (missing.length > 0) {
    throw new QuasiError('BAD_PANEL_TIME', `${file}: ${missing.length} row${missing.length > 1 ? 's have' : ' has'} no \`${unit}\` or \`${time}\`: rows ${list(missing.map(String))}`, {
      hint: 'every row of a panel needs both keys; drop those rows or fill them in',
    })
  }
  if (bad.length > 0) {
    throw new QuasiError('BAD_PANEL_TIME', `${file}: time column \`${time}\` has non-integer values: ${list(bad)}`, {
      expected: 'integer periods',
      hint: 'quasi indexes time by whole periods (years); round or recode them',
    })
  }
  const first = new Map<string, number>()
  const dups: string[] = []
  let count = 0
  for (let i = 0; i < frame.nrows; i++) {
    const k = `${frame.key(unit, i)}\u0000${t.data[i]}`
    const j = first.get(k)
    if (j === undefined) first.set(k, i)
    else {
      count++
      if (dups.length < SHOW) dups.push(`rows ${j + 2} and ${i + 2} (${unit} ${frame.key(unit, i)}, ${time} ${t.data[i]})`)
    }
  }
  if (count > 0) {
    throw new QuasiError('DUPLICATE_PANEL_KEY', `${file}: ${count} duplicate ${unit}-${time} row${count > 1 ? 's' : ''}: ${dups.join('; ')}${count > SHOW ? '; …' : ''}`, {
      hint: 'each unit may appear once per period; remove the duplicates or aggregate them before ingesting',
    })
  }
}

function list(items: string[]): string {
  return items.slice(0, SHOW).join(', ') + (items.length > SHOW ? `, … (${items.length} in all)` : '')
}
