import { describe, expect, test } from 'vitest'
import { jobScript, shellQuote } from '../../../../src/scheduler/slurm/spec.ts'

describe('batch script', () => {
  test('resources become #SBATCH lines; the command runs quasi task on the batch file', () => {
    const s = jobScript({
      name: 'quasi-p-placebo',
      resources: { partition: 'short', account: 'econ', qos: 'normal', time: '00:30:00', memory: '4G', cpus: 2, sbatch: ['--constraint=avx2'] },
      batchFile: '/shared/p/.quasi/slurm/p/run/batch-3.json',
      log: '/shared/p/.quasi/slurm/p/run/logs/%j.log',
      command: ['/usr/bin/node', '/opt/quasi/bin/quasi.js'],
    })
    expect(s).toBe(`#!/bin/sh
#SBATCH --job-name=quasi-p-placebo
#SBATCH --output=/shared/p/.quasi/slurm/p/run/logs/%j.log
#SBATCH --error=/shared/p/.quasi/slurm/p/run/logs/%j.log
#SBATCH --partition=short
#SBATCH --account=econ
#SBATCH --qos=normal
#SBATCH --time=00:30:00
#SBATCH --mem=4G
#SBATCH --cpus-per-task=2
#SBATCH --constraint=avx2

exec /usr/bin/node /opt/quasi/bin/quasi.js task /shared/p/.quasi/slurm/p/run/batch-3.json
`)
  })
  test('an array of n tasks; nothing set means the cluster defaults', () => {
    const s = jobScript({ name: 'quasi-p-het', resources: {}, batchFile: '/b.json', log: '/l/%A_%a.log', arrayTasks: 1000, arrayMax: 50, command: ['quasi'] })
    expect(s).toContain('#SBATCH --array=0-999%50\n')
    expect(s).not.toMatch(/--(partition|mem|time|cpus-per-task)/)
  })
  test('paths with spaces and quotes are quoted for sh', () => {
    expect(shellQuote('/a b/it\'s.json')).toBe(`'/a b/it'\\''s.json'`)
    expect(shellQuote('/plain/path.json')).toBe('/plain/path.json')
  })
})
