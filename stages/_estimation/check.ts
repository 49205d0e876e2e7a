/** The data-free check every estimation kind shares: without `model:`, the keys that define the model are required. */
import { QuasiError } from '../../src/errors.ts'

export function requiredUnlessModel<P extends object>(kind: string, params: P, keys: readonly (keyof P & string)[]): QuasiError[] {
  const p = params as Record<string, unknown>
  if (p.model !== undefined) return []
  const missing = keys.filter((k) => p[k] === undefined)
  if (missing.length === 0) return []
  return [new QuasiError('MISSING_PARAM', `${kind} needs ${missing.map((m) => `\`${m}\``).join(', ')} (or \`model:\` to reuse a fitted model)`, {
    param: [], expected: missing.join(', '),
  })]
}
