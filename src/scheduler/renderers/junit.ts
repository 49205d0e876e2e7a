/**
 * JUnit XML for CI test reports (Jenkins, GitLab, GitHub test-report actions): one test case
 * per stage and one per expectation, in pipeline order. A failed stage is a `<failure>` whose
 * type is the error code and whose message is the coded message; a failed expectation is a
 * `<failure>` giving both sides; a skipped stage is `<skipped>`. A run that could not start
 * (invalid file, lock held) is one failed test case named after the pipeline file.
 * The document follows the common JUnit schema (Jenkins xunit's junit-10.xsd); the test
 * validates it against test/fixtures/junit/junit.xsd.
 */
import type { QuasiError } from '../../errors.ts'
import { describeFailure } from '../../pipeline/expect.ts'
import type { Renderer, RunEvent } from '../events.ts'

interface Case {
  readonly classname: string
  readonly name: string
  seconds: number
  failure?: { type: string; message: string; body: string }
  skipped?: string
}

/** `write` receives the whole document once, when the run is over. */
export function junitRenderer(write: (xml: string) => void | Promise<void>): Renderer {
  let suite = 'quasi'
  let order: string[] = []
  let ms = 0
  const byStage = new Map<string, Case[]>()
  const cases = (stage: string) => byStage.get(stage) ?? byStage.set(stage, []).get(stage)!
  const stageCase = (stage: string, kind: string): Case => {
    const list = cases(stage)
    const c = list.find((x) => x.name === `${stage} (${kind})`)
    if (c) return c
    const made: Case = { classname: `${suite}.stages`, name: `${stage} (${kind})`, seconds: 0 }
    list.unshift(made)
    return made
  }
  return {
    onEvent(e: RunEvent) {
      switch (e.type) {
        case 'run:start':
          suite = e.pipeline
          order = e.stages.map((s) => s.name)
          break
        case 'stage:cached':
          stageCase(e.stage, e.kind)
          break
        case 'stage:done':
          stageCase(e.stage, e.kind).seconds = e.ms / 1000
          break
        case 'stage:failed':
          stageCase(e.stage, e.kind).failure = { type: e.error.code, message: e.error.message, body: errorText(e.error) }
          break
        case 'stage:skipped':
          stageCase(e.stage, e.kind).skipped = e.reason === 'cancelled' ? 'cancelled' : 'an upstream stage failed'
          break
        case 'stage:expect': {
          const c: Case = { classname: `${suite}.expectations`, name: `${e.stage}: ${e.text}`, seconds: 0 }
          if (!e.holds) c.failure = { type: 'EXPECTATION_FAILED', message: `expectation \`${e.text}\` did not hold: ${describeFailure(e)}`, body: `left: ${e.left}\nright: ${e.right}${e.tol === undefined ? '' : `\ntolerance: ${e.tol}`}` }
          cases(e.stage).push(c)
          break
        }
        case 'run:done':
          ms = e.ms
          break
        case 'run:failed': {
          const first = e.errors[0]
          cases('').push({
            classname: `${suite}.pipeline`,
            name: e.file || 'pipeline',
            seconds: 0,
            failure: { type: first?.code ?? 'INTERNAL', message: first?.message ?? '', body: e.errors.map(errorText).join('\n\n') },
          })
          break
        }
      }
    },
    async close() {
      const all = ['', ...order, ...[...byStage.keys()].filter((s) => s !== '' && !order.includes(s))].flatMap((s) => byStage.get(s) ?? [])
      const failures = all.filter((c) => c.failure).length
      const skipped = all.filter((c) => c.skipped).length
      const time = (ms / 1000).toFixed(3)
      const counts = `tests="${all.length}" failures="${failures}" errors="0"`
      const lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites name="quasi" ${counts} time="${time}">`,
        `  <testsuite name="${attr(suite)}" ${counts} skipped="${skipped}" time="${time}">`,
        ...all.map(caseXml),
        '  </testsuite>',
        '</testsuites>',
      ]
      await write(lines.join('\n') + '\n')
    },
  }
}

function caseXml(c: Case): string {
  const open = `    <testcase classname="${attr(c.classname)}" name="${attr(c.name)}" time="${c.seconds.toFixed(3)}"`
  if (c.failure) return `${open}>\n      <failure type="${attr(c.failure.type)}" message="${attr(c.failure.message)}">${text(c.failure.body)}</failure>\n    </testcase>`
  if (c.skipped) return `${open}>\n      <skipped message="${attr(c.skipped)}"/>\n    </testcase>`
  return `${open}/>`
}

function errorText(e: QuasiError): string {
  const where = e.pos ? `${e.pos.file}:${e.pos.line}:${e.pos.col}  ` : ''
  const lines = [`${where}error ${e.code}${e.stage ? `  stage \`${e.stage}\`${e.kind ? ` (${e.kind})` : ''}` : ''}`, e.message]
  if (e.expected) lines.push(`expected: ${e.expected}`)
  if (e.found) lines.push(`found: ${e.found}`)
  if (e.hint) lines.push(`hint: ${e.hint}`)
  return lines.join('\n')
}

/** Characters XML 1.0 cannot hold at all (C0 controls but tab, newline, return) become U+FFFD. */
// eslint-disable-next-line no-control-regex
const invalid = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
const text = (s: string) => invalid(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const attr = (s: string) => text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')
