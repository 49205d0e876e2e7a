/** `permutations:` — given labellings to replay, one per draw: columns `draw`, `unit`, `group`. */
import { readCsv, readCsvHeader } from '../../src/artifacts/csv.ts'
import { QuasiError } from '../../src/errors.ts'
import type { InputFile } from '../../src/stage.ts'

/**
 * Each draw's labelling (unit code → group index), in the order draws first appear. Every
 * unit of the sample appears once per draw, with a group name, and each draw's labels are
 * a permutation of the observed ones (the same number of units in every group).
 */
export function readPermutations(f: InputFile, units: readonly string[], groups: readonly string[], observed: Int32Array): Int32Array[] {
  const at = ['permutations']
  const text = new TextDecoder().decode(f.bytes)
  const header = readCsvHeader(text) ?? []
  const types = Object.fromEntries(['draw', 'unit', 'group'].filter((c) => header.includes(c)).map((c) => [c, 'string' as const]))
  const { frame } = readCsv(text, { file: f.rel, types })
  const missing = ['draw', 'unit', 'group'].filter((c) => !frame.has(c))
  if (missing.length) {
    throw new QuasiError('MISSING_COLUMN', `${f.rel} has no column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `\`${c}\``).join(', ')}`, {
      param: at, expected: 'columns `draw`, `unit`, `group`', found: frame.names.map((c) => `\`${c}\``).join(', ') || 'no columns',
    })
  }
  const col = (c: string) => frame.column(c)!.data as readonly (string | null)[]
  const draws = col('draw'), unitsIn = col('unit'), groupsIn = col('group')
  const unitAt = new Map(units.map((u, k) => [u, k]))
  const groupAt = new Map(groups.map((g, k) => [g, k]))
  const U = units.length
  const byDraw = new Map<string, Int32Array>()
  for (let i = 0; i < frame.nrows; i++) {
    const row = i + 2
    const draw = (draws[i] ?? '').trim()
    if (draw === '') throw new QuasiError('BAD_DATA', `${f.rel} row ${row}: \`draw\` is empty`, { param: at })
    const u = unitAt.get((unitsIn[i] ?? '').trim())
    if (u === undefined) {
      throw new QuasiError('BAD_DATA', `${f.rel} row ${row}: unit \`${unitsIn[i] ?? ''}\` is not a unit of the sample`, { param: at, expected: `one of the ${U} units of the groups' estimation sample` })
    }
    const g = groupAt.get((groupsIn[i] ?? '').trim())
    if (g === undefined) {
      throw new QuasiError('BAD_DATA', `${f.rel} row ${row}: group \`${groupsIn[i] ?? ''}\` is not a group of \`by\``, { param: at, expected: groups.map((n) => `\`${n}\``).join(', ') })
    }
    let d = byDraw.get(draw)
    if (!d) { d = new Int32Array(U).fill(-1); byDraw.set(draw, d) }
    if (d[u] !== -1) throw new QuasiError('BAD_DATA', `${f.rel} row ${row}: unit \`${units[u]}\` appears twice in draw ${draw}`, { param: at, expected: 'each unit once per draw' })
    d[u] = g
  }
  if (byDraw.size === 0) throw new QuasiError('EMPTY_DATA', `${f.rel} has no draws`, { param: at })
  const want = counts(observed, groups.length)
  for (const [draw, d] of byDraw) {
    const u = d.indexOf(-1)
    if (u >= 0) throw new QuasiError('BAD_DATA', `${f.rel}: draw ${draw} gives no group for unit \`${units[u]}\``, { param: at, expected: 'every unit of the sample once per draw' })
    const got = counts(d, groups.length)
    const g = got.findIndex((c, k) => c !== want[k])
    if (g >= 0) {
      throw new QuasiError('BAD_DATA', `${f.rel}: draw ${draw} is not a permutation of the observed labels: group \`${groups[g]}\` has ${got[g]} units, observed ${want[g]}`, {
        param: at, expected: 'the observed group sizes in every draw',
      })
    }
  }
  return [...byDraw.values()]
}

function counts(labels: Int32Array, m: number): number[] {
  const c = new Array<number>(m).fill(0)
  for (const g of labels) if (g >= 0) c[g]++
  return c
}
