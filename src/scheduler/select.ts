/** Which stages a run touches: `--only` (with upstream), `--from` (with downstream and what it needs). */
import { QuasiError } from '../errors.ts'
import type { Plan } from '../pipeline/plan.ts'
import { suggest } from '../suggest.ts'

export interface Selection {
  only?: readonly string[]
  from?: readonly string[]
  force?: boolean | readonly string[]
}

/** Stage names as the user gave them, with a matrix template standing for all its instances. */
export function expandNames(plan: Plan, names: readonly string[]): string[] {
  return names.flatMap((n) => plan.groups.get(n) ?? [n])
}

export function selectStages(plan: Plan, sel: Selection): Set<string> {
  const known = (names: readonly string[] | undefined, flag: string) => {
    for (const n of names ?? []) {
      if (!plan.byName.has(n) && !plan.groups.has(n)) {
        const near = suggest(n, [...plan.byName.keys(), ...plan.groups.keys()])
        throw new QuasiError('USAGE', `${flag} names stage \`${n}\`, which is not in ${plan.src.display}${near ? `; did you mean \`${near}\`?` : ''}`, {
          expected: `one of ${[...plan.groups.keys(), ...plan.byName.keys()].slice(0, 30).map((s) => '`' + s + '`').join(', ')}`,
        })
      }
    }
  }
  known(sel.only, '--only')
  known(sel.from, '--from')
  if (Array.isArray(sel.force)) known(sel.force, '--force')
  let chosen = new Set(plan.order)
  if (sel.only?.length) chosen = plan.graph.upstreamClosure(expandNames(plan, sel.only))
  if (sel.from?.length) {
    const down = plan.graph.downstreamClosure(expandNames(plan, sel.from))
    const need = plan.graph.upstreamClosure(down)
    chosen = new Set([...chosen].filter((s) => need.has(s)))
  }
  return chosen
}

export function isForced(sel: Selection, stage: string): boolean {
  if (sel.force === true) return true
  if (!Array.isArray(sel.force)) return false
  const template = stage.includes('[') ? stage.slice(0, stage.indexOf('[')) : undefined
  return sel.force.includes(stage) || (template !== undefined && sel.force.includes(template))
}
