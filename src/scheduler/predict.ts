/**
 * What a run would do, without running anything: for `quasi status` and `--dry-run`.
 * A stage is fresh when a cache entry exists for the key its current inputs give; a stage
 * below a stale one cannot know its input yet and is stale "because input `x` will be
 * recomputed" (it may still turn out fresh if that input comes out byte-identical).
 */
import { join } from 'node:path'
import { staleReasons, type StaleReason } from '../cache/stale.ts'
import { readState, statePath } from '../cache/state.ts'
import { CacheStore } from '../cache/store.ts'
import type { Plan } from '../pipeline/plan.ts'
import { keyStage } from './execute.ts'
import { checkOwner } from './owner.ts'
import { isForced, selectStages, type Selection } from './select.ts'

export interface Prediction {
  readonly stage: string
  readonly kind: string
  readonly fresh: boolean
  readonly reasons: readonly StaleReason[]
}

export async function predict(plan: Plan, opts: Selection & { quasiDir: string; cacheDir?: string; warn?: (m: string) => void }): Promise<Prediction[]> {
  const chosen = selectStages(plan, opts)
  const store = new CacheStore(opts.cacheDir ?? join(opts.quasiDir, 'cache'), opts.warn ?? (() => undefined))
  const stateFile = statePath(opts.quasiDir, plan.name)
  await checkOwner(plan, stateFile)
  const state = await readState(stateFile)
  const outputs = new Map<string, string>()
  const out: Prediction[] = []
  for (const name of plan.order) {
    if (!chosen.has(name)) continue
    const s = plan.byName.get(name)!
    const staleDeps = s.refs.filter((r) => !outputs.has(r))
    if (staleDeps.length > 0) {
      out.push({ stage: name, kind: s.kind, fresh: false, reasons: staleDeps.map((d) => ({ kind: 'upstream', stage: d })) })
      continue
    }
    const keyed = await keyStage(plan, s, (ref) => outputs.get(ref)!)
    const m = await store.getManifest(keyed.key)
    if (isForced(opts, name)) {
      out.push({ stage: name, kind: s.kind, fresh: false, reasons: [{ kind: 'forced' }] })
    } else if (m) {
      outputs.set(name, m.output)
      out.push({ stage: name, kind: s.kind, fresh: true, reasons: [] })
    } else {
      out.push({ stage: name, kind: s.kind, fresh: false, reasons: staleReasons(state[name]?.material, keyed.material) })
    }
  }
  return out
}
