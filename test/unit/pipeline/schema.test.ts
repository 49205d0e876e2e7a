import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { describe, expect, test } from 'vitest'
import { renderPipelineSchema } from '../../../src/cli/schema.ts'
import { stageKinds } from '../../../stages/index.ts'

describe('the generated pipeline schema', () => {
  test('matches the committed schema/pipeline.schema.json (run `quasi schema` after changing a stage)', async () => {
    await expect(renderPipelineSchema()).toMatchFileSnapshot('../../../schema/pipeline.schema.json')
  })

  test('every stage kind documents every parameter', () => {
    for (const def of stageKinds) {
      const props = (def.params.properties ?? {}) as Record<string, { description?: string }>
      for (const [name, p] of Object.entries(props)) expect(p.description, `${def.kind}.${name}`).toBeTruthy()
      expect(def.params.additionalProperties, def.kind).toBe(false)
    }
  })

  test('editors checking with it accept a good pipeline and reject a misspelt parameter', () => {
    const schema = JSON.parse(renderPipelineSchema())
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema)
    const good = parse(readFileSync(new URL('../../e2e/good/ten-stages.yaml', import.meta.url), 'utf8'))
    expect(validate(good), JSON.stringify(validate.errors)).toBe(true)
    const bad = structuredClone(good)
    bad.stages.linear.with.colums = ['gdp']
    expect(validate(bad)).toBe(false)
  })
})

describe('the stage reference', () => {
  test('docs/stages.md is generated from the registry', async () => {
    const { renderStageReference } = await import('../../../src/pipeline/reference.ts')
    await expect(renderStageReference(stageKinds)).toMatchFileSnapshot('../../../docs/stages.md')
  })
})
