/**
 * merge: join two frames on key columns, with the key relation declared (`validate`) and
 * checked, and the rows that found no partner reported on each side.
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import { defineStage } from '../../src/stage.ts'
import type { StageContext } from '../../src/stage.ts'
import { assemble } from './assemble.ts'
import { duplicatedKeys, indexKeys, pairRows } from './join.ts'
import { EXAMPLES_SHOWN, resolveOn, rowKeys, showKey } from './keys.ts'
import type { KeyPair, Side } from './keys.ts'
import { knownColumns } from './columns.ts'
import { mergeParams } from './params.ts'
import type { MergeParams } from './params.ts'
import { unmatchedCsv } from './report.ts'

export default defineStage<MergeParams>({
  kind: 'merge',
  version: 1,
  description: 'Join two frames on key columns (declared 1:1, m:1 or 1:m), reporting unmatched rows on each side.',
  params: mergeParams,
  references: ['left', 'right'],
  produces: ['frame', 'data'],
  facts: ['rows', 'matched(left)', 'matched(right)', 'unmatched(left)', 'unmatched(right)'],
  consumes: { left: 'frame', right: 'frame' },
  columns: knownColumns,
  async run(ctx) {
    const p = ctx.params
    const left: Side = { name: 'left', stage: p.left, frame: inputFrame(ctx, 'left') }
    const right: Side = { name: 'right', stage: p.right, frame: inputFrame(ctx, 'right') }
    const keys = resolveOn(p.on, left, right)
    const leftCols = keys.map((k) => k.left)
    const rightCols = keys.map((k) => k.right)
    const leftKeys = rowKeys(left.frame, leftCols)
    const rightKeys = rowKeys(right.frame, rightCols)
    checkRelation(p, keys, [left, leftKeys], [right, rightKeys])
    for (const k of keys) {
      if (left.frame.column(k.left)!.type !== right.frame.column(k.right)!.type) {
        ctx.log.info(`key \`${k.left}\`: numbers and text compared by their written value`)
      }
    }

    const pairs = pairRows(leftKeys, rightKeys, p.how)
    const { frame, renamed } = assemble(left, right, keys, pairs, p.suffix)

    const nl = left.frame.nrows
    const nr = right.frame.nrows
    const ul = pairs.unmatchedLeft.length
    const ur = pairs.unmatchedRight.length
    ctx.log.info(
      `${p.how} join on ${keys.map((k) => (k.left === k.right ? k.left : `${k.left}=${k.right}`)).join(', ')} ` +
        `(validate ${p.validate}): left ${nl} rows, right ${nr} rows → ${frame.nrows} rows, ${frame.ncols} columns`,
    )
    ctx.log.info(`matched: ${nl - ul} of ${nl} left rows, ${nr - ur} of ${nr} right rows`)
    const dropped = (side: 'left' | 'right') =>
      (side === 'left' ? p.how === 'inner' : p.how !== 'outer') ? 'dropped' : 'kept with missing values'
    if (ul > 0) ctx.log.warn(`unmatched left rows: ${ul} (${dropped('left')}); keys ${examples(left.frame, leftCols, pairs.unmatchedLeft)}`)
    if (ur > 0) ctx.log.warn(`unmatched right rows: ${ur} (${dropped('right')}); keys ${examples(right.frame, rightCols, pairs.unmatchedRight)}`)
    const missl = leftKeys.filter((k) => k === null).length
    const missr = rightKeys.filter((k) => k === null).length
    if (missl > 0) ctx.log.warn(`${missl} left rows have a missing key value; missing keys match nothing`)
    if (missr > 0) ctx.log.warn(`${missr} right rows have a missing key value; missing keys match nothing`)
    for (const r of renamed) ctx.log.warn(`column \`${r.from}\` is on both sides: the ${r.side} one is now \`${r.to}\``)

    return {
      frame,
      files: { 'unmatched.csv': unmatchedCsv(left, right, keys, pairs) },
      facts: {
        rows: frame.nrows,
        'matched(left)': nl - ul,
        'matched(right)': nr - ur,
        'unmatched(left)': ul,
        'unmatched(right)': ur,
      },
      data: {
        how: p.how,
        validate: p.validate,
        on: keys.map((k) => ({ left: k.left, right: k.right })),
        rows: frame.nrows,
        matched: { left: nl - ul, right: nr - ur },
        unmatched: { left: ul, right: ur },
        renamed: renamed.map((r) => ({ side: r.side, from: r.from, to: r.to })),
      },
    }
  },
})

function inputFrame(ctx: StageContext<MergeParams>, param: 'left' | 'right'): Frame {
  const stage = ctx.params[param]
  const f = ctx.input(stage).frame
  if (f) return f
  throw new QuasiError('INVALID_VALUE', `stage \`${stage}\` produces no table to merge`, {
    param: [param],
    expected: 'a stage that produces a frame (ingest, impute, derive, merge, …)',
    found: `\`${stage}\` (${ctx.input(stage).kind})`,
  })
}

/** The first few keys of `rows`, for messages: `"Lhasa", "Sansha", … (12 in all)`. */
function examples(frame: Frame, cols: readonly string[], rows: readonly number[]): string {
  const shown = rows.slice(0, EXAMPLES_SHOWN).map((r) => showKey(frame, cols, r))
  return shown.join(', ') + (rows.length > shown.length ? `, … (${rows.length} in all)` : '')
}

