/**
 * `matrix:` templates: expansion (keys, include/exclude, names), substitution, group
 * references, positions of errors, and per-instance caching.
 */
import { beforeEach, describe, expect, test } from 'vitest'
import { Frame } from '../../../src/artifacts/frame.ts'
import { QuasiErrors } from '../../../src/errors.ts'
import { defineStage, type StageDef } from '../../../src/stage.ts'
import { planOf, runIn, tempProject } from '../../helpers/pipeline.ts'
import { ran, testRegistry } from '../scheduler/stages.ts'

/** Sums the first value of several inputs: a kind whose reference takes a list. */
const sum = defineStage<{ from: string[] }>({
  kind: 'sum',
  version: 1,
  description: 'sum of inputs',
  params: { type: 'object', additionalProperties: false, required: ['from'], properties: { from: { type: 'array', items: { type: 'string' }, description: 'inputs' } } },
  references: ['from'],
  produces: ['frame'],
  consumes: { from: 'frame' },
  async run(ctx) {
    ran.push(ctx.stage)
    const total = ctx.params.from.reduce((s, f) => s + ctx.input(f).frame!.numbers('v')[0], 0)
    return { frame: Frame.from({ v: new Float64Array([total]) }), facts: { total, inputs: ctx.params.from.length } }
  },
})
const note = defineStage<Record<string, never>>({
  kind: 'note', version: 1, description: 'produces nothing', params: { type: 'object', additionalProperties: false, properties: {} }, references: [],
  async run() { return {} },
})
const registry: readonly StageDef[] = [...testRegistry, sum, note]

function planErrors(yaml: string) {
  try {
    planOf(tempProject(), yaml, registry)
  } catch (e) {
    if (e instanceof QuasiErrors) return e.errors
    throw e
  }
  throw new Error('expected errors')
}

beforeEach(() => {
  ran.length = 0
})

const base = (body: string) => `quasi: 1
name: m
stages:
  src: { uses: source, with: { value: 1 } }
${body}`

describe('expansion', () => {
  test('one key: an instance per value, named by `names`, values keep their type', () => {
    const plan = planOf(tempProject(), base(`  het:
    uses: add
    matrix: { k: [1, 2.5, 10] }
    names: [low, mid, high]
    with: { from: src, k: "\${{ matrix.k }}" }
`), registry)
    expect(plan.stages.map((s) => s.name)).toEqual(['src', 'het[low]', 'het[mid]', 'het[high]'])
    expect(plan.stages.slice(1).map((s) => s.params.k)).toEqual([1, 2.5, 10])
    expect(plan.groups.get('het')).toEqual(['het[low]', 'het[mid]', 'het[high]'])
    expect(plan.byName.get('het[mid]')!.template).toBe('het')
    expect(plan.byName.get('het[mid]')!.matrix).toEqual({ k: 2.5 })
  })

  test('two keys: every combination in order, exclude drops, include extends and adds', () => {
    const plan = planOf(tempProject(), base(`  g:
    uses: add
    matrix:
      k: [1, 2]
      note: [a, b]
      exclude: [{ k: 2, note: a }]
      include: [{ k: 1, extra: x }, { k: 9, note: z }]
    with: { from: src, k: "\${{ matrix.k }}", note: "\${{ matrix.note }}-\${{ matrix.k }}" }
`), registry)
    const got = plan.stages.slice(1).map((s) => [s.name, s.params.k, s.params.note, s.matrix!.extra ?? null])
    expect(got).toEqual([
      ['g[0]', 1, 'a-1', 'x'],
      ['g[1]', 1, 'b-1', 'x'],
      ['g[2]', 2, 'b-2', null],
      ['g[3]', 9, 'z-9', null],
    ])
  })

  test('names from a template', () => {
    const plan = planOf(tempProject(), base(`  g:
    uses: add
    matrix: { k: [1, 2] }
    names: "k\${{ matrix.k }}"
    with: { from: src, k: "\${{ matrix.k }}" }
`), registry)
    expect(plan.groups.get('g')).toEqual(['g[k1]', 'g[k2]'])
  })

  test('a group reference stands for every instance; one instance can be named too', () => {
    const plan = planOf(tempProject(), base(`  g:
    uses: add
    matrix: { k: [1, 2, 3] }
    with: { from: src, k: "\${{ matrix.k }}" }
  all: { uses: sum, with: { from: [g] } }
  one: { uses: add, with: { from: "g[1]" } }
  some: { uses: sum, with: { from: [src, "g[2]"] } }
`), registry)
    expect(plan.byName.get('all')!.params.from).toEqual(['g[0]', 'g[1]', 'g[2]'])
    expect(plan.byName.get('all')!.refs).toEqual(['g[0]', 'g[1]', 'g[2]'])
    expect(plan.byName.get('one')!.refs).toEqual(['g[1]'])
    expect(plan.byName.get('some')!.refs).toEqual(['src', 'g[2]'])
  })

  test('10,000 instances plan quickly (the bench measures it; this guards against quadratic work)', () => {
    const t0 = performance.now()
    const plan = planOf(tempProject(), base(`  g:
    uses: add
    matrix: { k: [${Array.from({ length: 10_000 }, (_, i) => i).join(', ')}] }
    with: { from: src, k: "\${{ matrix.k }}" }
  all: { uses: sum, with: { from: [g] } }
`), registry)
    expect(plan.order).toHaveLength(10_002)
    expect(plan.order.at(-1)).toBe('all')
    expect(performance.now() - t0).toBeLessThan(20_000)
  })
})

