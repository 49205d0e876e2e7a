/** schema/profile.schema.json: the committed file is the generated one, and editors checking with it see what the loader sees. */
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { describe, expect, test } from 'vitest'
import { renderProfileSchema } from '../../../src/cli/schema.ts'

const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(renderProfileSchema()))
const GOOD = parse(`profiles:
  cluster:
    executor: slurm
    jobs: 200
    defaults: { partition: short, time: "00:30:00", memory: 2G, cpus: 1 }
    kinds:
      measure-gie: { cpus: 8, memory: 16G }
      did: { stages_per_task: 20 }
    stages:
      placebo: { memory: 8G }
`)

describe('the generated profile schema', () => {
  test('matches the committed schema/profile.schema.json (run `quasi schema` after changing the profile format)', async () => {
    await expect(renderProfileSchema()).toMatchFileSnapshot('../../../schema/profile.schema.json')
  })

  test('accepts a good profile', () => {
    expect(validate(GOOD), JSON.stringify(validate.errors)).toBe(true)
  })

  test('rejects a misspelt resource, a bad memory, an unknown executor and a stage kind that does not exist', () => {
    const cases: [string, (p: Record<string, any>) => void][] = [
      ['memroy', (p) => (p.defaults.memroy = '2G')],
      ['memory', (p) => (p.defaults.memory = 'two gigabytes')],
      ['executor', (p) => (p.executor = 'slurn')],
      ['kind', (p) => (p.kinds['measure-gei'] = { cpus: 2 })],
    ]
    for (const [what, edit] of cases) {
      const bad = structuredClone(GOOD)
      edit(bad.profiles.cluster)
      expect(validate(bad), what).toBe(false)
    }
  })
})
