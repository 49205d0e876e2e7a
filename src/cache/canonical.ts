/**
 * Canonical JSON and SHA-256: the basis of every cache key and digest.
 * Keys sorted by UTF-16 code unit order, no white space, numbers in JavaScript's shortest
 * round-trip form; `undefined` members dropped. Non-finite numbers cannot be keyed
 * honestly in JSON, so they are refused rather than silently turned into `null`.
 */
import { createHash } from 'node:crypto'

export interface CanonicalOptions {
  /** `throw` (the default, for keys) or `null` (for results: a missing estimate is null). */
  nonFinite?: 'throw' | 'null'
}

export function canonicalJson(value: unknown, opts: CanonicalOptions = {}): string {
  return write(value, '$', opts.nonFinite === 'null')
}

function write(v: unknown, path: string, nullify: boolean): string {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false'
    case 'string':
      return JSON.stringify(v)
    case 'number':
      if (!Number.isFinite(v)) {
        if (nullify) return 'null'
        throw new TypeError(`canonicalJson: non-finite number at ${path}`)
      }
      return JSON.stringify(v)
    case 'object': {
      if (Array.isArray(v)) return '[' + v.map((x, i) => write(x ?? null, `${path}[${i}]`, nullify)).join(',') + ']'
      const keys = Object.keys(v as object).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort()
      return '{' + keys.map((k) => JSON.stringify(k) + ':' + write((v as Record<string, unknown>)[k], `${path}.${k}`, nullify)).join(',') + '}'
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode ${typeof v} at ${path}`)
  }
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
