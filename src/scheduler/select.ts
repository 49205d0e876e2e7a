/** Which stages a run touches: `--only` (with upstream), `--from` (with downstream and what it needs). */
import { QuasiError } from '../errors.ts'
import type { Plan } from '../pipeline/plan.ts'
import { suggest } from '../suggest.ts'

export interface Selection {
  only?: readonly string[]
  from?: readonly string[]
  force?: boolean | readonly string[]
}

export function selectStages(plan: Plan, sel: Selection): Set<string> {
  const known = (names: readonly string[] | undefined, flag: string) => {
    for (const n of names ?? []) {
      if (!plan.byName.has(n)) {
        const near = suggest(n, plan.byName.keys())
        throw new QuasiError('USAGE', `${flag} names stage \`${n}\`, which is not in ${plan.src.display}${near ? `; did you mean \`${near}\`?` : ''}`, {
          expected: `one of ${[...plan.byName.keys()].map((s) => '`' + s + '`').join(', ')}`,
        })
      }
    }
  }
  known(sel.only, '--only')
  known(sel.from, '--from')
  if (Array.isArray(sel.force)) known(sel.force, '--force')
  let chosen = new Set(plan.order)
  if (sel.only?.length) chosen = plan.graph.upstreamClosure(sel.only)
  if (sel.from?.length) {
    const down = plan.graph.downstreamClosure(sel.from)
    const need = plan.graph.upstreamClosure(down)
    chosen = new Set([...chosen].filter((s) => need.has(s)))
  }
  return chosen
}

export function isForced(sel: Selection, stage: string): boolean {
  return sel.force === true || (Array.isArray(sel.force) && sel.force.includes(stage))
}
