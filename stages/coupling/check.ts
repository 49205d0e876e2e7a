/**
 * coupling's checks that need no data: α fits the subsystems and sums to 1, no indicator is
 * written twice in a subsystem, `shift` only with min–max.
 */
import { QuasiError } from '../../src/errors.ts'
import { SYNCHRONOUS } from '../../src/stats/coupling/ccd.ts'
import { suggest } from '../../src/suggest.ts'
import type { CouplingParams } from './params.ts'
import { resolveSubsystems } from './subsystems.ts'

/** How far Σ α may be from 1: decimals such as 0.3 + 0.3 + 0.4 are not exact in binary. */
export const ALPHA_SUM_TOLERANCE = 1e-9

export function checkCoupling(p: CouplingParams): QuasiError[] {
  const errors: QuasiError[] = []
  const subs = resolveSubsystems(p)
  const names = subs.map((s) => s.name)
  if (subs.length < 2) {
    errors.push(new QuasiError('INVALID_VALUE', `\`subsystems\` names ${subs.length === 0 ? 'no subsystem' : `only \`${names[0]}\``}; coupling needs at least 2`, {
      param: ['subsystems'], expected: 'two or more subsystems, e.g. `economy: [gdp_pc, fin]` and `environment: { negative: [so2] }`', found: `${subs.length}`,
    }))
  }
  for (const s of subs) {
    if (s.name === SYNCHRONOUS) {
      errors.push(new QuasiError('INVALID_VALUE', `\`${SYNCHRONOUS}\` cannot name a subsystem: the \`lagging\` column uses it for rows where none lags`, { param: s.param, hint: 'choose another name' }))
    }
    const seen = new Map<string, string>()
    for (const ind of s.indicators) {
      const before = seen.get(ind.column)
      if (before !== undefined) {
        errors.push(new QuasiError('INVALID_VALUE', `indicator \`${ind.column}\` appears twice in subsystem \`${s.name}\` (${before} and ${ind.direction})`, {
          param: ind.param, hint: 'list each indicator once, under `positive` (more is better) or `negative` (more is worse)',
        }))
      }
      seen.set(ind.column, ind.direction)
    }
  }
  if (p.shift > 0 && p.normalization === 'ratio') {
    errors.push(new QuasiError('INVALID_VALUE', '`shift` applies to min–max normalisation only', { param: ['shift'], expected: '`shift: 0` with `normalization: ratio`', found: `\`${p.shift}\``, hint: 'remove `shift`, or use `normalization: min-max`' }))
  }
  if (p.alpha !== undefined) {
    let values: number[]
    if (Array.isArray(p.alpha)) {
      values = p.alpha
      if (values.length !== subs.length) {
        errors.push(new QuasiError('INVALID_VALUE', `\`alpha\` has ${values.length} weights for ${subs.length} subsystems`, {
          param: ['alpha'], expected: `${subs.length} weights, in the order of \`subsystems\`: ${names.join(', ')}`, found: `${values.length}`,
        }))
        return errors
      }
    } else {
      const map = p.alpha
      const keys = Object.keys(map)
      const before = errors.length
      for (const k of keys) {
        if (!names.includes(k)) {
          const near = suggest(k, names)
          errors.push(new QuasiError('INVALID_VALUE', `\`alpha\` names \`${k}\`, which is not a subsystem${near ? `; did you mean \`${near}\`?` : ''}`, { param: ['alpha', k], expected: `one of ${names.map((n) => '`' + n + '`').join(', ')}` }))
        }
      }
      const missing = names.filter((n) => !(n in map))
      if (missing.length) errors.push(new QuasiError('INVALID_VALUE', `\`alpha\` gives no weight to ${missing.map((n) => '`' + n + '`').join(', ')}`, { param: ['alpha'], expected: `a weight for each subsystem: ${names.join(', ')}` }))
      if (errors.length > before) return errors
      values = names.map((n) => map[n])
    }
    const sum = values.reduce((a, b) => a + b, 0)
    if (!(Math.abs(sum - 1) <= ALPHA_SUM_TOLERANCE)) {
      errors.push(new QuasiError('INVALID_VALUE', `the weights in \`alpha\` sum to ${Number(sum.toPrecision(12))}, not 1`, {
        param: ['alpha'], expected: 'weights that sum to 1', found: values.join(' + '), hint: `T = Σ α_i u_i is a weighted mean; divide each weight by ${Number(sum.toPrecision(12))}`,
      }))
    }
  }
  return errors
}
