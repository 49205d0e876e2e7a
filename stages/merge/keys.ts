/**
 * Join keys: resolving `on`, checking the key columns on both sides, and turning each row's
 * key into one comparable string.
 *
 * Keys compare by their written value: numbers in shortest round-trip form (`String(x)`,
 * so 2010 and 2010.0 are the same key and −0 is "0"), text as is (case and spaces count).
 * A numeric key column may meet a text one: that is accepted only when every text key is
 * exactly some number's written form ("110000", not "0110000", "110000.0" or " 110000"),
 * so the join means the same as converting the text column to numbers first. Otherwise the
 * rows could never match and the join is refused with the offending values named.
 * A row with a missing key part matches nothing.
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import { suggest } from '../../src/suggest.ts'

/** One key column on each side; `param` is where it was written inside `with:`. */
export interface KeyPair {
  readonly left: string
  readonly right: string
  readonly param: readonly (string | number)[]
}

/** A side of the join as named in messages: `left` (stage `panel`). */
export interface Side {
  readonly name: 'left' | 'right'
  readonly stage: string
  readonly frame: Frame
}

/** How many example keys or rows a message lists before "…". */
export const EXAMPLES_SHOWN = 5

export type On = string | readonly string[] | Readonly<Record<string, string>>

/** The key pairs `on` names, unchecked. */
export function keyPairs(on: On): KeyPair[] {
  if (typeof on === 'string') return [{ left: on, right: on, param: ['on'] }]
  if (Array.isArray(on)) return on.map((c, i) => ({ left: c, right: c, param: ['on', i] }))
  return Object.entries(on).map(([l, r]) => ({ left: l, right: r, param: ['on', l] }))
}

export function resolveOn(on: On, left: Side, right: Side): KeyPair[] {
  const pairs = keyPairs(on)
  for (const p of pairs) {
    requireColumn(left, p.left, p.param)
    requireColumn(right, p.right, p.param)
  }
  for (const side of ['left', 'right'] as const) {
    const seen = new Set<string>()
    for (const p of pairs) {
      if (seen.has(p[side])) {
        throw new QuasiError('INVALID_VALUE', `key column \`${p[side]}\` is named twice on the ${side} side of \`on\``, {
          param: p.param,
        })
      }
      seen.add(p[side])
    }
  }
  for (const p of pairs) checkKeyTypes(p, left, right)
  return pairs
}

function requireColumn(side: Side, name: string, param: readonly (string | number)[]): void {
  if (side.frame.has(name)) return
  const near = suggest(name, side.frame.names)
  throw new QuasiError('MISSING_COLUMN', `key column \`${name}\` is not in \`${side.name}\` (stage \`${side.stage}\`)`, {
    param,
    expected: `a column of stage \`${side.stage}\``,
    found: `\`${name}\``,
    hint: near
      ? `did you mean \`${near}\`?`
      : `\`${side.stage}\` has: ${side.frame.names.slice(0, 12).join(', ')}${side.frame.ncols > 12 ? ', …' : ''}. ` +
        'If the key is named differently on the two sides, write `on: {left_name: right_name}`.',
  })
}

/** Numbers meet text only where each text key is a number's exact written form. */
function checkKeyTypes(p: KeyPair, left: Side, right: Side): void {
  const lt = left.frame.column(p.left)!.type
  const rt = right.frame.column(p.right)!.type
  if (lt === rt) return
  const text = lt === 'string' ? left : right
  const col = lt === 'string' ? p.left : p.right
  const bad: string[] = []
  let nbad = 0
  const data = text.frame.strings(col)
  for (let i = 0; i < data.length; i++) {
    const s = data[i]
    if (s === null || isNumberText(s)) continue
    if (nbad++ < EXAMPLES_SHOWN) bad.push(`${JSON.stringify(s)} (row ${i + 1})`)
  }
  if (nbad === 0) return
  const num = text === left ? right : left
  throw new QuasiError(
    'BAD_DATA',
    `key \`${p.left === p.right ? p.left : `${p.left}\` = \`${p.right}`}\` is numeric in \`${num.name}\` (stage \`${num.stage}\`) ` +
      `but text in \`${text.name}\` (stage \`${text.stage}\`), and ${nbad} text key${nbad === 1 ? ' is' : 's are'} not a plain number: ` +
      bad.join(', ') + (nbad > bad.length ? ', …' : ''),
    {
      param: p.param,
      expected: 'key columns of the same type, or text keys written as plain numbers',
      found: `numeric \`${num.name}\` key, text \`${text.name}\` key`,
      hint:
        'A number matches text only in its shortest written form (110000 matches "110000", not "0110000" or "110000.0"). ' +
        'Read the column with the same type on both sides.',
    },
  )
}

/** True when `s` is exactly how some number is written by `String(x)`. */
export function isNumberText(s: string): boolean {
  const x = Number(s)
  return !Number.isNaN(x) && String(x) === s
}

/**
 * One comparable string per row (null when a key part is missing). A single key is its
 * written value; a composite key is the JSON array of the written values, which cannot
 * collide however the parts are spelled.
 */
export function rowKeys(frame: Frame, cols: readonly string[]): (string | null)[] {
  const out = new Array<string | null>(frame.nrows)
  for (let i = 0; i < frame.nrows; i++) {
    if (cols.length === 1) {
      out[i] = frame.key(cols[0], i)
      continue
    }
    const parts: string[] = []
    for (const c of cols) {
      const k = frame.key(c, i)
      if (k === null) break
      parts.push(k)
    }
    out[i] = parts.length === cols.length ? JSON.stringify(parts) : null
  }
  return out
}

/** A row's key for messages: `"Beijing"`, `110000`, or `(city="Beijing", year=2010)`. */
export function showKey(frame: Frame, cols: readonly string[], row: number): string {
  const one = (c: string): string => {
    const col = frame.column(c)!
    const k = frame.key(c, row)
    if (k === null) return 'NA'
    return col.type === 'string' ? JSON.stringify(k) : k
  }
  if (cols.length === 1) return one(cols[0])
  return '(' + cols.map((c) => `${c}=${one(c)}`).join(', ') + ')'
}
