/**
 * The third bundled study, pipelines/yrd-integration.yaml: it runs with every expectation
 * holding, and its estimates recover the answer key pipelines/data/yrd_truth.json where the
 * data README says they should (the log-linear technology-market channel exactly; the
 * coupling measurement's weights; D's effects where no differential trend biases them).
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, test } from 'vitest'
import { quasiIn, type CliResult } from '../helpers/cli.ts'
import { csvRecords } from '../helpers/csv.ts'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const truth = JSON.parse(readFileSync(join(repo, 'pipelines/data/yrd_truth.json'), 'utf8'))

let dir = ''
let run: CliResult
const out = (f: string) => readFileSync(join(dir, 'outputs', 'yrd-integration', f), 'utf8')
/** The tidy row of a term in one column of a policy-mix table. */
function term(stage: string, model: string, name: string): { estimate: number; se: number } {
  const row = csvRecords(out(`${stage}/tidy.csv`)).find((r) => r.model === model && r.term === name)
  if (!row) throw new Error(`${stage}: no ${model}/${name} in tidy.csv`)
  return { estimate: Number(row.estimate), se: Number(row['std.error']) }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quasi-yrd-'))
  cpSync(join(repo, 'pipelines'), join(dir, 'pipelines'), { recursive: true })
  run = await quasiIn(['run', 'pipelines/yrd-integration.yaml'], dir)
}, 180_000)

describe('the regional-integration study', () => {
  test('runs with every expectation holding and writes its tables and figures', () => {
    expect(run.err).toBe('')
    expect(run.code).toBe(0)
    expect(run.out).not.toContain('FAILED')
    for (const f of ['ccd/means.md', 'ccd/ccd.svg', 'ccd/weights.csv', 'table1/table.md', 'baseline/table.md', 'mix/table.md', 'mix/event_study.svg', 'mix_tech/tests.csv', 'event_compare/compare.svg']) {
      expect(out(f).length, f).toBeGreaterThan(100)
    }
  })

  test('the entropy weights are the answer key\'s (which measures on the complete series, before the gaps are filled)', () => {
    const weights = csvRecords(out('ccd/weights.csv'))
    expect(weights).toHaveLength(7)
    for (const w of weights) {
      const expected = truth.coupling.weights[w.subsystem][w.indicator]
      expect(Math.abs(Number(w.weight) - expected), `${w.subsystem}/${w.indicator}`).toBeLessThan(1e-3)
    }
  })

  test('technology-market turnover: membership, pilot and synergy within 2 standard errors of 0.15, 0.10 and 0.12', () => {
    const p = truth.parameters.log_points.tech_market
    const cases = [['yrd', p.yrd], ['pilot', p.pilot], ['yrd:pilot', p.synergy]] as const
    for (const [name, value] of cases) {
      const t = term('mix_tech', 'interacted', name)
      expect(Math.abs(t.estimate - value) / t.se, name).toBeLessThan(2)
    }
  })

  test('coordination: the membership and synergy terms within 2 standard errors of their realised effects', () => {
    const e = truth.coupling.effects_on_D
    const y = term('mix', 'interacted', 'yrd')
    expect(Math.abs(y.estimate - e.yrd_on_members_without_pilot.att) / y.se).toBeLessThan(2)
    const s = term('mix', 'interacted', 'yrd:pilot')
    expect(Math.abs(s.estimate - e.synergy_on_both.att) / s.se).toBeLessThan(2)
  })
})