describe('errors', () => {
  test('an unknown matrix key points inside the string and suggests the key', () => {
    const errs = planErrors(base(`  g:
    uses: add
    matrix: { k: [1, 2] }
    with: { from: src, note: "x\${{ matrix.kk }}" }
`))
    expect(errs).toHaveLength(1) // once for the template, not once per instance
    expect(errs[0].code).toBe('INVALID_VALUE')
    expect(errs[0].message).toContain('did you mean `matrix.k`?')
    expect(errs[0].pos).toMatchObject({ line: 8, col: 43 })
  })

  test('a wrong value points at the matrix value, not at the placeholder', () => {
    const errs = planErrors(base(`  g:
    uses: add
    matrix: { k: [1, oops, 3] }
    with: { from: src, k: "\${{ matrix.k }}" }
`))
    expect(errs).toHaveLength(1)
    expect(errs[0].code).toBe('WRONG_TYPE')
    expect(errs[0].stage).toBe('g[1]')
    expect(errs[0].pos).toMatchObject({ line: 7, col: 22 })
  })

  test('a group where one stage is expected', () => {
    const errs = planErrors(base(`  g:
    uses: add
    matrix: { k: [1, 2] }
    with: { from: src, k: "\${{ matrix.k }}" }
  x: { uses: add, with: { from: g } }
`))
    expect(errs.map((e) => e.code)).toEqual(['INVALID_VALUE'])
    expect(errs[0].message).toContain('has 2 instances')
    expect(errs[0].pos).toMatchObject({ line: 9, col: 33 })
  })

  test('a placeholder without matrix, names without matrix, names of the wrong length, duplicate names', () => {
    expect(planErrors(base(`  x: { uses: add, with: { from: src, note: "\${{ matrix.k }}" } }\n`))[0].message).toContain('has no `matrix:`')
    expect(planErrors(base(`  x: { uses: add, names: [a], with: { from: src } }\n`))[0].message).toContain('has no `matrix:`')
    expect(planErrors(base(`  x: { uses: add, matrix: { k: [1, 2] }, names: [a], with: { from: src } }\n`))[0].message).toContain('1 name for 2 matrix instances')
    expect(planErrors(base(`  x: { uses: add, matrix: { k: [1, 2] }, names: [a, a], with: { from: src } }\n`))[0].message).toContain('both named `x[a]`')
    expect(planErrors(base(`  x: { uses: add, matrix: { k: [1, 2] }, names: ["a b", c], with: { from: src } }\n`))[0].message).toContain('may contain only')
  })

  test('matrix values of the wrong shape are coded errors, not crashes (found by the fuzz suite)', () => {
    for (const m of ['{ x: 3 }', '{ include: 3 }', '{ exclude: 3, k: [a, b] }']) {
      const errs = planErrors(base(`  g: { uses: add, matrix: ${m}, with: { from: src } }\n`))
      expect(errs.length, m).toBeGreaterThan(0)
      for (const e of errs) expect(e.code, m).not.toBe('INTERNAL')
    }
  })

  test('an instance that reads its own group is a self-reference', () => {
    const errs = planErrors(base(`  g:
    uses: sum
    matrix: { k: [1, 2] }
    with: { from: [src, g] }
`))
    expect(errs[0].code).toBe('SELF_REFERENCE')
    expect(errs[0].message).toContain('its own matrix `g`')
  })

  test('a reference to a stage that does not produce what the parameter consumes', () => {
    const errs = planErrors(base(`  n: { uses: note }
  s: { uses: sum, with: { from: [src, n] } }
`))
    expect(errs[0].code).toBe('INVALID_VALUE')
    expect(errs[0].message).toBe('`from` refers to stage `n` (note), which produces no table')
  })
})

describe('running', () => {
  const pipeline = (values: string) => base(`  g:
    uses: add
    matrix: { k: [${values}] }
    with: { from: src, k: "\${{ matrix.k }}" }
    expect: [ "first > 1" ]
  all: { uses: sum, with: { from: [g] } }
`)

  test('each instance is cached on its own; changing one value reruns that instance and what reads it', async () => {
    const root = tempProject()
    const first = await runIn(root, planOf(root, pipeline('1, 2, 3'), registry))
    expect(first.exitStatus).toBe(0)
    expect(ran.sort()).toEqual(['all', 'g[0]', 'g[1]', 'g[2]', 'src'])
    ran.length = 0
    const second = await runIn(root, planOf(root, pipeline('1, 20, 3'), registry))
    expect(second.exitStatus).toBe(0)
    expect(ran.sort()).toEqual(['all', 'g[1]'])
  })

  test('--only and --force take a group name', async () => {
    const root = tempProject()
    const plan = planOf(root, pipeline('1, 2'), registry)
    await runIn(root, plan, { only: ['g'] })
    expect(ran.sort()).toEqual(['g[0]', 'g[1]', 'src'])
    ran.length = 0
    await runIn(root, plan, { force: ['g'] })
    expect(ran.sort()).toEqual(['all', 'g[0]', 'g[1]'])
  })
})
