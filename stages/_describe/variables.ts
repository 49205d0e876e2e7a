/**
 * The variables describe lists, from `groups` or `variables`, with where each is written,
 * and the data-free checks on them (`quasi validate` runs these before anything else):
 * `groups` or `variables`, no empty group, no variable twice, `vif` naming a group or
 * listed variables, a `period` that runs forward.
 */
import { QuasiError } from '../../src/errors.ts'
import { suggest } from '../../src/suggest.ts'
import type { DescribeParams } from './params.ts'
import type { Param } from './sample.ts'

export interface Listed {
  readonly name: string
  readonly role?: string
  readonly param: Param
}

export function listedVariables(p: Pick<DescribeParams, 'groups' | 'variables'>): Listed[] {
  if (p.groups) return Object.entries(p.groups).flatMap(([role, names]) => names.map((name, i) => ({ name, role, param: ['groups', role, i] })))
  return (p.variables ?? []).map((name, i) => ({ name, param: ['variables', i] }))
}

/** The variables of the VIF column: `vif` (a group or a list), else the one group named like "control". */
export function vifVariables(p: Pick<DescribeParams, 'groups' | 'vif'>): string[] {
  if (typeof p.vif === 'string') return [...(p.groups?.[p.vif] ?? [])]
  if (p.vif) return [...p.vif]
  const controls = Object.keys(p.groups ?? {}).filter((g) => /control/i.test(g))
  return controls.length === 1 ? [...p.groups![controls[0]]] : []
}

export function checkDescribe(p: DescribeParams): QuasiError[] {
  const errors: QuasiError[] = []
  if (p.groups !== undefined && p.variables !== undefined) {
    errors.push(new QuasiError('INVALID_VALUE', 'give `groups` or `variables`, not both', {
      param: ['variables'], expected: '`groups: {"Dependent variable": [gie], …}` for a table by role, or `variables: [gie, …]` for one list',
    }))
  }
  if (p.groups === undefined && p.variables === undefined) {
    errors.push(new QuasiError('MISSING_PARAM', 'describe needs `groups` (the variables by role) or `variables`', {
      param: [], expected: 'groups or variables', hint: 'e.g. `groups: {"Dependent variable": [gie], "Control variables": [eco, fin]}`',
    }))
  }
  for (const [role, names] of Object.entries(p.groups ?? {})) {
    if (names.length === 0) {
      errors.push(new QuasiError('INVALID_VALUE', `group \`${role}\` lists no variables`, {
        param: ['groups', role], expected: 'a list of one or more columns', found: '`[]`', hint: 'list its variables, or remove the group',
      }))
    }
  }
  if (p.variables !== undefined && p.variables.length === 0) {
    errors.push(new QuasiError('INVALID_VALUE', '`variables` lists no variables', { param: ['variables'], expected: 'a list of one or more columns', found: '`[]`' }))
  }
  const first = new Map<string, Listed>()
  for (const v of listedVariables(p)) {
    const seen = first.get(v.name)
    if (!seen) { first.set(v.name, v); continue }
    const where = (x: Listed) => (x.role !== undefined ? `\`${x.role}\`` : '`variables`')
    errors.push(new QuasiError('INVALID_VALUE', `variable \`${v.name}\` is listed twice${seen.role !== v.role ? `: in ${where(seen)} and in ${where(v)}` : ` in ${where(v)}`}`, {
      param: v.param, expected: 'each variable once', found: `\`${v.name}\` again`, hint: 'a variable has one role in the table; remove one of them',
    }))
  }
  if (p.vif !== undefined) {
    if (!p.correlation) {
      errors.push(new QuasiError('INVALID_VALUE', '`vif` is a column of the correlation table: add `correlation: true`', { param: ['vif'] }))
    }
    if (typeof p.vif === 'string' && !(p.groups && p.vif in p.groups)) {
      const groups = Object.keys(p.groups ?? {})
      const near = suggest(p.vif, groups)
      errors.push(new QuasiError('INVALID_VALUE', `\`vif\` names group \`${p.vif}\`, which is not a group${near ? `; did you mean \`${near}\`?` : ''}`, {
        param: ['vif'], expected: groups.length ? `a group: ${groups.map((g) => '`' + g + '`').join(', ')}, or a list of variables` : 'a list of listed variables', found: `\`${p.vif}\``,
      }))
    } else if (Array.isArray(p.vif)) {
      const listed = [...first.keys()]
      p.vif.forEach((name, i) => {
        if (first.has(name)) return
        const near = suggest(name, listed)
        errors.push(new QuasiError('INVALID_VALUE', `\`vif\` names \`${name}\`, which the table does not list${near ? `; did you mean \`${near}\`?` : ''}`, {
          param: ['vif', i], expected: 'a variable of `groups` or `variables`', found: `\`${name}\``,
        }))
      })
    }
  }
  if (p.period && p.period[0] > p.period[1]) {
    errors.push(new QuasiError('INVALID_VALUE', `\`period\` runs backwards: [${p.period[0]}, ${p.period[1]}]`, { param: ['period'], expected: '[from, to] with from <= to' }))
  }
  return errors
}
