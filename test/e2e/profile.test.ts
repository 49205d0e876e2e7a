/**
 * `quasi run --profile/--executor/--break-lock` from the command line (in process): mistakes
 * in the options or the profile file are usage or positioned errors with exit 2; a local
 * profile runs as before; a lock held on another host needs --break-lock.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { quasiIn, smallProject, STACK_LINE } from '../helpers/cli.ts'
import { tokenName } from '../../src/cache/lock.ts'

describe('run --profile / --executor', () => {
  test('an unknown executor is a usage error', async () => {
    const r = await quasiIn(['run', 'pipelines/p.yaml', '--executor', 'pbs'], smallProject())
    expect(r.code).toBe(2)
    expect(r.err).toContain('error USAGE')
    expect(r.err).toContain('Expected `--executor` to be one of local, slurm, got `pbs`')
  })

  test('a profile file with a mistake: file:line:col, the code, a suggestion; nothing runs', async () => {
    const dir = smallProject({ 'quasi.profile.yaml': 'profiles:\n  cluster:\n    executor: slurm\n    defaults: { memroy: 2G }\n' })
    const r = await quasiIn(['run', 'pipelines/p.yaml', '--profile', 'cluster'], dir)
    expect(r.code).toBe(2)
    expect(r.err).toContain('quasi.profile.yaml:4:17  error UNKNOWN_KEY')
    expect(r.err).toContain('did you mean `memory`?')
    expect(r.err).not.toMatch(STACK_LINE)
    expect(() => readFileSync(join(dir, 'outputs', 'p', 'run.json'))).toThrow()
  })

  test('a local profile runs here, with its jobs', async () => {
    const dir = smallProject({ 'quasi.profile.yaml': 'profiles:\n  laptop: { executor: local, jobs: 1 }\n' })
    const r = await quasiIn(['run', 'pipelines/p.yaml', '--profile', 'laptop'], dir)
    expect(r.code, r.err).toBe(0)
    expect(r.out).toContain('(2 stages, 1 job,')
    expect(r.out).toMatch(/done: 2 ran/)
  })

  test('--executor local overrides a slurm profile: nothing is submitted', async () => {
    const dir = smallProject({ 'quasi.profile.yaml': 'profiles:\n  cluster: { executor: slurm, defaults: { memory: 1G } }\n' })
    const r = await quasiIn(['run', 'pipelines/p.yaml', '--profile', 'cluster', '--executor', 'local'], dir)
    expect(r.code, r.err).toBe(0)
    expect(() => readFileSync(join(dir, '.quasi', 'slurm'))).toThrow()
  })
})

describe('run --break-lock', () => {
  test('a lock held on another host stops the run; --break-lock takes it and says so', async () => {
    const dir = smallProject()
    const locks = join(dir, '.quasi', 'locks', 'p')
    mkdirSync(locks, { recursive: true })
    // a token as a run on host `node-7` writes it (pid 1 there means nothing here)
    process.env.QUASI_TEST_HOSTNAME = 'node-7'
    const name = tokenName(1, new Date('2026-01-01T00:00:00Z'))
    delete process.env.QUASI_TEST_HOSTNAME
    writeFileSync(join(locks, name), '')
    const r = await quasiIn(['run', 'pipelines/p.yaml'], dir)
    expect(r.code).toBe(1)
    expect(r.err).toContain('error LOCKED')
    expect(r.err).toContain('(pid 1 on node-7, since 2026-01-01T00:00:00.000Z)')
    expect(r.err).toContain('--break-lock')
    const b = await quasiIn(['run', 'pipelines/p.yaml', '--break-lock'], dir)
    expect(b.code, b.err).toBe(0)
    expect(b.out).toContain('broke the lock of `p` held by pid 1 on node-7 since 2026-01-01T00:00:00.000Z')
  })
})
