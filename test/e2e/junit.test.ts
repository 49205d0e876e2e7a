/**
 * `quasi run --reporter junit` and `--junit FILE` (issue 13 §3): one test case per stage and
 * per expectation; a failed stage carries its error code and message, a failed expectation
 * both sides. The document is checked for its structure here and, where xmllint is
 * installed (Debian libxml2-utils), validated against test/fixtures/junit/junit.xsd.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { panelCsv } from '../faults/project.ts'
import { quasiIn, smallProject } from '../helpers/cli.ts'

const XSD = fileURLToPath(new URL('../fixtures/junit/junit.xsd', import.meta.url))

const PIPELINE = `quasi: 1
name: j
panel: { unit: unit, time: year }
stages:
  panel: { uses: ingest, with: { file: data/panel.csv, types: { unit: string } }, expect: [ "rows == 600" ] }
  baseline:
    uses: did
    with: { from: panel, outcome: y, treatment: { adoption: adopt_year }, cluster: unit }
    expect: [ "coef(did) > 0", "coef(did) < 0.1" ]
  flat:
    uses: did
    with: { from: panel, outcome: y, treatment: never }
  after: { uses: did, with: { model: flat, vcov: hc1 } }
`

interface Case { classname: string; name: string; body: string }

/** Test cases as (classname, name, inner XML), read with the grammar the renderer writes. */
function cases(xml: string): Case[] {
  return [...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)" time="\d+\.\d{3}"(?:\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => ({ classname: m[1], name: m[2], body: m[3] ?? '' }))
}

function xmllint(args: string[], input: string): { status: number | null; stderr: string } | undefined {
  const r = spawnSync('xmllint', args, { input, encoding: 'utf8' })
  return r.error ? undefined : { status: r.status, stderr: r.stderr }
}

test('junit: stages and expectations as test cases, failures coded, valid against the schema', async () => {
  // a treatment column that never turns on: `flat` fails with NO_VARIATION
  const csv = panelCsv().trimEnd().split('\n').map((l, i) => `${l},${i === 0 ? 'never' : 0}`).join('\n') + '\n'
  const dir = smallProject({ 'pipelines/p.yaml': PIPELINE, 'pipelines/data/panel.csv': csv })
  const r = await quasiIn(['run', 'pipelines/p.yaml', '--reporter', 'junit', '--keep-going'], dir)
  expect(r.code).toBe(1)
  const xml = r.out
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="quasi" tests="7" failures="2" errors="0" time="')).toBe(true)
  expect(xml).toMatch(/<testsuite name="j" tests="7" failures="2" errors="0" skipped="1" time="\d+\.\d{3}">/)
  const cs = cases(xml)
  expect(cs.map((c) => `${c.classname} | ${c.name}`)).toEqual([
    'j.stages | panel (ingest)',
    'j.expectations | panel: rows == 600',
    'j.stages | baseline (did)',
    'j.expectations | baseline: coef(did) &gt; 0',
    'j.expectations | baseline: coef(did) &lt; 0.1',
    'j.stages | flat (did)',
    'j.stages | after (did)',
  ])
  const [panel, rows, base, pos, small, flat, after] = cs
  for (const ok of [panel, rows, base, pos]) expect(ok.body).toBe('')
  expect(small.body).toMatch(/^\s*<failure type="EXPECTATION_FAILED" message="expectation `coef\(did\) &lt; 0.1` did not hold: [^"]+">left: 0\.\d+\nright: 0\.1<\/failure>\s*$/)
  expect(flat.body).toMatch(/^\s*<failure type="NO_VARIATION" message="[^"]+">pipelines\/p\.yaml:\d+:\d+ {2}error NO_VARIATION {2}stage `flat` \(did\)\n/)
  expect(after.body).toMatch(/^\s*<skipped message="an upstream stage failed"\/>\s*$/)

  const lint = xmllint(['--noout', '--schema', XSD, '-'], xml)
  if (lint) expect([lint.status, lint.stderr.trim()]).toEqual([0, '- validates'])
})

test('--junit FILE writes the report beside the usual output; a run that cannot start is one failed case', async () => {
  const dir = smallProject()
  const r = await quasiIn(['run', 'pipelines/p.yaml', '--junit', 'report.xml'], dir)
  expect(r.code).toBe(0)
  expect(r.out).toContain('quasi: done: 2 ran')
  const xml = readFileSync(join(dir, 'report.xml'), 'utf8')
  expect(cases(xml).map((c) => c.name)).toEqual(['panel (ingest)', 'vars (derive)'])

  const bad = smallProject({ 'pipelines/p.yaml': 'quasi: 1\nname: p\nstages:\n  panel: { uses: ingest, with: { fil: data/p.csv } }\n' })
  const b = await quasiIn(['run', 'pipelines/p.yaml', '--reporter', 'junit'], bad)
  expect(b.code).toBe(2)
  const one = cases(b.out)
  expect(one).toHaveLength(1)
  expect(one[0].classname).toBe('quasi.pipeline')
  expect(one[0].body).toContain('<failure type="UNKNOWN_PARAM"')
  const lint = xmllint(['--noout', '--schema', XSD, '-'], b.out)
  if (lint) expect(lint.status).toBe(0)
})
