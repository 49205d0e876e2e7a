/**
 * Why a stage must run: a list of reasons, never a bare boolean. Computed by comparing the
 * key material of the last recorded run with the current one.
 */
import { canonicalJson } from './canonical.ts'
import type { KeyMaterial } from './key.ts'

export type StaleReason =
  | { kind: 'never-run' }
  | { kind: 'forced' }
  | { kind: 'version'; from: number; to: number }
  | { kind: 'param'; path: string; from: unknown; to: unknown }
  | { kind: 'input'; stage: string }
  | { kind: 'upstream'; stage: string }
  | { kind: 'file'; param: string }
  | { kind: 'seed' }
  | { kind: 'evicted' }

export function staleReasons(prev: KeyMaterial | undefined, cur: KeyMaterial): StaleReason[] {
  if (!prev) return [{ kind: 'never-run' }]
  const out: StaleReason[] = []
  if (prev.kind !== cur.kind) return [{ kind: 'never-run' }]
  if (prev.version !== cur.version) out.push({ kind: 'version', from: prev.version, to: cur.version })
  diffParams(prev.params, cur.params, '', out)
  const inputs = new Set([...Object.keys(prev.inputs), ...Object.keys(cur.inputs)])
  for (const k of [...inputs].sort()) {
    if (prev.inputs[k] === cur.inputs[k]) continue
    if (k.startsWith('file:')) out.push({ kind: 'file', param: k.slice(5) })
    else out.push({ kind: 'input', stage: k.replace(/^stage:/, '') })
  }
  if (prev.seed !== cur.seed) out.push({ kind: 'seed' })
  // Same material but no cache entry: it was cleaned or found corrupt.
  if (out.length === 0) out.push({ kind: 'evicted' })
  return out
}

function diffParams(a: unknown, b: unknown, path: string, out: StaleReason[]): void {
  if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) return
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
  if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      diffParams(a[k], b[k], path ? `${path}.${k}` : k, out)
    }
    return
  }
  out.push({ kind: 'param', path, from: a, to: b })
}

export function describeReason(r: StaleReason): string {
  switch (r.kind) {
    case 'never-run': return 'never run'
    case 'forced': return 'forced'
    case 'version': return `stage version changed from ${r.from} to ${r.to}`
    case 'param': return `param \`${r.path}\` changed from ${show(r.from)} to ${show(r.to)}`
    case 'input': return `input \`${r.stage}\` changed`
    case 'upstream': return `input \`${r.stage}\` will be recomputed`
    case 'file': return `file of \`${r.param}\` changed`
    case 'seed': return 'seed changed'
    case 'evicted': return 'cache entry missing (cleaned or corrupt)'
  }
}

function show(v: unknown): string {
  if (v === undefined) return '(unset)'
  const s = typeof v === 'string' ? v : JSON.stringify(v)
  return s.length > 40 ? s.slice(0, 37) + '…' : s
}
