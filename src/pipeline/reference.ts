/**
 * docs/stages.md, generated from the registry like the JSON Schema, so the parameter
 * reference can never drift from what the validator accepts.
 */
import type { JsonSchema, StageDef } from '../stage.ts'
import { paramsSchema } from './schema.ts'
import { describeSchema } from './validate.ts'

export function renderStageReference(registry: readonly StageDef[]): string {
  const out = [
    '# Stage kinds',
    '',
    'Generated from the stage registry (`quasi schema` writes the same facts as JSON Schema); do not edit by hand.',
    'Every parameter is checked when the pipeline is loaded; a misspelt one is an error with a suggestion.',
    '',
  ]
  for (const def of [...registry].sort((a, b) => a.kind.localeCompare(b.kind))) {
    const schema = paramsSchema(def)
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>
    const required = new Set((schema.required as string[] | undefined) ?? [])
    out.push(`## \`${def.kind}\``, '', def.description, '')
    const notes = [`version ${def.version}`]
    if (def.references.length) notes.push(`reads other stages through ${def.references.map((r) => '`' + r + '`').join(', ')}`)
    if (def.random) notes.push('draws random numbers (seeded per stage)')
    out.push(`*${notes.join('; ')}*`, '')
    out.push('| parameter | type | default | description |', '| --- | --- | --- | --- |')
    for (const [name, p] of Object.entries(props)) {
      const def = p.default === undefined ? (required.has(name) ? '**required**' : '') : '`' + JSON.stringify(p.default) + '`'
      out.push(`| \`${name}\` | ${cell(describeSchema(p))} | ${cell(def)} | ${cell(String(p.description ?? ''))} |`)
    }
    if (def.facts?.length) out.push('', `Facts for \`expect:\`: ${def.facts.map((f) => '`' + f + '`').join(', ')}.`)
    out.push('')
  }
  return out.join('\n')
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}
