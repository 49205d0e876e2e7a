/** quasi.profile.yaml: resolution of resources by layer, and errors with positions (exit 2). */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { QuasiError, QuasiErrors } from '../../../src/errors.ts'
import { loadProfile } from '../../../src/profile/load.ts'

const kinds = ['ingest', 'derive', 'did', 'placebo', 'measure-gie']

async function load(text: string, name = 'cluster') {
  const root = mkdtempSync(join(tmpdir(), 'quasi-profile-'))
  writeFileSync(join(root, 'quasi.profile.yaml'), text)
  return loadProfile({ root, cwd: root, name, kinds })
}

async function errorsOf(text: string, name = 'cluster'): Promise<QuasiError[]> {
  try {
    await load(text, name)
  } catch (e) {
    if (e instanceof QuasiErrors) return [...e.errors]
    if (e instanceof QuasiError) return [e]
    throw e
  }
  throw new Error('expected errors')
}

const GOOD = `profiles:
  laptop:
    jobs: 4
  cluster:
    executor: slurm
    jobs: 200
    poll_seconds: 5
    defaults: { partition: short, account: econ, time: "00:30:00", memory: 2G, cpus: 1 }
    kinds:
      measure-gie: { cpus: 8, memory: 16G, time: "02:00:00" }
      placebo: { stages_per_task: 10 }
    stages:
      het: { memory: 4G }
      "het[east]": { time: "1-00:00:00" }
`

describe('profiles', () => {
  test('defaults, then the kind, then the matrix template, then the stage name', async () => {
    const p = await load(GOOD)
    expect(p.executor).toBe('slurm')
    expect(p.jobs).toBe(200)
    expect(p.pollMs).toBe(5000)
    expect(p.resources({ name: 'gie', kind: 'measure-gie' })).toEqual({ partition: 'short', account: 'econ', time: '02:00:00', memory: '16G', cpus: 8 })
    expect(p.resources({ name: 'het[east]', kind: 'did', template: 'het' })).toEqual({ partition: 'short', account: 'econ', time: '1-00:00:00', memory: '4G', cpus: 1 })
    expect(p.resources({ name: 'het[west]', kind: 'did', template: 'het' }).time).toBe('00:30:00')
    expect(p.resources({ name: 'placebo', kind: 'placebo' }).stages_per_task).toBe(10)
  })

  test('a profile without executor is local', async () => {
    const p = await load(GOOD, 'laptop')
    expect(p.executor).toBe('local')
    expect(p.jobs).toBe(4)
  })

  test('every problem at once, with line and column, exit 2', async () => {
    const errs = await errorsOf(`profiles:
  cluster:
    executor: slurn
    defaults: { memroy: 2G, time: "half an hour" }
    kinds:
      placbo: { cpus: 0 }
`)
    const lines = errs.map((e) => `${e.pos?.line}:${e.pos?.col} ${e.code}`)
    expect(lines).toEqual((['3:15 INVALID_VALUE', '4:17 UNKNOWN_KEY', '4:35 INVALID_VALUE', '6:23 INVALID_VALUE']))
    expect(errs.every((e) => e.exitStatus === 2)).toBe(true)
    expect(errs.find((e) => e.code === 'UNKNOWN_KEY')!.message).toContain('did you mean `memory`?')
  })

  test('a misspelt kind under kinds: is named with a suggestion', async () => {
    const errs = await errorsOf(`profiles:
  cluster:
    kinds:
      placbo: { cpus: 2 }
`)
    expect(errs).toHaveLength(1)
    expect(errs[0].code).toBe('UNKNOWN_KIND')
    expect(errs[0].message).toBe('no stage kind `placbo`; did you mean `placebo`?')
    expect(`${errs[0].pos!.line}:${errs[0].pos!.col}`).toBe('4:7')
  })

  test('an unknown profile name is a usage error with a suggestion; a missing file says where it looked', async () => {
    const [e] = await errorsOf(GOOD, 'clustre')
    expect(e.code).toBe('USAGE')
    expect(e.message).toContain('no profile `clustre` in quasi.profile.yaml; did you mean `cluster`?')
    const root = mkdtempSync(join(tmpdir(), 'quasi-profile-'))
    const err = await loadProfile({ root, cwd: root, name: 'cluster', kinds }).catch((x: unknown) => x)
    expect((err as QuasiError).code).toBe('MISSING_FILE')
    expect((err as QuasiError).message).toContain('`--profile cluster` needs quasi.profile.yaml')
  })
})
