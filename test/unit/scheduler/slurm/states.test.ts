/**
 * Job states → errors, on outputs recorded from a single-node SLURM 22.05 (test/slurm/start.sh):
 * a job killed for memory by OverMemoryKill (FAILED, JobLaunchFailure, log says so), a job
 * that exited 3, one past its time limit, an array, and sacct's job completion log (`-c`).
 */
import { describe, expect, test } from 'vitest'
import { isActive, jobError, parseSacct, parseSqueue } from '../../../../src/scheduler/slurm/states.ts'

const SQUEUE = `521|COMPLETED|None
523_1|COMPLETED|None
523_2|COMPLETED|None
523_0|COMPLETED|None
520|FAILED|JobLaunchFailure
522|FAILED|NonZeroExitCode
524|RUNNING|None
530_[3-9]|PENDING|Priority
`
const SACCT_C = `521|COMPLETED|0:0
520|FAILED|0:9
522|FAILED|3:0
524|TIMEOUT|0:0
525|CANCELLED by 0|0:15
526.batch|CANCELLED|0:15
`
const MEMORY_LOG = `slurmstepd-vm: error: StepId=520.batch exceeded memory limit (389652480 > 104857600), being killed
slurmstepd-vm: error: *** JOB 520 ON vm CANCELLED AT 2026-12-06T02:09:24 ***
slurmstepd-vm: error: Exceeded job memory limit`
const TIME_LOG = 'slurmstepd-vm: error: *** JOB 524 ON vm CANCELLED AT 2026-12-06T02:11:02 DUE TO TIME LIMIT ***'

describe('parsing', () => {
  test('squeue: one state per job and array task', () => {
    const s = parseSqueue(SQUEUE)
    expect(s.map((x) => x.id)).toEqual(['521', '523_1', '523_2', '523_0', '520', '522', '524', '530_[3-9]'])
    expect(s.find((x) => x.id === '520')).toEqual({ id: '520', state: 'FAILED', detail: 'JobLaunchFailure' })
  })
  test('sacct: steps skipped, "CANCELLED by 0" read as CANCELLED', () => {
    const s = parseSacct(SACCT_C)
    expect(s.map((x) => `${x.id}=${x.state}`)).toEqual(['521=COMPLETED', '520=FAILED', '522=FAILED', '524=TIMEOUT', '525=CANCELLED'])
  })
  test('active and ended states', () => {
    for (const st of ['PENDING', 'RUNNING', 'COMPLETING', 'CONFIGURING', 'REQUEUED', 'SUSPENDED']) expect(isActive(st)).toBe(true)
    for (const st of ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE']) expect(isActive(st)).toBe(false)
  })
})

describe('errors', () => {
  const ctx = (logTail: string) => ({ jobId: '520', stage: 'placebo', logTail })
  const code = (state: string, log = '', detail = '') => jobError({ id: '520', state, detail }, ctx(log))?.code

  test('COMPLETED is no error (the caller looks for the result in the cache)', () => {
    expect(code('COMPLETED')).toBeUndefined()
  })
  test('each failure state has its code', () => {
    expect(code('OUT_OF_MEMORY')).toBe('JOB_OUT_OF_MEMORY')
    expect(code('TIMEOUT')).toBe('JOB_TIMEOUT')
    expect(code('DEADLINE')).toBe('JOB_TIMEOUT')
    expect(code('NODE_FAIL')).toBe('JOB_NODE_FAIL')
    expect(code('BOOT_FAIL')).toBe('JOB_NODE_FAIL')
    expect(code('CANCELLED')).toBe('JOB_CANCELLED')
    expect(code('PREEMPTED')).toBe('JOB_CANCELLED')
    expect(code('FAILED', 'node: not found', 'NonZeroExitCode')).toBe('JOB_FAILED')
  })
  test('memory enforced by polling: FAILED (or CANCELLED) with the log saying so is JOB_OUT_OF_MEMORY', () => {
    expect(code('FAILED', MEMORY_LOG, 'JobLaunchFailure')).toBe('JOB_OUT_OF_MEMORY')
    expect(code('CANCELLED', MEMORY_LOG)).toBe('JOB_OUT_OF_MEMORY')
  })
  test('a cancellation at the time limit is JOB_TIMEOUT', () => {
    expect(code('CANCELLED', TIME_LOG)).toBe('JOB_TIMEOUT')
  })
  test('the message names the job and the stage and quotes the log; exit status 4 with a hint', () => {
    const e = jobError({ id: '520', state: 'FAILED', detail: 'JobLaunchFailure' }, ctx(MEMORY_LOG))!
    expect(e.message).toMatch(/^SLURM job 520 of stage `placebo` ran out of memory and was killed; the end of its log:\n {4}slurmstepd-vm: error: StepId=520.batch exceeded memory limit/)
    expect(e.exitStatus).toBe(4)
    expect(e.hint).toContain('memory:')
    const f = jobError({ id: '522', state: 'FAILED', detail: 'NonZeroExitCode' }, { jobId: '522', stage: 's', logTail: '' })!
    expect(f.message).toBe('SLURM job 522 of stage `s` failed (FAILED, NonZeroExitCode) (its log is empty)')
  })
})
