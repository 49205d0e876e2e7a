/** psm's data-free checks: options that belong to another matching method. */
import { QuasiError } from '../../src/errors.ts'
import type { PsmParams } from './params.ts'

export function checkPsm(p: PsmParams): QuasiError[] {
  const errors: QuasiError[] = []
  const method = p.method ?? 'nearest'
  const only = (key: 'neighbors' | 'replace' | 'bandwidth' | 'caliper', methods: readonly string[]) => {
    if (p[key] !== undefined && !methods.includes(method)) {
      errors.push(new QuasiError('INVALID_SPEC', `\`${key}\` applies to \`method: ${methods.join('` or `')}\`, not to \`method: ${method}\``, {
        param: [key], hint: `remove \`${key}\` or choose \`method: ${methods[0]}\``,
      }))
    }
  }
  only('neighbors', ['nearest'])
  only('replace', ['nearest'])
  only('bandwidth', ['kernel'])
  only('caliper', ['nearest', 'radius'])
  if (method === 'radius' && p.caliper === undefined) {
    errors.push(new QuasiError('MISSING_PARAM', '`method: radius` needs `caliper:` (the radius, in propensity-score units or `{sd: x}`)', { param: ['method'], expected: 'caliper' }))
  }
  return errors
}