/**
 * `validate` names the sides whose keys must be unique: m:1 the right, 1:m the left, 1:1
 * both. Checked on the whole input, matched or not, as Stata's `merge` and pandas do.
 */
function checkRelation(
  p: MergeParams,
  keys: readonly KeyPair[],
  ...sides: [Side, (string | null)[]][]
): void {
  const mustBeUnique = { 'm:1': ['right'], '1:m': ['left'], '1:1': ['left', 'right'] }[p.validate]
  const found: { side: Side; cols: string[]; dups: [string, number[]][] }[] = []
  for (const [side, rowKeyList] of sides) {
    if (!mustBeUnique.includes(side.name)) continue
    const dups = duplicatedKeys(indexKeys(rowKeyList))
    if (dups.length > 0) found.push({ side, cols: keys.map((k) => k[side.name]), dups })
  }
  if (found.length === 0) return
  const parts = found.map(({ side, cols, dups }) => {
    const shown = dups
      .slice(0, EXAMPLES_SHOWN)
      .map(([, rows]) => `${showKey(side.frame, cols, rows[0])} (rows ${rows.slice(0, EXAMPLES_SHOWN).map((r) => r + 1).join(', ')}${rows.length > EXAMPLES_SHOWN ? ', …' : ''})`)
    return (
      `\`${side.name}\` (stage \`${side.stage}\`) has ${dups.length} duplicated key${dups.length === 1 ? '' : 's'}: ` +
      shown.join(', ') + (dups.length > shown.length ? ', …' : '')
    )
  })
  const where = mustBeUnique.length === 2 ? 'on each side' : `on the ${mustBeUnique[0]}`
  let hint = 'many-to-many joins are refused: add the column that makes the keys unique (e.g. the year) to `on`, or remove the duplicates first.'
  if (found.length === 1) {
    const s = found[0].side
    const t = s.name === 'left' ? 'right' : 'left'
    hint =
      `if several ${s.name} rows per key are intended, declare \`validate: ${s.name === 'left' ? 'm:1' : '1:m'}\`` +
      (p.validate === '1:1' ? '' : ` (the ${t} keys must then be unique)`) +
      `; otherwise remove the duplicates in \`${s.stage}\` first, or add the column that tells them apart to \`on\`.`
  }
  throw new QuasiError('BAD_DATA', `duplicate merge keys: ${parts.join('; ')}`, {
    param: ['validate'],
    expected: `each key at most once ${where} (\`validate: ${p.validate}\`)`,
    found: found.map((f) => `duplicated keys on the ${f.side.name}`).join(' and '),
    hint,
  })
}
